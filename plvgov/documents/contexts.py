"""Each document kind's template context: a documented dataclass with typed fields, and the
builder that fills it from the ledger.

A template may use the fields of its kind's context and nothing else (``tests/test_documents.py``
checks every shipped template against them). Every context carries :class:`DocumentContext`'s
fields, which the letterhead and the footer use. The registry, :func:`plvgov.documents.kinds`,
names each kind's context: :class:`RegisterContext` and :class:`ExitReminderContext` here,
:class:`~plvgov.documents.board_pack.BoardPackContext`, and the contexts of the papers about one
record in :mod:`plvgov.documents.records` (decisions') and :mod:`plvgov.documents.billing`
(billing's), whose facts the domains' ``papers`` modules gather.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypedDict

from sqlmodel import Session

from plvgov import audit, checkpoints, settings
from plvgov.dates import FinancialYear, add_years, uk_date
from plvgov.errors import RuleError
from plvgov.membership import exits as terms
from plvgov.membership import members
from plvgov.membership.particulars import details, details_by_member, particulars_from
from plvgov.models.council_acts import Representative, WithdrawalNotice
from plvgov.models.members import Member, MemberDetail
from plvgov.registers.retention import removable_from
from plvgov.values import dataclass


@dataclass(frozen=True)
class Company:
    """The company facts on every letterhead and footer."""

    name: str
    number: str  # Companies House number ("" when not recorded)
    registered_office: str  # ("" when not recorded)


@dataclass(kw_only=True)
class DocumentContext:
    """What every document has: the company, the date it was generated, the ledger's audit
    fingerprint (so a paper can be traced to the ledger state that produced it) and a title."""

    company: Company
    generated_on: date
    fingerprint: str  # "SEQ:HASH12" — plvgov.audit.fingerprint
    signing_key: str | None  # the fingerprint of the key that signed the last checkpoint
    title: str


class Common(TypedDict):
    """:class:`DocumentContext`'s fields as keyword arguments: ``Context(**base(...), ...)``."""

    company: Company
    generated_on: date
    fingerprint: str
    signing_key: str | None
    title: str


#: Where a batch of papers read in one session keeps the facts every paper shares
#: (``session.info``): :func:`remember_common` sets it, :func:`base` reads it.
_COMMON = "plvgov.documents.common"


def base(session: Session, generated_on: date, title: str) -> Common:
    """The :class:`DocumentContext` fields, for a builder to pass on."""
    company, fingerprint, signing_key = session.info.get(_COMMON) or _common(session)
    return {
        "company": company,
        "generated_on": generated_on,
        "fingerprint": fingerprint,
        "signing_key": signing_key,
        "title": title,
    }


def _common(session: Session) -> tuple[Company, str, str | None]:
    company = Company(
        str(settings.fact(session, "company_name") or ""),
        str(settings.fact(session, "company_number") or ""),
        str(settings.fact(session, "registered_office") or ""),
    )
    return company, audit.fingerprint(session), checkpoints.paper_key(session)


def remember_common(session: Session) -> None:
    """Read the company facts, the audit fingerprint and the signing key once for every paper
    this (reading) session renders from now on: a batch of papers is one state of the ledger."""
    session.info[_COMMON] = _common(session)


def forget_common(session: Session) -> None:
    session.info.pop(_COMMON, None)


# -- register of members (CA 2006 s.113) ------------------------------------------------------
@dataclass(frozen=True)
class RegisterEntry:
    name: str  # the member's legal name (council_name)
    gss_code: str | None
    address: str | None
    entered_on: date  # s.113(3)(a): the date registered as a member
    ceased_on: date | None  # s.113(3)(b): the date it ceased (only once it has)
    note: str  # e.g. "notice given; ceases at the end of 31 March 2028"


@dataclass(kw_only=True)
class RegisterContext(DocumentContext):
    at: date
    entries: list[RegisterEntry]  # everyone ever entered, former members kept (s.121)
    current_count: int
    former_count: int


def register(session: Session, at: date, generated_on: date) -> RegisterContext:
    """The register of members as at ``at``: every member entered on or before it; former
    members stay on it (CA 2006 s.121: ten years after ceasing)."""
    entries = []
    changes = details_by_member(session)
    retention_years = settings.get(session, "former_member_retention_years", at)
    for row in members.everyone(session):
        if row.admitted_on is None or row.admitted_on > at:
            continue
        assert row.id is not None  # read from the ledger
        # s.113(2): the name and address in force on the register's date
        particulars = particulars_from(row, changes.get(row.id, []), at)
        # Membership ends at the end of its last day: it has ceased once that day is past.
        ceased = row.ceased_on if row.ceased_on is not None and row.ceased_on < at else None
        note = ""
        if row.ceased_on is not None and ceased is None:
            note = f"ceases at the end of {uk_date(row.ceased_on)}"
            if row.cease_reason == "withdrawal":
                note = "notice of withdrawal given; " + note
        elif ceased is not None:
            removable = removable_from(ceased, retention_years)
            note = "; ".join(
                [
                    *([row.cease_reason] if row.cease_reason else []),
                    f"may be removed from {uk_date(removable)} (s.121)",
                ]
            )
        entries.append(
            RegisterEntry(
                particulars.name,
                row.gss_code,
                particulars.address,
                row.admitted_on,
                ceased,
                note,
            )
        )
    entries.sort(key=lambda e: (e.entered_on, e.name))
    former = sum(1 for e in entries if e.ceased_on is not None)
    return RegisterContext(
        **base(session, generated_on, "Register of members"),
        at=at,
        entries=entries,
        current_count=len(entries) - former,
        former_count=former,
    )


# -- exit-point reminder ----------------------------------------------------------------------
@dataclass(frozen=True)
class ExitLetter:
    """One member's reminder of its next exit point and the deadline for notice."""

    member: str  # the member's legal name
    gss_code: str | None
    address: str | None
    representative: str | None  # the corporate representative (s.323) the letter goes to
    exit_on: date  # membership would end at the end of this day
    exit_kind: str  # "break point" or "end of the commitment cycle"
    notice_deadline: date  # notice must be *received* by this day
    notice_months: int
    days_to_deadline: int
    last_financial_year: str  # the last FY it would pay a subscription for, e.g. "2027/28"
    guarantee: Decimal  # its guarantee on a winding up (IA 1986 s.74(3))
    guarantee_until: date  # liable until then, for debts while a member (s.74(2)(a)-(b))
    following_exit_on: date | None  # the exit point after, if it says nothing now


@dataclass(kw_only=True)
class ExitReminderContext(DocumentContext):
    letters: list[ExitLetter]


class _LetterWriter:
    """Writes the exit letters for one day. It reads the terms once and each exit point's
    settings once, however many members it writes to: every member that has not given notice
    shares the same company-wide next exit point."""

    def __init__(self, session: Session, on: date) -> None:
        self.session = session
        self.on = on
        self.rules, self.periods = terms.in_force(session, on)
        self._at_point: dict[date, tuple[date | None, Decimal, date]] = {}

    def letter(
        self,
        member: Member,
        withdrawal: WithdrawalNotice | None,
        appointments: list[Representative],
        changes: list[MemberDetail],
    ) -> ExitLetter | None:
        """``member``'s letter, or None when it is not a member or has already given notice.
        ``appointments`` are its representatives in :func:`members.representatives` order,
        ``changes`` its changes of particulars in :func:`details` order."""
        on = self.on
        if not members.is_member_on(member, on) or withdrawal is not None:
            return None
        point = terms.exit_ahead(member, withdrawal, self.rules, self.periods, on)
        if point is None:
            return None
        following_exit_on, guarantee, guarantee_until = self._exit_point_facts(point.on)
        rep = members.representative_from(appointments, on)
        particulars = particulars_from(member, changes, on)
        return ExitLetter(
            member=particulars.name,
            gss_code=member.gss_code,
            address=particulars.address,
            representative=rep.name if rep else None,
            exit_on=point.on,
            exit_kind="break point" if point.kind == terms.BREAK else "end of the commitment cycle",
            notice_deadline=point.notice_deadline,
            notice_months=point.notice_months,
            days_to_deadline=(point.notice_deadline - on).days,
            last_financial_year=FinancialYear.containing(point.on).label,
            guarantee=guarantee,
            guarantee_until=guarantee_until,
            following_exit_on=following_exit_on,
        )

    def _exit_point_facts(self, exit_on: date) -> tuple[date | None, Decimal, date]:
        """The exit point after ``exit_on``, the guarantee and the day liability ends."""
        if exit_on not in self._at_point:
            horizon = add_years(exit_on, 20)
            later = [
                p for p in terms.exit_points(self.rules, self.periods, horizon) if p.on > exit_on
            ]
            tail = settings.get(self.session, "guarantee_tail_years", exit_on)
            self._at_point[exit_on] = (
                later[0].on if later else None,
                settings.get(self.session, "guarantee_amount", exit_on),
                # IA 1986 s.74(2)(a): a past member is liable for a year after ceasing [setting]
                add_years(exit_on, tail),
            )
        return self._at_point[exit_on]


def exit_reminder(
    session: Session, member: str | None, on: date, generated_on: date
) -> ExitReminderContext:
    """One letter per member that could still give notice for its next exit point (or the one
    member named)."""
    writer = _LetterWriter(session, on)
    if member is not None:
        row = members.find(session, member)
        held = members.notice(session, row)
        letter = writer.letter(
            row, held, members.representatives(session, row), details(session, row)
        )
        if letter is None:
            why = (
                f"it gave notice on {held.received_on} and leaves at the end of {held.exit_on}"
                if held
                else f"it is not a member on {on}"
            )
            raise RuleError(f"no exit reminder for {row.name}: {why}")
        letters = [letter]
    else:
        # Loaded once for every member: a query per member is thousands at scale.
        lodged = members.notices_by_member(session)
        appointments = members.representatives_by_member(session)
        changes = details_by_member(session)
        letters = []
        for row in members.everyone(session):
            assert row.id is not None  # read from the ledger
            found = writer.letter(
                row, lodged.get(row.id), appointments.get(row.id, []), changes.get(row.id, [])
            )
            if found is not None:
                letters.append(found)
        if not letters:
            raise RuleError(f"no member could give notice on {on}; nothing to remind")
    return ExitReminderContext(
        **base(session, generated_on, "Exit point reminder"),
        letters=letters,
    )


__all__ = [
    "Common",
    "Company",
    "DocumentContext",
    "ExitLetter",
    "ExitReminderContext",
    "RegisterContext",
    "RegisterEntry",
    "base",
    "exit_reminder",
    "register",
]
