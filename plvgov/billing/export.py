"""The export for the finance system: one row per invoice and credit note of a year, as CSV
or as an Excel workbook.

Credit notes are negative rows that name their invoice; the balance is the invoice's on the day
of the export; ``kind`` says whether a row is a subscription or a contribution to a deficit (a
credit note: its invoice's). The CSV is UTF-8 with a BOM (Excel then reads it as UTF-8). The
workbook is typed, so that it opens as it is: dates are date cells, money is numbers in a £
format, and the number, council, GSS code and PO number are text (through CSV a spreadsheet
turns PO ``0045123`` into 45123). Every text cell of either goes through
:func:`plvgov.outputs.excel_safe`, as every CSV plvgov writes does, so that a council name such
as ``=HYPERLINK(…)`` stays text.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO

from sqlmodel import Session, col, select

from plvgov.billing.accounts import views_of
from plvgov.billing.issuing import po_of
from plvgov.dates import FinancialYear
from plvgov.models.accounts import CreditNote
from plvgov.models.billing import Invoice
from plvgov.money import from_pence
from plvgov.outputs import excel_safe, write_bytes, write_with

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
    "kind",  # subscription or contribution (a credit note: its invoice's)
)
#: the export's formats, by the file extension that names each
FORMATS = {"csv": ".csv", "xlsx": ".xlsx"}
#: how the workbook types each column: dates, money, and text (everything else)
DATE_COLUMNS = frozenset({"issued_on", "due_on"})
MONEY_COLUMNS = frozenset({"net", "vat", "gross", "balance"})
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "£#,##0.00"
TEXT_FORMAT = "@"
#: column widths in characters (Excel's unit), by column
WIDTHS = {"type": 12, "number": 16, "invoice": 16, "council": 32, "gss_code": 12}


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
        po = po_of(session, inv) or ""
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
                "kind": inv.kind,
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
                "kind": inv.kind,
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


def format_for(path: Path, given: str | None) -> str | None:
    """The export format: ``given``, else the one ``path``'s extension names (``.xlsx``; a
    ``.csv``, ``.txt`` or no extension is CSV); None when the extension names neither."""
    if given is not None:
        return given.lower() if given.lower() in FORMATS else None
    suffix = path.suffix.lower()
    if suffix == FORMATS["xlsx"]:
        return "xlsx"
    if suffix in ("", ".csv", ".txt"):
        return "csv"
    return None


def xlsx_bytes(rows: list[dict[str, str]], title: str = "Invoices") -> bytes:
    """``rows`` as an Excel workbook: a bold, frozen header row, typed cells (dates as dates,
    money as numbers in a £ format, the rest as text made safe by ``excel_safe``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    bold = Font(bold=True)
    for c, name in enumerate(EXPORT_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=c, value=name)
        cell.font = bold
    for r, row in enumerate(rows, start=2):
        for c, name in enumerate(EXPORT_COLUMNS, start=1):
            value = row[name]
            cell = sheet.cell(row=r, column=c)
            if not value:
                continue  # an empty cell, not an empty string
            if name in DATE_COLUMNS:
                cell.value = date.fromisoformat(value)
                cell.number_format = DATE_FORMAT
            elif name in MONEY_COLUMNS:
                cell.value = Decimal(value)
                cell.number_format = MONEY_FORMAT
            else:  # text: never a number (PO 0045123), never a formula (=HYPERLINK…)
                cell.value = excel_safe(value)
                cell.data_type = "s"
                cell.number_format = TEXT_FORMAT
    for c, name in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = WIDTHS.get(name, 14)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(EXPORT_COLUMNS))}{len(rows) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(
    rows: list[dict[str, str]], path: Path, force: bool = False, title: str = "Invoices"
) -> Path:
    """Write ``rows`` as an Excel workbook (see :func:`xlsx_bytes`); refuses to replace an
    existing file unless ``force``, and never writes anything but a regular file."""
    return write_bytes(path, xlsx_bytes(rows, title), force)
