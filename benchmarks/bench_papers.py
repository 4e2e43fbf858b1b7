"""Benchmark: papers and whole commands, each a process from start to exit beside its floor's
process, run alternately and the medians compared (issue 18). Not a test.

    .venv/bin/python benchmarks/bench_papers.py [--runs 7] [--quick]

- one invoice as PDF, and the board pack as PDF, beside WeasyPrint alone rendering the same
  HTML (the file plvgov renders with --format html) to PDF the way plvgov does; target 1.25x.
  The board pack twice: with its charts kept from the run before (the same figures rendered
  again, as while its papers are drafted) and with them drawn (the cache emptied first);
- a year's 33 invoices as PDFs in one command (``render invoice --year --out DIR``) beside one
  invoice; target 3x;
- the invoice run at 10,000 members (1,000 with --quick) beside a python + sqlite3 process
  writing the same rows (the invoices, their document numbers) and hash-chaining the same audit
  rows; target 3x;
- ``check``, ``calendar`` and ``member list --json`` on the demo ledger beside
  ``python -c "import sqlmodel"``; target 1.3x.

Then where one invoice's, the board pack's and ``check``'s time goes: a cProfile of each
process, its time split into imports, opening the ledger, building the context, the template,
and WeasyPrint's layout and PDF writing.
"""

from __future__ import annotations

import argparse
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = ROOT / ".venv" / "bin"
PLVGOV, PYTHON = str(BIN / "plvgov"), str(BIN / "python")
FLOORS = str(ROOT / "benchmarks" / "floors.py")
TODAY = "2026-11-23"


def _once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-800:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


@dataclass
class Pair:
    what: str
    floor_name: str
    target: float
    wall: float
    floor_wall: float
    cpu: float
    floor_cpu: float
    rounds: tuple[float, ...] = ()  # each round's wall ratio: ours over the floor's run beside it

    def line(self) -> str:
        ratio = self.wall / self.floor_wall
        verdict = "met" if ratio <= self.target else "MISSED"
        return (
            f"{self.what:<30} {self.wall:6.2f} {self.cpu:6.2f}  {self.floor_name:<28} "
            f"{self.floor_wall:6.2f} {self.floor_cpu:6.2f} {ratio:6.2f}x "
            f"({self.cpu / self.floor_cpu:4.2f}x) {self.target:4.2f}x {verdict}"
        )

    def spread(self) -> str:
        """The quartiles of the rounds' ratios: how far one sample of the ratio can stray."""
        low, mid, high = statistics.quantiles(self.rounds, n=4)
        return f"{self.what:<30} {low:5.2f}x {mid:5.2f}x {high:5.2f}x  ({len(self.rounds)} rounds)"


#: Runs of a process under a second, for each run of a paper: a short process's time varies
#: more from run to run on a shared machine (the same command here: 0.71 s to 1.20 s).
SHORT = 3

HEAD = (
    f"{'what':<30} {'wall':>6} {'cpu':>6}  {'floor':<28} {'wall':>6} {'cpu':>6} {'ratio':>7} "
    f"{'(cpu)':>7} target"
)


def paired(
    what: str,
    argv: list[str],
    floor_name: str,
    floor_argv: list[str],
    target: float,
    env: dict[str, str],
    runs: int,
    before: list[str] | None = None,
) -> Pair:
    """Medians of ``runs`` alternating runs of each, after one warm-up of each; ``before`` (a
    command) runs untimed before every run of either (a fresh copy of a ledger)."""

    def one(args: list[str]) -> tuple[float, float]:
        if before:
            subprocess.run(before, env=env, check=True)
        return _once(args, env)

    one(argv), one(floor_argv)
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(one(argv))
        theirs.append(one(floor_argv))
    med = statistics.median
    return Pair(
        what,
        floor_name,
        target,
        med(w for w, _ in ours),
        med(w for w, _ in theirs),
        med(c for _, c in ours),
        med(c for _, c in theirs),
        tuple(a[0] / b[0] for a, b in zip(ours, theirs, strict=True)),
    )


def run_ledger(work: Path, size: int) -> tuple[Path, Path, int]:
    """A ledger of ``size`` members before its 2026/27 invoice run, the same after it, and the
    audit sequence number before it."""
    from benchmarks.ledgers import cli, count, fresh_copy, members_ledger, settle

    db = members_ledger(work, size)
    seq = count(db, "SELECT coalesce(max(seq), 0) FROM audit_event")
    after = fresh_copy(db, work / f"after-{size}.db")
    cli(after, "invoice", "run", "--year", "2026", "--date", "2026-04-01")
    settle(after)
    return db, after, seq


# -- where the time goes ---------------------------------------------------------------------
#: Each phase of a command and the functions whose cumulative time measures it (any of them).
PHASES = (
    ("imports (all modules)", (("<frozen importlib._bootstrap>", "_find_and_load"),)),
    ("open the ledger + schema check", (("plvgov/db.py", "open"),)),
    (
        "build the context (queries)",
        (("plvgov/documents/billing.py", "invoice"), ("plvgov/documents/board_pack.py", "build")),
    ),
    ("template (Jinja)", (("plvgov/documents/engine.py", "render"),)),
    ("waiting for the PDF worker", (("concurrent/futures/_base.py", "result"),)),
    ("WeasyPrint layout", (("weasyprint/__init__.py", "render"),)),
    ("WeasyPrint writing the PDF", (("weasyprint/document.py", "write_pdf"),)),
    ("  of which subsetting fonts", (("weasyprint/pdf/fonts.py", "build_fonts_dictionary"),)),
    ("the checks", (("plvgov/oversight/checks.py", "run"),)),
)


def profile(argv: list[str], env: dict[str, str], work: Path) -> list[str]:
    """One run of ``plvgov ARGV`` under cProfile: its total and each phase's cumulative time
    (phases overlap: the imports a phase triggers count in it too; cProfile inflates pure
    Python more than C, so read the shares, not the seconds). A PDF is rendered in a worker
    process, which cProfile does not see: its part is the command's wait for it."""
    out = work / "profile.out"
    subprocess.run(
        [PYTHON, "-m", "cProfile", "-o", str(out), "-m", "plvgov", *argv],
        env=env,
        check=True,
        capture_output=True,
    )
    stats = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
    total = max(v[3] for v in stats.values())
    lines = [f"{'whole process (under cProfile)':<34} {total:6.2f} s"]
    for label, places in PHASES:
        found = [
            v[3]
            for (file, _, name), v in stats.items()
            for file_part, func in places
            if name == func and file.endswith(file_part)
        ]
        if found:
            took = max(found)
            lines.append(f"{label:<34} {took:6.2f} s  {100 * took / total:3.0f}%")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    quick = bool(os.environ.get("PLVGOV_BENCH_QUICK"))
    parser.add_argument("--runs", type=int, default=3 if quick else 7)
    parser.add_argument("--quick", action="store_true", default=quick)
    args = parser.parse_args()
    size = 1_000 if args.quick else 10_000
    os.environ["PLVGOV_TODAY"] = TODAY
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        kept = work / "cache"  # the bank holidays and charts plvgov keeps between runs
        env = {**os.environ, "PLVGOV_TODAY": TODAY, "COLUMNS": "80", "PLVGOV_CACHE_DIR": str(kept)}
        demo = work / "demo"
        subprocess.run([PLVGOV, "demo", "--dir", str(demo)], env=env, check=True,
                       capture_output=True)  # fmt: skip
        demo_env = {**env, "PLVGOV_DB": str(demo / "ledger.db")}
        db33, _, _ = run_ledger(work, 33)
        invoiced = work / "invoiced-33.db"
        from benchmarks.ledgers import cli

        shutil.copy(db33, invoiced)
        cli(invoiced, "invoice", "run", "--year", "2026", "--date", "2026-04-01")
        env33 = {**env, "PLVGOV_DB": str(invoiced)}
        papers = work / "papers"
        papers.mkdir()
        one_pdf, one_html = work / "one.pdf", work / "one.html"
        pack_pdf, pack_html = work / "pack.pdf", work / "pack.html"
        render_one = [PLVGOV, "render", "invoice", "PLV-2026-0001"]
        render_pack = [PLVGOV, "render", "board-pack"]
        subprocess.run([*render_one, "--out", str(one_html)], env=env33, check=True)
        subprocess.run([*render_pack, "--out", str(pack_html)], env=demo_env, check=True)
        weasy = "WeasyPrint alone, same HTML"
        print(
            f"medians of {args.runs} alternating runs of each process ({args.runs * SHORT} of "
            "the invoice run and the three commands, each under a second), seconds"
        )
        print(HEAD)
        one = paired("one invoice (PDF)", [*render_one, "--out", str(one_pdf), "--force"],
                     weasy, [PYTHON, FLOORS, "pdf", str(one_html), str(one_pdf)],
                     1.25, env33, args.runs)  # fmt: skip
        print(one.line(), flush=True)
        forget_charts = [PYTHON, "-c", "import sys, pathlib; "
                         "[p.unlink() for p in pathlib.Path(sys.argv[1]).glob('chart-*.svg')]",
                         str(kept)]  # fmt: skip
        drawn = paired("board pack (PDF), charts drawn",
                       [*render_pack, "--out", str(pack_pdf), "--force"],
                       weasy, [PYTHON, FLOORS, "pdf", str(pack_html), str(pack_pdf)],
                       1.25, demo_env, args.runs, before=forget_charts)  # fmt: skip
        print(drawn.line(), flush=True)
        # its warm-up run keeps the charts again (and the profile below sees them kept)
        pack = paired("board pack (PDF), charts kept",
                      [*render_pack, "--out", str(pack_pdf), "--force"],
                      weasy, [PYTHON, FLOORS, "pdf", str(pack_html), str(pack_pdf)],
                      1.25, demo_env, args.runs)  # fmt: skip
        print(pack.line(), flush=True)
        year = [PLVGOV, "render", "invoice", "--year", "2026", "--out", str(papers), "--force"]
        batch = paired("a year's 33 invoices (PDF)", year, "one invoice (PDF)",
                       [*render_one, "--out", str(one_pdf), "--force"], 3.0, env33,
                       args.runs)  # fmt: skip
        print(batch.line(), flush=True)
        before, after, seq = run_ledger(work, size)
        target = work / "run.db"
        copy = [PYTHON, "-c", "import shutil, sys; from pathlib import Path; "
                "[Path(sys.argv[2] + s).unlink(missing_ok=True) for s in ('-wal', '-shm')]; "
                "shutil.copy(sys.argv[1], sys.argv[2])", str(before), str(target)]  # fmt: skip
        invoice_run = paired(
            f"invoice run, {size:,} members",
            [PLVGOV, "--db", str(target), "invoice", "run", "--year", "2026", "--date",
             "2026-04-01"],
            "python + sqlite3 process", [PYTHON, FLOORS, "write-rows", str(target), str(after),
                                         "2026", str(seq)],
            3.0, env, args.runs * SHORT, before=copy,
        )  # fmt: skip
        print(invoice_run.line(), flush=True)
        sqlmodel = [PYTHON, "-c", "import sqlmodel"]
        rows = [one, drawn, pack, batch, invoice_run]
        for name, argv in (
            ("check (demo)", [PLVGOV, "check"]),
            ("calendar (demo)", [PLVGOV, "calendar"]),
            ("member list --json (demo)", [PLVGOV, "member", "list", "--json"]),
        ):
            row = paired(name, argv, 'python -c "import sqlmodel"', sqlmodel, 1.3, demo_env,
                         args.runs * SHORT)  # fmt: skip
            print(row.line(), flush=True)
            rows.append(row)
        print("\nratio: of the wall medians; (cpu): of the CPU-time medians (user + system),")
        print("steadier than wall time when the machine is shared.")
        print("\nthe ratio round by round (ours over the floor's run beside it): quartiles")
        print(f"{'what':<30} {'25%':>6} {'50%':>6} {'75%':>6}")
        for row in rows:
            print(row.spread())
        for title, argv, run_env in (
            ("one invoice (PDF)", [*render_one[1:], "--out", str(one_pdf), "--force"], env33),
            ("board pack (PDF), charts kept", [*render_pack[1:], "--out", str(pack_pdf), "--force"],
             demo_env),
            ("check (demo)", ["check"], demo_env),
        ):  # fmt: skip
            print(f"\nwhere the time goes: plvgov {title} (one run, cProfile)")
            for line in profile(argv, run_env, work):
                print("  " + line)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
