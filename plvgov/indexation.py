"""CPI indexation (filled in by the billing capability)."""

from __future__ import annotations

from sqlmodel import Session


def stage_shipped_series(session: Session) -> int:
    """Load the shipped ONS D7BT series into the ledger; returns the months loaded."""
    return 0
