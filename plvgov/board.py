"""The board of directors: register of directors, board meetings and board resolutions.

(Filled in by the decisions capability.)
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from plvgov.errors import RuleError


def check_admission_resolution(session: Session, resolution_id: int, on: date) -> None:
    """Refuse unless board resolution ``resolution_id`` approved an admission on or before ``on``."""
    raise RuleError("board resolutions are not recorded in this ledger yet")
