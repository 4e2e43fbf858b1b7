"""Commands of the billing capability (registered on the root app by `register`)."""

from __future__ import annotations

import typer


def register(root: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
