"""Invoices: the annual run, numbering, payments, credit notes, arrears, statements, export.

One invoice per member and FY, never two (UNIQUE(member_id, financial_year)); numbers
``PLV-2026-0001`` are contiguous within the FY, allocated inside the write transaction as the
FY's highest sequence + 1 (writers are serialised by ``Ledger.write``; UNIQUE(number) is the
backstop). A run is one transaction, planned and issued inside it, with one audit event per
thousand invoices: it is issued whole or not at all, so a run killed part-way leaves nothing
and the next run issues it all. An issued invoice is never edited: corrections are credit
notes (``CN-2026-0001``, their own sequence).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from plvgov import audit, checkpoints, settings
from plvgov.billing import schemes
from plvgov.dates import FinancialYear, require_past, uk_date
from plvgov.db import bulk_insert
from plvgov.errors import InputError, NotFound, RuleError
from plvgov.membership.members import Tenure
from plvgov.models.billing import CreditNote, DocumentNumber, Invoice, Payment, PurchaseOrder
from plvgov.models.members import Member
from plvgov.money import format_gbp, from_pence, round_pounds, to_pence

if TYPE_CHECKING:
    from plvgov.dates import Deadline
    from plvgov.db import Ledger

ZERO = Decimal("0.00")
UNPAID, PART_PAID, PAID, CREDITED, OVERDUE = "unpaid", "part-paid", "paid", "credited", "overdue"


# -- numbering --------------------------------------------------------------------------------
def _next_sequence(session: Session, model: type[Invoice] | type[CreditNote], fy: int) -> int:
    # Inside the write transaction: writers are serialised, so max + 1 is ours alone.
    highest = session.exec(select(func.max(model.sequence)).where(model.financial_year == fy)).one()
    return int(highest or 0) + 1


def format_number(prefix: str, fy: int, sequence: int) -> str:
    """``PLV-2026-0001``."""
    return f"{prefix}-{fy}-{sequence:04d}"


def _claim_numbers(session: Session, kind: str, numbers: Sequence[str]) -> None:
    """Enter ``numbers`` (one prefix and FY) in the register of document numbers, refusing
    any already used by the other kind of document; the register's primary key is the
    database's own backstop."""
    if not numbers:
        return
    table = DocumentNumber.__table__  # type: ignore[attr-defined]
    stem = numbers[0].rsplit("-", 1)[0] + "-"
    others = set(
        session.connection()
        .execute(
            sa_select(table.c.number).where(
                table.c.kind != kind, table.c.number.startswith(stem, autoescape=True)
            )
        )
        .scalars()
    )
    clash = next((n for n in numbers if n in others), None)
    if clash is not None:
        other = "a credit note" if kind == "invoice" else "an invoice"
        raise RuleError(
            f"{clash} is already the number of {other}; invoice_prefix and "
            "credit_note_prefix must differ (see `plvgov settings show`)"
        )
    bulk_insert(session, table, ("number",), [[n] for n in numbers], same={"kind": kind})


# -- purchase orders --------------------------------------------------------------------------
def record_po(session: Session, member: Member, fy: FinancialYear, number: str) -> PurchaseOrder:
    """Record (or replace) a council's purchase-order number for its invoice for ``fy``; an
    invoice not yet issued prints it."""
    number = number.strip()
    if not number:
        raise InputError("give the purchase-order number with --number")
    issued = find_for(session, member, fy)
    if issued is not None and issued.po_number and issued.po_number != number:
        raise RuleError(
            f"invoice {issued.number} was issued with PO {issued.po_number}; an "
            "issued invoice is never edited — credit it and re-invoice"
        )
    row = session.exec(
        select(PurchaseOrder).where(
            PurchaseOrder.member_id == member.id, PurchaseOrder.financial_year == fy.start_year
        )
    ).first()
    if row is None:
        assert member.id is not None
        row = PurchaseOrder(member_id=member.id, financial_year=fy.start_year, number=number)
    row.number = number
    session.add(row)
    audit.record(session, "invoice.po", f"{member.name} {fy.label}", [row], {"number": number})
    return row


def po_for(session: Session, member_id: int, fy: int) -> str | None:
    row = session.exec(
        select(PurchaseOrder).where(
            PurchaseOrder.member_id == member_id, PurchaseOrder.financial_year == fy
        )
    ).first()
    return None if row is None else row.number


# -- the run ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunPlan:
    """What an invoice run for ``year`` would issue now, and what already exists."""

    year: FinancialYear
    quote: schemes.Quote
    to_issue: list[schemes.QuoteLine]
    existing: list[str]  # numbers already issued for the year
    payers: dict[int, schemes.Payer] = field(repr=False)  # every member, by id
    purchase_orders: dict[int, str] = field(repr=False)  # the year's PO numbers, by member id

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.to_issue), ZERO)


def find_for(session: Session, member: Member, fy: FinancialYear) -> Invoice | None:
    return session.exec(
        select(Invoice).where(
            Invoice.member_id == member.id, Invoice.financial_year == fy.start_year
        )
    ).first()


def plan_run(session: Session, fy: FinancialYear) -> RunPlan:
    """The run for ``fy``: one invoice for each member liable for a day of it, except those
    already invoiced. Refuses before launch or without the CPI months it needs."""
    if settings.fact(session, "launch_date") is None:
        # PRODUCT.md: the subscription is payable only once the provision has launched.
        raise RuleError(
            f"the provision has not launched, so nothing is payable for "
            f"{fy.label}; {schemes.LAUNCH_HINT}"
        )
    everyone = schemes.payers(session)
    q = schemes.quote(session, fy, among=everyone)
    issued = dict(
        session.exec(
            select(Invoice.member_id, Invoice.number).where(Invoice.financial_year == fy.start_year)
        ).all()
    )
    todo = [line for line in q.lines if line.member_id not in issued and line.amount > 0]
    return RunPlan(
        fy,
        q,
        todo,
        sorted(issued.values()),
        {p.id: p for p in everyone},
        _purchase_orders(session, fy),
    )


def _purchase_orders(
    session: Session, fy: FinancialYear, member_ids: list[int] | None = None
) -> dict[int, str]:
    stmt = select(PurchaseOrder.member_id, PurchaseOrder.number).where(
        PurchaseOrder.financial_year == fy.start_year
    )
    if member_ids is not None:
        stmt = stmt.where(col(PurchaseOrder.member_id).in_(member_ids))
    return dict(session.exec(stmt).all())


@dataclass(frozen=True)
class IssueTerms:
    """What every invoice of one run shares: the working and the settings on the issue date."""

    year: FinancialYear
    issued_on: date
    working: schemes.Rate
    launch: date
    due_days: int
    vat_rate: Decimal
    vat_treatment: str
    prefix: str


def issue_terms(
    session: Session,
    fy: FinancialYear,
    issued_on: date,
    working: schemes.Rate | None = None,
    *,
    today: date | None = None,
) -> IssueTerms:
    """The terms invoices for ``fy`` issued on ``issued_on`` share; refuses before launch and
    an issue date after ``today`` (an invoice is dated the day it is issued)."""
    require_past(issued_on, today, "the issue date", "issue invoices on the day they go out")
    launch = settings.fact(session, "launch_date")
    if launch is None:
        raise RuleError(f"the provision has not launched; {schemes.LAUNCH_HINT}")
    return IssueTerms(
        fy,
        issued_on,
        working or schemes.rate(session, fy),
        launch,
        settings.get(session, "invoice_due_days", issued_on),
        Decimal(settings.get(session, "vat_rate", issued_on)),
        str(settings.get(session, "vat_treatment", issued_on)),
        str(settings.get(session, "invoice_prefix", issued_on)),
    )


class Issued(NamedTuple):
    """An invoice just issued, as a run reports it."""

    id: int
    number: str
    member_id: int
    gross: Decimal


def issue(
    session: Session,
    fy: FinancialYear,
    member_ids: Iterable[int],
    issued_on: date,
    working: schemes.Rate | None = None,
    *,
    today: date | None = None,
) -> list[Issued]:
    """Issue ``fy``'s invoice to each member named that has none yet, with one audit event;
    returns the invoices created (none for a member already invoiced, or owing nothing)."""
    terms = issue_terms(session, fy, issued_on, working, today=today)
    wanted = list(dict.fromkeys(member_ids))
    found = {p.id: p for p in schemes.payers(session, wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(f"no member with id {missing[0]}")
    invoiced = set(
        session.exec(
            select(Invoice.member_id).where(
                Invoice.financial_year == fy.start_year, col(Invoice.member_id).in_(wanted)
            )
        )
    )
    owing = [
        (found[i], schemes.active_days(found[i], fy, terms.launch))
        for i in wanted
        if i not in invoiced
    ]
    return _issue(session, terms, owing, _purchase_orders(session, fy, wanted))


#: An invoice's own columns, in the order :func:`_issue` builds them; the rest it shares with
#: every invoice issued on the same terms (:func:`_shared_columns`), and its id comes last.
_OWN_COLUMNS = (
    "number",
    "sequence",
    "member_id",
    "member_name",
    "council_name",
    "gss_code",
    "address",
    "po_number",
    "description",
    "days",
    "net_pence",
    "vat_pence",
    "gross_pence",
)
_NUMBER, _SEQUENCE, _MEMBER_ID, _DAYS = (
    _OWN_COLUMNS.index(c) for c in ("number", "sequence", "member_id", "days")
)


def _issue(
    session: Session,
    terms: IssueTerms,
    owing: Sequence[tuple[schemes.Payer, int]],
    purchase_orders: Mapping[int, str],
) -> list[Issued]:
    """Issue ``terms.year``'s invoice to each payer of ``owing`` (none yet invoiced) for its
    days of the year, if that comes to something, numbered on from the year's last, with one
    audit event.

    Each invoice is one row of values: inserted in bulk, then (with its id) its after-image,
    so that a run over thousands of members builds no ORM objects."""
    fy = terms.year
    first = sequence = _next_sequence(session, Invoice, fy.start_year)
    amounts: dict[int, tuple[int, int, int]] = {}  # by days: most owe for the whole year
    grosses: dict[int, Decimal] = {}
    described: dict[tuple[date | None, date | None], str] = {}
    rows: list[list[Any]] = []
    for payer, days in owing:
        if days not in amounts:
            amounts[days] = _amounts(terms, days)
            grosses[days] = from_pence(amounts[days][2])
        if amounts[days][0] <= 0:
            continue
        tenure = (payer.admitted_on, payer.ceased_on)
        if tenure not in described:
            described[tenure] = _description(fy, payer, terms.launch, days)
        rows.append(
            [
                format_number(terms.prefix, fy.start_year, sequence),
                sequence,
                payer.id,
                payer.name,
                payer.council_name,
                payer.gss_code,
                payer.address,
                purchase_orders.get(payer.id),
                described[tenure],
                days,
                *amounts[days],
            ]
        )
        sequence += 1
    if not rows:
        return []
    shared = _shared_columns(terms)
    table = Invoice.__table__  # type: ignore[attr-defined]
    _claim_numbers(session, "invoice", [row[_NUMBER] for row in rows])
    bulk_insert(session, table, _OWN_COLUMNS, rows, same=shared)
    # Writers are serialised, so the sequences just allocated are this transaction's alone.
    ids: dict[int, int] = dict(
        session.connection()
        .execute(
            sa_select(table.c.sequence, table.c.id).where(
                table.c.financial_year == fy.start_year, table.c.sequence >= first
            )
        )
        .all()
    )
    for row in rows:
        row.append(ids[row[_SEQUENCE]])
    audit.record(
        session,
        "invoice.issue",
        rows[0][_NUMBER] if len(rows) == 1 else f"{rows[0][_NUMBER]} to {rows[-1][_NUMBER]}",
        details={"year": fy.label, "count": len(rows)},
        tables=[audit.table_image("invoice", (*_OWN_COLUMNS, "id"), rows, same=shared)],
    )
    return [Issued(row[-1], row[_NUMBER], row[_MEMBER_ID], grosses[row[_DAYS]]) for row in rows]


def _shared_columns(terms: IssueTerms) -> dict[str, Any]:
    """The columns every invoice issued on the same terms has in common: the dates and the
    working (scheme, index values, factor), frozen at issue."""
    fy, working, scheme = terms.year, terms.working, terms.working.scheme
    return {
        "financial_year": fy.start_year,
        "issued_on": terms.issued_on,
        "due_on": terms.issued_on + timedelta(days=terms.due_days),
        "days_in_year": fy.days,
        "full_year_pence": to_pence(working.amount),
        "vat_rate": str(terms.vat_rate),
        "vat_treatment": terms.vat_treatment,
        "scheme_id": scheme.id,
        "scheme_authority": scheme.authority,
        "indexed": scheme.indexed,
        "series": scheme.series,
        "base_month": scheme.base_month,
        "base_index": _s(working.base_index),
        "reference_month": working.reference_month,
        "reference_index": _s(working.reference_index),
        "factor": working.factor,
    }


def _amounts(terms: IssueTerms, days: int) -> tuple[int, int, int]:
    """Net, VAT and gross pence for ``days`` of the year: pro rata, each rounded once, half
    up (in :data:`_OWN_COLUMNS` order)."""
    net = schemes.pro_rata(terms.working.exact, days, terms.year.days)
    vat = round_pounds(net * terms.vat_rate / 100)
    return to_pence(net), to_pence(vat), to_pence(net + vat)


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _description(fy: FinancialYear, member: Tenure, launch: date, days: int) -> str:
    if days == fy.days:
        return f"Annual subscription {fy.label} ({uk_date(fy.starts_on)} to {uk_date(fy.ends_on)})"
    first = max(fy.starts_on, launch, member.admitted_on or fy.starts_on)
    last = min(fy.ends_on, member.ceased_on or fy.ends_on)
    return (
        f"Subscription {fy.label}, part year: {days} of {fy.days} days "
        f"({uk_date(first)} to {uk_date(last)})"
    )


#: Invoices per audit event in a run: events (and the memory a run holds) stay bounded.
RUN_CHUNK = 1000


@dataclass(frozen=True)
class RunOutcome:
    """What a run issued, and how many of the year's invoices existed before it."""

    year: FinancialYear
    created: list[Issued]
    existing: int

    @property
    def total(self) -> Decimal:
        return sum((i.gross for i in self.created), ZERO)

    def as_json(self) -> dict[str, object]:
        return {
            "year": self.year.label,
            "created": len(self.created),
            "existing": self.existing,
            "total": self.total,
            "numbers": [i.number for i in self.created],
        }


def run(
    ledger: Ledger,
    fy: FinancialYear,
    issued_on: date,
    command: str,
    *,
    chunk: int = RUN_CHUNK,
    after_chunk: Callable[[int], None] | None = None,
    today: date | None = None,
) -> RunOutcome:
    """The invoice run for ``fy``: plans it and issues every invoice in one write
    transaction, so a run is issued whole or not at all — a run killed part-way leaves
    nothing, and the next run issues it all. Planning inside the transaction means two runs
    at once cannot both issue an invoice: the second finds the first's.

    Unlike the domain functions that take a session, the run owns its transaction. It writes
    one audit event per ``chunk`` invoices; ``after_chunk(count)`` is called after each (a
    progress bar), before the commit. An issue date after ``today`` is refused."""
    require_past(issued_on, today, "the issue date", "issue invoices on the day they go out")
    with ledger.write(command) as session:
        plan = plan_run(session, fy)
        created: list[Issued] = []
        if plan.to_issue:
            terms = issue_terms(session, fy, issued_on, plan.quote.rate)
            owing = [(plan.payers[line.member_id], line.days) for line in plan.to_issue]
            for start in range(0, len(owing), chunk):
                part = owing[start : start + chunk]
                created += _issue(session, terms, part, plan.purchase_orders)
                if after_chunk is not None:
                    after_chunk(len(part))
            checkpoints.take_if_configured(session)  # a year's invoices, signed as issued
    return RunOutcome(fy, created, len(plan.existing))


# -- reading invoices ------------------------------------------------------------------------
def get(session: Session, number: str) -> Invoice:
    wanted = number.strip().upper()
    invoice = session.exec(select(Invoice).where(Invoice.number == wanted)).first()
    if invoice is None:
        raise NotFound(f"no invoice {number!r}; `plvgov invoice list` shows the invoices")
    return invoice


@dataclass
class InvoiceView:
    id: int
    number: str
    member: str
    gss_code: str | None
    year: str
    amount: Decimal
    issued_on: date
    due_on: date
    paid: Decimal
    credited: Decimal
    balance: Decimal
    status: str
    po_number: str | None

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def _sums(
    session: Session,
    model: type[Payment] | type[CreditNote],
    at: date | None,
    ids: list[int] | None = None,
) -> dict[int, int]:
    stamp = Payment.paid_on if model is Payment else CreditNote.issued_on
    stmt = select(model.invoice_id, func.sum(model.amount_pence)).group_by(col(model.invoice_id))
    if at is not None:
        stmt = stmt.where(col(stamp) <= at)
    if ids is not None:
        stmt = stmt.where(col(model.invoice_id).in_(ids))
    return {i: int(total) for i, total in session.exec(stmt)}  # type: ignore[call-overload]


def status_of(gross: Decimal, paid: Decimal, credited: Decimal, due_on: date, at: date) -> str:
    """unpaid, part-paid, overdue (a balance after the due date), paid, or credited."""
    balance = gross - paid - credited
    if balance <= 0:
        return CREDITED if credited > 0 and paid == 0 else PAID
    if at > due_on:
        return OVERDUE
    return PART_PAID if paid > 0 or credited > 0 else UNPAID


def _views(session: Session, invoices: list[Invoice], at: date | None) -> list[InvoiceView]:
    ids = [i.id for i in invoices if i.id is not None] if len(invoices) < 500 else None
    paid, credited = _sums(session, Payment, at, ids), _sums(session, CreditNote, at, ids)
    views = []
    for inv in invoices:
        assert inv.id is not None
        gross = from_pence(inv.gross_pence)
        p, c = from_pence(paid.get(inv.id, 0)), from_pence(credited.get(inv.id, 0))
        views.append(
            InvoiceView(
                inv.id,
                inv.number,
                inv.member_name,
                inv.gss_code,
                FinancialYear(inv.financial_year).label,
                gross,
                inv.issued_on,
                inv.due_on,
                p,
                c,
                gross - p - c,
                status_of(gross, p, c, inv.due_on, at or date.max),
                inv.po_number,
            )
        )
    return views


def list_invoices(
    session: Session, at: date, fy: FinancialYear | None = None, member: Member | None = None
) -> list[InvoiceView]:
    """Invoices, with what was paid and credited by ``at`` and their status on it."""
    stmt = select(Invoice)
    if fy is not None:
        stmt = stmt.where(Invoice.financial_year == fy.start_year)
    if member is not None:
        stmt = stmt.where(Invoice.member_id == member.id)
    rows = list(session.exec(stmt.order_by(col(Invoice.financial_year), col(Invoice.sequence))))
    return _views(session, rows, at)


def view(session: Session, invoice: Invoice, at: date | None = None) -> InvoiceView:
    return _views(session, [invoice], at)[0]


def payments_of(session: Session, invoice: Invoice) -> list[Payment]:
    return list(
        session.exec(
            select(Payment)
            .where(Payment.invoice_id == invoice.id)
            .order_by(col(Payment.paid_on), col(Payment.id))
        )
    )


def credits_of(session: Session, invoice: Invoice) -> list[CreditNote]:
    return list(
        session.exec(
            select(CreditNote)
            .where(CreditNote.invoice_id == invoice.id)
            .order_by(col(CreditNote.issued_on), col(CreditNote.id))
        )
    )


# -- after issue -------------------------------------------------------------------------------
def pay(
    session: Session,
    number: str,
    amount: Decimal,
    paid_on: date,
    reference: str | None = None,
    *,
    today: date | None = None,
) -> Payment:
    """Record a payment, possibly partial, once received (not dated after ``today``). An
    overpayment is refused: nothing is held on account."""
    invoice = get(session, number)
    if amount <= 0:
        raise InputError(f"a payment must be more than £0.00, not {format_gbp(amount)}")
    require_past(paid_on, today, "the payment date", "record a payment once it has been received")
    if paid_on < invoice.issued_on:
        raise RuleError(
            f"{invoice.number} was issued on {invoice.issued_on}; a payment "
            f"dated {paid_on} is before it — check --date"
        )
    balance = view(session, invoice).balance
    if amount > balance:
        raise RuleError(
            f"{format_gbp(amount)} is more than the {format_gbp(balance)} "
            f"outstanding on {invoice.number}; record at most {format_gbp(balance)}"
            " (an overpayment is refunded outside plvgov)"
        )
    assert invoice.id is not None
    row = Payment(
        invoice_id=invoice.id,
        paid_on=paid_on,
        amount_pence=to_pence(amount),
        reference=(reference or "").strip() or None,
    )
    session.add(row)
    audit.record(
        session,
        "invoice.pay",
        invoice.number,
        [row],
        {"amount": amount, "balance_after": balance - amount},
    )
    return row


def credit(
    session: Session,
    number: str,
    reason: str,
    issued_on: date,
    amount: Decimal | None = None,
    *,
    today: date | None = None,
) -> CreditNote:
    """Issue a credit note against an invoice: by default its whole outstanding balance. It is
    dated the day it is issued, never after ``today``."""
    invoice = get(session, number)
    if not reason.strip():
        raise InputError("give the reason for the credit note with --reason")
    require_past(
        issued_on, today, "the credit note date", "date a credit note the day it is issued"
    )
    if issued_on < invoice.issued_on:
        raise RuleError(
            f"{invoice.number} was issued on {invoice.issued_on}; a credit note "
            f"cannot be dated before it"
        )
    balance = view(session, invoice).balance
    gross = balance if amount is None else amount
    if gross <= 0:
        if amount is None:
            raise RuleError(f"{invoice.number} has nothing outstanding to credit")
        raise InputError(f"a credit must be more than £0.00, not {format_gbp(gross)}")
    if gross > balance:
        raise RuleError(
            f"{format_gbp(gross)} is more than the {format_gbp(balance)} "
            f"outstanding on {invoice.number}; credit at most {format_gbp(balance)}"
        )
    rate = Decimal(invoice.vat_rate)
    net = round_pounds(gross * 100 / (100 + rate))
    prefix = str(settings.get(session, "credit_note_prefix", issued_on))
    sequence = _next_sequence(session, CreditNote, invoice.financial_year)
    assert invoice.id is not None
    number = format_number(prefix, invoice.financial_year, sequence)
    _claim_numbers(session, "credit_note", [number])
    note = CreditNote(
        number=number,
        financial_year=invoice.financial_year,
        sequence=sequence,
        invoice_id=invoice.id,
        issued_on=issued_on,
        reason=reason.strip(),
        net_pence=to_pence(net),
        vat_pence=to_pence(gross - net),
        amount_pence=to_pence(gross),
    )
    session.add(note)
    audit.record(
        session, "invoice.credit", note.number, [note], {"invoice": invoice.number, "amount": gross}
    )
    return note


def get_credit_note(session: Session, number: str) -> CreditNote:
    wanted = number.strip().upper()
    note = session.exec(select(CreditNote).where(CreditNote.number == wanted)).first()
    if note is None:
        raise NotFound(f"no credit note {number!r}; `plvgov invoice show INVOICE` lists them")
    return note


# -- arrears, statements, summaries ---------------------------------------------------------
@dataclass(frozen=True)
class Arrear:
    member: str
    gss_code: str | None
    number: str
    year: str
    due_on: date
    balance: Decimal
    days_overdue: int


def arrears(session: Session, at: date) -> list[Arrear]:
    """Invoices with a balance after their due date, as of ``at``, most overdue first."""
    rows = list(session.exec(select(Invoice).where(col(Invoice.due_on) < at)))
    found = [
        Arrear(v.member, v.gss_code, v.number, v.year, v.due_on, v.balance, (at - v.due_on).days)
        for v in _views(session, rows, at)
        if v.balance > 0
    ]
    return sorted(found, key=lambda a: (a.due_on, a.number))


@dataclass(frozen=True)
class StatementLine:
    on: date
    kind: str  # "invoice", "payment", "credit note"
    reference: str
    detail: str
    debit: Decimal
    credit: Decimal
    balance: Decimal  # running balance after this line


@dataclass(frozen=True)
class Statement:
    member: str
    gss_code: str | None
    at: date
    lines: list[StatementLine]
    balance: Decimal


def statement(session: Session, member: Member, at: date) -> Statement:
    """Every invoice, payment and credit note for ``member`` up to ``at``, with a running
    balance."""
    events: list[tuple[date, int, str, str, str, Decimal, Decimal]] = []
    for inv in session.exec(select(Invoice).where(Invoice.member_id == member.id)):
        if inv.issued_on <= at:
            events.append(
                (
                    inv.issued_on,
                    0,
                    "invoice",
                    inv.number,
                    inv.description,
                    from_pence(inv.gross_pence),
                    ZERO,
                )
            )
        for p in payments_of(session, inv):
            if p.paid_on <= at:
                events.append(
                    (
                        p.paid_on,
                        1,
                        "payment",
                        inv.number,
                        p.reference or "",
                        ZERO,
                        from_pence(p.amount_pence),
                    )
                )
        for c in credits_of(session, inv):
            if c.issued_on <= at:
                events.append(
                    (
                        c.issued_on,
                        2,
                        "credit note",
                        c.number,
                        f"{inv.number}: {c.reason}",
                        ZERO,
                        from_pence(c.amount_pence),
                    )
                )
    running = ZERO
    lines = []
    for on, _order, kind, ref, detail, debit, credit_ in sorted(events):
        running += debit - credit_
        lines.append(StatementLine(on, kind, ref, detail, debit, credit_, running))
    return Statement(member.name, member.gss_code, at, lines, running)


@dataclass(frozen=True)
class YearSummary:
    """Money for one FY, for the board pack."""

    year: str
    invoices: int
    invoiced: Decimal
    paid: Decimal
    credited: Decimal
    outstanding: Decimal
    rows: list[InvoiceView] = field(default_factory=list)


def year_summary(session: Session, fy: FinancialYear, at: date | None = None) -> YearSummary:
    """What ``fy``'s invoices came to, what was paid and credited, and what is outstanding
    (per-member rows in ``rows``)."""
    rows = list(
        session.exec(
            select(Invoice)
            .where(Invoice.financial_year == fy.start_year)
            .order_by(col(Invoice.sequence))
        )
    )
    views = _views(session, rows, at)
    return YearSummary(
        fy.label,
        len(views),
        sum((v.amount for v in views), ZERO),
        sum((v.paid for v in views), ZERO),
        sum((v.credited for v in views), ZERO),
        sum((v.balance for v in views), ZERO),
        views,
    )


def deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """Due dates of invoices not fully paid (``invoice_due``), and each year's subscription
    notice date (``subscription_notice``, setting ``subscription_notice_day``) once the
    launch date is set."""
    from plvgov.dates import Deadline

    found = []
    rows = list(
        session.exec(
            select(Invoice).where(col(Invoice.due_on) >= start, col(Invoice.due_on) <= end)
        )
    )
    for v in _views(session, rows, None):
        if v.balance > 0:
            found.append(
                Deadline(
                    v.due_on,
                    "invoice_due",
                    v.member,
                    f"Invoice {v.number} ({format_gbp(v.balance)} outstanding) is due.",
                    "settings: invoice_due_days",
                )
            )
    launch = settings.fact(session, "launch_date")
    if launch is None:
        return sorted(found)  # nothing is payable before launch, so no notices are due
    first = schemes.base_year(schemes.scheme_for(session, FinancialYear.containing(start)))
    for year in range(start.year, end.year + 1):
        day = str(settings.get(session, "subscription_notice_day", date(year, 1, 1)))
        month, dom = (int(x) for x in day.split("-"))
        on = date(year, month, dom)
        noticed = FinancialYear.containing(on).next()
        if start <= on <= end and noticed >= first and noticed.ends_on >= launch:
            found.append(
                Deadline(
                    on,
                    "subscription_notice",
                    f"Subscription notice for {noticed.label}",
                    f"Send each member its subscription for {noticed.label} "
                    "(September's CPI is published in October).",
                    "settings: subscription_notice_day",
                )
            )
    return sorted(found)


# -- documents ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class InvoiceDocument:
    """Everything a printed invoice needs."""

    number: str
    year: str
    issued_on: date
    due_on: date
    member: str
    council_name: str
    address: str | None
    gss_code: str | None
    po_number: str | None
    description: str
    net: Decimal
    vat_rate: str  # percent
    vat: Decimal
    gross: Decimal
    vat_treatment: str
    full_year_amount: Decimal
    indexed: bool
    series: str | None
    base_month: str | None
    base_index: str | None
    reference_month: str | None
    reference_index: str | None
    factor: str
    scheme_authority: str
    days: int
    days_in_year: int
    paid: Decimal
    credited: Decimal
    balance: Decimal
    status: str
    payments: list[dict[str, object]]
    credit_notes: list[dict[str, object]]


def invoice_document(session: Session, number: str, at: date | None = None) -> InvoiceDocument:
    """The printed invoice ``number`` (PO from the invoice, else the one recorded since)."""
    inv = get(session, number)
    v = view(session, inv, at)
    return InvoiceDocument(
        inv.number,
        v.year,
        inv.issued_on,
        inv.due_on,
        inv.member_name,
        inv.council_name,
        inv.address,
        inv.gss_code,
        inv.po_number or po_for(session, inv.member_id, inv.financial_year),
        inv.description,
        from_pence(inv.net_pence),
        inv.vat_rate,
        from_pence(inv.vat_pence),
        from_pence(inv.gross_pence),
        inv.vat_treatment,
        from_pence(inv.full_year_pence),
        inv.indexed,
        inv.series,
        inv.base_month,
        inv.base_index,
        inv.reference_month,
        inv.reference_index,
        inv.factor,
        inv.scheme_authority,
        inv.days,
        inv.days_in_year,
        v.paid,
        v.credited,
        v.balance,
        v.status,
        [
            {
                "id": p.id,
                "paid_on": p.paid_on,
                "amount": from_pence(p.amount_pence),
                "reference": p.reference,
            }
            for p in payments_of(session, inv)
        ],
        [
            {
                "id": c.id,
                "number": c.number,
                "issued_on": c.issued_on,
                "amount": from_pence(c.amount_pence),
                "reason": c.reason,
            }
            for c in credits_of(session, inv)
        ],
    )


@dataclass(frozen=True)
class CreditNoteDocument:
    """Everything a printed credit note needs."""

    number: str
    year: str
    issued_on: date
    invoice_number: str
    invoice_issued_on: date
    member: str
    council_name: str
    address: str | None
    gss_code: str | None
    po_number: str | None
    reason: str
    net: Decimal
    vat_rate: str
    vat: Decimal
    gross: Decimal
    vat_treatment: str
    invoice_balance: Decimal  # the invoice's balance after all credits and payments


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
        inv.address,
        inv.gss_code,
        inv.po_number or po_for(session, inv.member_id, inv.financial_year),
        note.reason,
        from_pence(note.net_pence),
        inv.vat_rate,
        from_pence(note.vat_pence),
        from_pence(note.amount_pence),
        inv.vat_treatment,
        view(session, inv).balance,
    )


# -- export ------------------------------------------------------------------------------------
EXPORT_COLUMNS = (
    "type",
    "number",
    "invoice",
    "issued_on",
    "due_on",
    "council",
    "gss_code",
    "po_number",
    "net",
    "vat",
    "gross",
    "balance",
)


def export_rows(session: Session, fy: FinancialYear) -> list[dict[str, str]]:
    """One row per invoice and credit note of ``fy`` for the finance system (credit notes
    negative)."""
    rows: list[dict[str, str]] = []
    invoices = list(
        session.exec(
            select(Invoice)
            .where(Invoice.financial_year == fy.start_year)
            .order_by(col(Invoice.sequence))
        )
    )
    balances = {v.number: v.balance for v in _views(session, invoices, None)}
    by_id = {inv.id: inv for inv in invoices}
    for inv in invoices:
        po = inv.po_number or po_for(session, inv.member_id, inv.financial_year) or ""
        rows.append(
            {
                "type": "invoice",
                "number": inv.number,
                "invoice": "",
                "issued_on": inv.issued_on.isoformat(),
                "due_on": inv.due_on.isoformat(),
                "council": inv.council_name,
                "gss_code": inv.gss_code or "",
                "po_number": po,
                "net": _m(inv.net_pence),
                "vat": _m(inv.vat_pence),
                "gross": _m(inv.gross_pence),
                "balance": f"{balances[inv.number]:.2f}",
            }
        )
    notes = session.exec(
        select(CreditNote)
        .where(CreditNote.financial_year == fy.start_year)
        .order_by(col(CreditNote.sequence))
    )
    grouped: dict[int, list[CreditNote]] = defaultdict(list)
    for note in notes:
        grouped[note.invoice_id].append(note)
        inv = by_id[note.invoice_id]
        rows.append(
            {
                "type": "credit_note",
                "number": note.number,
                "invoice": inv.number,
                "issued_on": note.issued_on.isoformat(),
                "due_on": "",
                "council": inv.council_name,
                "gss_code": inv.gss_code or "",
                "po_number": inv.po_number or "",
                "net": _m(-note.net_pence),
                "vat": _m(-note.vat_pence),
                "gross": _m(-note.amount_pence),
                "balance": "",
            }
        )
    return rows


def _m(pence: int) -> str:
    return f"{from_pence(pence):.2f}"


def excel_safe(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula: one starting with =, +, -, @,
    a tab or a carriage return that is not a number gets a leading single quote (OWASP CSV
    injection)."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            Decimal(value)
            return value
        except ArithmeticError:
            return "'" + value
    return value


def write_csv(rows: list[dict[str, str]], path: Path, force: bool = False) -> Path:
    """Write ``rows`` as UTF-8 CSV with a BOM (Excel reads it as UTF-8); refuses to replace an
    existing file unless ``force``, and never writes anything but a regular file."""
    from plvgov.outputs import write_with

    def write(handle: IO[str]) -> None:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for row in rows:
            writer.writerow([excel_safe(row[c]) for c in EXPORT_COLUMNS])

    return write_with(path, write, force=force, encoding="utf-8-sig")
