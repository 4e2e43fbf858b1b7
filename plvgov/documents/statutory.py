"""The statutory registers beyond the register of members, as papers: the register of people
with significant control (CA 2006 s.790M), derived from the members and the articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from plvgov.documents.contexts import DocumentContext, base
from plvgov.registers import psc


@dataclass(frozen=True)
class PscEntry:
    """One registrable person's entry: a council, as an other registrable person."""

    member: str  # the council's legal name
    gss_code: str | None
    kind: str  # "other registrable person (a local authority, CA 2006 s.790C(12))"
    nature: str  # the prescribed nature(s) of control
    from_on: date  # the day it became registrable
    to_on: date | None  # the last day it was; None while it is


@dataclass(kw_only=True)
class PscRegisterContext(DocumentContext):
    at: date
    entries: list[PscEntry]  # every entry made up to ``at``, former ones kept
    current_count: int
    statement: str | None  # the prescribed statement while nobody is registrable
    statement_from: date | None


def psc_register(session: Session, at: date, generated_on: date) -> PscRegisterContext:
    """The PSC register as at ``at``."""
    reg = psc.register(session, at)
    return PscRegisterContext(
        **base(session, generated_on, "Register of people with significant control"),
        at=at,
        entries=[
            PscEntry(e.member, e.gss_code, e.kind, e.nature, e.from_on, e.to_on)
            for e in reg.entries
        ],
        current_count=len(reg.current),
        statement=reg.statement,
        statement_from=reg.statement_from,
    )
