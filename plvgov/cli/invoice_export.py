"""``invoice export``: a year's invoices and credit notes for the finance system, as CSV or a
typed Excel workbook (added to the ``invoice`` group by :func:`plvgov.cli.invoices.register`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from plvgov.cli._common import Year, financial_year, reading, say
from plvgov.words import plural


def export(
    year: Year,
    out: Annotated[
        Path,
        typer.Option("--out", help="The file to write (.csv or .xlsx).", show_default=False),
    ],
    format_: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="csv|xlsx",
            help="csv, or xlsx (an Excel workbook with typed cells); default from --out's "
            "extension.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write one row per invoice and credit note of a year for the finance system: CSV (UTF-8
    with a BOM) or an Excel workbook whose dates are dates, money numbers in £ and PO numbers
    and GSS codes text; cells that would run as spreadsheet formulas neutralised.

    Example: plvgov invoice export --year 2026/27 --out invoices-2026-27.xlsx
    """
    from plvgov.billing import export as finance
    from plvgov.errors import UsageError
    from plvgov.outputs import check_target

    fy = financial_year(year)
    check_target(out, force)  # the ledger, a folder, a device: refused first
    kind = finance.format_for(out, format_)
    if kind is None:
        named = f"--format {format_}" if format_ is not None else f"the extension of {out.name}"
        raise UsageError(f"{named} is not an export format; give --format csv or --format xlsx")
    with reading() as session:
        rows = finance.export_rows(session, fy)
    if kind == "xlsx":
        finance.write_xlsx(rows, out, force, title=f"Invoices {fy.label.replace('/', '-')}")
    else:
        finance.write_csv(rows, out, force)
    say(f"Wrote {plural(len(rows), 'row')} for {fy.label} to {out}.")


def add_to(group: typer.Typer) -> None:
    group.command("export")(export)
