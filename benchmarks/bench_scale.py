"""Benchmark: scale. 33, 1,000 and 10,000 members (and 100,000 with PLVGOV_BENCH_HUGE=1), and 1,
10 and 50 financial years of history: the invoice run, ``audit verify``, ``member list --json``
and the board pack, each beside its floor (benchmarks/floors.py: plain sqlite3 writing or
reading the same rows, hashlib over the same bytes), and ``check`` and ``calendar``, with the
cost per row, so that linear growth shows as a flat column. Each figure is the best of several
runs, each on a fresh copy of the ledger. Not a test.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 33,1000,10000] [--years 1,10,50]
                                               [--repeats 5]

Target (issue 6): the invoice run within 3x its floor at 10,000 members. Issue 18: each figure
flat per member from 1,000 to 10,000 members and per row from 1 to 50 years of history
(``check`` and ``calendar`` included; they have no plain-sqlite3 floor).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import floors  # noqa: E402
from benchmarks.ledgers import (  # noqa: E402
    add_history,
    agree_flat_subscription,
    audited_rows,
    best_of,
    best_of_pair,
    cli,
    count,
    fresh_copy,
    members_ledger,
    settle,
)

TARGET_RUN_RATIO, TARGET_RUN_SIZE = 3.0, 10_000


@dataclass
class Row:
    what: str
    rows: int
    unit: str
    plvgov: float
    floor: float | None

    def line(self) -> str:
        ratio = f"{self.plvgov / self.floor:6.1f}x" if self.floor else "     —"
        floor = f"{self.floor:9.3f}" if self.floor else "        —"
        per = self.plvgov / max(self.rows, 1) * 1e6
        return (
            f"{self.what:<20} {self.rows:>9,} {self.plvgov:9.3f} {floor} {ratio} "
            f"{per:10.1f} µs/{self.unit}"
        )


HEAD = f"{'what':<20} {'rows':>9} {'plvgov s':>9} {'floor s':>9} {'ratio':>7} {'per row':>13}"


def invoice_run(db: Path, year: int, repeats: int, work: Path) -> Row:
    """``plvgov invoice run`` for ``year`` on fresh copies of ``db``; the floor writes the same
    rows (invoices, their document numbers, audit events) into a copy taken before the run."""
    before_seq = count(db, "SELECT coalesce(max(seq), 0) FROM audit_event")
    after = work / "after.db"

    def measure() -> float:
        fresh_copy(db, after)
        return cli(after, "invoice", "run", "--year", str(year), "--date", f"{year}-04-01")

    measure()  # once first: the floor writes the rows this run wrote
    settle(after)
    reference = fresh_copy(after, work / "reference.db")
    invoices = count(reference, f"SELECT count(*) FROM invoice WHERE financial_year = {year}")
    same_rows = floors.invoice_run_rows(year, before_seq)
    floor_db = work / "floor.db"
    took, floor = best_of_pair(
        repeats,
        measure,
        lambda: floors.write_rows(fresh_copy(db, floor_db), reference, same_rows),
    )
    return Row("invoice run", invoices, "invoice", took, floor)


def reads(db: Path, members: int, repeats: int) -> list[Row]:
    """``audit verify``, ``member list --json`` and the board pack on ``db``."""
    rows = audited_rows(db)
    verify = best_of_pair(
        repeats, lambda: cli(db, "audit", "verify"), lambda: floors.verify_chain(db)
    )
    listing = best_of_pair(
        repeats, lambda: cli(db, "member", "list", "--json"), lambda: floors.list_members(db)
    )
    pack = best_of_pair(
        max(2, repeats // 2),
        lambda: cli(db, "render", "board-pack"),
        lambda: floors.read_pack_tables(db),
    )
    check = best_of(repeats, lambda: cli(db, "check"))
    calendar = best_of(repeats, lambda: cli(db, "calendar", "--json"))
    return [
        Row("audit verify", rows, "row", *verify),
        Row("member list --json", members, "member", *listing),
        Row("board pack (md)", rows, "row", *pack),
        Row("check", rows, "row", check, None),
        Row("calendar --json", rows, "row", calendar, None),
    ]


def by_members(sizes: list[int], repeats: int, work: Path) -> dict[int, list[Row]]:
    print("By members (the 2026/27 invoice run; the ledger as it stands after it)")
    print(HEAD)
    results: dict[int, list[Row]] = {}
    for size in sizes:
        db = members_ledger(work, size)
        times = repeats if size < 100_000 else 2  # at least two: one run is one sample of noise
        run = invoice_run(db, 2026, times, work)
        after = fresh_copy(work / "reference.db", work / f"invoiced-{size}.db")
        results[size] = [run, *reads(after, size, times)]
        for row in results[size]:
            print(row.line(), flush=True)
    return results


def by_years(years: list[int], repeats: int, work: Path) -> dict[int, list[Row]]:
    print("\nBy years of history (33 members; each year an invoice run, 32 payments,")
    print("33 representatives re-appointed and a rule changed)")
    print(HEAD)
    db = members_ledger(work, 33, "history")
    agree_flat_subscription(db)
    first = 2024  # the launch
    done = 0
    results: dict[int, list[Row]] = {}
    for span in years:
        add_history(db, first + done, first + span - 1)
        done = span
        os.environ["PLVGOV_TODAY"] = f"{first + span}-04-01"  # the next run's day: facts happen
        events = count(db, "SELECT count(*) FROM audit_event")
        print(f"-- {span} year(s): {events:,} audit events")
        results[span] = [invoice_run(db, first + span, repeats, work), *reads(db, 33, repeats)]
        for row in results[span]:
            print(row.line(), flush=True)
    return results


def verdicts(results: dict[int, list[Row]], history: dict[int, list[Row]]) -> None:
    print("\nTargets")
    if TARGET_RUN_SIZE in results:
        run = results[TARGET_RUN_SIZE][0]
        assert run.floor is not None
        ratio = run.plvgov / run.floor
        verdict = "met" if ratio <= TARGET_RUN_RATIO else "MISSED"
        print(
            f"  invoice run at {TARGET_RUN_SIZE:,} members within {TARGET_RUN_RATIO:g}x its "
            f"floor: {verdict} ({ratio:.1f}x)"
        )
    sizes = sorted(results)
    for small, large in zip(sizes, sizes[1:], strict=False):
        if small < 1000:
            continue  # at 33 members fixed costs (opening the ledger) dominate
        for a, b in zip(results[small], results[large], strict=True):
            per_small, per_large = a.plvgov / a.rows, b.plvgov / b.rows
            growth = per_large / per_small
            shape = _shape(growth)
            print(
                f"  {a.what}: {small:,} → {large:,} members, cost per {a.unit} "
                f"×{growth:.2f} ({shape})"
            )
    spans = sorted(history)
    if len(spans) > 1:
        for a, b in zip(history[spans[0]], history[spans[-1]], strict=True):
            if a.unit != "row":
                continue  # the run and the listing cover 33 members whatever the history
            growth = (b.plvgov / b.rows) / (a.plvgov / a.rows)
            shape = _shape(growth)
            print(
                f"  {a.what}: {spans[0]} → {spans[-1]} years of history, cost per {a.unit} "
                f"×{growth:.2f} ({shape})"
            )


#: The target is a flat cost per row; the machine's own noise is about ±15% between runs.
NOISE = 1.15


def _shape(growth: float) -> str:
    """The verdict on a cost per row that moved ×``growth`` as the rows grew."""
    if growth <= 1.0:
        return "falling: flat target met"
    if growth <= NOISE:
        return "flat within the machine's ±15%: met"
    return "RISING: flat target MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sizes = os.environ.get("PLVGOV_BENCH_SIZES") or (
        "33,1000,10000" + (",100000" if os.environ.get("PLVGOV_BENCH_HUGE") else "")
    )
    quick = bool(os.environ.get("PLVGOV_BENCH_QUICK"))
    if quick and not os.environ.get("PLVGOV_BENCH_SIZES"):
        sizes = "33,1000"
    parser.add_argument("--sizes", default=sizes)
    parser.add_argument("--years", default="1,10" if quick else "1,10,50")
    parser.add_argument("--repeats", type=int, default=3 if quick else 7)
    args = parser.parse_args()
    os.environ["PLVGOV_TODAY"] = "2026-11-23"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = by_members([int(s) for s in args.sizes.split(",")], args.repeats, work)
        history = {}
        if args.years:
            history = by_years([int(y) for y in args.years.split(",")], args.repeats, work)
        verdicts(results, history)


if __name__ == "__main__":
    main()
