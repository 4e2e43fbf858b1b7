"""Benchmark: start-up. ``plvgov --help`` beside ``sqlite-utils --help`` (target: no slower),
and ``plvgov member list --json`` on the 33 authorities beside ``python -c "import sqlmodel"``
(target: within 1.3x). Each pair is run alternately, so that both see the same machine, and
the medians compared; the slowest imports are listed (python -X importtime) so that a slow
start can be traced. Not a test.

    .venv/bin/python benchmarks/bench_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def _once(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def paired(a: list[str], b: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median seconds of ``a`` and of ``b``, run alternately (after one warm-up run each)."""
    _once(a, env), _once(b, env)
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(_once(a, env))
        times_b.append(_once(b, env))
    return statistics.median(times_a), statistics.median(times_b)


def slowest_imports(argv: list[str], env: dict[str, str], top: int = 6) -> list[str]:
    done = subprocess.run(
        [str(BIN / "python"), "-X", "importtime", *argv],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            if len(name) - len(name.lstrip()) == 1:  # top-level imports only
                rows.append((int(parts[1]), name.strip()))
    return [f"{us / 1000:7.0f} ms  {name}" for us, name in sorted(rows, reverse=True)[:top]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    quick = bool(os.environ.get("PLVGOV_BENCH_QUICK"))
    parser.add_argument("--runs", type=int, default=5 if quick else 11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ledger.db"
        env = {**os.environ, "PLVGOV_DB": str(db), "PLVGOV_TODAY": "2026-11-23"}
        subprocess.run(
            [str(BIN / "plvgov"), "init"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        plvgov, python = str(BIN / "plvgov"), str(BIN / "python")
        pairs = [
            ("plvgov --help", [plvgov, "--help"], "sqlite-utils --help",
             [str(BIN / "sqlite-utils"), "--help"], 1.0),
            ("plvgov member list --json (33)", [plvgov, "member", "list", "--json"],
             'python -c "import sqlmodel"', [python, "-c", "import sqlmodel"], 1.3),
        ]  # fmt: skip
        rows = [
            (name, *paired(argv, floor_argv, env, args.runs), floor_name, target)
            for name, argv, floor_name, floor_argv, target in pairs
        ]
        print(f"medians of {args.runs} alternating runs each")
        print(f"{'command':<32} {'s':>7}  {'floor':<28} {'s':>7} {'ratio':>7} {'target':>7}")
        for name, took, floor, floor_name, target in rows:
            ratio = took / floor
            verdict = "met" if ratio <= target else "MISSED"
            print(
                f"{name:<32} {took:7.3f}  {floor_name:<28} {floor:7.3f} {ratio:6.2f}x "
                f"{target:5.1f}x {verdict}"
            )
        print(
            "\nslowest top-level imports of `plvgov member list --json` (one run, -X importtime):"
        )
        for line in slowest_imports(["-m", "plvgov", "member", "list", "--json"], env):
            print("  " + line)
        print("slowest top-level imports of `plvgov --help`:")
        for line in slowest_imports(["-m", "plvgov", "--help"], env):
            print("  " + line)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
