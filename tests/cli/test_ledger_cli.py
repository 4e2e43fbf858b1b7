"""`plvgov init`, `--db`, `db upgrade` and `backup` (plvgov/cli/ledger.py)."""

from __future__ import annotations

import sqlite3

import pytest

from plvgov.db import SCHEMA_HEAD, Ledger, is_sqlite
from tests.cli.helpers import audit_events, one_error_line


def test_init_creates_the_ledger_and_refuses_a_second_time(run):
    first = run(
        "init", "--company-name", "Pan-London Vehicle Limited", "--company-number", "14712345"
    )
    assert first.code == 0, first.err
    assert "33 London authorities" in first.out
    listed = run("member", "list", "--json").json()
    assert len(listed) == 33 and {m["status"] for m in listed} == {"prospect"}
    assert run("settings", "show", "--json").json()["company_number"] == "14712345"
    again = run("init")
    one_error_line(again)
    assert "already exists" in again.err
    assert audit_events(run) == 1


def test_db_option_names_the_ledger(run, tmp_path, ledger_url):
    if not is_sqlite(ledger_url):
        pytest.skip("a file path is a SQLite ledger")
    other = tmp_path / "other.db"
    assert run("--db", str(other), "init").code == 0
    assert other.exists()
    assert len(run("--db", str(other), "member", "list", "--json").json()) == 33
    missing = run("--db", str(tmp_path / "missing.db"), "member", "list")
    one_error_line(missing)
    assert "plvgov init" in missing.err


def test_an_older_schema_stops_commands_until_db_upgrade(ledger, run):
    from plvgov import migrations

    with ledger.engine.connect() as conn:
        migrations.downgrade(conn, "-1")
        conn.commit()
    refused = run("member", "list")
    one_error_line(refused)
    assert "plvgov db upgrade" in refused.err
    upgraded = run("db", "upgrade")
    assert upgraded.code == 0, upgraded.err
    assert f"to {SCHEMA_HEAD}" in upgraded.out
    if is_sqlite(ledger.url):
        backup = upgraded.out.split("Backup first: ")[1].strip().rstrip(".")
        conn = sqlite3.connect(backup)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM member").fetchone()[0] == 33
        finally:
            conn.close()
    assert run("member", "list").code == 0
    assert "nothing to do" in run("db", "upgrade").out


def test_backup_copies_and_refuses_to_overwrite(ledger, run, tmp_path):
    target = tmp_path / "copy.db"
    result = run("backup", str(target))
    if not is_sqlite(ledger.url):
        one_error_line(result)
        assert "pg_dump" in result.err
        return
    assert result.code == 0, result.err
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM member").fetchone()[0] == 33
    finally:
        conn.close()
    copy = Ledger.open(target)
    assert copy.schema_revision() == SCHEMA_HEAD
    copy.dispose()
    again = run("backup", str(target))
    one_error_line(again)
    assert "--force" in again.err
    assert run("backup", str(target), "--force").code == 0
