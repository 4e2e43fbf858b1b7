"""Documents about one record that billing owns: an invoice, a credit note, a reminder, a
statement of account and the subscription notices (decisions' are in
:mod:`plvgov.documents.records`).

Billing's ``papers``, ``reminders`` and ``statements`` modules gather each record's facts into a
typed dataclass; this module puts it in a context dataclass with the common fields.
"""

from __future__ import annotations

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
from plvgov.documents.contexts import DocumentContext, base
from plvgov.documents.kinds import Request
from plvgov.errors import RuleError
from plvgov.membership import members, views
from plvgov.values import dataclass


# -- contexts ----------------------------------------------------------------------------------
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
        targets = views.on_register_during(session, fy)
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
