"""Commitment cycles and exit points: when a member can leave, and by when it must say so.

The seeds' terms: an initial five-year period from 1 April 2023 to 31 March 2028 with a break
point after three years (31 March 2026), then renewable ten-year cycles with a break point after
five years. Exit points are company-wide — every break and every cycle end — and a member
admitted mid-cycle shares them. A notice of withdrawal must be *received* by the notice deadline,
``withdrawal_notice_months`` before the exit point (month-end aware: 31 March less six months is
30 September). A late notice takes effect at the next exit point whose deadline it meets.
Membership ends at the end of the exit date. Every number is a setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session

from plvgov import settings
from plvgov.dates import add_months, add_years

if TYPE_CHECKING:
    from plvgov.dates import Deadline

BREAK = "break"
CYCLE_END = "cycle_end"


@dataclass(frozen=True)
class TermRules:
    term_start: date
    initial_term_years: int
    initial_break_years: int
    renewal_term_years: int
    renewal_break_years: int

    @classmethod
    def in_force(cls, session: Session, on: date) -> TermRules:
        return cls(
            *(
                settings.get(session, key, on)
                for key in (
                    "term_start",
                    "initial_term_years",
                    "initial_break_years",
                    "renewal_term_years",
                    "renewal_break_years",
                )
            )
        )


@dataclass(frozen=True)
class Cycle:
    number: int
    starts_on: date
    ends_on: date
    break_on: date


@dataclass(frozen=True)
class ExitPoint:
    on: date
    kind: str  # "break" or "cycle_end"
    notice_deadline: date
    cycle: int


def _last_day(start: date, years: int) -> date:
    return add_years(start, years) - timedelta(days=1)


def cycles(rules: TermRules, until: date) -> list[Cycle]:
    """Every commitment cycle that starts on or before ``until`` (at least the first)."""
    result: list[Cycle] = []
    start, number = rules.term_start, 1
    while True:
        years, break_years = (
            (rules.initial_term_years, rules.initial_break_years)
            if number == 1
            else (rules.renewal_term_years, rules.renewal_break_years)
        )
        cycle = Cycle(number, start, _last_day(start, years), _last_day(start, break_years))
        result.append(cycle)
        if cycle.ends_on >= until:
            return result
        start, number = cycle.ends_on + timedelta(days=1), number + 1


def notice_deadline(exit_on: date, notice_months: int) -> date:
    """The last day a notice of withdrawal can be received for ``exit_on``."""
    return add_months(exit_on, -notice_months)


def exit_points(rules: TermRules, notice_months: int, until: date) -> list[ExitPoint]:
    """Every exit point on or before ``until``, in date order."""
    points: list[ExitPoint] = []
    for cycle in cycles(rules, until):
        if cycle.break_on < cycle.ends_on:
            points.append(
                ExitPoint(
                    cycle.break_on,
                    BREAK,
                    notice_deadline(cycle.break_on, notice_months),
                    cycle.number,
                )
            )
        points.append(
            ExitPoint(
                cycle.ends_on,
                CYCLE_END,
                notice_deadline(cycle.ends_on, notice_months),
                cycle.number,
            )
        )
    return [p for p in points if p.on <= until]


def _points_after(rules: TermRules, notice_months: int, day: date) -> list[ExitPoint]:
    horizon = add_years(
        day, max(rules.initial_term_years, rules.renewal_term_years) * 2 + notice_months // 12 + 2
    )
    return [p for p in exit_points(rules, notice_months, horizon) if p.on >= day]


def first_exit_for_notice(rules: TermRules, notice_months: int, received_on: date) -> ExitPoint:
    """The earliest exit point whose notice deadline is on or after ``received_on``."""
    return next(
        p
        for p in _points_after(rules, notice_months, received_on)
        if p.notice_deadline >= received_on
    )


@dataclass(frozen=True)
class NoticeOutcome:
    exit_point: ExitPoint
    deadline_met: bool
    missed: ExitPoint | None  # the upcoming exit point the notice was too late for


def judge_notice(rules: TermRules, notice_months: int, received_on: date) -> NoticeOutcome:
    """Which exit point a notice received on ``received_on`` takes effect at, and what it missed."""
    upcoming = _points_after(rules, notice_months, received_on)[0]
    effective = first_exit_for_notice(rules, notice_months, received_on)
    if effective == upcoming:
        return NoticeOutcome(effective, True, None)
    return NoticeOutcome(effective, False, upcoming)


def in_force(session: Session, on: date) -> tuple[TermRules, int]:
    """The cycle rules and notice months in force on ``on``."""
    return TermRules.in_force(session, on), settings.get(session, "withdrawal_notice_months", on)


def deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """Exit points and withdrawal-notice deadlines between ``start`` and ``end`` (company-wide,
    "All members"), and the day each lodged notice of withdrawal takes effect."""
    from plvgov.dates import Deadline
    from plvgov.membership.members import withdrawal_deadlines

    rules, months = in_force(session, start)
    # an exit point up to `months` after `end` can have its notice deadline inside the range
    found: list[Deadline] = []
    for point in exit_points(rules, months, add_months(end, months + 1)):
        label = "break point" if point.kind == BREAK else "end of commitment cycle"
        if start <= point.on <= end:
            found.append(
                Deadline(
                    point.on,
                    "exit_point",
                    "All members",
                    f"Exit point ({label}, cycle {point.cycle}): a member that gave notice in time "
                    "leaves at the end of this day.",
                    "terms: exit points",
                )
            )
        if start <= point.notice_deadline <= end:
            found.append(
                Deadline(
                    point.notice_deadline,
                    "notice_deadline",
                    "All members",
                    "Last day a notice of withdrawal can be received to leave at the exit "
                    f"point on {point.on.isoformat()}.",
                    f"settings: withdrawal_notice_months ({months})",
                )
            )
    found.extend(withdrawal_deadlines(session, start, end))
    return sorted(found)
