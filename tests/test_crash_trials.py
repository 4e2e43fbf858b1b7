"""Crash trials: real `plvgov` processes killed with SIGKILL at random points.

Each trial copies one prepared ledger, starts a write command (member import, admit, settings
set, representative, resolution vote, and invoice run once billing has it), kills it after a
seeded random delay and then checks that the ledger lost nothing and gained nothing twice:
``PRAGMA integrity_check`` is ok, the audit chain and every row against its after-image verify,
nothing exists twice, numbers are contiguous — and the interrupted command completes when run
again. ``TRIALS`` (default 50) and ``PLVGOV_CRASH_SEED`` tune a run.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from plvgov import audit, settings
from plvgov.db import Ledger
from plvgov.membership import members
from tests.conftest import PLVGOV_BIN, TODAY, plvgov_proc, proc_env

pytestmark = pytest.mark.slow

TRIALS = int(os.environ.get("PLVGOV_CRASH_TRIALS", "50"))
SEED = int(os.environ.get("PLVGOV_CRASH_SEED", "20261123"))
IMPORT_ROWS = 150
ADMITTED = ["bromley", "camden", "hackney", "lambeth", "sutton", "merton", "barnet", "brent"]


@dataclass
class Tally:
    trials: int = 0
    killed: int = 0  # the kill landed while the process was running
    finished_first: int = 0  # the command had already finished when the kill came
    applied_before_rerun: int = 0  # the killed command had committed its change
    duplicates: int = 0
    kinds: Counter[str] = field(default_factory=Counter)


def _has_command(db: Path, *words: str) -> bool:
    return plvgov_proc(str(db), *words, "--help").code == 0


@pytest.fixture(scope="module")
def prepared(sqlite_template, tmp_path_factory) -> dict[str, object]:
    """The template with members admitted, a resolution circulated and an import file."""
    folder = tmp_path_factory.mktemp("crash")
    path = folder / "prepared.db"
    shutil.copy(sqlite_template, path)
    led = Ledger(f"sqlite:///{path}")
    for slug in ADMITTED:
        with led.write(f"plvgov member admit {slug}") as s:
            members.admit(s, members.find(s, slug), date(2023, 4, 1))
    with led.write("plvgov settings set launch_date") as s:
        settings.set_value(
            s, "launch_date", "2024-04-01", effective_from=None, authority=None, today=TODAY
        )
    led.dispose()
    info: dict[str, object] = {"path": path, "votes": False, "invoices": False}
    if _has_command(path, "resolution", "vote"):
        proposed = plvgov_proc(
            str(path),
            "resolution",
            "propose",
            "--title",
            "Approve the plan",
            "--type",
            "ordinary",
            "--procedure",
            "written",
            "--json",
        )
        assert proposed.code == 0, proposed.err
        rid = str(proposed.json()["id"])
        assert (
            plvgov_proc(str(path), "resolution", "circulate", rid, "--date", "2026-11-20").code == 0
        )
        info.update(votes=True, resolution=rid)
    info["invoices"] = _has_command(path, "invoice", "run")
    csv = folder / "import.csv"
    csv.write_text(
        "name,code,address,admitted_on\n"
        + "".join(f"Parish Council {n},,{n} High Street,2024-04-01\n" for n in range(IMPORT_ROWS))
    )
    info["csv"] = csv
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return info


def _commands(info: dict[str, object], rng: random.Random) -> tuple[str, list[str]]:
    kinds = ["import", "admit", "settings", "representative", "decide"]
    if info["votes"]:
        kinds += ["vote", "vote"]
    if info["invoices"]:
        kinds += ["invoice", "invoice"]
    kind = rng.choice(kinds)
    who = rng.choice(ADMITTED)
    if kind == "import":
        return kind, ["member", "import", str(info["csv"])]
    if kind == "admit":
        return kind, [
            "member",
            "admit",
            rng.choice(["wandsworth", "islington", "ealing"]),
            "--date",
            "2024-04-01",
        ]
    if kind == "settings":
        return kind, [
            "settings",
            "set",
            "invoice_due_days",
            str(rng.randint(10, 60)),
            "--from",
            "2027-04-01",
            "--authority",
            "Board",
        ]
    if kind == "representative":
        return kind, [
            "member",
            "representative",
            who,
            "--name",
            "Alex Jones",
            "--from",
            "2025-01-01",
        ]
    if kind == "decide":
        return kind, [
            "member",
            "decide",
            "westminster",
            "--stage",
            "in-principle",
            "--date",
            "2026-07-14",
            "--body",
            "Cabinet",
        ]
    if kind == "vote":
        return kind, [
            "resolution",
            "vote",
            str(info["resolution"]),
            who,
            "--vote",
            "for",
            "--date",
            "2026-11-21",
        ]
    return kind, ["invoice", "run", "--year", "2026", "--date", "2026-04-01"]


def _effects(conn: sqlite3.Connection) -> dict[str, int]:
    """Counts that a command adds to exactly once."""
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    counts = {
        "events": one("SELECT count(*) FROM audit_event"),
        "members": one("SELECT count(*) FROM member"),
        "admitted": one("SELECT count(*) FROM member WHERE admitted_on IS NOT NULL"),
        "settings": one("SELECT count(*) FROM setting_value"),
        "representatives": one("SELECT count(*) FROM representative"),
        "decisions": one("SELECT count(*) FROM member_decision"),
    }
    if "resolution_vote" in tables:
        counts["votes"] = one("SELECT count(*) FROM resolution_vote")
    if "invoice" in tables:
        counts["invoices"] = one("SELECT count(*) FROM invoice")
    return counts


def _deep_differences(path: Path) -> set[str]:
    led = Ledger(f"sqlite:///{path}")
    try:
        with led.read() as s:
            deep = audit.verify_deep(s)
    finally:
        led.dispose()
    assert deep.chain.ok, deep.chain.problem
    return {d.message for d in deep.differences}


def _check_invariants(path: Path) -> int:
    """Integrity, the audit chain and rows, no duplicates, contiguous numbers. Returns the
    number of duplicates found (always 0 or the assertion fails first)."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        dup = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        duplicates = (
            dup("SELECT name FROM member GROUP BY name HAVING count(*) > 1")
            + dup(
                "SELECT member_id, from_on FROM representative GROUP BY member_id, from_on "
                "HAVING count(*) > 1"
            )
            + dup(
                "SELECT member_id, stage, decided_on FROM member_decision "
                "GROUP BY 1, 2, 3 HAVING count(*) > 1"
            )
        )
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "resolution_vote" in tables:
            duplicates += dup(
                "SELECT resolution_id, member_id FROM resolution_vote "
                "GROUP BY 1, 2 HAVING count(*) > 1"
            )
        if "invoice" in tables:
            duplicates += dup(
                "SELECT member_id, financial_year FROM invoice GROUP BY 1, 2 HAVING count(*) > 1"
            )
            for (year,) in conn.execute("SELECT DISTINCT financial_year FROM invoice"):
                seqs = [
                    r[0]
                    for r in conn.execute(
                        "SELECT sequence FROM invoice WHERE financial_year = ? ORDER BY sequence",
                        (year,),
                    )
                ]
                assert seqs == list(range(1, len(seqs) + 1)), f"invoice numbers gap: {seqs}"
        seqs = [r[0] for r in conn.execute("SELECT seq FROM audit_event ORDER BY seq")]
        assert seqs == list(range(1, len(seqs) + 1))
    finally:
        conn.close()
    differences = _deep_differences(path)  # every row matches its last audited state
    assert not differences, sorted(differences)[:5]
    assert not duplicates, duplicates
    return len(duplicates)


def _kill_after(args: list[str], db: Path, delay: float) -> bool:
    """Start the command, SIGKILL it after ``delay`` seconds; True when the kill landed."""
    proc = subprocess.Popen(
        [PLVGOV_BIN, *args],
        env=proc_env(str(db)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return True


def test_sigkill_at_random_points_loses_nothing_and_doubles_nothing(prepared, tmp_path):
    rng = random.Random(SEED)
    tally = Tally()
    source = prepared["path"]
    assert isinstance(source, Path)
    with sqlite3.connect(source) as conn:
        baseline = _effects(conn)
    assert _deep_differences(source) == set()  # the prepared ledger is wholly audited
    # How long each kind takes uninterrupted (on this machine), so kills land in every phase:
    # interpreter start-up, imports, the write transaction and the commit.
    durations: dict[str, float] = {}
    started_all = time.monotonic()
    for trial in range(TRIALS):
        kind, args = _commands(prepared, rng)
        db = tmp_path / f"trial-{trial}.db"
        shutil.copy(source, db)
        if kind not in durations:
            probe = tmp_path / "probe.db"
            shutil.copy(source, probe)
            t0 = time.monotonic()
            first = plvgov_proc(str(probe), *args)
            assert first.code == 0, (args, first.err)
            durations[kind] = time.monotonic() - t0
            probe.unlink()
        delay = rng.uniform(0.05, max(0.6, durations[kind] * 0.95))
        landed = _kill_after(args, db, delay)
        tally.trials += 1
        tally.kinds[kind] += 1
        tally.killed += landed
        tally.finished_first += not landed
        tally.duplicates += _check_invariants(db)
        with sqlite3.connect(db) as conn:
            after_kill = _effects(conn)
        tally.applied_before_rerun += after_kill["events"] > baseline["events"]
        # The interrupted command completes when run again (or says it was already done).
        again = plvgov_proc(str(db), *args)
        assert "Traceback" not in again.err and "unexpected failure" not in again.err
        if after_kill["events"] == baseline["events"]:
            assert again.code == 0, (kind, again.err)
        else:
            assert again.code in (0, 1), (kind, again.err)
        tally.duplicates += _check_invariants(db)
        with sqlite3.connect(db) as conn:
            final = _effects(conn)
        # exactly one application of the command's effect, however the kill fell
        grown = {k: final[k] - baseline[k] for k in final}
        expected = {
            "import": {"members": IMPORT_ROWS, "admitted": IMPORT_ROWS},
            "admit": {"admitted": 1},
            "settings": {"settings": 1},
            "representative": {"representatives": 1},
            "decide": {"decisions": 1},
            "vote": {"votes": 1},
        }.get(kind)
        if expected is not None:
            for key, value in expected.items():
                assert grown[key] == value, (kind, grown)
            assert grown["events"] == 1, (kind, grown)
        else:  # invoice run: one invoice per member on the register, one event for the run
            assert grown["invoices"] == len(ADMITTED), grown
            assert grown["events"] == 1, grown
        db.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    elapsed = time.monotonic() - started_all
    print(
        f"\ncrash trials: {tally.trials} trials, {tally.killed} SIGKILLs landed mid-command, "
        f"{tally.finished_first} finished first, {tally.applied_before_rerun} had committed, "
        f"{tally.duplicates} duplicates; kinds {dict(tally.kinds)}; {elapsed:.0f}s"
    )
    assert tally.trials == TRIALS and tally.duplicates == 0
    assert tally.killed >= TRIALS // 4  # kills really interrupt running commands
