"""Writes docs/cli.md's command reference from the commands' own help (run by cog).

`make docs` regenerates it; tests/test_docs.py fails when it is stale (`cog --check`)."""

from __future__ import annotations

import contextlib
import io
import os

import typer


def _commands(command, path=()):  # type: ignore[no-untyped-def]
    sub = getattr(command, "commands", None)
    if not sub:
        yield path
        return
    if path:
        yield path
    for name in sorted(sub):
        if not sub[name].hidden:
            yield from _commands(sub[name], (*path, name))


def _help(path: tuple[str, ...]) -> str:
    from plvgov import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.run([*path, "--help"])
    return out.getvalue().rstrip()


def reference() -> str:
    from plvgov.cli import app

    os.environ["COLUMNS"] = "100"
    root = typer.main.get_command(app)
    parts = []
    for path in _commands(root):
        title = " ".join(("plvgov", *path))
        parts.append(f"## `{title}`\n\n```text\n$ {title} --help\n{_help(path)}\n```\n")
    return "\n".join(parts)
