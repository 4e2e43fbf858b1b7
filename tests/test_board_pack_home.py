"""The board pack's section on the home's finances: the model's tables, the break-even chart
and its text alternative, the weekly fees and the latest outturn with its shares."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from plvgov.dates import FinancialYear
from plvgov.db import Ledger
from plvgov.documents import Request, home, render
from plvgov.documents.charts import (
    BREAKEVEN_TITLE,
    breakeven_chart,
    breakeven_description,
    draw_breakeven,
)
from plvgov.finance import outturn
from tests.conftest import TODAY
from tests.stories import admit

POINTS = [(Decimal("0.60"), Decimal("14145.21")), (Decimal("1.00"), Decimal("8487.13"))]
CHARGES = [Decimal("8250"), Decimal("12000")]


def test_the_section_shows_the_model_of_the_year_and_the_fees(ledger: Ledger) -> None:
    with ledger.read() as session:
        section = home.build(session, TODAY)
        text = render(session, "board-pack", None, "md", Request(generated_on=TODAY)).decode()
    assert section.year == "2026/27" and section.unavailable is None
    assert [r.occupancy for r in section.scenarios] == ["100%", "90%", "85%"]
    assert section.scenarios[2].surpluses[1] == Decimal("16064.52")
    assert section.profile_years == ["Year 1 (50%)", "Year 2 (85%)", "Year 3 (85%)"]
    assert "## 7. The home's financial model, 2026/27" in text
    assert "Cost a year £10,591,935.48" in text
    assert "| 85% | \\-£1,840,335.48 | £16,064.52 | £2,137,664.52 |" in text
    assert "A member's placement is charged at cost: £9,984.86 a week" in text
    assert "A non-member pays £11,482.58 a week, 15% more to cover voids" in text
    assert "£12,000.00 a week covers cost from 75% occupancy" in text
    assert "No year's outturn is recorded yet." in text


def test_the_latest_outturn_and_its_shares_by_the_packs_date(ledger: Ledger) -> None:
    admit(ledger, "camden", "2023-04-01")
    admit(ledger, "hackney", "2025-10-01")  # 182 days of 2025/26
    with ledger.write("test: outturn") as s:
        outturn.record(s, FinancialYear(2025), Decimal("547.00"), "Board", date(2026, 7, 14))
    with ledger.read() as session:
        before = home.build(session, date(2026, 7, 13))
        section = home.build(session, TODAY)
    assert before.outturn is None  # recorded after that pack's date
    assert section.outturn is not None
    assert (section.outturn.year, section.outturn.kind, section.outturn.amount) == (
        "2025/26",
        "surplus",
        Decimal("547.00"),
    )
    # 54,700p x 365 / 547 = 36,500 and x 182 / 547 = 18,200: exact
    assert [(s.gss_code, s.days, s.share) for s in section.outturn.shares] == [
        ("E09000007", 365, Decimal("365.00")),
        ("E09000012", 182, Decimal("182.00")),
    ]
    assert "It stays in the company" in section.outturn.sentence


def test_a_year_whose_cpi_is_not_loaded_says_so_and_the_pack_still_renders(
    ledger: Ledger,
) -> None:
    with ledger.read() as session:
        section = home.build(session, date(2027, 5, 1))
    assert section.unavailable is not None and "2026-09 is not loaded" in section.unavailable
    assert section.chart_svg is None and section.scenarios == []


def test_the_chart_is_deterministic_with_a_text_alternative() -> None:
    svg = draw_breakeven(POINTS, CHARGES)
    assert svg == draw_breakeven(POINTS, CHARGES) == breakeven_chart(POINTS, CHARGES)
    assert svg.startswith("<svg") and 'role="img"' in svg
    description = breakeven_description(POINTS, CHARGES)
    assert description == (
        "Break-even weekly charge by occupancy: 60% £14,145.21; 100% £8,487.13. "
        "£8,250.00 a week covers cost at no occupancy shown. "
        "£12,000.00 a week covers cost from 100% occupancy."
    )
    assert f"<title>{BREAKEVEN_TITLE}. " in svg and "<desc>" in svg
