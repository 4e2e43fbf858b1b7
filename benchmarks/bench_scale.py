"""Benchmark: scale. 33, 1,000 and 10,000 members (100,000 with PLVGOV_BENCH_HUGE=1), and
1 to 50 financial years of history: invoice run, board pack, ``audit verify`` and
``member list``, each beside its floor — plain sqlite3 writing/reading the same rows, hashlib
over the same bytes — with the cost per row, so that linear growth shows as a flat column.
Target: invoice run within 3x its floor at 10,000 members. Not a test.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 33,1000,10000] [--years 1,10,50]

PLVGOV_BENCH_SIZES=33,1000 (as ``make bench`` passes it through) picks the sizes.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def cli(db: Path, *args: str) -> float:
    """Run a plvgov command in-process (output discarded); returns seconds."""
    from plvgov import cli as plvgov_cli

    os.environ["PLVGOV_DB"] = str(db)
    sink = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = plvgov_cli.run(list(args))
    took = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"plvgov {' '.join(args)} failed ({code}): {sink.getvalue()[-500:]}")
    return took


def clock(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


# -- floors ---------------------------------------------------------------------------------
def floor_invoice_rows(before: Path, after: Path) -> float:
    """Insert ``after``'s invoice rows (and their audit rows) into ``before`` with sqlite3."""
    with sqlite3.connect(after) as src:
        tables = {}
        for table in ("invoice", "audit_event"):
            cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})") if r[1] != "id"]
            where = "" if table == "invoice" else " WHERE action LIKE 'invoice.%'"
            tables[table] = (
                cols,
                src.execute(f"SELECT {', '.join(cols)} FROM {table}{where}").fetchall(),
            )
    conn = sqlite3.connect(before, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for table, (cols, rows) in tables.items():
        conn.executemany(
            f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) VALUES "
            f"({', '.join('?' for _ in cols)})",
            rows,
        )
    conn.execute("COMMIT")
    took = time.perf_counter() - started
    conn.close()
    return took


def floor_verify(db: Path) -> float:
    """sqlite3 reading every event + hashlib over the same bytes plvgov hashes."""
    from plvgov.audit import canonical_json

    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        events = [dict(r) for r in conn.execute("SELECT * FROM audit_event ORDER BY seq")]
    blobs = [
        (
            e["prev_hash"]
            + canonical_json(
                {
                    k: e[k]
                    for k in (
                        "seq",
                        "at",
                        "actor",
                        "command",
                        "action",
                        "entity",
                        "entity_id",
                        "subject",
                        "payload",
                        "prev_hash",
                    )
                }
            )
        ).encode()
        for e in events
    ]

    def run() -> None:
        with sqlite3.connect(db) as conn:
            conn.execute("SELECT * FROM audit_event ORDER BY seq").fetchall()
        for blob in blobs:
            hashlib.sha256(blob).hexdigest()

    return clock(run)


def floor_list(db: Path) -> float:
    def run() -> None:
        with sqlite3.connect(db) as conn:
            conn.row_factory = sqlite3.Row
            json.dumps([dict(r) for r in conn.execute("SELECT * FROM member ORDER BY name")])

    return clock(run)


# -- ledgers --------------------------------------------------------------------------------
def members_ledger(folder: Path, size: int, name: str = "ledger") -> Path:
    from plvgov.members import london_authorities

    db = folder / f"{name}-{size}.db"
    cli(db, "init")
    rows = ["name,code,address,admitted_on"]
    rows += [f"{a['name']},{a['gss_code']},,2023-04-01" for a in london_authorities()[:size]]
    # with GSS-style codes: the import finds a row by code (by name it scans every member)
    rows += [f"Bench Authority {n},E99{n:06d},{n} High Street,2024-04-01" for n in range(size - 33)]
    csv = folder / f"members-{size}.csv"
    csv.write_text("\n".join(rows) + "\n", "utf-8")
    cli(db, "member", "import", str(csv))
    cli(db, "settings", "set", "launch_date", "2024-04-01")
    return db


def add_history(db: Path, first: int, last: int) -> None:
    """Years of history: each year every member re-appoints its representative, and a rule
    changes — 34 audited transactions a year."""
    from plvgov import members, settings
    from plvgov.db import Ledger

    ledger = Ledger.open(db)
    try:
        for year in range(first, last + 1):
            with ledger.read() as s:
                ids = [m.id for m in members.members_on(s, date(year, 4, 1))]
            for member_id in ids:
                with ledger.write("bench representative") as s:
                    members.appoint_representative(
                        s,
                        members.get(s, member_id),
                        f"Representative {year}",
                        date(year, 4, 1),
                        f"Cabinet {year}",
                    )
            with ledger.write("bench settings set") as s:
                settings.set_value(
                    s,
                    "invoice_due_days",
                    str(20 + year % 20),
                    effective_from=date(year, 4, 1),
                    authority="Board",
                    today=date(year, 3, 1),
                )
    finally:
        ledger.dispose()


def row(label: str, n: int, took: float, floor: float | None, per: str) -> str:
    ratio = f"{took / floor:6.1f}x" if floor else "     —"
    floor_s = f"{floor:9.3f}" if floor else "        —"
    return (
        f"{label:<22} {n:>8} {took:9.3f} {floor_s} {ratio} {took / max(n, 1) * 1e6:10.1f} µs/{per}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sizes = os.environ.get("PLVGOV_BENCH_SIZES") or (
        "33,1000,10000" + (",100000" if os.environ.get("PLVGOV_BENCH_HUGE") else "")
    )
    parser.add_argument("--sizes", default=sizes)
    parser.add_argument("--years", default="1,10,50")
    args = parser.parse_args()
    os.environ["PLVGOV_TODAY"] = "2026-11-23"
    head = f"{'what':<22} {'rows':>8} {'plvgov s':>9} {'floor s':>9} {'ratio':>7} {'per row':>13}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("By members (one financial year, 2026/27)")
        print(head)
        for size in (int(s) for s in args.sizes.split(",")):
            db = members_ledger(folder, size)
            before = folder / f"before-{size}.db"
            with sqlite3.connect(db) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copy(db, before)
            took = cli(db, "invoice", "run", "--year", "2026", "--date", "2026-04-01")
            with sqlite3.connect(db) as conn:
                invoices = conn.execute("SELECT count(*) FROM invoice").fetchone()[0]
                events = conn.execute("SELECT count(*) FROM audit_event").fetchone()[0]
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            print(row("invoice run", invoices, took, floor_invoice_rows(before, db), "invoice"))
            print(
                row("audit verify", events, cli(db, "audit", "verify"), floor_verify(db), "event")
            )
            print(
                row(
                    "member list --json",
                    size,
                    cli(db, "member", "list", "--json"),
                    floor_list(db),
                    "member",
                )
            )
            print(
                row("board pack (md)", size, cli(db, "render", "board-pack"), None, "member"),
                flush=True,
            )
        print("\nBy years of history (33 members; 34 audited changes a year)")
        print(head)
        db = members_ledger(folder, 33, "history")
        os.environ["PLVGOV_TODAY"] = "2075-01-01"
        done = 0
        for years in (int(y) for y in args.years.split(",")):
            add_history(db, 2026 + done, 2026 + years - 1)
            done = years
            with sqlite3.connect(db) as conn:
                events = conn.execute("SELECT count(*) FROM audit_event").fetchone()[0]
            print(f"-- {years} year(s)")
            print(
                row("audit verify", events, cli(db, "audit", "verify"), floor_verify(db), "event")
            )
            print(
                row(
                    "member list --json",
                    33,
                    cli(db, "member", "list", "--json"),
                    floor_list(db),
                    "member",
                )
            )
            print(
                row("board pack (md)", events, cli(db, "render", "board-pack"), None, "event"),
                flush=True,
            )


if __name__ == "__main__":
    main()
