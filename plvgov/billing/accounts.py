"""Invoices after issue: their balances and status, payments, credit notes, arrears,
statements and the year's summary.

An issued invoice is never edited: a payment (possibly partial, never more than the balance:
nothing is held on account) or a credit note (``CN-2026-0001``, numbered like invoices in its
own sequence, :mod:`plvgov.billing.issuing`) changes what is outstanding. What was paid and
credited is always summed from those rows, as of a date, never stored.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from plvgov import audit, settings
from plvgov.billing import schemes
from plvgov.billing.numbering import claim_numbers, format_number, next_sequence
from plvgov.dates import Deadline, FinancialYear, require_past
from plvgov.errors import InputError, NotFound, RuleError
from plvgov.models.accounts import CreditNote, Payment
from plvgov.models.billing import Invoice
from plvgov.models.members import Member
from plvgov.money import ZERO, format_gbp, from_pence, round_pounds, to_pence
from plvgov.values import dataclass

UNPAID, PART_PAID, PAID, CREDITED, OVERDUE = "unpaid", "part-paid", "paid", "credited", "overdue"


# -- reading invoices ------------------------------------------------------------------------
def get(session: Session, number: str) -> Invoice:
    wanted = number.strip().upper()
    invoice = session.exec(select(Invoice).where(Invoice.number == wanted)).first()
    if invoice is None:
        raise NotFound(f"no invoice {number!r}; `plvgov invoice list` shows the invoices")
    return invoice


@dataclass
class InvoiceView:
    """An invoice as its account stands on a date: paid, credited, the balance and its
    status."""

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
    kind: str = "subscription"  # or "contribution" to a deficit

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


def _changes(session: Session, ids: list[int]) -> dict[int, int]:
    """How many payments and credit notes each invoice of ``ids`` has."""
    counts: dict[int, int] = {}
    for model in (Payment, CreditNote):
        for chunk in range(0, len(ids), 500):
            stmt = (
                select(model.invoice_id, func.count())
                .where(col(model.invoice_id).in_(ids[chunk : chunk + 500]))
                .group_by(col(model.invoice_id))
            )
            for i, n in session.exec(stmt):  # type: ignore[call-overload]
                counts[i] = counts.get(i, 0) + int(n)
    return counts


def status_of(gross: Decimal, paid: Decimal, credited: Decimal, due_on: date, at: date) -> str:
    """unpaid, part-paid, overdue (a balance after the due date), paid, or credited."""
    balance = gross - paid - credited
    if balance <= 0:
        return CREDITED if credited > 0 and paid == 0 else PAID
    if at > due_on:
        return OVERDUE
    return PART_PAID if paid > 0 or credited > 0 else UNPAID


def views_of(session: Session, invoices: list[Invoice], at: date | None) -> list[InvoiceView]:
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
                inv.kind,
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
    return views_of(session, rows, at)


def view(session: Session, invoice: Invoice, at: date | None = None) -> InvoiceView:
    return views_of(session, [invoice], at)[0]


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
    sequence = next_sequence(session, CreditNote, invoice.financial_year)
    assert invoice.id is not None
    number = format_number(prefix, invoice.financial_year, sequence)
    claim_numbers(session, "credit_note", [number])
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
    """An invoice with a balance past its due date, and by how many days."""

    member: str
    gss_code: str | None
    number: str
    year: str
    due_on: date
    balance: Decimal
    days_overdue: int


class Arrears(list[Arrear]):
    """Invoices in arrears, most overdue first (a list of :class:`Arrear`), and what they come
    to: ``invoice arrears`` and the board pack print the same total."""

    @property
    def total(self) -> Decimal:
        return sum((a.balance for a in self), ZERO)


def arrears(session: Session, at: date) -> Arrears:
    """Invoices with a balance after their due date, as of ``at``, most overdue first."""
    rows = list(session.exec(select(Invoice).where(col(Invoice.due_on) < at)))
    found = [
        Arrear(v.member, v.gss_code, v.number, v.year, v.due_on, v.balance, (at - v.due_on).days)
        for v in views_of(session, rows, at)
        if v.balance > 0
    ]
    return Arrears(sorted(found, key=lambda a: (a.due_on, a.number)))


@dataclass(frozen=True)
class StatementLine:
    """One line of a statement of account: an invoice, payment or credit note, with the running
    balance."""

    on: date
    kind: str  # "invoice", "payment", "credit note"
    reference: str
    detail: str
    debit: Decimal
    credit: Decimal
    balance: Decimal  # running balance after this line


@dataclass(frozen=True)
class Statement:
    """A member's statement of account on a date: every line and the balance."""

    member: str
    gss_code: str | None
    at: date
    lines: list[StatementLine]
    balance: Decimal

    def as_json(self) -> dict[str, object]:
        return {
            "member": self.member,
            "gss_code": self.gss_code,
            "at": self.at,
            "balance": self.balance,
            "lines": self.lines,
        }


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
    views = views_of(session, rows, at)
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
    launch date is set. A paid (or credited) invoice's due date comes back ``cancelled``, so
    a calendar that has it removes it; its ``revision`` counts the payments and credit notes
    recorded against the invoice, so it rises with each."""
    found = []
    rows = list(
        session.exec(
            select(Invoice).where(col(Invoice.due_on) >= start, col(Invoice.due_on) <= end)
        )
    )
    changes = _changes(session, [r.id for r in rows if r.id is not None])
    for v in views_of(session, rows, None):
        found.append(
            Deadline(
                v.due_on,
                "invoice_due",
                v.member,
                f"Invoice {v.number} ({format_gbp(v.balance)} outstanding) is due."
                if v.balance > 0
                else f"Invoice {v.number} is {v.status}; nothing is due.",
                "settings: invoice_due_days",
                outstanding=v.balance > 0,  # listed only while unpaid
                cancelled=v.balance <= 0,
                revision=changes.get(v.id, 0),
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
