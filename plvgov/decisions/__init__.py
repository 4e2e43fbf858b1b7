"""Decisions under the Companies Act 2006 and the articles.

- ``notice_timing`` deemed service (s.1147), working days (s.1173), clear days, filing dates.
- ``resolutions``   written and meeting resolutions: circulation, replies, thresholds, lapse.
- ``meetings``      general meetings convened: notice, short-notice consents, business, views.
- ``proceedings``   at a general meeting: attendance, quorum, polls, votes, declaring outcomes.
- ``papers``        notices, minutes, written resolutions and certified copies, as typed facts.
- ``board``         directors, board meetings and the board's written decisions.
- ``articles``      versions of the articles, adopted by special resolution and filed.
"""
