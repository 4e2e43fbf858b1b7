"""Commitment cycles and exit points: when a member can leave, and by when it must say so.

The seeds' terms: an initial five-year period from 1 April 2023 to 31 March 2028 with a break
point after three years (31 March 2026), then renewable ten-year cycles with a break point after
five years. Exit points are company-wide — every break and every cycle end — and a member
admitted mid-cycle shares them. A notice of withdrawal must be *received* by the notice deadline,
``withdrawal_notice_months`` before the exit point (month-end aware: 31 March less six months is
30 September). A late notice takes effect at the next exit point whose deadline it meets.

A notice is judged under the notice period in force on the day it is received, so an exit
point's deadline is the last day a notice received then, under the period then in force, still
reaches it (:meth:`NoticePeriods.deadline`). One function decides it for every exit point —
``member withdraw``, ``breaks``, ``calendar``, ``check`` and the papers — whatever the date a
command is run on or the window it shows.
Membership ends at the end of the exit date. Every number is a setting.

Leaving builds on the register (:mod:`plvgov.membership.members`): this module reads it and
lodges notices of withdrawal in it; the register never reads this module.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from plvgov import audit, settings
from plvgov.dates import Deadline, add_months, add_years, require_past, uk_date
from plvgov.errors import RuleError
from plvgov.membership.members import Tenure, id_of, is_member_on, notice
from plvgov.models.council_acts import WithdrawalNotice
from plvgov.models.members import Member
from plvgov.values import dataclass

BREAK = "break"
CYCLE_END = "cycle_end"


@dataclass(frozen=True)
class TermRules:
    """The commitment terms in force: when the first term starts, and the lengths of terms and
    breaks."""

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
    """One commitment cycle: its number, first and last days, and its break date."""

    number: int
    starts_on: date
    ends_on: date
    break_on: date


@dataclass(frozen=True)
class ExitPoint:
    """A day a member may leave (a break or a cycle's end), and the last day to give notice for
    it."""

    on: date
    kind: str  # "break" or "cycle_end"
    notice_deadline: date
    cycle: int
    notice_months: int = 0  # the notice period in force on the deadline, which gave it


@dataclass(frozen=True)
class NoticePeriods:
    """``withdrawal_notice_months`` through time: ``(effective_from, months)`` in date order,
    the first from the beginning (``None``). Read once with :meth:`of`."""

    changes: tuple[tuple[date | None, int], ...]

    @classmethod
    def of(cls, session: Session) -> NoticePeriods:
        return cls(tuple(settings.changes(session, "withdrawal_notice_months")))

    @classmethod
    def fixed(cls, months: int) -> NoticePeriods:
        """One period for every date (for a caller that has no ledger)."""
        return cls(((None, months),))

    def on(self, day: date) -> int:
        """The notice period in force on ``day``."""
        months = self.changes[0][1]
        for start, value in self.changes:
            if start is None or start <= day:
                months = value
        return months

    @property
    def longest(self) -> int:
        return max(months for _, months in self.changes)

    def deadline(self, exit_on: date) -> tuple[date, int]:
        """The last day a notice of withdrawal can be received and still reach ``exit_on``, and
        the notice period (in force that day) that gives it. A notice received on day *r* is
        judged under the period in force on *r*, so it reaches ``exit_on`` when *r* is on or
        before ``exit_on`` less that period: within each stretch of one period, the last such
        day is that date, or the stretch's last day when a longer period begins before it."""
        best: tuple[date, int] | None = None
        bounds = [start for start, _ in self.changes[1:]] + [None]
        for (start, months), following in zip(self.changes, bounds, strict=True):
            last = add_months(exit_on, -months)
            if following is not None:
                last = min(last, following - timedelta(days=1))
            if (start is None or last >= start) and (best is None or last > best[0]):
                best = (last, months)
        if best is None:  # every period is longer than the time before the exit point
            months = self.on(exit_on)
            return add_months(exit_on, -months), months
        return best


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


def notice_deadline(session: Session, exit_on: date) -> date:
    """The last day a notice of withdrawal can be received for the exit point ``exit_on``: the
    one rule every command and paper applies (see :meth:`NoticePeriods.deadline`)."""
    return NoticePeriods.of(session).deadline(exit_on)[0]


def _point(on: date, kind: str, cycle: int, periods: NoticePeriods) -> ExitPoint:
    deadline, months = periods.deadline(on)
    return ExitPoint(on, kind, deadline, cycle, months)


def exit_points(rules: TermRules, periods: NoticePeriods, until: date) -> list[ExitPoint]:
    """Every exit point on or before ``until``, in date order, each with its notice deadline."""
    points: list[ExitPoint] = []
    for cycle in cycles(rules, until):
        if cycle.break_on < cycle.ends_on and cycle.break_on <= until:
            points.append(_point(cycle.break_on, BREAK, cycle.number, periods))
        if cycle.ends_on <= until:
            points.append(_point(cycle.ends_on, CYCLE_END, cycle.number, periods))
    return points


def _points_after(rules: TermRules, periods: NoticePeriods, day: date) -> list[ExitPoint]:
    horizon = add_years(
        day, max(rules.initial_term_years, rules.renewal_term_years) * 2 + periods.longest // 12 + 2
    )
    return [p for p in exit_points(rules, periods, horizon) if p.on >= day]


def first_exit_for_notice(rules: TermRules, periods: NoticePeriods, received_on: date) -> ExitPoint:
    """The earliest exit point whose notice deadline is on or after ``received_on``."""
    return next(
        p for p in _points_after(rules, periods, received_on) if p.notice_deadline >= received_on
    )


@dataclass(frozen=True)
class NoticeOutcome:
    """Where a withdrawal notice takes effect, whether it met that exit point's deadline, and
    what it missed."""

    exit_point: ExitPoint
    deadline_met: bool
    missed: ExitPoint | None  # the upcoming exit point the notice was too late for


def judge_notice(rules: TermRules, periods: NoticePeriods, received_on: date) -> NoticeOutcome:
    """Which exit point a notice received on ``received_on`` takes effect at, and what it missed."""
    upcoming = _points_after(rules, periods, received_on)[0]
    effective = first_exit_for_notice(rules, periods, received_on)
    if effective == upcoming:
        return NoticeOutcome(effective, True, None)
    return NoticeOutcome(effective, False, upcoming)


def in_force(session: Session, on: date) -> tuple[TermRules, NoticePeriods]:
    """The cycle rules in force on ``on`` and the notice periods through time (each exit
    point's deadline reads the period its own rule reads, not the one in force on ``on``)."""
    return TermRules.in_force(session, on), NoticePeriods.of(session)


# -- a member's exit --------------------------------------------------------------------------
def next_exit(session: Session, member: Member, on: date) -> ExitPoint | None:
    """For a member: the exit point it is leaving at, or the earliest one a notice given on
    ``on`` would still reach. None for a former member or one not yet admitted."""
    rules, periods = in_force(session, on)
    return exit_ahead(member, notice(session, member), rules, periods, on)


def exit_ahead(
    member: Tenure,
    withdrawal: WithdrawalNotice | None,
    rules: TermRules,
    periods: NoticePeriods,
    on: date,
) -> ExitPoint | None:
    """:func:`next_exit` from facts already loaded: the member's notice (if any) and the terms
    in force on ``on`` — so a paper for every member reads the terms once."""
    if member.ceased_on is not None and on > member.ceased_on:
        return None  # a former member (ceased by withdrawal or otherwise) has no exit ahead
    if withdrawal is not None:
        return ExitPoint(
            withdrawal.exit_on,
            _kind_of(rules, periods, withdrawal.exit_on),
            withdrawal.notice_deadline,
            0,
            withdrawal.notice_months,
        )
    if member.admitted_on is None:
        return None
    return first_exit_for_notice(rules, periods, on)


def _kind_of(rules: TermRules, periods: NoticePeriods, exit_on: date) -> str:
    for point in exit_points(rules, periods, exit_on):
        if point.on == exit_on:
            return point.kind
    return CYCLE_END


@dataclass(frozen=True)
class WithdrawalOutcome:
    """A withdrawal notice as recorded: the member, the day it takes effect, and any exit point
    it was too late for."""

    member: Member
    effective_on: date
    kind: str
    notice_deadline: date
    deadline_met: bool
    missed_exit_on: date | None
    missed_deadline: date | None

    def as_json(self) -> dict[str, object]:
        return {
            "member": self.member.name,
            "gss_code": self.member.gss_code,
            "effective_on": self.effective_on,
            "kind": self.kind,
            "notice_deadline": self.notice_deadline,
            "deadline_met": self.deadline_met,
            "missed_exit_on": self.missed_exit_on,
            "missed_deadline": self.missed_deadline,
        }

    @property
    def message(self) -> str:
        name = self.member.name
        if self.deadline_met:
            return (
                f"{name}'s notice meets the deadline of {uk_date(self.notice_deadline)}; "
                f"its membership ends at the end of {uk_date(self.effective_on)}."
            )
        assert self.missed_exit_on is not None and self.missed_deadline is not None  # too late
        return (
            f"{name}'s notice is too late for the exit point on "
            f"{uk_date(self.missed_exit_on)} (deadline {uk_date(self.missed_deadline)}); "
            f"it takes effect at the next exit point, {uk_date(self.effective_on)}."
        )


def withdraw(
    session: Session, member: Member, received_on: date, *, today: date | None = None
) -> WithdrawalOutcome:
    """Lodge a notice of withdrawal received on ``received_on`` (not after ``today``); the
    notice period in force on that date decides which exit point it reaches: the first whose
    notice deadline (:func:`notice_deadline`) it meets."""
    require_past(received_on, today, "the notice date", "lodge a notice once it has been received")
    if not is_member_on(member, received_on):
        raise RuleError(
            f"{member.name} is not a member on {received_on}; only a member can "
            "give notice of withdrawal"
        )
    existing = notice(session, member)
    if existing is not None:
        raise RuleError(
            f"{member.name} already gave notice on {existing.received_on}, "
            f"effective {existing.exit_on}"
        )
    if member.ceased_on is not None:
        raise RuleError(f"{member.name} already ceases on {member.ceased_on}")
    rules, periods = in_force(session, received_on)
    outcome = judge_notice(rules, periods, received_on)
    point = outcome.exit_point
    row = WithdrawalNotice(
        member_id=id_of(member),
        received_on=received_on,
        exit_on=point.on,
        notice_deadline=point.notice_deadline,
        deadline_met=outcome.deadline_met,
        missed_exit_on=outcome.missed.on if outcome.missed else None,
        notice_months=point.notice_months,
    )
    member.ceased_on = point.on
    member.cease_reason = "withdrawal"
    session.add_all([row, member])
    result = WithdrawalOutcome(
        member,
        point.on,
        point.kind,
        point.notice_deadline,
        outcome.deadline_met,
        outcome.missed.on if outcome.missed else None,
        outcome.missed.notice_deadline if outcome.missed else None,
    )
    audit.record(
        session, "member.withdraw", member.name, [row, member], {"message": result.message}
    )
    return result


# -- the schedule (``plvgov breaks``) ---------------------------------------------------------
@dataclass(frozen=True)
class ExitSchedule:
    """Every commitment cycle and exit point up to ``until`` under the terms in force on
    ``on``, each exit point with its own notice deadline."""

    on: date
    until: date
    cycles: list[Cycle]
    exit_points: list[ExitPoint]

    @property
    def notice_months(self) -> list[int]:
        """The notice periods the exit points' deadlines count back, each once, in order."""
        return sorted({p.notice_months for p in self.exit_points})

    def as_json(self) -> dict[str, object]:
        return {
            "cycles": [
                {
                    "number": c.number,
                    "starts_on": c.starts_on,
                    "ends_on": c.ends_on,
                    "break_on": c.break_on,
                }
                for c in self.cycles
            ],
            "exit_points": [
                {"on": p.on, "kind": p.kind, "notice_deadline": p.notice_deadline}
                for p in self.exit_points
            ],
        }


def schedule(session: Session, on: date, until: date | None = None) -> ExitSchedule:
    """The cycles and exit points up to ``until`` (default: 25 years after ``on``) under the
    terms in force on ``on``."""
    last = until or add_years(on, 25)
    rules, periods = in_force(session, on)
    return ExitSchedule(on, last, cycles(rules, last), exit_points(rules, periods, last))


# -- for the calendar -------------------------------------------------------------------------
def deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """Exit points and withdrawal-notice deadlines between ``start`` and ``end`` (company-wide,
    "All members"), and the day each lodged notice of withdrawal takes effect. All are dates to
    know, none outstanding: a member *may* give notice by a deadline but need not."""
    rules, periods = in_force(session, start)
    # an exit point up to the longest notice period after `end` can have its notice deadline
    # inside the range
    found: list[Deadline] = []
    for point in exit_points(rules, periods, add_months(end, periods.longest + 1)):
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
                    f"settings: withdrawal_notice_months ({point.notice_months})",
                )
            )
    found.extend(withdrawal_deadlines(session, start, end))
    return sorted(found)


def withdrawal_deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """The day each lodged notice of withdrawal takes effect, between ``start`` and ``end``:
    the member leaves at the end of that day."""
    found = []
    for row, member in session.exec(
        select(WithdrawalNotice, Member).where(WithdrawalNotice.member_id == Member.id)
    ):
        if start <= row.exit_on <= end:
            found.append(
                Deadline(
                    row.exit_on,
                    "withdrawal_effective",
                    member.name,
                    f"{member.name}'s membership ends at the end of this day (notice received "
                    f"{row.received_on.isoformat()}).",
                    "terms: notice of withdrawal",
                )
            )
    return found
