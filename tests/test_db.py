"""The ledger's storage: opening, the schema check, SQLite pragmas, backups, upgrades."""

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from plvgov import migrations
from plvgov.company.founding import initialise
from plvgov.db import SCHEMA_HEAD, Ledger, is_sqlite, to_url
from plvgov.errors import LedgerError, PlvgovError
from plvgov.membership import members
from tests.conftest import TODAY


def test_schema_head_is_alembics_head():
    assert SCHEMA_HEAD == migrations.head()


def test_to_url_turns_a_path_into_a_sqlite_url_and_keeps_a_url(tmp_path):
    assert to_url(tmp_path / "x.db") == f"sqlite:///{tmp_path / 'x.db'}"
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/plvgov"
    assert to_url(url) == url


def test_sqlite_ledger_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path, monkeypatch):
    monkeypatch.setenv("PLVGOV_BUSY_TIMEOUT", "7")
    ledger = Ledger(to_url(tmp_path / "ledger.db"))
    try:
        initialise(ledger, today=TODAY)
        with ledger.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 7000
    finally:
        ledger.dispose()


def test_init_refuses_when_a_ledger_exists(ledger):
    with pytest.raises(LedgerError, match="already exists"):
        initialise(ledger, today=TODAY)


def test_open_refuses_a_missing_file_naming_init(tmp_path):
    with pytest.raises(LedgerError, match="plvgov init"):
        Ledger.open(tmp_path / "nope.db")


def test_open_refuses_a_database_that_is_not_a_ledger(tmp_path):
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(LedgerError, match="not a plvgov ledger"):
        Ledger.open(tmp_path / "other.db")


def test_a_failed_write_writes_nothing(ledger):
    with pytest.raises(RuntimeError), ledger.write("test") as s:
        members.admit(s, members.find(s, "bromley"), date(2023, 4, 1))
        raise RuntimeError("boom")
    with ledger.read() as s:
        assert members.find(s, "bromley").admitted_on is None


def _downgrade_one(ledger):
    with ledger.engine.connect() as conn:
        migrations.downgrade(conn, "-1")
        conn.commit()


def test_an_older_schema_is_refused_until_upgraded_with_a_backup_first(ledger):
    _downgrade_one(ledger)
    older = ledger.schema_revision()
    assert older != SCHEMA_HEAD
    with pytest.raises(LedgerError, match="run `plvgov db upgrade`"):
        Ledger.open(ledger.url)
    backup = ledger.upgrade()
    assert ledger.schema_revision() == SCHEMA_HEAD
    Ledger.open(ledger.url).dispose()
    if is_sqlite(ledger.url):
        assert backup is not None and backup.exists()
        conn = sqlite3.connect(backup)
        try:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == older
            assert conn.execute("SELECT count(*) FROM member").fetchone()[0] == 33
        finally:
            conn.close()


def test_an_unknown_newer_schema_is_refused(ledger):
    with ledger.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(LedgerError, match="newer plvgov"):
        Ledger.open(ledger.url)


def test_backup_is_a_consistent_copy_and_refuses_to_overwrite(ledger, tmp_path):
    if not is_sqlite(ledger.url):
        with pytest.raises(LedgerError, match="pg_dump"):
            ledger.backup(tmp_path / "copy.db")
        return
    with ledger.write("t") as s:
        members.admit(s, members.find(s, "bromley"), date(2023, 4, 1))
    copy = ledger.backup(tmp_path / "copy.db")
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM member").fetchone()[0] == 33
        assert conn.execute("SELECT count(*) FROM audit_event").fetchone()[0] == 2
        assert (
            conn.execute("SELECT admitted_on FROM member WHERE slug = 'bromley'").fetchone()[0]
            == "2023-04-01"
        )
    finally:
        conn.close()
    with pytest.raises(PlvgovError, match="already exists.*--force"):
        ledger.backup(copy)
    assert ledger.backup(copy, force=True) == copy
    assert not (tmp_path / "copy.db.partial").exists()


@pytest.mark.parametrize("timeout", ["0.2", "0"])
def test_a_second_writer_waits_then_is_told_the_ledger_is_busy(ledger, monkeypatch, timeout):
    """SQLite: BEGIN IMMEDIATE and the busy timeout. PostgreSQL: the advisory lock, waited for
    as long (a writer must never hang for ever behind a stuck one)."""
    import time

    monkeypatch.setenv("PLVGOV_BUSY_TIMEOUT", timeout)
    other = Ledger(ledger.url)
    try:
        with ledger.write("first") as s:
            members.admit(s, members.find(s, "bromley"), date(2023, 4, 1))
            # writers are serialised: the second cannot start meanwhile
            started = time.monotonic()
            with pytest.raises(LedgerError, match="busy.*try again"), other.write("second"):
                pass
            waited = time.monotonic() - started
    finally:
        other.dispose()
    assert waited >= float(timeout) * 0.9  # it waited its turn before giving up
    with ledger.read() as s:
        assert members.find(s, "bromley").admitted_on == date(2023, 4, 1)


def test_backup_never_replaces_a_device_or_folder(ledger, tmp_path):
    """`backup /dev/null --force` must not turn /dev/null into a file (it once did)."""
    if not ledger.url.startswith("sqlite"):
        pytest.skip("backup copies SQLite ledgers")
    import os

    with pytest.raises(PlvgovError, match="not a regular file"):
        ledger.backup(Path(os.devnull), force=True)
    assert not Path(os.devnull).is_file()
    with pytest.raises(PlvgovError, match="is a folder"):
        ledger.backup(tmp_path, force=True)
    assert not list(tmp_path.glob("*.partial"))


def test_bulk_insert_stores_what_the_orm_reads_back(ledger):
    """Dates, booleans and NULLs go through the dialect's own type handling (ISO text on
    SQLite, native types on PostgreSQL), so the ORM reads back exactly what went in."""
    from sqlmodel import select

    from plvgov.db import bulk_insert
    from plvgov.models.council_acts import WithdrawalNotice

    with ledger.read() as s:
        ids = [members.find(s, slug).id for slug in ("bromley", "camden", "sutton")]
    rows = [
        {
            "member_id": member_id,
            "received_on": date(2024, 2, 29),  # a leap day
            "exit_on": date(2026, 3, 31),
            "notice_deadline": date(2025, 9, 30),
            "deadline_met": member_id != ids[1],
            "missed_exit_on": None if member_id != ids[1] else date(2026, 3, 31),
            "notice_months": 6,
        }
        for member_id in ids
    ]
    shared = {"exit_on": date(2026, 3, 31), "notice_deadline": date(2025, 9, 30)}
    every = list(rows[0])
    own = [c for c in every if c not in shared]
    with ledger.write("test") as s:
        bulk_insert(s, WithdrawalNotice.__table__, every, [list(rows[0].values())])
        # the columns every row has alike given once, the rest row by row (with a value after
        # them that is not inserted, as the invoice run appends each row's id)
        rest = [[row[c] for c in own] + ["not a column"] for row in rows[1:]]
        bulk_insert(s, WithdrawalNotice.__table__, own, rest, same=shared)
        bulk_insert(s, WithdrawalNotice.__table__, own, [])  # nothing to do
        with pytest.raises(ValueError, match="column of its own"):
            bulk_insert(s, WithdrawalNotice.__table__, [], [[]], same=shared)
    with ledger.read() as s:
        found = s.exec(select(WithdrawalNotice).order_by(WithdrawalNotice.member_id)).all()
    assert [
        {k: getattr(n, k) for k in rows[0]}
        for n in sorted(found, key=lambda n: ids.index(n.member_id))
    ] == rows
    if is_sqlite(ledger.url):  # stored as SQLAlchemy stores them: ISO text and integers
        with ledger.engine.connect() as conn:
            raw = conn.execute(
                text("SELECT received_on, deadline_met FROM withdrawal_notice LIMIT 1")
            ).one()
        assert tuple(raw) == ("2024-02-29", 1)
