"""Counts read as a person writes them: "Issued 1 invoice", never "Issued 1 invoices"; a
tally says how many of how many are needed, never "7 of 8 needed so far"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from plvgov.db import Ledger
from plvgov.words import plural, plural_of
from tests.conftest import Result

Run = Callable[..., Result]


@pytest.mark.parametrize(
    ("count", "noun", "said"),
    [
        (1, "invoice", "1 invoice"),
        (2, "invoice", "2 invoices"),
        (0, "deadline", "0 deadlines"),
        (1, "row", "1 row"),
        (3, "entry", "3 entries"),
        (2, "eligible member", "2 eligible members"),
        (1, "eligible member", "1 eligible member"),
        (2, "match", "2 matches"),
        (2, "day", "2 days"),
        (1200, "row", "1,200 rows"),
    ],
)
def test_plural(count: int, noun: str, said: str) -> None:
    assert plural(count, noun) == said


def test_plural_takes_an_irregular_plural() -> None:
    assert plural(2, "person") == "2 people" and plural_of("authority") == "authorities"
    assert plural(2, "criterion", "criteria") == "2 criteria"


def _member(run: Run, slug: str = "bromley") -> None:
    assert run("settings", "set", "incorporation_date", "2023-01-16").code == 0
    assert run("member", "admit", slug, "--date", "2023-04-01").code == 0


def test_one_invoice_one_deadline_one_row(ledger: Ledger, run: Run, tmp_path: Path) -> None:
    _member(run)
    assert run("settings", "set", "launch_date", "2025-10-01").code == 0
    issued = run("invoice", "run", "--year", "2026/27", "--date", "2026-04-01")
    assert issued.out.startswith("Issued 1 invoice for 2026/27 (PLV-2026-0001), total"), issued.out
    assert "1 invoices" not in run("invoice", "list").out
    late = run("invoice", "arrears").out
    assert "1 invoice," in late and "1 invoices" not in late
    found = run("calendar", "--from", "2026-05-01", "--to", "2026-05-01").out
    assert found.split()[-2:] == ["1", "deadline"], found
    csv = tmp_path / "members.csv"
    csv.write_text("name,code,address,admitted_on\nCamden,E09000007,,2023-04-01\n", "utf-8")
    assert "Imported 1 row from" in run("member", "import", str(csv)).out


def test_a_written_resolution_says_how_many_of_how_many_it_needs(ledger: Ledger, run: Run) -> None:
    _member(run)
    for slug in ("camden", "sutton"):
        assert run("member", "admit", slug, "--date", "2023-04-01").code == 0
    assert run("resolution", "propose", "--title", "T", "--type", "ordinary", "--procedure",
               "written").code == 0  # fmt: skip
    circulated = run("resolution", "circulate", "1", "--date", "2026-11-02").out
    assert "to 3 eligible members; it needs 2 agreements" in circulated
    first = run("resolution", "vote", "1", "bromley", "--vote", "for", "--date", "2026-11-03").out
    assert "Resolution 1 has 1 of the 2 agreements it needs." in first
    second = run("resolution", "vote", "1", "camden", "--vote", "for", "--date", "2026-11-04").out
    assert "Resolution 1 has passed with 2 of the 2 agreements it needed." in second
    assert "so far" not in first + second
