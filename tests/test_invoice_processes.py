"""The invoice run under failure, with real processes: two runs at once issue each invoice
once, and a run killed while its transaction is open leaves nothing, so the next run issues
it all without gaps or duplicates."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plvgov.membership.members import london_authorities

pytestmark = pytest.mark.slow
PLVGOV = Path(sys.executable).with_name("plvgov")
TOTAL = 33
#: A ``sitecustomize`` that makes a run pause after each step (the test-only hook).
SLOW_INVOICE_HOOK = Path(__file__).parent / "slow_invoice"


def _env(db: Path, slow_ms: int = 0) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLVGOV_")}
    env.update(PLVGOV_DB=str(db), PLVGOV_TODAY="2026-11-23", PLVGOV_ACTOR="test")
    if slow_ms:
        paths = [str(SLOW_INVOICE_HOOK), *filter(None, [env.get("PYTHONPATH")])]
        env.update(PYTHONPATH=os.pathsep.join(paths), PLVGOV_TEST_SLOW_INVOICE_MS=str(slow_ms))
    return env


def _plvgov(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(PLVGOV), *args], env=_env(db), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.db"
    _plvgov(path, "init")
    members = tmp_path / "members.csv"
    members.write_text(
        "name,code,address,admitted_on\n"
        + "".join(f"{a['name']},{a['gss_code']},,2023-04-01\n" for a in london_authorities()),
        "utf-8",
    )
    _plvgov(path, "member", "import", str(members))
    _plvgov(path, "settings", "set", "launch_date", "2025-10-01")
    return path


def _numbers(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT number FROM invoice WHERE financial_year = 2026 ORDER BY sequence"
            )
        ]


def _run_cmd(db: Path, slow_ms: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(PLVGOV), "invoice", "run", "--year", "2026", "--date", "2026-04-01", "--json"],
        env=_env(db, slow_ms),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _assert_complete(db: Path) -> None:
    assert _numbers(db) == [f"PLV-2026-{n:04d}" for n in range(1, TOTAL + 1)]
    with sqlite3.connect(db) as conn:
        assert (
            conn.execute(
                "SELECT COUNT(DISTINCT member_id) FROM invoice WHERE financial_year = 2026"
            ).fetchone()[0]
            == TOTAL
        )
    verified = json.loads(_plvgov(db, "audit", "verify", "--json").stdout)
    assert verified["ok"] is True


def test_two_runs_at_once_issue_each_invoice_once(db: Path):
    first, second = _run_cmd(db, 10), _run_cmd(db, 10)
    outs = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, [o[1] for o in outs]
    assert all("Invoicing" not in o[1] for o in outs)  # no progress bar off a terminal
    created = [json.loads(o[0])["created"] for o in outs]
    assert sum(created) == TOTAL  # every invoice issued by exactly one of the runs
    _assert_complete(db)


def _writer_holds(db: Path) -> bool:
    """True while another process holds the ledger's write lock (its transaction is open)."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return True
    finally:
        conn.close()


def test_a_run_killed_inside_its_transaction_leaves_nothing_and_the_next_issues_it_all(db: Path):
    before = json.loads(_plvgov(db, "audit", "verify", "--json").stdout)["events"]
    victim = _run_cmd(db, 60_000)  # pauses after issuing its invoices, before the commit
    deadline = time.monotonic() + 60
    while not _writer_holds(db) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _writer_holds(db), "the run never opened its transaction"
    time.sleep(0.3)  # well into the pause: the rows and their event are written, uncommitted
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=30)
    assert victim.returncode == -signal.SIGKILL
    assert _numbers(db) == []  # nothing of the killed run survives
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    verified = json.loads(_plvgov(db, "audit", "verify", "--json").stdout)
    assert (verified["ok"], verified["events"]) == (True, before)
    rerun = json.loads(
        _plvgov(db, "invoice", "run", "--year", "2026", "--date", "2026-04-01", "--json").stdout
    )
    assert (rerun["created"], rerun["existing"]) == (TOTAL, 0)
    _assert_complete(db)


def test_a_progress_bar_shows_on_a_terminal_only(db: Path):
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [str(PLVGOV), "invoice", "run", "--year", "2026", "--date", "2026-04-01", "--json"],
        env=_env(db, 20),
        stdout=subprocess.PIPE,
        stderr=slave,
        text=True,
    )
    os.close(slave)
    out, _ = proc.communicate(timeout=120)
    seen = b""
    try:
        while chunk := os.read(master, 65536):
            seen += chunk
    except OSError:
        pass  # the terminal closed with the process
    os.close(master)
    assert proc.returncode == 0
    assert json.loads(out)["created"] == TOTAL  # stdout stays one JSON document
    assert b"Invoicing 2026/27" in seen
