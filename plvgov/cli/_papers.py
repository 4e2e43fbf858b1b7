"""``plvgov render invoice --year FY --out DIR``: a year's invoices and credit notes, one file
each named by its number, rendered in one process (:mod:`plvgov.documents.batch`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path


def render_year(
    ident: str | None,
    year: str,
    fmt: str | None,
    out: Path | None,
    force: bool,
    at: date | None,
    template_folders: Callable[[], list[Path]],
) -> None:
    """Write every invoice and credit note of ``year`` into the folder ``out`` (the user's
    template folders from ``template_folders()``, as ``render`` finds them)."""
    from plvgov.cli._common import cli_value, progress, reading, say, today
    from plvgov.dates import FinancialYear
    from plvgov.documents import Request, kind, pdf
    from plvgov.documents.batch import render_papers, year_papers
    from plvgov.errors import UsageError
    from plvgov.outputs import write_bytes
    from plvgov.words import plural

    fy: FinancialYear = cli_value(FinancialYear.parse, year)
    if ident:
        raise UsageError(
            f"--year renders every invoice of the year; drop {ident!r}, "
            "or drop --year to render that one"
        )
    if out is None:
        raise UsageError(
            "render invoice --year writes one file per invoice and credit note: "
            "add --out DIR, the folder to write them into"
        )
    fmt = (fmt or "pdf").strip().lower()
    formats = kind("invoice").formats
    if fmt not in formats:
        raise UsageError(f"--format {fmt} is not one for invoices; choose {', '.join(formats)}")
    _require_folder(out)
    request = Request(generated_on=today(), at=at)
    # PDF workers, one a core, start now: WeasyPrint starts on them while the ledger is read.
    with pdf.start(pdf.MAX_WORKERS if fmt == "pdf" else 0) as renderer, reading() as session:
        papers = year_papers(session, fy)
        targets = {paper: out / paper.file_name(fmt) for paper in papers}
        _check_targets(out, list(targets.values()), force)
        folders = template_folders()
        with progress(f"Rendering {fy.label}'s papers", len(papers)) as advance:
            for paper, data in render_papers(session, papers, fmt, request, folders, renderer):
                write_bytes(targets[paper], data, force)
                advance(1, paper.number)
    invoices = sum(1 for p in papers if p.kind == "invoice")
    notes = len(papers) - invoices
    what = plural(invoices, "invoice") + (f" and {plural(notes, 'credit note')}" if notes else "")
    names = [targets[papers[0]].name, targets[papers[-1]].name]
    span = f"{names[0]} to {names[1]}" if len(papers) > 1 else names[0]
    say(f"Wrote {what} of {fy.label} to {out} ({span}).")


def _require_folder(out: Path) -> None:
    from plvgov.errors import InputError

    if out.is_dir():
        return
    if out.exists() or out.is_symlink():
        raise InputError(f"{out} is not a folder; name the folder to write the papers into")
    raise InputError(f"the folder {out} does not exist; create it first")


def _check_targets(out: Path, targets: list[Path], force: bool) -> None:
    """Refuse before writing anything: a paper's file that exists (without --force), or one
    that must never be written (the ledger, a database, a special file)."""
    from plvgov.errors import InputError
    from plvgov.outputs import check_target

    existing = [t for t in targets if t.exists() or t.is_symlink()]
    if existing and not force:
        first = existing[0].name
        more = f" and {len(existing) - 1} more" if len(existing) > 1 else ""
        raise InputError(
            f"{out} already holds {first}{more}; pass --force to replace them, "
            "or choose another folder"
        )
    for target in targets:
        check_target(target, force)
