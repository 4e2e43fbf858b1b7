"""The statutory registers beyond the register of members, as papers: the register of people
with significant control (CA 2006 s.790M), derived from the members and the articles, and the
register of directors (s.162-163), its public copy: no usual residential address (s.165) and
no day of birth."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from plvgov.documents.contexts import DocumentContext, base
from plvgov.registers import directors, psc
from plvgov.values import dataclass


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


@dataclass(frozen=True)
class DirectorEntry:
    """A director's entry in the public register: the particulars s.163 requires, the month
    and year of birth only, and the service address, never the usual residential address."""

    name: str
    nominated_by: str | None  # the member council that nominated the director
    appointed_on: date
    resigned_on: date | None
    service_address: str | None
    country_of_residence: str | None
    nationality: str | None
    occupation: str | None
    born: str | None  # the month and year of birth only ("March 1970"), s.163(2)
    verified_on: date | None  # identity verified with Companies House (ECCTA 2023)


@dataclass(kw_only=True)
class DirectorsRegisterContext(DocumentContext):
    at: date
    entries: list[DirectorEntry]  # every director appointed by ``at``, former ones kept
    in_office: int


def directors_register(session: Session, at: date, generated_on: date) -> DirectorsRegisterContext:
    """The register of directors as at ``at``: its public copy."""
    entries = [
        DirectorEntry(
            e.name,
            e.nominated_by,
            e.appointed_on,
            e.resigned_on if e.resigned_on is not None and e.resigned_on <= at else None,
            e.service_address,
            e.country_of_residence,
            e.nationality,
            e.occupation,
            f"{date.fromisoformat(e.born + '-01'):%B %Y}" if e.born else None,
            e.verified_on if e.verified_on is not None and e.verified_on <= at else None,
        )
        for e in directors.register(session, at)
        if e.appointed_on <= at
    ]
    return DirectorsRegisterContext(
        **base(session, generated_on, "Register of directors"),
        at=at,
        entries=entries,
        in_office=sum(1 for e in entries if e.resigned_on is None),
    )
