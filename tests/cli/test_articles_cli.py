"""The ``articles`` commands: the contract's JSON keys, exit codes and one-line errors with
nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import admit_four, refused_cleanly


@pytest.fixture
def four(run, ledger):
    return admit_four(run)


def test_articles_commands(four, ledger, tmp_path: Path, monkeypatch) -> None:
    run = four
    monkeypatch.setenv("PLVGOV_TODAY", "2027-02-01")  # after every fact below
    v1, v2 = tmp_path / "v1.md", tmp_path / "v2.md"
    v1.write_text("# Articles\n\n1. Notice: 14 clear days.\n")
    v2.write_text("# Articles\n\n1. Notice: 21 clear days.\n")
    assert (
        run("articles", "adopt", str(v1), "--date", "2023-02-14", "--json").json()["version"] == 1
    )
    refused_cleanly(run, ledger, "articles", "adopt", str(v2), "--date", "2027-01-06", says="s.21")
    run("resolution", "propose", "--title", "Amend", "--type", "special", "--procedure", "written")
    run("resolution", "circulate", "1", "--date", "2027-01-04")
    refused_cleanly(
        run,
        ledger,
        "articles",
        "adopt",
        str(v2),
        "--date",
        "2027-01-06",
        "--resolution",
        "1",
        says="passed special",
    )
    for slug in ("camden", "hackney", "barnet"):
        run("resolution", "vote", "1", slug, "--vote", "for", "--date", "2027-01-06")
    adopted = run(
        "articles", "adopt", str(v2), "--date", "2027-01-06", "--resolution", "1", "--json"
    ).json()
    assert adopted == {"version": 2, "filing_due_on": "2027-01-21"}
    assert "14 clear days" in run("articles", "show", "--version", "1").out
    assert "21 clear days" in run("articles", "show", "--at", "2027-02-01").out
    history = run("articles", "history", "--json").json()
    assert [(h["version"], h["resolution_id"]) for h in history] == [(1, None), (2, 1)]
    diff = run("articles", "diff", "1", "2").out
    assert "-1. Notice: 14 clear days." in diff and "+1. Notice: 21 clear days." in diff
    assert run("articles", "file", "2", "--date", "2027-01-15", "--json").json() == {
        "version": 2,
        "filed_on": "2027-01-15",
    }
    refused_cleanly(run, ledger, "articles", "show", "--version", "7", says="no version 7")
    refused_cleanly(
        run,
        ledger,
        "articles",
        "adopt",
        str(tmp_path / "missing.md"),
        "--date",
        "2027-02-01",
        says="no file",
    )
