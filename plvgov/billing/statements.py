"""A member's statement of account as a paper: what it owed at the start of a period, every
invoice, payment and credit note in it with the running balance, what it owes at the end, and
how much of that is overdue.

The lines are :func:`plvgov.billing.accounts.statement`'s (the same as ``member statement``);
the opening balance is their running balance before the period, so opening + invoices −
payments − credits = closing, to the penny. The overdue part is the balance of each invoice
past its due date at the end of the period.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from plvgov.billing.accounts import StatementLine, statement, views_of
from plvgov.billing.papers import PayTo, addressee, pay_to
from plvgov.dates import FinancialYear
from plvgov.errors import InputError, RuleError
from plvgov.models.billing import Invoice
from plvgov.models.members import Member
from plvgov.money import ZERO
from plvgov.values import dataclass


@dataclass(frozen=True)
class OverdueItem:
    """An invoice past its due date with a balance at the end of the statement."""

    number: str
    due_on: date
    days_overdue: int
    balance: Decimal


@dataclass(frozen=True)
class StatementDocument:
    """Everything a printed statement of account needs (the template's ``statement``)."""

    member: str  # the member's name in the ledger
    council_name: str  # its legal name on the statement's last day, whom it is addressed to
    address: str | None
    gss_code: str | None
    from_on: date  # the period, both days included
    to_on: date
    opening_balance: Decimal  # owed at the start of from_on
    lines: list[StatementLine]  # in date order, each with the running balance after it
    invoiced: Decimal  # the period's invoices
    received: Decimal  # its payments
    credited: Decimal  # its credit notes
    closing_balance: Decimal  # owed at the end of to_on
    overdue: Decimal  # the part of closing_balance past its due date
    overdue_items: list[OverdueItem]
    pay_to: PayTo


def default_from(to_on: date) -> date:
    """The first day of the financial year ``to_on`` falls in."""
    return FinancialYear.containing(to_on).starts_on


def statement_document(
    session: Session, member: Member, from_on: date | None, to_on: date
) -> StatementDocument:
    """``member``'s statement of account from ``from_on`` (default: the start of the financial
    year ``to_on`` is in) to ``to_on``, both included."""
    start = from_on or default_from(to_on)
    if start > to_on:
        raise InputError(
            f"--from {start} is after --to {to_on}; the period runs from one to the other"
        )
    if member.admitted_on is None and not _invoiced(session, member):
        raise RuleError(f"{member.name} has never been a member or been invoiced; no statement")
    every = statement(session, member, to_on)
    before = [x for x in every.lines if x.on < start]
    lines = [x for x in every.lines if x.on >= start]
    views = views_of(session, _invoiced(session, member), to_on)
    overdue = [
        OverdueItem(v.number, v.due_on, (to_on - v.due_on).days, v.balance)
        for v in views
        if v.balance > 0 and v.due_on < to_on and v.issued_on <= to_on
    ]
    assert member.id is not None  # read from the ledger
    to = addressee(session, member.id, to_on)
    return StatementDocument(
        member=member.name,
        council_name=to.name,
        address=to.address,
        gss_code=member.gss_code,
        from_on=start,
        to_on=to_on,
        opening_balance=before[-1].balance if before else ZERO,
        lines=lines,
        invoiced=sum((x.debit for x in lines), ZERO),
        received=sum((x.credit for x in lines if x.kind == "payment"), ZERO),
        credited=sum((x.credit for x in lines if x.kind != "payment"), ZERO),
        closing_balance=every.balance,
        overdue=sum((o.balance for o in overdue), ZERO),
        overdue_items=sorted(overdue, key=lambda o: (o.due_on, o.number)),
        pay_to=pay_to(session),
    )


def _invoiced(session: Session, member: Member) -> list[Invoice]:
    return list(
        session.exec(
            select(Invoice)
            .where(Invoice.member_id == member.id)
            .order_by(col(Invoice.issued_on), col(Invoice.number))
        )
    )


__all__ = ["OverdueItem", "StatementDocument", "default_from", "statement_document"]
