"""Documents about one record that another capability owns: meetings and resolutions
(decisions), invoices, credit notes, reminders, statements of account and subscription notices
(billing).

Each capability provides a ``*_document`` function that gathers its record's facts into a typed
dataclass; this module puts it in a context dataclass with the common fields. The registry
(:func:`plvgov.documents.kinds`) names each kind's template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from plvgov.billing.papers import (
    CreditNoteDocument,
    InvoiceDocument,
    ReminderLetter,
    SubscriptionNotice,
    credit_note_document,
    invoice_document,
    reminder_letter,
    subscription_notice_document,
)
from plvgov.billing.statements import StatementDocument, statement_document
from plvgov.dates import FinancialYear
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
from plvgov.errors import InputError, RuleError
from plvgov.membership import members
from plvgov.registers import retention


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


# -- billing ----------------------------------------------------------------------------------
@dataclass(kw_only=True)
class InvoiceContext(DocumentContext):
    invoice: InvoiceDocument


@dataclass(kw_only=True)
class CreditNoteContext(DocumentContext):
    credit_note: CreditNoteDocument


@dataclass(kw_only=True)
class ReminderContext(DocumentContext):
    reminder: ReminderLetter  # the first or final reminder of an overdue invoice


@dataclass(kw_only=True)
class StatementContext(DocumentContext):
    statement: StatementDocument  # a member's statement of account for a period


@dataclass(kw_only=True)
class SubscriptionNoticeContext(DocumentContext):
    year: str  # the financial year, "2027/28"
    notices: list[SubscriptionNotice]  # one letter per member


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


def invoice(session: Session, ident: str | None, r: Request) -> InvoiceContext:
    doc = invoice_document(session, str(ident).strip())
    return InvoiceContext(
        **base(session, r.generated_on, f"Invoice {doc.number}"),
        invoice=doc,
    )


def credit_note(session: Session, ident: str | None, r: Request) -> CreditNoteContext:
    doc = credit_note_document(session, str(ident).strip())
    return CreditNoteContext(
        **base(session, r.generated_on, f"Credit note {doc.number}"),
        credit_note=doc,
    )


def reminder(session: Session, ident: str | None, r: Request) -> ReminderContext:
    doc = reminder_letter(session, str(ident).strip(), r.on)
    stage = "Final reminder" if doc.stage == "final" else "Reminder"
    return ReminderContext(
        **base(session, r.generated_on, f"{stage}: invoice {doc.number}"),
        reminder=doc,
    )


def statement(session: Session, ident: str | None, r: Request) -> StatementContext:
    doc = statement_document(session, members.find(session, str(ident)), r.from_on, r.to_on or r.on)
    return StatementContext(
        **base(session, r.generated_on, f"Statement of account: {doc.council_name}"),
        statement=doc,
    )


def subscription_notice(
    session: Session, ident: str | None, r: Request
) -> SubscriptionNoticeContext:
    fy = FinancialYear.parse(r.year) if r.year else FinancialYear.containing(r.on).next()
    if ident:
        targets = [members.find(session, ident)]
    else:
        # Each council on the register for a day of the year, admitted in it included; a
        # former member (ceased before it) gets none.
        targets = [
            m
            for m in members.everyone(session)
            if m.admitted_on is not None
            and m.admitted_on <= fy.ends_on
            and (m.ceased_on is None or m.ceased_on >= fy.starts_on)
        ]
        if not targets:
            raise RuleError(
                f"no member is on the register for any day of {fy.label}; "
                "name one to render its notice"
            )
    return SubscriptionNoticeContext(
        **base(session, r.generated_on, f"Subscription notice {fy.label}"),
        year=fy.label,
        notices=[subscription_notice_document(session, fy, m, r.generated_on) for m in targets],
    )
