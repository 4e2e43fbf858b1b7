"""Documents about one record that decisions owns: a general meeting's notice and minutes, a
written resolution and a resolution's certified copy (billing's are in
:mod:`plvgov.documents.billing`).

Each capability provides a ``*_document`` function that gathers its record's facts into a typed
dataclass; this module puts it in a context dataclass with the common fields. The registry
(:func:`plvgov.documents.kinds`) names each kind's template.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from plvgov.decisions.papers import (
    CertifiedCopyDocument,
    MinutesDocument,
    NoticeDocument,
    WrittenResolutionDocument,
    certified_copy_document,
    minutes_document,
    notice_document,
    written_resolution_document,
)
from plvgov.documents.contexts import DocumentContext, base
from plvgov.documents.kinds import Request
from plvgov.errors import InputError
from plvgov.registers import retention
from plvgov.values import dataclass


def _number(ident: str | None, what: str) -> int:
    text = str(ident).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 18):  # no id overflows 64 bits
        raise InputError(
            f"{what} {ident!r} is not a number; `plvgov {what.split()[0]} list` shows them"
        )
    return int(text)


# -- decisions --------------------------------------------------------------------------------
@dataclass(kw_only=True)
class NoticeContext(DocumentContext):
    meeting: NoticeDocument  # the general meeting's notice (CA 2006 s.311)


@dataclass(kw_only=True)
class WrittenResolutionContext(DocumentContext):
    resolution: WrittenResolutionDocument  # the resolution as circulated (CA 2006 s.291)


@dataclass(kw_only=True)
class MinutesContext(DocumentContext):
    minutes: MinutesDocument  # the general meeting's minutes (CA 2006 s.355)
    keep_until: date  # kept at least 10 years from the meeting (s.355(2)); never deleted


@dataclass(kw_only=True)
class ResolutionCopyContext(DocumentContext):
    resolution: CertifiedCopyDocument  # the copy certified for filing (CA 2006 s.30)


def notice(session: Session, ident: str | None, r: Request) -> NoticeContext:
    doc = notice_document(session, _number(ident, "meeting id"))
    return NoticeContext(
        **base(session, r.generated_on, f"Notice of general meeting {doc.id}"),
        meeting=doc,
    )


def written_resolution(session: Session, ident: str | None, r: Request) -> WrittenResolutionContext:
    doc = written_resolution_document(
        session, _number(ident, "resolution id"), r.member, r.sending_on
    )
    return WrittenResolutionContext(
        **base(session, r.generated_on, f"Written resolution {doc.id}"),
        resolution=doc,
    )


def minutes(session: Session, ident: str | None, r: Request) -> MinutesContext:
    doc = minutes_document(session, _number(ident, "meeting id"))
    return MinutesContext(
        **base(session, r.generated_on, f"Minutes of general meeting {doc.id}"),
        minutes=doc,
        keep_until=retention.kept_until(doc.held_at.date()),
    )


def resolution_copy(session: Session, ident: str | None, r: Request) -> ResolutionCopyContext:
    doc = certified_copy_document(session, _number(ident, "resolution id"))
    return ResolutionCopyContext(
        **base(session, r.generated_on, f"Certified copy of resolution {doc.id}"),
        resolution=doc,
    )
