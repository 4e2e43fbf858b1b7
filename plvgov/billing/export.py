"""The export for the finance system: one CSV row per invoice and credit note of a year.

Credit notes are negative rows that name their invoice; the balance is the invoice's on the day
of the export. The file is UTF-8 with a BOM (Excel then reads it as UTF-8), and every cell goes
through :func:`plvgov.outputs.excel_safe`, as every CSV plvgov writes does, so that a council
name such as ``=HYPERLINK(…)`` stays text when the finance team opens the file.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import IO

from sqlmodel import Session, col, select

from plvgov.billing.accounts import views_of
from plvgov.billing.issuing import po_for
from plvgov.dates import FinancialYear
from plvgov.models.billing import CreditNote, Invoice
from plvgov.money import from_pence
from plvgov.outputs import excel_safe, write_with

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
    balances = {v.number: v.balance for v in views_of(session, invoices, None)}
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


def write_csv(rows: list[dict[str, str]], path: Path, force: bool = False) -> Path:
    """Write ``rows`` as UTF-8 CSV with a BOM (Excel reads it as UTF-8); refuses to replace an
    existing file unless ``force``, and never writes anything but a regular file."""

    def write(handle: IO[str]) -> None:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for row in rows:
            writer.writerow([excel_safe(row[c]) for c in EXPORT_COLUMNS])

    return write_with(path, write, force=force, encoding="utf-8-sig")
