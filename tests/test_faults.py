"""Faults: a locked ledger, a read-only ledger, a full disk, a ledger in a missing folder or a
file that is no ledger — each a clear one-line `Error:`, never a traceback, nothing half-written."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from plvgov import db as plvgov_db
from tests.conftest import plvgov_proc


def _audit_head(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT max(seq) FROM audit_event").fetchone()[0]
    finally:
        conn.close()


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def ledger_url(tmp_path) -> str:
    """These faults are SQLite's (files, locks, pages): no PostgreSQL variant."""
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture
def ledger_file(sqlite_template, tmp_path) -> Path:
    path = tmp_path / "ledger.db"
    shutil.copy(sqlite_template, path)
    return path


def test_a_locked_ledger_waits_the_busy_timeout_then_fails_clearly(ledger_file):
    holder = sqlite3.connect(ledger_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the ledger
    try:
        started = time.monotonic()
        result = plvgov_proc(
            str(ledger_file),
            "member",
            "admit",
            "bromley",
            "--date",
            "2023-04-01",
            PLVGOV_BUSY_TIMEOUT="0.5",
        )
        waited = time.monotonic() - started
        # readers are not blocked by a writer (WAL)
        listing = plvgov_proc(str(ledger_file), "member", "list", "--json")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.code == 1
    line = _one_error_line(result.err)
    assert "busy" in line and "PLVGOV_BUSY_TIMEOUT" in line
    assert waited >= 0.5  # it waited before giving up
    assert listing.code == 0
    assert _audit_head(ledger_file) == 1
    # once the other writer lets go, the same command succeeds
    again = plvgov_proc(str(ledger_file), "member", "admit", "bromley", "--date", "2023-04-01")
    assert again.code == 0 and _audit_head(ledger_file) == 2


def test_a_read_only_ledger_refuses_writes_clearly(ledger_file, run, monkeypatch):
    # Tests may run as root, where chmod does not stop writes: open it read-only by URI instead.
    url = f"sqlite:///file:{ledger_file}?mode=ro&uri=true"
    monkeypatch.setenv("PLVGOV_DB", url)
    result = run("member", "admit", "bromley", "--date", "2023-04-01")
    assert result.code == 1
    assert "read-only" in _one_error_line(result.err)
    assert run("member", "list", "--json").code == 0  # reading still works
    assert _audit_head(ledger_file) == 1


@pytest.mark.skipif(
    os.geteuid() == 0,
    reason="root ignores file permissions; the URI test above covers a read-only ledger",
)
def test_a_ledger_with_read_only_permissions_refuses_writes(ledger_file, run, monkeypatch):
    monkeypatch.setenv("PLVGOV_DB", str(ledger_file))
    ledger_file.chmod(0o444)
    ledger_file.parent.chmod(0o555)
    try:
        result = run("member", "admit", "bromley", "--date", "2023-04-01")
    finally:
        ledger_file.parent.chmod(0o755)
        ledger_file.chmod(0o644)
    assert result.code == 1
    _one_error_line(result.err)
    assert _audit_head(ledger_file) == 1


def test_a_full_disk_is_a_clear_error_and_nothing_is_written(
    ledger_file, run, monkeypatch, tmp_path
):
    # Simulate a full disk: cap the ledger at its current size on every connection the CLI
    # opens, so that SQLite raises "database or disk is full" part-way through the import.
    real_build = plvgov_db.build_engine

    def capped(url):
        engine = real_build(url)
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _cap(dbapi_connection, _record):
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

        return engine

    monkeypatch.setattr(plvgov_db, "build_engine", capped)
    monkeypatch.setenv("PLVGOV_DB", str(ledger_file))
    csv = tmp_path / "many.csv"
    csv.write_text(
        "name,code,address,admitted_on\n"
        + "".join(f"Parish Council {n},,{'Long Lane ' * 40}{n},2024-04-01\n" for n in range(3000))
    )
    before = ledger_file.read_bytes()
    result = run("member", "import", str(csv))
    assert result.code == 1
    assert "disk is full" in _one_error_line(result.err)
    monkeypatch.setattr(plvgov_db, "build_engine", real_build)
    conn = sqlite3.connect(ledger_file)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM member").fetchone()[0] == 33
        assert conn.execute("SELECT max(seq) FROM audit_event").fetchone()[0] == 1
    finally:
        conn.close()
    assert len(before) > 0
    assert run("audit", "verify").code == 0


def test_a_ledger_path_in_a_missing_folder(tmp_path, run, monkeypatch):
    missing = tmp_path / "no" / "such" / "ledger.db"
    monkeypatch.setenv("PLVGOV_DB", str(missing))
    created = run("init")
    assert created.code == 1
    assert "does not exist" in _one_error_line(created.err)
    listed = run("member", "list")
    assert listed.code == 1
    assert "no ledger at" in _one_error_line(listed.err)
    assert not missing.parent.exists()  # nothing created on the way


def test_a_backup_into_a_missing_folder_writes_nothing(ledger_file, tmp_path, run, monkeypatch):
    monkeypatch.setenv("PLVGOV_DB", str(ledger_file))
    result = run("backup", str(tmp_path / "gone" / "copy.db"))
    assert result.code == 1
    assert "does not exist" in _one_error_line(result.err)
    assert not (tmp_path / "gone").exists()


@pytest.mark.parametrize(
    "content", [b"", b"hello, I am a spreadsheet\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000]
)
def test_a_file_that_is_no_ledger_is_refused_clearly(tmp_path, run, monkeypatch, content):
    path = tmp_path / "ledger.db"
    path.write_bytes(content)
    monkeypatch.setenv("PLVGOV_DB", str(path))
    for args in (
        ("member", "list"),
        ("member", "admit", "bromley", "--date", "2023-04-01"),
        ("audit", "verify"),
        ("db", "upgrade"),
    ):
        result = run(*args)
        assert result.code == 1, args
        _one_error_line(result.err)
    if content:  # (an empty file gains a SQLite header from the WAL pragma: still no ledger)
        assert path.read_bytes() == content  # untouched


def test_an_unreachable_database_server_is_a_clear_error(run, monkeypatch):
    monkeypatch.setenv("PLVGOV_DB", "postgresql+psycopg://postgres@127.0.0.1:1/plvgov_nowhere")
    result = run("member", "list")
    assert result.code == 1
    assert "cannot reach the database server" in _one_error_line(result.err)


@pytest.mark.postgres
def test_a_busy_postgresql_ledger_waits_the_busy_timeout_then_fails_clearly():
    """A team's shared ledger: a writer stuck behind another waits PLVGOV_BUSY_TIMEOUT for the
    writers' advisory lock, then says so — it never hangs."""
    from sqlalchemy import create_engine, text

    from plvgov.company.founding import initialise
    from plvgov.db import PG_WRITE_LOCK, Ledger
    from tests.conftest import TODAY, _postgres_url

    url = _postgres_url()  # skips, saying why, when no server is configured or reachable
    ledger = Ledger(url)
    initialise(ledger, today=TODAY, company_name="PLV", company_number="14712345")
    ledger.dispose()
    engine = create_engine(url)
    try:
        with engine.connect() as holder:  # another writer holds the lock
            holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": PG_WRITE_LOCK})
            started = time.monotonic()
            result = plvgov_proc(
                url, "member", "admit", "bromley", "--date", "2023-04-01", PLVGOV_BUSY_TIMEOUT="0.5"
            )
            waited = time.monotonic() - started
            listing = plvgov_proc(url, "member", "list", "--json")  # readers are not blocked
            holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PG_WRITE_LOCK})
            holder.commit()
        assert result.code == 1
        line = _one_error_line(result.err)
        assert "busy" in line and "PLVGOV_BUSY_TIMEOUT" in line
        assert waited >= 0.5
        assert listing.code == 0 and listing.json()[0]["status"] == "prospect"
        again = plvgov_proc(url, "member", "admit", "bromley", "--date", "2023-04-01")
        assert again.code == 0, again.err
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_event")).scalar_one() == 2
    finally:
        engine.dispose()
