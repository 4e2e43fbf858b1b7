"""Working days and the clock the Companies Act counts notice by.

A *working day* (CA 2006 s.1173(1)) is a day that is not a Saturday, a Sunday, Christmas Day,
Good Friday or a bank holiday in England and Wales (where the PLV is registered). The bank
holidays come from ``holidays.country_holidays("GB", subdiv="ENG")`` (which also lists Christmas
Day, Good Friday and substitute days), plus the ``extra_non_working_days`` setting for one-off
days the package does not know yet.

Hours are wall-clock hours in Europe/London, as the clock in England shows them; all
date-times here are naive London times.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from plvgov import settings
from plvgov.dates import LONDON, is_working_day
from plvgov.values import dataclass

METHODS = ("email", "post", "hand")
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Calendar:
    """Working days in England and Wales, with the ledger's extra non-working days."""

    extra: frozenset[date] = frozenset()

    @classmethod
    def of(cls, session: Session, on: date) -> Calendar:
        """The calendar with the ``extra_non_working_days`` setting in force on ``on``."""
        return cls(frozenset(settings.get(session, "extra_non_working_days", on)))

    def is_working_day(self, day: date) -> bool:
        # CA 2006 s.1173(1): not a weekend, Christmas Day, Good Friday or E&W bank holiday
        return is_working_day(day, self.extra)

    def add_working_hours(self, start: datetime, hours: int) -> datetime:
        """``start`` plus ``hours``, not counting any part of a non-working day (s.1147(5))."""
        remaining = timedelta(hours=hours)
        current = start
        while True:
            day = current.date()
            next_midnight = datetime.combine(day + _DAY, time())
            if not self.is_working_day(day):
                current = next_midnight
                continue
            available = next_midnight - current
            if remaining <= available:
                return current + remaining
            remaining -= available
            current = next_midnight

    def subtract_working_hours(self, end: datetime, hours: int) -> datetime:
        """``end`` less ``hours``, leaving out non-working days (s.327(3): proxy cut-off)."""
        remaining = timedelta(hours=hours)
        current = end
        while True:
            day = current.date() if current.time() != time() else current.date() - _DAY
            midnight = datetime.combine(day, time())
            if not self.is_working_day(day):
                current = midnight
                continue
            available = current - midnight
            if remaining <= available:
                return current - remaining
            remaining -= available
            current = midnight


def london_naive(moment: datetime) -> datetime:
    """An aware date-time as naive Europe/London wall-clock time (naive ones are already so)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(LONDON).replace(tzinfo=None)


def deemed_served(calendar: Calendar, sent_at: datetime, method: str, hours: int = 48) -> datetime:
    """When a notice is deemed received: by hand at once; post and email ``hours`` working
    hours after sending (CA 2006 s.1147(2)-(3), (5))."""
    if method not in METHODS:
        from plvgov.errors import InputError

        raise InputError(f"unknown method {method!r}; choose email, post or hand")
    if method == "hand":
        return sent_at
    return calendar.add_working_hours(sent_at, hours)


def earliest_meeting_on(deemed_given_on: date, notice_days: int) -> date:
    """The earliest date for a meeting whose notice was given on ``deemed_given_on``:
    ``notice_days`` clear days, leaving out the day of notice and the day of the meeting
    (CA 2006 s.307(1), s.360; calendar days, holidays inside the period count)."""
    return deemed_given_on + timedelta(days=notice_days + 1)


def latest_notice_given_on(meeting_on: date, notice_days: int) -> date:
    """The last date notice may be deemed given for a meeting on ``meeting_on`` (s.360)."""
    return meeting_on - timedelta(days=notice_days + 1)


def latest_sending_on(
    calendar: Calendar, meeting_on: date, notice_days: int, method: str, hours: int = 48
) -> date:
    """The last day a notice sent by ``method`` can go out and still give valid notice."""
    given_by = latest_notice_given_on(meeting_on, notice_days)
    if method == "hand":
        return given_by
    end_of_day = datetime.combine(given_by + _DAY, time())
    return (calendar.subtract_working_hours(end_of_day, hours) - timedelta(microseconds=1)).date()


def proxy_cutoff(calendar: Calendar, meeting_at: datetime, hours: int = 48) -> datetime:
    """The earliest time the articles may require a proxy appointment by: ``hours`` before
    the meeting, not counting non-working days (CA 2006 s.327(2)-(3))."""
    return calendar.subtract_working_hours(meeting_at, hours)


def filing_due_on(event_on: date, days: int) -> date:
    """Filing deadline ``days`` calendar days after ``event_on`` (the day itself excluded, no
    working-day adjustment; CA 2006 s.26 and s.30 — how the Act counts it is [U])."""
    return event_on + timedelta(days=days)
