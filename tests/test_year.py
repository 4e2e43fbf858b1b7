"""A company secretary's year (docs/year.md) is real output: every `$ plvgov …` line in it,
replayed in order on a fresh ledger with the date moved on where the doc moves it, exits 0 and
prints, word for word, what the doc shows. `.venv/bin/python docs/year.py` regenerates it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _year():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("plvgov_year_doc", ROOT / "docs" / "year.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


year = _year()


def _words(text: str) -> list[str]:
    return year.masked(text).split()


@pytest.fixture
def ledger_url(tmp_path) -> str:
    """The year keeps its ledger in ./ledger.db, as a secretary would."""
    return f"sqlite:///{tmp_path / 'ledger.db'}"


def test_the_year_reads_as_a_person_writes():
    """The doc's own parse: the date moves, files are written, commands have their output."""
    steps = year.parse(year.DOC.read_text("utf-8").splitlines())
    kinds = {step.kind for step in steps}
    assert kinds == {"today", "file", "plvgov"}
    groups = {step.command.split()[1] for step in steps if step.kind == "plvgov"}
    assert {
        "init", "settings", "member", "breaks", "director", "board", "resolution", "articles",
        "meeting", "cpi", "subscription", "invoice", "calendar", "check", "render", "audit",
        "backup", "db",
    } <= groups  # fmt: skip


def test_the_year_is_real_output(run, tmp_path, monkeypatch):
    steps = year.parse(year.DOC.read_text("utf-8").splitlines())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLVGOV_DB")  # the default ledger, ./ledger.db
    for key, value in year.environment().items():
        monkeypatch.setenv(key, value)
    checked = 0
    for step in steps:
        if step.kind == "today":
            monkeypatch.setenv("PLVGOV_TODAY", step.command.split("=", 1)[1].strip())
            continue
        if step.kind == "file":
            year.prepare(step, tmp_path)
            continue
        result = run(*year.shlex.split(step.command)[1:])
        assert result.code == 0, (step.command, result.err)
        printed = (result.out + result.err).replace(str(tmp_path), year.FOLDER)
        # word for word: where a line wraps depends on the length of the folder's path
        assert _words(printed) == _words(" ".join(step.shown)), step.command
        checked += 1
    assert checked > 100
