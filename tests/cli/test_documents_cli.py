"""``plvgov render``: formats, --out safety (no overwrite without --force, nothing outside the
named path), override folders, and one-line errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from plvgov.db import Ledger
from tests.stories import build_story


@pytest.fixture
def story(ledger: Ledger) -> Ledger:
    build_story(ledger)
    return ledger


def test_markdown_goes_to_stdout(story: Ledger, run: Callable) -> None:
    result = run("render", "register")
    assert result.code == 0, result.err
    assert result.out.startswith("**Pan-London Vehicle Limited**")
    assert "# Register of members" in result.out
    assert "generated 23 November 2026" in result.out  # PLVGOV_TODAY


def test_out_writes_only_the_named_file(story: Ledger, run: Callable, tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    target = folder / "register.html"
    result = run("render", "register", "--format", "html", "--out", str(target))
    assert result.code == 0, result.err
    assert f"Wrote {target}" in result.out
    assert [p.name for p in folder.iterdir()] == ["register.html"]
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_out_refuses_to_overwrite_without_force(
    story: Ledger, run: Callable, tmp_path: Path
) -> None:
    target = tmp_path / "register.md"
    target.write_text("the secretary's own notes", encoding="utf-8")
    result = run("render", "register", "--out", str(target))
    assert result.code == 1
    assert result.err == f"Error: {target} already exists; choose another name or pass --force\n"
    assert target.read_text("utf-8") == "the secretary's own notes"
    result = run("render", "register", "--out", str(target), "--force")
    assert result.code == 0, result.err
    assert "# Register of members" in target.read_text("utf-8")


def test_out_refuses_a_missing_folder(story: Ledger, run: Callable, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "register.md"
    result = run("render", "register", "--out", str(target))
    assert result.code == 1
    assert result.err == (f"Error: the folder {target.parent} does not exist; create it first\n")
    assert not target.parent.exists()


def test_pdf_needs_out_and_is_a_pdf(story: Ledger, run: Callable, tmp_path: Path) -> None:
    result = run("render", "register", "--format", "pdf")
    assert result.code == 2
    assert result.err == "Error: a PDF needs a file: add --out FILE.pdf\n"
    target = tmp_path / "register.pdf"
    result = run("render", "register", "--format", "pdf", "--out", str(target))
    assert result.code == 0, result.err
    assert target.read_bytes().startswith(b"%PDF-")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(target).pages).split())
    assert "Register of members" in text
    assert "London Borough of Sutton" in text  # however the name column wraps it
    assert "may be removed from 1 April 2036 (s.121)" in text
    assert "Page 1 of 1" in text


def test_register_as_csv(story: Ledger, run: Callable) -> None:
    result = run("render", "register", "--format", "csv")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "name,gss_code,address,entered_on,ceased_on,note"
    assert (
        "London Borough of Sutton,E09000029,,2023-04-01,2026-03-31,"
        "withdrawal; may be removed from 1 April 2036 (s.121)"
    ) in lines


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["render", "agenda"], 2, "Error: unknown document kind 'agenda'; choose from "),
        (["render", "register", "--format", "odt"], 2, "Error: --format odt is not one"),
        (["render", "notice"], 2, "Error: render notice needs an ID: the meeting id"),
        (["render", "notice", "x"], 1, "Error: meeting id 'x' is not a number"),
        (["render", "exit-reminder", "nowhere"], 1, "Error: no member 'nowhere'"),
        (["render", "register", "--at", "2026-13-01"], 2, "Error: Invalid value for '--at'"),
        (
            ["render", "register", "--since", "2026-01-01"],
            2,
            "Error: --since is for board-pack, not register",
        ),
        (
            ["render", "board-pack", "--year", "2026"],
            2,
            "Error: --year is for subscription-notice (and invoice with --out DIR), not board-pack",
        ),
        (
            ["render", "board-pack", "--at", "2026-01-01", "--since", "2026-02-01"],
            1,
            "Error: --since 2026-02-01 is after the pack's date 2026-01-01",
        ),
        (
            ["render", "subscription-notice", "bromley", "--year", "20x6"],
            2,
            "Error: financial year '20x6' is not one",
        ),
    ],
)
def test_errors_are_one_line(
    story: Ledger, run: Callable, args: list[str], code: int, message: str
) -> None:
    result = run(*args)
    assert result.code == code
    assert result.err.startswith(message), result.err
    assert result.err.count("\n") == 1
    assert result.out == ""


def test_templates_option_overrides_and_sandbox_errors_are_one_line(
    story: Ledger, run: Callable, tmp_path: Path
) -> None:
    (tmp_path / "registers").mkdir()
    (tmp_path / "registers" / "members.md").write_text("Ours: {{ current_count }}\n", "utf-8")
    result = run("--templates", str(tmp_path), "render", "register")
    assert result.code == 0, result.err
    assert result.out == "Ours: 2\n"
    (tmp_path / "registers" / "members.md").write_text("{{ ''.__class__.__mro__ }}", "utf-8")
    result = run("--templates", str(tmp_path), "render", "register")
    assert result.code == 1
    assert result.err.startswith(
        "Error: template registers/members.md tried something the sandbox forbids"
    )
    assert result.err.count("\n") == 1
    result = run("--templates", str(tmp_path / "missing"), "render", "register")
    assert result.code == 1
    assert "the templates folder" in result.err


def test_templates_beside_the_ledger_are_used(
    ledger: Ledger, run: Callable, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if not ledger.url.startswith("sqlite"):
        pytest.skip("./templates beside the ledger applies to a SQLite file")
    beside = Path(ledger.display_name).parent / "templates" / "registers"
    beside.mkdir(parents=True)
    (beside / "members.md").write_text("Beside the ledger\n", "utf-8")
    assert run("render", "register").out == "Beside the ledger\n"
    # --templates comes first.
    (tmp_path / "mine" / "registers").mkdir(parents=True)
    (tmp_path / "mine" / "registers" / "members.md").write_text("Mine\n", "utf-8")
    assert run("--templates", str(tmp_path / "mine"), "render", "register").out == "Mine\n"


def test_help_has_an_example(run: Callable) -> None:
    result = run("render", "--help")
    assert result.code == 0
    assert "Example: plvgov render board-pack --format pdf --out board-pack.pdf" in result.out
    for option in ("--format", "--out", "--force", "--since", "--year", "--at"):
        assert option in result.out


@pytest.mark.parametrize("name", ["minutes.doc", "register.txt", "pack.PDFX"])
def test_out_with_an_extension_that_names_no_format_is_refused(
    story: Ledger, run: Callable, tmp_path: Path, name: str
) -> None:
    """`--out minutes.doc` wrote Markdown into a file Word would be asked to open."""
    target = tmp_path / name
    result = run("render", "register", "--out", str(target))
    assert result.code == 2 and result.err.startswith("Error: ")
    assert f"plvgov writes no {target.suffix} file" in result.err and "--format" in result.err
    assert not target.exists()
    named = run("render", "register", "--out", str(target), "--format", "md")
    assert named.code == 0 and "# Register of members" in target.read_text()  # said plainly
