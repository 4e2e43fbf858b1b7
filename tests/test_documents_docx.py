"""Word output: every kind renders as a .docx (pandoc from the HTML) that LibreOffice opens,
and its text holds the key facts; ``render --format`` follows the ``--out`` extension."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from plvgov import audit
from plvgov.company.founding import initialise
from plvgov.db import Ledger
from plvgov.documents import Request, html_to_docx, render
from plvgov.errors import InputError
from tests.conftest import TODAY, Result
from tests.stories import build_story

#: kind → (id, financial year, the facts its text must hold). Ids are the story's, as in
#: tests/test_documents.py's PDF test.
CASES: dict[str, tuple[str | None, str | None, tuple[str, ...]]] = {
    "register": (
        None,
        None,
        ("Register of members", "London Borough of Sutton", "31 March 2026", "23 November 2026"),
    ),
    "exit-reminder": (
        "bromley",
        None,
        ("Your next exit point: 31 March 2028", "Dear Priya Shah", "30 September 2027"),
    ),
    "board-pack": (None, None, ("Board pack", "Next notice deadline: 30 September 2027")),
    "notice": (
        "1",
        None,
        ("Notice of general meeting", "30 September 2026 at 14:00", "Receive the annual accounts"),
    ),
    "written-resolution": (
        "1",
        None,
        ("Reply slip — London Borough of Bromley", "2 June 2026", "Adopt the pricing strategy"),
    ),
    "minutes": (
        "1",
        None,
        ("Minutes of a general meeting", "Priya Shah", "30 September 2026"),
    ),
    "resolution-copy": ("1", None, ("SPECIAL RESOLUTION", "5 June 2026")),
    "invoice": (
        "PLV-2026-0002",
        None,
        ("Invoice PLV-2026-0002", "London Borough of Bromley", "£22,504.04", "1 May 2026"),
    ),
    "credit-note": (
        "CN-2026-0001",
        None,
        ("Credit note CN-2026-0001", "London Borough of Bromley", "£1,000.00", "15 April 2026"),
    ),
    "reminder": (
        "PLV-2026-0002",
        None,
        ("Reminder: invoice PLV-2026-0002 is overdue", "£21,504.04", "Dear colleague"),
    ),
    "statement": (
        "bromley",
        None,
        ("Statement of account", "London Borough of Bromley", "Opening balance", "£21,504.04"),
    ),
    "subscription-notice": (
        "bromley",
        "2026",
        ("Annual subscription notice 2026/27", "London Borough of Bromley", "£22,504.04"),
    ),
}


class Rendered:
    """The story's ledger, each kind's .docx and the text LibreOffice's PDF of it holds."""

    def __init__(self, fingerprint: str, files: dict[str, Path], texts: dict[str, str]) -> None:
        self.fingerprint = fingerprint
        self.files = files
        self.texts = texts


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
        )
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed: apt-get install poppler-utils")
    return found


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """Every kind as Word, converted to PDF by LibreOffice in one call, then to text."""
    soffice = _soffice()
    folder = tmp_path_factory.mktemp("docx")
    ledger = Ledger(f"sqlite:///{folder / 'ledger.db'}")
    initialise(
        ledger, today=TODAY, company_name="Pan-London Vehicle Limited", company_number="14712345"
    )
    try:
        build_story(ledger)
        files = {}
        with ledger.read() as session:
            fingerprint = audit.fingerprint(session)
            for kind, (ident, year, _) in CASES.items():
                data = render(session, kind, ident, "docx", Request(TODAY, year=year))
                files[kind] = folder / f"{kind}.docx"
                files[kind].write_bytes(data)
    finally:
        ledger.dispose()
    pdfs = folder / "pdf"
    profile = folder / "lo-profile"
    env = {**os.environ, "HOME": str(folder / "home")}
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdfs),
            *map(str, files.values()),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    texts = {}
    for kind in files:
        pdf = pdfs / f"{kind}.pdf"
        assert pdf.is_file(), f"LibreOffice made no PDF of {kind}: {done.stdout} {done.stderr}"
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        texts[kind] = " ".join(text.split())
    return Rendered(fingerprint, files, texts)


@pytest.mark.parametrize("kind", list(CASES))
def test_each_kind_opens_in_libreoffice_with_its_facts(rendered: Rendered, kind: str) -> None:
    with zipfile.ZipFile(rendered.files[kind]) as docx:
        names = set(docx.namelist())
        core = docx.read("docProps/core.xml").decode("utf-8")
        styles = docx.read("word/styles.xml").decode("utf-8")
    assert {"word/document.xml", "[Content_Types].xml"} <= names
    # The properties: title, author (the company), British English, the day it was generated.
    assert "— Pan-London Vehicle Limited</dc:title>" in core
    assert "<dc:creator>Pan-London Vehicle Limited</dc:creator>" in core
    assert 'w:val="en-GB"' in styles
    assert "2026-11-23T00:00:00Z" in core
    text = rendered.texts[kind]
    for fact in CASES[kind][2]:
        assert fact in text, f"{kind}: {fact!r} not in {text[:600]}"
    assert f"ledger fingerprint {rendered.fingerprint}" in text  # the footer, at the end
    assert text.index("ledger fingerprint") > text.index(CASES[kind][2][0])


def test_tables_headings_and_bold_are_words_own(rendered: Rendered) -> None:
    with zipfile.ZipFile(rendered.files["invoice"]) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert '<w:pStyle w:val="Heading1" />' in body
    assert body.count("<w:tbl>") >= 2  # the invoice's details and its lines
    assert "<w:b />" in body  # **1 May 2026**
    assert 'w:val="Title"' not in body  # no title block above the letterhead


def test_a_remote_image_is_refused() -> None:
    html = '<html><body><p>x</p><img src="https://example.com/logo.png" alt="logo"></body></html>'
    with pytest.raises(InputError, match=r"may not fetch https://example.com/logo.png"):
        html_to_docx(html, "T", "A")


# -- the CLI: --format from --out -------------------------------------------------------------
@pytest.fixture
def story_run(ledger: Ledger, run: Callable[..., Result]) -> Callable[..., Result]:
    build_story(ledger)
    return run


def test_out_extension_picks_the_format(story_run: Callable[..., Result], tmp_path: Path) -> None:
    pdf, docx, html = tmp_path / "i.pdf", tmp_path / "i.docx", tmp_path / "i.html"
    assert story_run("render", "invoice", "PLV-2026-0002", "--out", str(pdf)).code == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert story_run("render", "invoice", "PLV-2026-0002", "--out", str(docx)).code == 0
    assert zipfile.ZipFile(docx).read("word/document.xml")
    assert story_run("render", "invoice", "PLV-2026-0002", "--out", str(html)).code == 0
    assert html.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_a_format_the_extension_contradicts_is_a_usage_error(
    story_run: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "x.pdf"
    result = story_run("render", "invoice", "PLV-2026-0002", "--format", "md", "--out", str(out))
    assert result.code == 2
    assert "--format md does not match --out" in result.err
    assert not out.exists()


def test_word_needs_a_file(story_run: Callable[..., Result]) -> None:
    result = story_run("render", "invoice", "PLV-2026-0002", "--format", "docx")
    assert result.code == 2
    assert "a Word document needs a file: add --out FILE.docx" in result.err
