"""The README's tour is real output: every `$ plvgov …` line in it, replayed in order on a fresh
ledger, exits 0 and prints, word for word, what the README shows (where it shows output)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
#: Where the tour was run: the README prints paths under it.
TOUR_FOLDER = "/tmp/tour"


def _tour() -> list[tuple[str, list[str]]]:
    """(command line, the output the README shows for it) for every `$ plvgov` line."""
    steps: list[tuple[str, list[str]]] = []
    inside = False
    for line in README.read_text("utf-8").splitlines():
        if line.startswith("```"):
            inside = not inside
            continue
        if not inside:
            continue
        if line.startswith("$ plvgov "):
            steps.append((line.removeprefix("$ "), []))
        elif steps and inside:
            steps[-1][1].append(line.rstrip())
    return [(command, _trimmed(shown)) for command, shown in steps]


def _trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1]:
        lines = lines[:-1]
    return lines


@pytest.fixture
def ledger_url(tmp_path) -> str:
    """The tour keeps its ledger in ./ledger.db, as a secretary would."""
    return f"sqlite:///{tmp_path / 'ledger.db'}"


def test_the_readme_tour_is_real_output(run, tmp_path, monkeypatch):
    steps = _tour()
    assert len(steps) > 25
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLVGOV_DB")  # the default ledger, ./ledger.db
    monkeypatch.setenv("COLUMNS", "110")  # as the README says
    monkeypatch.setenv("PLVGOV_ACTOR", "secretary")
    checked = 0
    for command, shown in steps:
        result = run(*shlex.split(command)[1:])
        assert result.code == 0, (command, result.err)
        if not shown:
            continue  # the README shows the command only
        printed = (result.out + result.err).replace(str(tmp_path), TOUR_FOLDER)
        # word for word: where a line wraps depends on the length of the folder's path
        assert printed.split() == " ".join(shown).split(), command
        checked += 1
    assert checked > 20
