"""What the benchmarks share: running plvgov in-process, timing, and building ledgers of a given
size or age. Not a test.

Every ledger is built through plvgov's own commands and domain functions, so that it holds what
a real one would: members imported from CSV, a launch date, invoice runs, payments,
representatives re-appointed and rules changed year by year, each with its audit event.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

TODAY = "2026-11-23"
#: Where the shipped CPI series ends, the members agree a flat £20,000 (a scheme is a setting
#: of the ledger's, effective from a year): fifty years of history need no invented index.
FLAT_FROM = 2027
#: Rows per member-import file.
IMPORT_PART = 25_000


def cli(db: Path, *args: str) -> float:
    """Run one plvgov command line in-process (output discarded); returns its seconds."""
    from plvgov import cli as plvgov_cli

    os.environ["PLVGOV_DB"] = str(db)
    sink = io.StringIO()
    gc.collect()  # what earlier steps left behind is the benchmark's, not this command's
    started = time.perf_counter()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = plvgov_cli.run(list(args))
    took = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"plvgov {' '.join(args)} failed ({code}): {sink.getvalue()[-500:]}")
    return took


def best_of(repeats: int, measure: Callable[[], float]) -> float:
    """The fastest of ``repeats`` measurements: the run least disturbed by the machine."""
    return min(measure() for _ in range(repeats))


def best_of_pair(
    repeats: int, plvgov: Callable[[], float], floor: Callable[[], float]
) -> tuple[float, float]:
    """The fastest of ``repeats`` measurements of each, taken alternately so that both see
    the same machine (a virtual machine's speed drifts from one second to the next)."""
    pairs = [(plvgov(), floor()) for _ in range(repeats)]
    return min(p for p, _ in pairs), min(f for _, f in pairs)


def median_of(repeats: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(repeats))


def settle(db: Path) -> None:
    """Fold the WAL back into the file, so that a copy of the file is the whole ledger."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def fresh_copy(source: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(source, target)
    return target


def count(db: Path, sql: str) -> int:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return int(conn.execute(sql).fetchone()[0])


def audited_rows(db: Path) -> int:
    """Rows in every ledger table (what the audit trail's after-images describe)."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] not in ("audit_event", "alembic_version") and not r[0].startswith("sqlite_")
        ]
        return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)


def members_ledger(folder: Path, size: int, name: str = "members") -> Path:
    """A ledger with ``size`` members: the 33 London authorities admitted from 1 April 2023 and
    the rest (fictional authorities with GSS-style codes) from 1 April 2024; launched 1 April
    2024."""
    from plvgov.membership.members import london_authorities

    os.environ["PLVGOV_TODAY"] = TODAY
    db = folder / f"{name}-{size}.db"
    cli(db, "init")
    rows = ["name,code,address,admitted_on"]
    rows += [f"{a['name']},{a['gss_code']},,2023-04-01" for a in london_authorities()[:size]]
    rows += [f"Bench Authority {n},E99{n:06d},{n} High Street,2024-04-01" for n in range(size - 33)]
    header, body = rows[0], rows[1:]
    for part, start in enumerate(range(0, len(body), IMPORT_PART)):
        # member import refuses a file over 5 MB (no real member list is that big): in parts
        csv = folder / f"{name}-{size}-{part}.csv"
        csv.write_text("\n".join([header, *body[start : start + IMPORT_PART]]) + "\n", "utf-8")
        cli(db, "member", "import", str(csv))
    cli(db, "settings", "set", "launch_date", "2024-04-01")
    settle(db)
    return db


def agree_flat_subscription(db: Path) -> None:
    """From :data:`FLAT_FROM` the members pay a flat £20,000 (a scheme recorded as a resolution
    would record it), so that years beyond the shipped CPI series can be invoiced."""
    from plvgov.billing import schemes
    from plvgov.dates import FinancialYear
    from plvgov.db import Ledger

    ledger = Ledger.open(db)
    try:
        with ledger.write("bench subscription scheme") as s:
            schemes.set_scheme(
                s,
                FinancialYear(FLAT_FROM),
                Decimal("20000"),
                indexed=False,
                authority="Resolution 7 (bench)",
            )
    finally:
        ledger.dispose()
    settle(db)


def add_history(db: Path, first: int, last: int) -> None:
    """Financial years ``first`` to ``last`` of history: each year the invoice run, every
    invoice but one paid, every member's representative re-appointed and a rule changed."""
    from plvgov import settings
    from plvgov.billing import accounts, issuing
    from plvgov.dates import FinancialYear
    from plvgov.db import Ledger
    from plvgov.membership import members

    ledger = Ledger.open(db)
    try:
        for year in range(first, last + 1):
            fy = FinancialYear(year)
            outcome = issuing.run(ledger, fy, fy.starts_on, f"bench invoice run {year}")
            for issued in outcome.created[1:]:  # one council is always late
                with ledger.write("bench invoice pay") as s:
                    accounts.pay(
                        s, issued.number, issued.gross, fy.starts_on + timedelta(days=20), "BACS"
                    )
            with ledger.read() as s:
                ids = [m.id for m in members.members_on(s, fy.starts_on) if m.id is not None]
            for member_id in ids:
                with ledger.write("bench representative") as s:
                    members.appoint_representative(
                        s,
                        members.get(s, member_id),
                        f"Representative {year}",
                        fy.starts_on,
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
    settle(db)
