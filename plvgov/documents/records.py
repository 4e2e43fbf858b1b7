"""Documents about one record that another capability owns: meetings and resolutions
(decisions), invoices, credit notes and subscription notices (billing).

Each capability provides a ``*_document`` function that gathers its record's facts; this module
puts them in a context dataclass with the common fields and names the template. A capability
that is not built yet makes its kinds refuse with one line, not a traceback.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from plvgov.documents.contexts import DocumentContext, base
from plvgov.errors import InputError, RuleError

if TYPE_CHECKING:
    from plvgov.documents import Request


def provided(qualified: str) -> Callable[..., Any]:
    """``module:function`` from another capability, or a one-line refusal naming it."""
    module_name, function_name = qualified.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        module = None
    function = getattr(module, function_name, None)
    if function is None:
        raise RuleError(
            f"this build of plvgov cannot render that yet: {module_name}."
            f"{function_name} is missing; upgrade plvgov"
        )
    return function


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
    meeting: Any  # plvgov.decisions.meetings.notice_document(session, meeting_id)


@dataclass(kw_only=True)
class WrittenResolutionContext(DocumentContext):
    resolution: Any  # plvgov.decisions.resolutions.written_resolution_document(session, id)


@dataclass(kw_only=True)
class MinutesContext(DocumentContext):
    minutes: Any  # plvgov.decisions.meetings.minutes_document(session, meeting_id)


@dataclass(kw_only=True)
class ResolutionCopyContext(DocumentContext):
    resolution: Any  # plvgov.decisions.resolutions.certified_copy_document(session, id)


# -- billing ----------------------------------------------------------------------------------
@dataclass(kw_only=True)
class InvoiceContext(DocumentContext):
    invoice: Any  # plvgov.billing.invoices.invoice_document(session, number)


@dataclass(kw_only=True)
class CreditNoteContext(DocumentContext):
    credit_note: Any  # plvgov.billing.invoices.credit_note_document(session, number)


@dataclass(kw_only=True)
class SubscriptionNoticeContext(DocumentContext):
    year: str  # the financial year, "2027/28"
    notices: list[
        Any
    ]  # plvgov.billing.schemes.subscription_notice_document(session, fy, member) each


def _meeting_notice(session: Session, ident: str | None, r: Request) -> NoticeContext:
    doc = provided("plvgov.decisions.meetings:notice_document")(
        session, _number(ident, "meeting id")
    )
    return NoticeContext(
        **base(session, r.generated_on, f"Notice of general meeting {doc.id}"),  # type: ignore[arg-type]
        meeting=doc,
    )


def _written(session: Session, ident: str | None, r: Request) -> WrittenResolutionContext:
    doc = provided("plvgov.decisions.resolutions:written_resolution_document")(
        session, _number(ident, "resolution id")
    )
    return WrittenResolutionContext(
        **base(session, r.generated_on, f"Written resolution {doc.id}"),  # type: ignore[arg-type]
        resolution=doc,
    )


def _minutes(session: Session, ident: str | None, r: Request) -> MinutesContext:
    doc = provided("plvgov.decisions.meetings:minutes_document")(
        session, _number(ident, "meeting id")
    )
    return MinutesContext(
        **base(session, r.generated_on, f"Minutes of general meeting {doc.id}"),  # type: ignore[arg-type]
        minutes=doc,
    )


def _copy(session: Session, ident: str | None, r: Request) -> ResolutionCopyContext:
    doc = provided("plvgov.decisions.resolutions:certified_copy_document")(
        session, _number(ident, "resolution id")
    )
    return ResolutionCopyContext(
        **base(session, r.generated_on, f"Certified copy of resolution {doc.id}"),  # type: ignore[arg-type]
        resolution=doc,
    )


def _invoice(session: Session, ident: str | None, r: Request) -> InvoiceContext:
    doc = provided("plvgov.billing.invoices:invoice_document")(session, str(ident).strip())
    return InvoiceContext(
        **base(session, r.generated_on, f"Invoice {doc.number}"),  # type: ignore[arg-type]
        invoice=doc,
    )


def _credit(session: Session, ident: str | None, r: Request) -> CreditNoteContext:
    doc = provided("plvgov.billing.invoices:credit_note_document")(session, str(ident).strip())
    return CreditNoteContext(
        **base(session, r.generated_on, f"Credit note {doc.number}"),  # type: ignore[arg-type]
        credit_note=doc,
    )


def _subscription(session: Session, ident: str | None, r: Request) -> SubscriptionNoticeContext:
    from plvgov.dates import FinancialYear
    from plvgov.membership import members

    fy = FinancialYear.parse(r.year) if r.year else FinancialYear.containing(r.on).next()
    make = provided("plvgov.billing.schemes:subscription_notice_document")
    if ident:
        targets = [members.find(session, ident)]
    else:
        targets = members.members_on(session, fy.starts_on)
        if not targets:
            raise RuleError(
                f"no member is on the register on {fy.starts_on}; name one to render its notice"
            )
    notices = [make(session, fy, m) for m in targets]
    return SubscriptionNoticeContext(
        **base(
            session,
            r.generated_on,  # type: ignore[arg-type]
            f"Subscription notice {fy.label}",
        ),
        year=fy.label,
        notices=notices,
    )


def kinds() -> list[Any]:
    """The kinds this module renders (see :class:`plvgov.documents.Kind`)."""
    from plvgov.documents import Kind

    return [
        Kind(
            "notice", "notices/general_meeting", NoticeContext, _meeting_notice, True, "meeting id"
        ),
        Kind(
            "written-resolution",
            "resolutions/written_resolution",
            WrittenResolutionContext,
            _written,
            True,
            "resolution id",
        ),
        Kind("minutes", "minutes/general_meeting", MinutesContext, _minutes, True, "meeting id"),
        Kind(
            "resolution-copy",
            "resolutions/certified_copy",
            ResolutionCopyContext,
            _copy,
            True,
            "resolution id",
        ),
        Kind(
            "invoice",
            "invoices/invoice",
            InvoiceContext,
            _invoice,
            True,
            "invoice number (PLV-2026-0001)",
        ),
        Kind(
            "credit-note",
            "invoices/credit_note",
            CreditNoteContext,
            _credit,
            True,
            "credit note number (CN-2026-0001)",
        ),
        Kind(
            "subscription-notice",
            "letters/subscription_notice",
            SubscriptionNoticeContext,
            _subscription,
            False,
            "member (omit for a letter to every member)",
        ),
    ]
