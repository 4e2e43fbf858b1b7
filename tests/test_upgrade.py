"""Upgrades and backups: a ledger made by the first schema (tests/fixtures/ledger-0001.db, see
make_ledger_0001.py) upgrades to the current one with a backup first and every row intact; a
backup taken while another process writes is a consistent ledger that verifies."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from plvgov import audit
from plvgov.db import SCHEMA_HEAD, Ledger
from tests.conftest import PLVGOV_BIN, plvgov_proc, proc_env

FIXTURE = Path(__file__).parent / "fixtures" / "ledger-0001.db"
OLD_TABLES = (
    "audit_event",
    "member",
    "setting_value",
    "member_decision",
    "representative",
    "withdrawal_notice",
)


@pytest.fixture
def ledger_url(tmp_path) -> str:
    """A copy of the 0001 fixture (SQLite: the fixture is a file)."""
    path = tmp_path / "ledger.db"
    shutil.copy(FIXTURE, path)
    return f"sqlite:///{path}"


def _rows(path: Path) -> dict[str, list[dict[str, object]]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return {
            t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1")] for t in OLD_TABLES
        }
    finally:
        conn.close()


def _revision(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


def test_the_fixture_is_a_first_schema_ledger():
    assert _revision(FIXTURE) == "0001_foundation"
    rows = _rows(FIXTURE)
    assert len(rows["member"]) == 34 and len(rows["audit_event"]) == 15
    assert {r["stage"] for r in rows["member_decision"]} == {"in_principle", "final", "declined"}
    assert len(rows["withdrawal_notice"]) == 1 and len(rows["representative"]) == 1


def test_db_upgrade_backs_up_first_and_keeps_every_row(run, ledger_url, tmp_path):
    path = Path(ledger_url.removeprefix("sqlite:///"))
    before = _rows(path)
    refused = run("member", "list")
    assert refused.code == 1 and "plvgov db upgrade" in refused.err

    result = run("db", "upgrade")
    assert result.code == 0, result.err
    assert f"from 0001_foundation to {SCHEMA_HEAD}" in result.out
    backup = Path(re.search(r"Backup first: (\S+?)\.?$", " ".join(result.out.split())).group(1))
    assert backup.exists() and backup.parent == path.parent
    assert _revision(backup) == "0001_foundation"  # the backup is the ledger as it was
    assert _rows(backup) == before

    assert _revision(path) == SCHEMA_HEAD
    after = _rows(path)
    for table, old_rows in before.items():  # every row, every old column, unchanged
        assert [
            {k: r[k] for k in old} for r, old in zip(after[table], old_rows, strict=True)
        ] == old_rows, table
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    assert run("audit", "verify").code == 0
    deep = run("audit", "verify", "--deep", "--json").json()
    # the upgrade changes no audited row; later schemas' reference data (CPI) may be unaudited
    assert [d for d in deep["differences"] if d["kind"] != "unaudited"] == []

    # normal commands work on the upgraded ledger
    listed = {m["slug"]: m for m in run("member", "list", "--json").json()}
    assert listed["bromley"]["status"] == "member"
    assert listed["sutton"]["status"] == "ceased"  # withdrew at the 31 March 2026 break
    assert listed["bexley"]["status"] == "declined"
    assert run("member", "admit", "hackney", "--date", "2024-04-01").code == 0
    assert run("audit", "verify").code == 0
    again = run("db", "upgrade")
    assert again.code == 0 and "nothing to do" in again.out


def test_a_backup_taken_while_another_process_writes_verifies_and_opens(sqlite_template, tmp_path):
    ledger = tmp_path / "ledger.db"
    shutil.copy(sqlite_template, ledger)
    csv = tmp_path / "many.csv"
    csv.write_text(
        "name,code,address,admitted_on\n"
        + "".join(f"Parish Council {n},,{n} High Street,2024-04-01\n" for n in range(1500))
    )
    writer = subprocess.Popen(
        [PLVGOV_BIN, "member", "import", str(csv)],
        env=proc_env(str(ledger)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    copies = []
    try:
        for n in range(4):
            copy = tmp_path / f"copy-{n}.db"
            result = plvgov_proc(str(ledger), "backup", str(copy))
            assert result.code == 0, result.err
            copies.append(copy)
    finally:
        out, err = writer.communicate(timeout=180)
    assert writer.returncode == 0, err
    for copy in copies:
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = conn.execute("SELECT count(*) FROM member").fetchone()[0]
        assert count in (33, 33 + 1500)  # before or after the import, never half of it
        opened = Ledger.open(copy)
        try:
            with opened.read() as s:
                assert audit.verify(s).ok
        finally:
            opened.dispose()
    assert plvgov_proc(str(copies[-1]), "member", "list", "--json").code == 0
