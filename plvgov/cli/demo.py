"""``demo``: a demonstration ledger from the seeds' story."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from plvgov import collector
from plvgov.cli._common import say, today


def demo(
    dir_: Annotated[
        Path,
        typer.Option(
            "--dir",
            help="Folder for ledger.db and out/, created if missing (default: the current folder).",
        ),
    ] = Path("."),
) -> None:
    """Build a demonstration ledger from the seeds' story (decisions, admissions, a
    withdrawal at the 2026 break and a late notice, subscriptions, resolutions) and render a
    board pack. Rebuilds an earlier demo ledger; never touches a real one.

    Example: plvgov demo --dir /tmp/plv-demo
    """
    from plvgov.demo import build

    collector.settle()
    story = build(dir_, today())
    say(f"Demonstration ledger: {story.ledger.display_name}")
    for line in story.summary:
        say(f"  • {line}")
    say(f"Try: plvgov --db {story.ledger.display_name} member list")


def register(root: typer.Typer) -> None:
    root.command()(demo)
