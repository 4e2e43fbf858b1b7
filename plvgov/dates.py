"""Dates as a company secretary writes them, and the financial year.

Dates are ISO ``YYYY-MM-DD``; date-times ``YYYY-MM-DDTHH:MM`` in Europe/London unless they carry
an offset. A financial year (FY) runs 1 April to 31 March and is written ``2026``, ``2026/27`` or
``2026-27``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import field
from datetime import date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from plvgov import bank_holidays as _bank_holidays
from plvgov.errors import InputError
from plvgov.values import dataclass

LONDON = ZoneInfo("Europe/London")


def parse_datetime(text: str, what: str = "date-time") -> datetime:
    """Parse ``YYYY-MM-DDTHH:MM`` (Europe/London unless an offset is given); aware result."""
    try:
        value = datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise InputError(
            f"{what} {text!r} is not a date-time; write it as YYYY-MM-DDTHH:MM"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=LONDON)
    return value


def is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months``, month-end aware: a month end stays a month end.

    31 March less 6 months is 30 September; 28 February 2027 plus 12 months is 29 February 2028.
    """
    moved = day + relativedelta(months=months)
    if is_month_end(day):
        moved = moved.replace(day=calendar.monthrange(moved.year, moved.month)[1])
    return moved


def add_years(day: date, years: int) -> date:
    """``day`` moved by whole years; 29 February becomes 28 February in a common year."""
    return day + relativedelta(years=years)


def uk_date(day: date) -> str:
    """9 February 2026 — the way UK documents write a date."""
    return f"{day.day} {day:%B %Y}"


_FY = re.compile(r"^\s*(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?\s*$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """The PLV's financial year beginning 1 April of ``start_year``."""

    start_year: int

    @classmethod
    def parse(cls, text: str | int) -> FinancialYear:
        match = _FY.match(str(text))
        if not match:
            raise InputError(
                f"financial year {text!r} is not one; write it as 2026, 2026/27 or 2026-27"
            )
        start = int(match.group(1))
        if match.group(2):
            end = int(match.group(2))
            expected = (start + 1) % 100 if len(match.group(2)) == 2 else start + 1
            if end != expected:
                raise InputError(
                    f"financial year {text!r} does not run April to March; "
                    f"did you mean {start}/{(start + 1) % 100:02d}?"
                )
        if not 1900 <= start <= 2999:
            raise InputError(f"financial year {text!r} is out of range")
        return cls(start)

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    # A year's bounds never change: worked out once (cached_property writes the instance's own
    # __dict__, so it works on a frozen dataclass and leaves equality and hashing alone).
    @cached_property
    def starts_on(self) -> date:
        return date(self.start_year, 4, 1)

    @cached_property
    def ends_on(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @cached_property
    def days(self) -> int:
        """366 when the FY contains a 29 February, else 365."""
        return (self.ends_on - self.starts_on).days + 1

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)


def days_between_inclusive(first: date, last: date) -> int:
    return max(0, (last - first).days + 1)


# -- facts are dated when they happened -------------------------------------------------------
#: Companies Act 2006 Part 2 (formation of companies) came into force on 1 October 2009
#: (SI 2008/2860): no company this ledger keeps existed before it. The floor for every fact
#: when the ``incorporation_date`` company fact is not set
#: (:func:`plvgov.company.filings.require_existed`).
COMPANIES_ACT_2006_FORMATION = date(2009, 10, 1)


def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in ``year`` (with Christmas Day, Good Friday and
    substitute days), from ``holidays.country_holidays("GB", subdiv="ENG")`` by way of
    :mod:`plvgov.bank_holidays`, which keeps its answers between runs."""
    return _bank_holidays.days("ENG", year)


def is_working_day(day: date, extra: frozenset[date] = frozenset()) -> bool:
    """CA 2006 s.1173(1): not a Saturday, a Sunday, Christmas Day, Good Friday or a bank
    holiday in England and Wales, nor one of the ``extra`` non-working days."""
    return day.weekday() < 5 and day not in bank_holidays(day.year) and day not in extra


def next_working_day(day: date, extra: frozenset[date] = frozenset()) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, extra):
        day += timedelta(days=1)
    return day


def require_past(on: date, today: date | None, what: str, fix: str) -> None:
    """Refuse a fact dated after ``today``: the ledger records events once they have happened
    (commands that plan — ``meeting convene``, ``settings set --from`` — do not call this).
    ``what`` names the date ("the payment date"), ``fix`` says when to record it. A caller that
    does not know today (``today`` None) is not checked; the CLI always passes it."""
    if today is not None and on > today:
        raise InputError(f"{what} {on} is after today ({today}); {fix}")


def require_not_before(on: date, floor: date, what: str, reason: str) -> None:
    """Refuse a fact dated before ``floor``; ``reason`` says what happened on the floor date
    ("the company was incorporated on 2023-02-14")."""
    if on < floor:
        raise InputError(f"{what} {on} is before {reason}; check the date")


# -- deadlines ------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Deadline:
    """A date the ledger knows. Each domain's ``deadlines(session, start, end)`` says of each
    whether it is ``outstanding``: something that must be done by the end of ``on`` and that
    the ledger does not yet record as done (a filing, a payment). One still outstanding after
    its day has passed is overdue, and ``plvgov check`` reports it. A date to know (an exit
    point, a meeting, a lapse, the last day a member *may* give notice) is not outstanding."""

    on: date
    kind: str  # e.g. "notice_deadline", "exit_point", "written_resolution_lapse"
    subject: str  # what it concerns: "Bromley", "Resolution 3: pricing strategy"
    detail: str = ""  # one sentence for a person: what must happen by then
    source: str = ""  # the rule: "CA 2006 s.297", "articles", "settings: invoice_due_days"
    outstanding: bool = field(default=False, compare=False)  # to do by `on`, not recorded done
    #: a meeting: when it starts (Europe/London wall clock, naive), for how long, and where; a
    #: calendar shows it as a timed, busy event. Everything else is a day to know.
    starts_at: datetime | None = field(default=None, compare=False)
    minutes: int | None = field(default=None, compare=False)  # None: the calendar's default
    location: str = field(default="", compare=False)
    #: no longer applies (an invoice paid): a calendar that had it removes it. Listings never
    #: show one (``oversight.deadlines.collect`` leaves them out unless asked).
    cancelled: bool = field(default=False, compare=False)
    #: how many times what the entry shows has changed in the ledger (payments on an invoice…):
    #: the same for the same ledger, higher after a change (the .ics SEQUENCE)
    revision: int = field(default=0, compare=False)

    def as_json(self) -> dict[str, object]:
        return {
            "on": self.on,
            "kind": self.kind,
            "subject": self.subject,
            "detail": self.detail,
            "source": self.source,
        }
