"""``make bench``: run every ``benchmarks/bench_*.py`` in its own process and print its table.

    .venv/bin/python -m benchmarks [--only NAME[,NAME]] [--quick] [--record]

``--record`` also writes the tables, with the machine they ran on (nproc, CPU model, Python),
to ``benchmarks/RESULTS.md``. ``PLVGOV_BENCH_HUGE=1`` adds the 100,000-member scale.
``--quick`` (``make bench BENCH_ARGS=--quick``) gives every figure with its floor and target in a
few minutes: fewer runs, and the scales up to 1,000 members and 10 years only.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HOW_TO_READ = """\
Each plvgov figure is the best of several runs in-process (interpreter start-up excluded),
taken alternately with its floor: the same work in plain sqlite3, json and hashlib
(`benchmarks/floors.py`). *ratio* is what plvgov's rules, ORM, audit trail and safety cost on
top; *per row* staying flat or falling as rows grow is linear growth. The start-up figures are
whole processes, medians of alternating runs. The machine is a small shared virtual machine:
expect ±15% between runs."""


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPU(s) (nproc), {cpu}; Python {platform.python_version()} "
        f"on {platform.system()} {platform.release()}; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at start"
    )


def discover(only: set[str] | None) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if only:
        found = [p for p in found if p.stem in only or p.stem.removeprefix("bench_") in only]
    return found


#: What follows this line in RESULTS.md is written by hand (what the figures mean, where the
#: time goes) and kept when the figures are recorded again.
NOTES = "<!-- notes: kept by --record -->"


def _notes(results: Path) -> str:
    text = results.read_text("utf-8") if results.exists() else ""
    return "\n" + text[text.index(NOTES) :] if NOTES in text else ""


def main() -> int:
    parser = argparse.ArgumentParser(description="Run every benchmarks/bench_*.py.")
    parser.add_argument("--only", help="comma-separated benchmark names (scale, startup)")
    parser.add_argument("--record", action="store_true", help="write benchmarks/RESULTS.md")
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller scales")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    header = f"Machine: {machine()}"
    print(header, flush=True)
    sections: list[str] = []
    failed = 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # plvgov as installed from a wheel: its modules compiled once, not at every start (with
    # PYTHONDONTWRITEBYTECODE set, as on CI, an editable install would compile them each time).
    compileall.compile_dir(ROOT / "plvgov", quiet=1)
    if args.quick:
        env["PLVGOV_BENCH_QUICK"] = "1"
    for script in discover(only):
        print(f"\n== {script.stem} ==", flush=True)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(script)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        took = time.perf_counter() - started
        output = done.stdout.rstrip()
        print(output)
        if done.returncode != 0:
            failed += 1
            print(
                f"{script.stem} FAILED (exit {done.returncode}):\n{done.stderr[-2000:]}",
                file=sys.stderr,
            )
        sections.append(
            f"## {script.stem} ({took:.0f} s)\n\n```\n{output}\n```\n"
            + ("" if done.returncode == 0 else f"\nFAILED (exit {done.returncode})\n")
        )
    if args.record:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        huge = "PLVGOV_BENCH_HUGE=1 " if os.environ.get("PLVGOV_BENCH_HUGE") else ""
        bench_args = "'--quick --record'" if args.quick else "--record"
        results = HERE / "RESULTS.md"
        results.write_text(
            "# Benchmark results\n\n"
            f"`{huge}make bench BENCH_ARGS={bench_args}`, {stamp}.\n\n"
            f"{header}\n\n{HOW_TO_READ}\n\n" + "\n".join(sections) + _notes(results),
            "utf-8",
        )
        print(f"\nwrote {HERE / 'RESULTS.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
