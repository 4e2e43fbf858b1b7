"""The story the demo's chapters add to: the ledger, the day it is told and its folder."""

from __future__ import annotations

from dataclasses import field
from datetime import date
from pathlib import Path

from plvgov.db import Ledger
from plvgov.values import dataclass


@dataclass
class Story:
    ledger: Ledger
    today: date
    folder: Path
    summary: list[str] = field(default_factory=list)  # lines for the demo's closing summary
