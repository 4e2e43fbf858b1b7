"""How long the Act says records are kept. Nothing in the ledger is ever deleted; the papers
say from when the company may remove or destroy a record:

- minutes of general meetings and written resolutions (s.355) and of directors' meetings
  (s.248): at least 10 years from the meeting or resolution;
- a former member's entry in the register of members (s.121): it may be removed after 10
  years from the day the member ceased (the ``former_member_retention_years`` setting).
"""

from __future__ import annotations

from datetime import date, timedelta

from plvgov.dates import add_years

RECORD_YEARS = 10  # s.248(2), s.355(2)


def kept_until(on: date, years: int = RECORD_YEARS) -> date:
    """The last day a record of ``on`` must be kept: the ``years``th anniversary (28 February
    for 29 February in a common year)."""
    return add_years(on, years)


def removable_from(on: date, years: int = RECORD_YEARS) -> date:
    """The first day a record of ``on`` may be removed or destroyed: after the period ends."""
    return kept_until(on, years) + timedelta(days=1)
