"""Accounts tables: money received against invoices, credit notes and the reminders sent for
overdue invoices (the invoices themselves: :mod:`plvgov.models.billing`). Apart from the
invoices so that issuing them (the invoice run) loads none of these.

Money is integer pence. An issued invoice is never edited: corrections are credit notes.
"""

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from plvgov.models.base import Table

__all__ = ["CreditNote", "InvoiceReminder", "Payment"]


class Payment(Table, table=True):
    """Money received against an invoice (payments may be partial)."""

    __tablename__ = "payment"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    paid_on: date
    amount_pence: int
    reference: str | None = None


class CreditNote(Table, table=True):
    """A correction to an issued invoice: it reduces what the member owes."""

    __tablename__ = "credit_note"
    __table_args__ = (UniqueConstraint("financial_year", "sequence"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True)  # "CN-2026-0001"
    financial_year: int  # the FY of the invoice it credits
    sequence: int
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    issued_on: date
    reason: str
    net_pence: int
    vat_pence: int
    amount_pence: int  # gross


class InvoiceReminder(Table, table=True):
    """A reminder issued for an overdue invoice: the first, then the final, each once per
    invoice (the database refuses a second of a stage), with the balance it asked for."""

    __tablename__ = "invoice_reminder"
    __table_args__ = (UniqueConstraint("invoice_id", "stage"),)

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    stage: str  # "first" or "final"
    issued_on: date
    balance_pence: int  # what was outstanding on the day it was issued
