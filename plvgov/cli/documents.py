"""Commands of the documents capability (registered on the root app by `register`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plvgov.cli._common import At, date_option

if TYPE_CHECKING:
    from plvgov.documents.batch import Shared


def render(
    kind: Annotated[
        str,
        typer.Argument(
            help="notice, written-resolution, minutes, resolution-copy, invoice, credit-note, "
            "reminder, statement, subscription-notice, exit-reminder, register (of members), "
            "psc-register, directors-register or board-pack.",
            show_default=False,
        ),
    ],
    ident: Annotated[
        str | None,
        typer.Argument(
            metavar="ID",
            help="The record: a meeting or resolution id, an invoice or credit note "
            "number (reminder: the invoice's), or a member (statement, subscription-notice, "
            "exit-reminder).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="md, html, pdf or docx (Word; both from the HTML), csv (register only), or "
            "ubl (invoice, credit-note: a Peppol BIS Billing 3.0 e-invoice, UBL 2.1 XML). "
            "Default: from the --out file's extension (another extension is refused), "
            "else md.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write to this file (required for pdf and docx); default: print on stdout. "
            "With invoice --year: the folder to write the year's papers into.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite the --out file (or papers in the --out folder)."),
    ] = False,
    at: At = None,
    since: Annotated[
        date | None,
        date_option(
            "--since", help="board-pack: decisions since this date (default three months)."
        ),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            metavar="FY",
            help="subscription-notice: the financial year (default the next one). invoice: "
            "every invoice and credit note of the year, one file each in the --out folder.",
        ),
    ] = None,
    from_: Annotated[
        date | None,
        date_option(
            "--from",
            help="statement: the period's first day (default the start of the financial year).",
        ),
    ] = None,
    to: Annotated[
        date | None,
        date_option("--to", help="statement: the period's last day (default --at, else today)."),
    ] = None,
) -> None:
    """Render a document from its template: Markdown, HTML (print-ready, A4), PDF or Word.

    Your own templates (--templates DIR, PLVGOV_TEMPLATES, or ./templates beside the ledger)
    override the shipped ones by name. Every document's footer carries the ledger's audit
    fingerprint.

    Without --format, the format follows the --out file's extension (.md, .html, .pdf,
    .docx, .csv; .xml is ubl).

    An invoice or credit note as ubl is the e-invoice a council's accounts payable takes
    over Peppol (EN 16931); it needs the company's Peppol address (settings set peppol_id)
    and the council's (member peppol).

    A reminder is the one due for the invoice on --at (default today), else a copy of the
    last one issued; a statement runs --from to --to.

    A year's invoices and credit notes in one go: `render invoice --year FY --out DIR`
    writes one file per paper, named by its number (PLV-2026-0001.pdf), PDF unless --format
    says otherwise.

    Example: plvgov render board-pack --format pdf --out board-pack.pdf
    """
    import sys

    from plvgov.cli._common import reading, say, today
    from plvgov.documents import BINARY, Request
    from plvgov.documents import render as render_document
    from plvgov.errors import UsageError

    if year is not None and kind.strip().lower() == "invoice":
        from plvgov.cli._papers import render_year

        render_year(ident, year, fmt, out, force, at, _template_folders)
        return
    fmt = _format(fmt, out)
    if fmt in BINARY and out is None:
        paper = {"pdf": "PDF", "docx": "Word document"}[fmt]
        raise UsageError(f"a {paper} needs a file: add --out FILE.{fmt}")
    if out is not None:
        _check_out(out, force)
    if year is not None:  # a malformed --year is a usage error (exit 2), like a date
        from plvgov.cli._common import cli_value
        from plvgov.dates import FinancialYear

        cli_value(FinancialYear.parse, year)
    request = Request(generated_on=today(), at=at, since=since, year=year, from_on=from_, to_on=to)
    # A PDF's worker starts now: WeasyPrint starts on another core while the ledger is read.
    with _renderer(fmt) as shared, reading() as session, _progress(f"Rendering {kind}…"):
        data = render_document(
            session, kind.strip().lower(), ident, fmt, request, _template_folders(), shared
        )
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    _write(out, data, force)
    say(f"Wrote {out} ({len(data):,} bytes).")


#: The format an --out file's extension names.
_BY_EXTENSION = {
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".csv": "csv",
    ".xml": "ubl",
}


def _format(fmt: str | None, out: Path | None) -> str:
    """The format to render: --format, else the one the --out file's extension names, else
    md. An extension that names no format (x.doc) without --format, or one that contradicts
    --format (--format md --out x.pdf), is a usage error."""
    from plvgov.documents import FORMATS
    from plvgov.errors import UsageError

    named = _BY_EXTENSION.get(out.suffix.lower()) if out is not None else None
    if fmt is None:
        if out is not None and out.suffix and named is None:  # x.doc: not Word, so say so
            raise UsageError(
                f"--out {out}: plvgov writes no {out.suffix} file; name it "
                f"{', '.join(sorted(set(_BY_EXTENSION) - {'.htm'}))}, or give --format"
            )
        return named or "md"
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt} is not one; choose {', '.join(FORMATS)}")
    if named is not None and named != fmt:
        raise UsageError(
            f"--format {fmt} does not match --out {out}: name the file "
            f".{'xml' if fmt == 'ubl' else fmt}, "
            f"or drop --format to write {named}"
        )
    return fmt


@contextmanager
def _renderer(fmt: str) -> Iterator[Shared | None]:
    """For a PDF, a worker started now (:mod:`plvgov.documents.pdf`); nothing otherwise."""
    if fmt != "pdf":
        yield None
        return
    from plvgov.documents import pdf
    from plvgov.documents.batch import Shared

    with pdf.start(1) as renderer:
        yield Shared(renderer)


@contextmanager
def _progress(message: str) -> Iterator[None]:
    """A spinner on stderr while a long document renders, only when stderr is a terminal."""
    import sys

    if not sys.stderr.isatty():
        yield
        return
    from plvgov.cli._common import err

    with err().status(message):
        yield


def _template_folders() -> list[Path]:
    """The user's override folders, first match wins: --templates / PLVGOV_TEMPLATES, then
    ./templates beside a SQLite ledger."""
    from plvgov.cli._common import STATE, ledger_target
    from plvgov.db import is_sqlite, sqlite_path, to_url

    folders = []
    if STATE.templates:
        folder = Path(STATE.templates).expanduser()
        if not folder.is_dir():
            from plvgov.errors import InputError

            raise InputError(
                f"the templates folder {folder} does not exist; fix --templates or PLVGOV_TEMPLATES"
            )
        folders.append(folder)
    url = to_url(ledger_target())
    if is_sqlite(url):
        beside = sqlite_path(url).parent / "templates"
        if beside.is_dir():
            folders.append(beside)
    return folders


def _check_out(out: Path, force: bool) -> None:
    from plvgov.outputs import check_target

    check_target(out, force)


def _write(out: Path, data: bytes, force: bool) -> None:
    from plvgov.outputs import write_bytes

    write_bytes(out, data, force)


def register(root: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    root.command("render")(render)
