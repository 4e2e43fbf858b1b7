"""Billing's papers: what a printed invoice, credit note, subscription notice and reminder say.

Each builder gathers one record's facts into a typed dataclass, which ``plvgov render`` puts in
the kind's template context (``plvgov.documents.billing``) and ``invoice show`` prints. An
invoice prints the working it froze at issue, never today's: a CPI revised since, or a scheme
recorded since, does not change a paper already sent. The notice and the invoice show the same
:class:`~plvgov.billing.schemes.Working`, so the two always explain an amount alike.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from plvgov import settings, settings_catalogue
from plvgov.billing.accounts import credits_of, get, get_credit_note, payments_of, view, views_of
from plvgov.billing.issuing import po_for, po_of
from plvgov.billing.reminders import FINAL, STAGES, balance_then, next_due, reminders_of
from plvgov.billing.schemes import Working, active_days, part_year_reasons, pro_rata, rate
from plvgov.dates import FinancialYear, uk_date
from plvgov.errors import NotFound, RuleError
from plvgov.membership import members
from plvgov.membership.particulars import Particulars, particulars_on
from plvgov.models.accounts import CreditNote
from plvgov.models.billing import Invoice
from plvgov.models.members import Member
from plvgov.money import from_pence
from plvgov.values import dataclass


# -- how to pay ------------------------------------------------------------------------------
@dataclass(frozen=True)
class PayTo:
    """How a council pays the company and whom it asks about a paper: the company facts
    :data:`~plvgov.settings_catalogue.PAYMENT_FACTS`. A fact not recorded is None and the paper
    leaves its line out; ``plvgov check`` names it while members are liable."""

    account_name: str | None  # the bank account's name
    sort_code: str | None  # "60-00-01"
    account_number: str | None  # "12345678"
    remittance_email: str | None  # where to send the remittance advice
    finance_contact: str | None  # whom to ask about the invoice

    @property
    def bank(self) -> bool:
        """True when the paper can print the bank account to pay into."""
        return bool(self.account_name and self.sort_code and self.account_number)


def pay_to(session: Session) -> PayTo:
    """The company's payment details as recorded now (a paper is printed with today's)."""
    return PayTo(*(settings.fact(session, key) or None for key in settings_catalogue.PAYMENT_FACTS))


def addressee(session: Session, member_id: int, on: date) -> Particulars:
    member = session.get(Member, member_id)
    assert member is not None  # an invoice's member is on the ledger
    return particulars_on(session, member, on)


# -- invoice ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PaymentLine:
    """A payment received against an invoice."""

    id: int
    paid_on: date
    amount: Decimal
    reference: str | None  # the remittance reference


@dataclass(frozen=True)
class CreditLine:
    """A credit note issued against an invoice."""

    id: int
    number: str  # "CN-2026-0001"
    issued_on: date
    amount: Decimal  # gross
    reason: str


@dataclass(frozen=True, kw_only=True)
class InvoiceDocument(Working):
    """Everything a printed invoice needs (the template's ``invoice``): the invoice as issued,
    its working as frozen at issue (the :class:`Working` fields), and what has been paid and
    credited by the day it is printed."""

    number: str  # "PLV-2026-0001"
    year: str  # the financial year, "2026/27"
    issued_on: date
    due_on: date
    member: str  # the member's name in the ledger
    council_name: str  # its legal name, whom the invoice is addressed to
    address: str | None
    gss_code: str | None
    po_number: str | None  # on the invoice, else the one recorded since
    description: str  # "Annual subscription 2026/27 (1 April 2026 to 31 March 2027)"
    net: Decimal
    vat_rate: str  # percent, "0"
    vat: Decimal
    gross: Decimal
    vat_treatment: str  # "outside the scope of VAT"
    days: int  # days of the year invoiced (fewer than days_in_year for a part year)
    days_in_year: int
    paid: Decimal
    credited: Decimal
    balance: Decimal
    status: str  # unpaid, part-paid, overdue, paid or credited
    payments: list[PaymentLine]
    credit_notes: list[CreditLine]
    pay_to: PayTo  # the bank account to pay into, where to send remittance, whom to ask
    kind: str = "subscription"  # or "contribution": a member's share of a deficit

    @property
    def scheme_authority(self) -> str:
        """The authority, under the name invoices have always printed it."""
        return self.authority

    def as_json(self) -> dict[str, object]:
        """``invoice show --json``: the invoice's facts with its working in their place."""
        return {name: getattr(self, name) for name in _INVOICE_JSON}


#: ``invoice show --json``'s keys, in order (the working sits among the invoice's own facts).
_INVOICE_JSON = (
    "number",
    "kind",
    "year",
    "issued_on",
    "due_on",
    "member",
    "council_name",
    "address",
    "gss_code",
    "po_number",
    "description",
    "net",
    "vat_rate",
    "vat",
    "gross",
    "vat_treatment",
    "full_year_amount",
    "indexed",
    "series",
    "base_month",
    "base_index",
    "reference_month",
    "reference_index",
    "factor",
    "scheme_authority",
    "days",
    "days_in_year",
    "paid",
    "credited",
    "balance",
    "status",
    "payments",
    "credit_notes",
)


def frozen_working(invoice: Invoice) -> Working:
    """The working ``invoice`` froze when it was issued."""
    return Working(
        full_year_amount=from_pence(invoice.full_year_pence),
        indexed=invoice.indexed,
        series=invoice.series,
        base_month=invoice.base_month,
        base_index=invoice.base_index,
        reference_month=invoice.reference_month,
        reference_index=invoice.reference_index,
        factor=invoice.factor,
        authority=invoice.scheme_authority,
    )


def invoice_document(session: Session, number: str, at: date | None = None) -> InvoiceDocument:
    """The printed invoice ``number`` (PO from the invoice, else the one recorded since), with
    what was paid and credited by ``at``."""
    inv = get(session, number)
    v = view(session, inv, at)
    # an invoice issued before the register held an address: the one in force on its date
    address = inv.address or addressee(session, inv.member_id, inv.issued_on).address
    return InvoiceDocument(
        **frozen_working(inv).working_fields(),
        number=inv.number,
        year=v.year,
        issued_on=inv.issued_on,
        due_on=inv.due_on,
        member=inv.member_name,
        council_name=inv.council_name,
        address=address,
        gss_code=inv.gss_code,
        po_number=po_of(session, inv),
        description=inv.description,
        net=from_pence(inv.net_pence),
        vat_rate=inv.vat_rate,
        vat=from_pence(inv.vat_pence),
        gross=from_pence(inv.gross_pence),
        vat_treatment=inv.vat_treatment,
        days=inv.days,
        days_in_year=inv.days_in_year,
        paid=v.paid,
        credited=v.credited,
        balance=v.balance,
        status=v.status,
        payments=[
            PaymentLine(_id(p.id), p.paid_on, from_pence(p.amount_pence), p.reference)
            for p in payments_of(session, inv)
        ],
        credit_notes=[
            CreditLine(_id(c.id), c.number, c.issued_on, from_pence(c.amount_pence), c.reason)
            for c in credits_of(session, inv)
        ],
        pay_to=pay_to(session),
        kind=inv.kind,
    )


def _id(value: int | None) -> int:
    assert value is not None  # read from the ledger
    return value


# -- a year's papers ------------------------------------------------------------------------
def numbers_of_year(session: Session, fy: FinancialYear) -> tuple[list[str], list[str]]:
    """The numbers of the invoices and of the credit notes numbered in ``fy`` (PLV-2026-…,
    CN-2026-…), each in the order they were issued: the papers of a year's accounts."""
    invoices = session.exec(
        select(Invoice.number)
        .where(Invoice.financial_year == fy.start_year)
        .order_by(col(Invoice.sequence))
    ).all()
    notes = session.exec(
        select(CreditNote.number)
        .where(CreditNote.financial_year == fy.start_year)
        .order_by(col(CreditNote.sequence))
    ).all()
    return list(invoices), list(notes)


# -- credit note -----------------------------------------------------------------------------
@dataclass(frozen=True)
class CreditNoteDocument:
    """Everything a printed credit note needs (the template's ``credit_note``)."""

    number: str  # "CN-2026-0001"
    year: str  # the invoice's financial year, "2026/27"
    issued_on: date
    invoice_number: str
    invoice_issued_on: date
    member: str
    council_name: str
    address: str | None
    gss_code: str | None
    po_number: str | None  # the invoice's
    reason: str
    net: Decimal
    vat_rate: str  # percent, the invoice's
    vat: Decimal
    gross: Decimal
    vat_treatment: str
    invoice_balance: Decimal  # the invoice's balance after all credits and payments
    pay_to: PayTo  # the account, remittance address and contact, as on the invoice


def credit_note_document(session: Session, number: str) -> CreditNoteDocument:
    """The printed credit note ``number``."""
    note = get_credit_note(session, number)
    inv = session.get(Invoice, note.invoice_id)
    assert inv is not None
    return CreditNoteDocument(
        note.number,
        FinancialYear(note.financial_year).label,
        note.issued_on,
        inv.number,
        inv.issued_on,
        inv.member_name,
        inv.council_name,
        inv.address or addressee(session, inv.member_id, inv.issued_on).address,
        inv.gss_code,
        po_of(session, inv),
        note.reason,
        from_pence(note.net_pence),
        inv.vat_rate,
        from_pence(note.vat_pence),
        from_pence(note.amount_pence),
        inv.vat_treatment,
        view(session, inv).balance,
        pay_to(session),
    )


# -- subscription notice ---------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class SubscriptionNotice(Working):
    """Everything the annual subscription notice to one member needs (one of the template's
    ``notices``): the coming FY's full-year amount and its working (the :class:`Working`
    fields), and what the member will be invoiced."""

    year: str  # the FY noticed, "2027/28"
    notice_by: date  # subscription_notice_day before the FY
    member: str
    council_name: str
    gss_code: str | None
    address: str | None
    base_amount: Decimal  # the scheme's amount before uprating
    days: int  # days of the FY the member will be liable for
    days_in_year: int
    part_year: bool
    amount: Decimal  # what the member will be invoiced (pro rata when part_year)
    reason: str | None  # why a part year (or nothing): the launch, its admission, its cessation
    launch_date: date | None
    admitted_on: date  # the day the member entered the register
    ceased_on: date | None  # its last day as a member, when known
    starts_on: date
    ends_on: date
    po_number: str | None  # the council's purchase order for the year, once recorded
    pay_to: PayTo  # the account the invoice will ask it to pay into, and whom to ask


def subscription_notice_document(
    session: Session, fy: FinancialYear | str, member: Member | str, on: date | None = None
) -> SubscriptionNotice:
    """The annual subscription notice for ``fy`` (the coming FY) to ``member``: the full-year
    amount and its working, and the member's part-year days if it will not be liable all
    year, with the reason (the launch, its admission, its cessation). Refuses a council that
    is not a member, a former member (one that ceased before the year) and a missing CPI
    month. The letter is addressed as the register stands on ``on`` (its date; by default the
    day the notice is due)."""
    year = fy if isinstance(fy, FinancialYear) else FinancialYear.parse(fy)
    m = member if isinstance(member, Member) else members.find(session, member)
    if m.admitted_on is None:
        raise NotFound(f"{m.name} is not a member; a subscription notice goes to members")
    if m.ceased_on is not None and m.ceased_on < year.starts_on:
        raise RuleError(
            f"{m.name} ceased to be a member on {uk_date(m.ceased_on)}, before {year.label}; "
            "a former member gets no subscription notice"
        )
    rated = rate(session, year)
    launch = settings.fact(session, "launch_date")
    days = active_days(m, year, launch)
    reasons = part_year_reasons(m, year, launch)
    day = settings.get(session, "subscription_notice_day", year.starts_on)
    month, dom = (int(x) for x in str(day).split("-"))
    notice_by = date(year.start_year - 1 if month >= 4 else year.start_year, month, dom)
    to = particulars_on(session, m, on or notice_by)
    assert m.id is not None  # read from the ledger
    return SubscriptionNotice(
        **rated.working.working_fields(),
        year=year.label,
        notice_by=notice_by,
        member=m.name,
        council_name=to.name,
        gss_code=m.gss_code,
        address=to.address,
        base_amount=rated.scheme.base_amount,
        days=days,
        days_in_year=year.days,
        part_year=days < year.days,
        amount=pro_rata(rated.exact, days, year.days),
        reason="; ".join(reasons) or None,
        launch_date=launch,
        admitted_on=m.admitted_on,
        ceased_on=m.ceased_on,
        starts_on=year.starts_on,
        ends_on=year.ends_on,
        po_number=po_for(session, m.id, year.start_year),
        pay_to=pay_to(session),
    )


# -- a reminder of an overdue invoice -------------------------------------------------------------
@dataclass(frozen=True)
class ReminderLetter:
    """Everything a printed reminder needs (the template's ``reminder``): the invoice, what was
    paid and credited against it by the letter's date, what is still owed and how to pay."""

    stage: str  # "first" or "final"
    issued: bool  # recorded as issued (a copy), or the reminder due and not yet recorded
    on: date  # the letter's date: the day it was (or is to be) issued
    first_on: date | None  # the final's: the day the first reminder was issued
    number: str  # the invoice, "PLV-2026-0002"
    year: str  # its financial year, "2026/27"
    description: str
    invoice_on: date  # the invoice's date
    due_on: date
    days_overdue: int  # on the letter's date
    council_name: str  # whom the letter is addressed to
    address: str | None
    gss_code: str | None
    po_number: str | None
    gross: Decimal  # the invoice's total
    paid: Decimal  # by the letter's date
    credited: Decimal
    balance: Decimal  # what the letter asks for
    pay_to: PayTo  # the account to pay into, where to send remittance, whom to call


def reminder_letter(session: Session, number: str, at: date) -> ReminderLetter:
    """The reminder for invoice ``number`` on ``at``: the stage due then (not yet issued),
    else a copy of the last one issued by then, as it was on its day. Writes nothing.
    Refuses, as :func:`next_due` does, an invoice for which neither exists."""
    invoice = get(session, number)
    sent = sorted(
        (r for r in reminders_of(session, invoice).values() if r.issued_on <= at),
        key=lambda r: STAGES.index(r.stage),
    )
    try:
        _, stage, _falls_due_on, balance = next_due(session, number, at)
        on, issued = at, False
    except RuleError:
        if not sent:
            raise
        stage, on, balance, issued = (
            sent[-1].stage,
            sent[-1].issued_on,
            balance_then(sent[-1]),
            True,
        )
    v = views_of(session, [invoice], on)[0]
    to = addressee(session, invoice.member_id, on)  # the register as it stands on its date
    return ReminderLetter(
        stage=stage,
        issued=issued,
        on=on,
        first_on=sent[0].issued_on if stage == FINAL else None,
        number=invoice.number,
        year=v.year,
        description=invoice.description,
        invoice_on=invoice.issued_on,
        due_on=invoice.due_on,
        days_overdue=(on - invoice.due_on).days,
        council_name=to.name,
        address=to.address or invoice.address,
        gss_code=invoice.gss_code,
        po_number=po_of(session, invoice),
        gross=v.amount,
        paid=v.paid,
        credited=v.credited,
        balance=balance,
        pay_to=pay_to(session),
    )
