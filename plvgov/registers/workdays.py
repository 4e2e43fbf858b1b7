"""Working days counted forward: the Companies Act's (England and Wales, s.1173) and the
Freedom of Information Act's (any part of the United Kingdom, FOIA 2000 s.10(6))."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

from plvgov import bank_holidays
from plvgov.decisions.notice_timing import Calendar

#: The four parts of the United Kingdom, as the ``holidays`` package names them.
UK_NATIONS = ("ENG", "WLS", "SCT", "NIR")


@lru_cache(maxsize=64)
def uk_bank_holidays(year: int) -> frozenset[date]:
    """Every day that is a bank holiday (or Christmas Day or Good Friday) in any part of the
    United Kingdom in ``year``: St Andrew's Day and 2 January in Scotland, St Patrick's Day
    and 12 July in Northern Ireland, their substitute days, and those of England and Wales."""
    return frozenset().union(*(bank_holidays.days(nation, year) for nation in UK_NATIONS))


def is_uk_working_day(day: date, extra: frozenset[date] = frozenset()) -> bool:
    """FOIA 2000 s.10(6): not a weekend, Christmas Day, Good Friday or a bank holiday in any
    part of the United Kingdom (nor a one-off day in ``extra``)."""
    return day.weekday() < 5 and day not in uk_bank_holidays(day.year) and day not in extra


def _nth_after(received: date, n: int, working: Callable[[date], bool]) -> date:
    """The ``n``th day after ``received`` (the day of receipt not counted) that is ``working``."""
    day, counted = received, 0
    while counted < n:
        day += timedelta(days=1)
        counted += working(day)
    return day


def nth_uk_working_day_after(received: date, n: int, extra: frozenset[date] = frozenset()) -> date:
    """The ``n``th UK working day following ``received`` (the day of receipt not counted)."""
    return _nth_after(received, n, lambda day: is_uk_working_day(day, extra))


def nth_working_day_after(calendar: Calendar, received: date, n: int) -> date:
    """The ``n``th England-and-Wales working day (CA 2006 s.1173) after ``received``."""
    return _nth_after(received, n, calendar.is_working_day)
