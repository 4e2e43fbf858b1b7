"""Decisions under the Companies Act 2006 and the articles.

- ``notice_timing`` deemed service (s.1147), working days (s.1173), clear days, filing dates.
- ``resolutions``   written and meeting resolutions: circulation, replies, thresholds, lapse.
- ``meetings``      general meetings: notice, short-notice consent, quorum, votes, minutes.
- ``board``         directors, board meetings and the board's written decisions.
- ``articles``      versions of the articles, adopted by special resolution and filed.
"""
