"""Demo chapter: the home's finances. The board records the 2025/26 outturn (the half year
after the launch) once the year's accounts are approved, and each member's share of it is
worked pro rata to its days of membership; the board pack shows it beside the model. The
surplus is illustrative."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from plvgov.dates import FinancialYear
from plvgov.finance import outturn
from plvgov.money import format_gbp

if TYPE_CHECKING:
    from plvgov.demo.story import Story

YEAR = FinancialYear(2025)
RECORDED_ON = date(2026, 7, 14)
SURPLUS = Decimal("148230.00")
AUTHORITY = "Board meeting, 14 July 2026: accounts for 2025/26 approved"


def build(story: Story) -> list[str]:
    if RECORDED_ON > story.today:
        return []
    command = (
        f'plvgov outturn record --year {YEAR.label} --surplus {SURPLUS} --authority "{AUTHORITY}"'
    )
    with story.ledger.write(command) as session:
        recorded = outturn.record(session, YEAR, SURPLUS, AUTHORITY, RECORDED_ON)
    return [
        f"Outturn {YEAR.label}: a surplus of {format_gbp(SURPLUS)}, shared by "
        f"{len(recorded.shares)} members pro rata to their days"
    ]
