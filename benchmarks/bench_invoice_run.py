"""Benchmark: the invoice run for 33, 1,000 and 10,000 members, beside the same invoice rows
written by plain sqlite3 in one transaction (the floor). Not a test.

    .venv/bin/python benchmarks/bench_invoice_run.py [--sizes 33,1000,10000]

Members are loaded with `plvgov member import`; the run is `plvgov invoice run` in-process,
timed alone (not the import). The plain-sqlite3 figure inserts the same rows into a copy of the
ledger taken before the run, in one transaction with no audit chain: the ratio is what one
the run costs beyond the bare inserts.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cli(db: Path, *args: str) -> None:
    from plvgov import cli

    os.environ["PLVGOV_DB"] = str(db)
    with contextlib.redirect_stdout(io.StringIO()):  # the table below is the output
        code = cli.run(list(args))
    if code != 0:
        raise SystemExit(f"plvgov {' '.join(args)} failed with exit {code}")


def _members_csv(path: Path, size: int) -> None:
    from plvgov.members import london_authorities

    rows = ["name,code,address,admitted_on"]
    for a in london_authorities()[:size]:
        rows.append(f"{a['name']},{a['gss_code']},,2023-04-01")
    for n in range(max(0, size - 33)):
        rows.append(f"Bench Authority {n + 1},E99{n + 1:06d},,2024-04-01")
    path.write_text("\n".join(rows) + "\n", "utf-8")


def _plain_sqlite(before: Path, after: Path) -> float:
    """Insert ``after``'s invoice rows into ``before`` with sqlite3, one transaction."""
    with sqlite3.connect(after) as src:
        columns = [r[1] for r in src.execute("PRAGMA table_info(invoice)") if r[1] != "id"]
        rows = src.execute(f"SELECT {', '.join(columns)} FROM invoice").fetchall()
    conn = sqlite3.connect(before, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        f"INSERT INTO invoice ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        rows,
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def bench(size: int, folder: Path) -> tuple[int, float, float]:
    db = folder / f"ledger-{size}.db"
    members = folder / f"members-{size}.csv"
    os.environ["PLVGOV_TODAY"] = "2026-11-23"
    _cli(db, "init")
    _members_csv(members, size)
    _cli(db, "member", "import", str(members))
    _cli(db, "settings", "set", "launch_date", "2025-10-01")
    before = folder / f"before-{size}.db"
    shutil.copy(db, before)
    started = time.perf_counter()
    _cli(db, "invoice", "run", "--year", "2026", "--date", "2026-04-01")
    elapsed = time.perf_counter() - started
    with sqlite3.connect(db) as conn:
        count = conn.execute("SELECT COUNT(*) FROM invoice").fetchone()[0]
    return count, elapsed, _plain_sqlite(before, db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="33,1000,10000")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            count, plvgov_s, plain_s = bench(size, Path(tmp))
            results.append((size, count, plvgov_s, plain_s))
    print("\ninvoice run (one transaction)")
    print(f"{'members':>8} {'invoices':>9} {'plvgov s':>9} {'sqlite3 s':>10} {'ratio':>8}")
    for size, count, plvgov_s, plain_s in results:
        print(f"{size:>8} {count:>9} {plvgov_s:>9.3f} {plain_s:>10.4f} {plvgov_s / plain_s:>7.1f}x")


if __name__ == "__main__":
    main()
