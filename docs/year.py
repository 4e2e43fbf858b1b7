"""Replays docs/year.md, a company secretary's year, and rewrites the output it shows.

    .venv/bin/python docs/year.py          # regenerate docs/year.md's outputs from real runs
    .venv/bin/python docs/year.py --check  # exit 1 when docs/year.md is stale

Inside the doc's ``` blocks a line starting `$ ` is one of:

- `$ export PLVGOV_TODAY=YYYY-MM-DD` — the date moves on (every later command runs on it);
- `$ cat > FILE <<'EOF'` … `EOF` — a file the next commands read (the lines between are its text);
- `$ plvgov …` — a command, run in-process on the year's ledger (./ledger.db in a fresh folder,
  100 columns); the lines after it, up to the next `$ ` line or the block's end, are its output.

tests/test_year.py replays the same steps and checks every command exits 0 and prints, word for
word, what the doc shows.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

DOC = Path(__file__).resolve().parent / "year.md"

#: What differs from one run to the next: the wall clock of audit events, the hashes that
#: cover it, and the size of a file that carries the ledger's fingerprint.
VOLATILE = [
    (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"), "<time>"),
    (re.compile(r"\b[0-9a-f]{16}…"), "<hash>…"),
    (re.compile(r"\([\d,]+ bytes\)"), "(<size>)"),
]


def masked(text: str) -> str:
    """``text`` with what changes from run to run replaced by a placeholder."""
    for pattern, stands_for in VOLATILE:
        text = pattern.sub(stands_for, text)
    return text


#: Where the year was run: the doc prints paths under it.
FOLDER = "/tmp/year"
COLUMNS = "100"
ACTOR = "secretary"


@dataclass
class Step:
    """One `$ ` line of the doc and what follows it."""

    line: int  # index of the `$ ` line in the doc
    command: str  # without the `$ `
    shown: list[str] = field(default_factory=list)  # the output lines the doc shows
    text: list[str] = field(default_factory=list)  # a heredoc's lines
    end: int = 0  # index after the step's last line

    @property
    def kind(self) -> str:
        if self.command.startswith("export PLVGOV_TODAY="):
            return "today"
        if self.command.startswith("cat > "):
            return "file"
        return "plvgov"


def parse(lines: list[str]) -> list[Step]:
    steps: list[Step] = []
    inside = heredoc = False
    for index, line in enumerate(lines):
        if heredoc:
            if line == "EOF":
                heredoc = False
            else:
                steps[-1].text.append(line)
            steps[-1].end = index + 1
            continue
        if line.startswith("```"):
            inside = not inside
            continue
        if not inside:
            continue
        if line.startswith("$ "):
            step = Step(index, line[2:], end=index + 1)
            if step.kind == "plvgov" and not step.command.startswith("plvgov "):
                raise ValueError(f"line {index + 1}: not a plvgov command: {line}")
            steps.append(step)
            heredoc = step.kind == "file"
        elif steps:
            steps[-1].shown.append(line.rstrip())
            steps[-1].end = index + 1
    for step in steps:
        while step.shown and not step.shown[-1]:
            step.shown.pop()
    return steps


def run(command: str, folder: Path) -> tuple[int, str]:
    """One plvgov command line, in-process, in ``folder``; its exit code and what it printed
    (stdout then stderr), with the folder's path written as FOLDER."""
    from plvgov import cli

    out, err = io.StringIO(), io.StringIO()
    args = shlex.split(command)[1:]
    cli._common.STATE.invocation = command
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.run(args)
    printed = (out.getvalue() + err.getvalue()).replace(str(folder), FOLDER)
    return code, printed


def prepare(step: Step, folder: Path) -> None:
    """Carry out an `export` or a `cat > FILE` step."""
    if step.kind == "today":
        os.environ["PLVGOV_TODAY"] = step.command.split("=", 1)[1].strip()
    elif step.kind == "file":
        name = shlex.split(step.command)[2]
        (folder / name).write_text("\n".join(step.text) + "\n", "utf-8")


def environment() -> dict[str, str]:
    return {"COLUMNS": COLUMNS, "PLVGOV_ACTOR": ACTOR}


def regenerate(check: bool = False) -> int:
    lines = DOC.read_text("utf-8").splitlines()
    steps = parse(lines)
    saved = dict(os.environ)
    here = Path.cwd()
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for key in [k for k in os.environ if k.startswith("PLVGOV_")]:
            del os.environ[key]
        os.environ.update(environment())
        os.chdir(folder)
        try:
            outputs: dict[int, list[str]] = {}
            for step in steps:
                if step.kind != "plvgov":
                    prepare(step, folder)
                    continue
                code, printed = run(step.command, folder)
                if code != 0:
                    failed.append(f"{step.command}\n  exit {code}: {printed.strip()}")
                outputs[step.line] = [line.rstrip() for line in printed.rstrip("\n").split("\n")]
        finally:
            os.chdir(here)
            os.environ.clear()
            os.environ.update(saved)
    result: list[str] = []
    cursor = 0
    for step in steps:
        if step.kind != "plvgov":
            continue
        result.extend(lines[cursor : step.line + 1])
        printed = outputs[step.line] if outputs[step.line] != [""] else []
        result.extend(printed)
        cursor = step.end
        while cursor < len(lines) and not lines[cursor]:
            cursor += 1
        # a blank line after a command's output, none before the block's closing ```
        if printed and cursor < len(lines) and not lines[cursor].startswith("```"):
            result.append("")
    result.extend(lines[cursor:])
    text = "\n".join(result) + "\n"
    for problem in failed:
        print(problem, file=sys.stderr)
    if check:
        stale = masked(text) != masked(DOC.read_text("utf-8"))
        if stale:
            print("docs/year.md is stale: run .venv/bin/python docs/year.py", file=sys.stderr)
        return 1 if stale or failed else 0
    DOC.write_text(text, "utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(regenerate(check="--check" in sys.argv[1:]))
