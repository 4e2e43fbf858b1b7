"""No command writes a file over the ledger (issue 10, item 1).

Every command that writes a file (``render --out``, ``invoice export --out``, ``calendar --ics``,
``backup``) refuses the ledger itself, its ``-wal``/``-shm``/``-journal`` companions, and any
spelling of them: a relative path, ``./``, a symlink, a hard link. It also never replaces any
other SQLite database with a document. The ledger's bytes and its audit chain are unchanged.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from plvgov import outputs
from plvgov.errors import InputError
from tests.conftest import plvgov_proc

WRITERS = {
    "register csv": ("render", "register", "--format", "csv", "--out"),
    "register html": ("render", "register", "--format", "html", "--out"),
    "board pack pdf": ("render", "board-pack", "--format", "pdf", "--out"),
    "invoice export": ("invoice", "export", "--year", "2026/27", "--out"),
    "calendar ics": ("calendar", "--ics"),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def sqlite_ledger(run, ledger, ledger_url, tmp_path, monkeypatch) -> Path:
    if not ledger_url.startswith("sqlite"):
        pytest.skip("a PostgreSQL ledger is not a file a command could overwrite")
    monkeypatch.chdir(tmp_path)
    return Path(ledger_url.removeprefix("sqlite:///"))


def _spellings(ledger: Path) -> dict[str, str]:
    folder = ledger.parent
    (folder / "sub").mkdir(exist_ok=True)
    link = folder / "alias.db"
    link.symlink_to(ledger)
    hard = folder / "hard.db"
    os.link(ledger, hard)
    return {
        "absolute": str(ledger),
        "relative": ledger.name,
        "dot-slash": f"./{ledger.name}",
        "dot-dot": f"sub/../{ledger.name}",
        "symlink": str(link),
        "hard link": str(hard),
        "wal": f"{ledger}-wal",
        "shm": f"{ledger}-shm",
        "journal": f"{ledger}-journal",
    }


@pytest.mark.parametrize("writer", list(WRITERS))
def test_no_writer_overwrites_the_ledger_however_it_is_named(run, sqlite_ledger, writer):
    before = _digest(sqlite_ledger)
    for spelling, target in _spellings(sqlite_ledger).items():
        result = run(*WRITERS[writer], target, "--force")
        assert result.code == 1, (spelling, result)
        assert result.err.startswith("Error: ") and "ledger" in result.err, (spelling, result.err)
        assert result.err.count("\n") == 1
    assert _digest(sqlite_ledger) == before
    assert run("audit", "verify", "--deep").code == 0


def test_backup_onto_the_ledger_by_any_name_is_refused(run, sqlite_ledger):
    before = _digest(sqlite_ledger)
    for spelling, target in _spellings(sqlite_ledger).items():
        result = run("backup", target, "--force")
        assert result.code == 1, (spelling, result)
        assert result.err.startswith("Error: "), (spelling, result.err)
    assert _digest(sqlite_ledger) == before
    assert run("audit", "verify").code == 0


def test_a_document_never_replaces_another_database(run, sqlite_ledger, tmp_path):
    """Another ledger (say yesterday's backup) is not this one, but a document must not
    replace it either; a newer backup may."""
    other = tmp_path / "yesterday.db"
    assert run("backup", str(other)).code == 0
    before = _digest(other)
    result = run("render", "register", "--format", "csv", "--out", str(other), "--force")
    assert result.code == 1 and "is a database" in result.err
    assert _digest(other) == before
    assert run("backup", str(other), "--force").code == 0  # a backup replaces a backup


def test_a_fresh_process_is_protected_before_it_opens_the_ledger(sqlite_ledger):
    """`render --out` checks its target before it opens the ledger: protection must not depend
    on the ledger having been opened in this process."""
    before = _digest(sqlite_ledger)
    result = plvgov_proc(
        str(sqlite_ledger),
        "render",
        "register",
        "--format",
        "csv",
        "--out",
        f"./{sqlite_ledger.name}",
        "--force",
    )
    assert result.code == 1 and "is the ledger" in result.err
    assert _digest(sqlite_ledger) == before


def test_the_guard_reads_sqlalchemy_urls(tmp_path):
    ledger = tmp_path / "url-ledger.db"
    ledger.write_bytes(b"")
    outputs.protect(f"sqlite:///{ledger}?mode=ro")
    with pytest.raises(InputError, match="is the ledger"):
        outputs.check_target(ledger, force=True)
    with pytest.raises(InputError, match="is the ledger"):
        outputs.check_target(tmp_path / "url-ledger.db-wal", force=True)
    outputs.protect("postgresql+psycopg://host/plvgov")  # no file: nothing to protect
    assert outputs.check_target(tmp_path / "fine.csv", force=False) == tmp_path / "fine.csv"
