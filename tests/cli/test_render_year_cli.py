"""``plvgov render invoice --year FY --out DIR``: every invoice and credit note of a year, one
file each named by its number, each the same paper ``render invoice NUMBER`` gives; refused
cleanly without a folder, over existing files without --force, and for a year with none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from plvgov.db import Ledger
from tests.cli.helpers import refused
from tests.stories import build_story

#: The story's 2026/27 papers: two invoices (1 April 2026) and Bromley's credit note.
PAPERS = ["PLV-2026-0001", "PLV-2026-0002", "CN-2026-0001"]


@pytest.fixture
def story(ledger: Ledger) -> Ledger:
    build_story(ledger)
    return ledger


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    papers = tmp_path / "papers"
    papers.mkdir()
    return papers


def _text(pdf: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(pdf).pages)


def test_a_year_as_pdfs_one_per_paper_named_by_number(
    story: Ledger, run: Callable, folder: Path
) -> None:
    result = run("render", "invoice", "--year", "2026/27", "--out", str(folder))
    assert result.code == 0, result.err
    assert result.out == (
        f"Wrote 2 invoices and 1 credit note of 2026/27 to {folder} "
        "(PLV-2026-0001.pdf to CN-2026-0001.pdf).\n"
    )
    assert result.err == ""  # no progress bar when stderr is not a terminal
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.pdf" for n in PAPERS)
    for number in PAPERS:
        pdf = folder / f"{number}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert number in _text(pdf)
    assert "Barking and Dagenham" in _text(folder / "PLV-2026-0001.pdf")
    credit = _text(folder / "CN-2026-0001.pdf")
    assert "Agreed reduction for the first year" in credit
    assert "PLV-2026-0002" in credit  # the invoice it credits (Bromley's)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_each_paper_is_the_one_render_gives_alone(
    story: Ledger, run: Callable, folder: Path, fmt: str
) -> None:
    result = run("render", "invoice", "--year", "2026", "--format", fmt, "--out", str(folder))
    assert result.code == 0, result.err
    for number in PAPERS:
        kind = "credit-note" if number.startswith("CN-") else "invoice"
        alone = run("render", kind, number, "--format", fmt)
        assert alone.code == 0, alone.err
        assert (folder / f"{number}.{fmt}").read_text("utf-8") == alone.out


def test_every_paper_carries_the_same_fingerprint(
    story: Ledger, run: Callable, folder: Path
) -> None:
    events = run("audit", "verify", "--json").json()["events"]
    result = run("render", "invoice", "--year", "2026", "--format", "md", "--out", str(folder))
    assert result.code == 0, result.err
    fingerprints = {
        line.rsplit("ledger fingerprint ", 1)[1]
        for number in PAPERS
        for line in (folder / f"{number}.md").read_text("utf-8").splitlines()
        if "ledger fingerprint " in line
    }
    assert len(fingerprints) == 1, fingerprints
    assert fingerprints.pop().startswith(f"{events}:")


def test_existing_papers_need_force_and_nothing_is_written_without_it(
    story: Ledger, run: Callable, folder: Path
) -> None:
    kept = folder / "PLV-2026-0002.pdf"
    kept.write_text("the finance officer's annotated copy", encoding="utf-8")
    result = run("render", "invoice", "--year", "2026", "--out", str(folder))
    refused(result, f"{folder} already holds PLV-2026-0002.pdf; pass --force to replace them")
    assert [p.name for p in folder.iterdir()] == ["PLV-2026-0002.pdf"]  # none of the others
    assert kept.read_text("utf-8") == "the finance officer's annotated copy"
    result = run("render", "invoice", "--year", "2026", "--out", str(folder), "--force")
    assert result.code == 0, result.err
    assert kept.read_bytes().startswith(b"%PDF-")
    assert len(list(folder.iterdir())) == 3


def test_refusals(story: Ledger, run: Callable, folder: Path, tmp_path: Path) -> None:
    refused(
        run("render", "invoice", "--year", "2026"),
        "render invoice --year writes one file per invoice and credit note: add --out DIR",
        code=2,
    )
    refused(
        run("render", "invoice", "PLV-2026-0001", "--year", "2026", "--out", str(folder)),
        "--year renders every invoice of the year; drop 'PLV-2026-0001'",
        code=2,
    )
    refused(
        run("render", "invoice", "--year", "20x6", "--out", str(folder)),
        "financial year '20x6' is not one",
        code=2,
    )
    refused(
        run("render", "invoice", "--year", "2026", "--format", "csv", "--out", str(folder)),
        "--format csv is not one for invoices; choose md, html, pdf, docx",
        code=2,
    )
    missing = tmp_path / "no-such-folder"
    refused(
        run("render", "invoice", "--year", "2026", "--out", str(missing)),
        f"the folder {missing} does not exist; create it first",
    )
    assert not missing.exists()
    a_file = tmp_path / "invoices.pdf"
    a_file.write_bytes(b"%PDF-1.7 someone else's")
    refused(
        run("render", "invoice", "--year", "2026", "--out", str(a_file)),
        f"{a_file} is not a folder; name the folder to write the papers into",
    )
    assert a_file.read_bytes() == b"%PDF-1.7 someone else's"
    # 2024/25 is before the launch: nothing was ever invoiced in it
    refused(
        run("render", "invoice", "--year", "2024", "--out", str(folder)),
        "no invoice or credit note is numbered in 2024/25; `plvgov invoice run --year 2024`",
    )
    assert list(folder.iterdir()) == []


def test_year_is_still_refused_for_other_kinds(story: Ledger, run: Callable, folder: Path) -> None:
    refused(
        run("render", "credit-note", "CN-2026-0001", "--year", "2026"),
        "--year is for subscription-notice (and invoice with --out DIR), not credit-note",
        code=2,
    )
