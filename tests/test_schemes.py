"""Subscriptions: the amount for each FY from the shipped CPI, part years by days, schemes
that replace indexation, and the refusals (missing CPI, an FY before the base year)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from plvgov import audit, settings
from plvgov.billing import cpi_import, papers
from plvgov.billing import schemes as billing
from plvgov.dates import FinancialYear
from plvgov.errors import RuleError
from plvgov.membership import members
from tests.stories import admit

TODAY = date(2026, 11, 23)
PENNY = Decimal("0.01")


def _hand(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _launch(ledger, on: str = "2023-04-01") -> None:
    with ledger.write("test") as session:
        settings.set_value(
            session, "launch_date", on, effective_from=None, authority=None, today=TODAY
        )


def _cease(ledger, who: str, on: date) -> None:
    with ledger.write("test") as session:
        members.cease(session, members.find(session, who), on, "dissolved")


def _load_sept_2026(ledger, value: str = "142.8") -> None:
    with ledger.write("test") as session:
        cpi_import.import_series(session, f"month,index\n2026-09,{value}\n", "sept.csv")


def _line(ledger, fy: int, who: str) -> billing.QuoteLine:
    with ledger.read() as session:
        q = billing.quote(session, FinancialYear(fy), members.find(session, who))
    return q.lines[0]


# -- the full-year amount -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fy", "reference", "index"),
    [
        (2023, "2022-09", "123.8"),  # the base year: factor 1
        (2024, "2023-09", "132.0"),
        (2025, "2024-09", "134.2"),
        (2026, "2025-09", "139.3"),
    ],
)
def test_amount_is_20000_times_september_cpi_over_september_2022(ledger, fy, reference, index):
    with ledger.read() as session:
        working = billing.rate(session, FinancialYear(fy))
    # PRODUCT.md: amount for FY Y = £20,000 × CPI(Sept Y−1) ÷ CPI(Sept 2022 = 123.8)
    expected = _hand(Decimal("20000") * Decimal(index) / Decimal("123.8"))
    assert working.amount == expected
    assert working.reference_month == reference and working.base_index == Decimal("123.8")
    assert {
        2023: Decimal("20000.00"),
        2024: Decimal("21324.72"),
        2025: Decimal("21680.13"),
        2026: Decimal("22504.04"),
    }[fy] == expected


def test_an_fy_before_the_base_year_is_refused(ledger):
    with ledger.read() as session, pytest.raises(RuleError) as caught:
        billing.rate(session, FinancialYear(2022))
    assert "before the subscription's base year 2023/24" in caught.value.message


def test_a_missing_cpi_month_is_named_with_the_command_that_loads_it(ledger):
    with ledger.read() as session, pytest.raises(RuleError) as caught:
        billing.rate(session, FinancialYear(2027))  # needs September 2026
    assert "2026-09" in caught.value.message
    assert "plvgov cpi import FILE" in caught.value.message


# -- part years ---------------------------------------------------------------------------------
def test_launch_mid_year_charges_the_days_from_launch(ledger):
    admit(ledger, "bromley", date(2023, 4, 1))
    _launch(ledger, "2025-10-01")
    line = _line(ledger, 2025, "bromley")
    # 1 October 2025 to 31 March 2026 inclusive: 31+30+31+31+28+31 = 182 days of 365
    assert (line.days, line.days_in_year) == (182, 365)
    assert (
        line.amount
        == _hand(Decimal("20000") * Decimal("134.2") / Decimal("123.8") * 182 / 365)
        == Decimal("10810.37")
    )
    assert _line(ledger, 2024, "bromley").amount == Decimal("0.00")  # before launch


def test_admission_mid_year_charges_from_the_day_of_entry(ledger):
    _launch(ledger)
    admit(ledger, "camden", date(2024, 12, 1))
    line = _line(ledger, 2024, "camden")
    assert line.days == 121  # 1 Dec 2024 – 31 Mar 2025
    assert line.amount == _hand(Decimal("20000") * Decimal("132.0") / Decimal("123.8") * 121 / 365)


def test_cessation_mid_year_charges_to_the_end_of_the_last_day(ledger):
    _launch(ledger)
    admit(ledger, "hackney", date(2023, 4, 1))
    _cease(ledger, "hackney", date(2026, 6, 30))
    line = _line(ledger, 2026, "hackney")
    # membership ends at the END of 30 June: 1 April – 30 June 2026 = 91 days
    assert line.days == 91
    assert (
        line.amount
        == _hand(Decimal("20000") * Decimal("139.3") / Decimal("123.8") * 91 / 365)
        == Decimal("5610.60")
    )


def test_a_leap_fy_has_366_days(ledger):
    _launch(ledger)
    admit(ledger, "sutton", date(2023, 4, 1))
    _load_sept_2026(ledger)
    full = _line(ledger, 2027, "sutton")  # FY 2027/28 contains 29 February 2028
    assert (full.days, full.days_in_year) == (366, 366)
    assert full.amount == _hand(Decimal("20000") * Decimal("142.8") / Decimal("123.8"))
    _cease(ledger, "sutton", date(2027, 9, 30))
    part = _line(ledger, 2027, "sutton")
    assert part.days == 183
    assert part.amount == _hand(Decimal("20000") * Decimal("142.8") / Decimal("123.8") * 183 / 366)


def test_half_a_penny_rounds_up_once_at_the_end(ledger):
    _launch(ledger)
    admit(ledger, "merton", date(2027, 10, 1))
    with ledger.write("test") as session:
        billing.set_scheme(
            session,
            FinancialYear(2027),
            Decimal("20000.01"),
            indexed=False,
            authority="Resolution 4",
        )
    line = _line(ledger, 2027, "merton")
    # 20000.01 × 183 ÷ 366 = 10000.005 exactly: half up gives 10000.01 (banker's: 10000.00)
    assert line.days == 183 and line.amount == Decimal("10000.01")
    assert billing.pro_rata(Decimal("0.005"), 1, 1) == Decimal("0.01")


def test_unset_launch_means_nothing_is_payable_and_the_quote_says_so(ledger):
    admit(ledger, "bromley", date(2023, 4, 1))
    with ledger.read() as session:
        q = billing.quote(session, FinancialYear(2026))
        assert q.lines == [] and q.total == Decimal("0.00")
        assert "plvgov settings set launch_date YYYY-MM-DD" in (q.note or "")


# -- schemes --------------------------------------------------------------------------------------
def test_a_later_scheme_replaces_indexation_from_its_year(ledger):
    _launch(ledger)
    admit(ledger, "bromley", date(2023, 4, 1))
    with ledger.write("test") as session:
        billing.set_scheme(
            session,
            FinancialYear(2028),
            Decimal("15000.00"),
            indexed=False,
            authority="Resolution 4",
        )
    with ledger.write("test") as session:
        billing.set_scheme(
            session,
            FinancialYear(2030),
            Decimal("0"),
            indexed=True,
            authority="Resolution 9: alternative model for funding the PLV",
        )
    with ledger.read() as session:
        assert billing.scheme_for(session, FinancialYear(2026)).authority == "default"
        flat = billing.rate(session, FinancialYear(2029))
        assert (flat.amount, flat.factor, flat.scheme.authority) == (
            Decimal("15000.00"),
            "1",
            "Resolution 4",
        )
        # nil needs no CPI: September 2030 is not loaded, and nothing is owed
        assert billing.rate(session, FinancialYear(2031)).amount == Decimal("0.00")
        assert [s.from_year for s in billing.schemes(session)] == [2028, 2030]
        event = audit.latest(session, 1)[0]
        assert event.action == "subscription.scheme"


def test_a_scheme_cannot_start_in_a_year_already_invoiced(ledger):
    from plvgov.billing import issuing

    _launch(ledger)
    admit(ledger, "bromley", date(2023, 4, 1))
    with ledger.write("test") as session:
        issuing.issue(
            session, FinancialYear(2026), [members.find(session, "bromley").id], date(2026, 4, 1)
        )
    with pytest.raises(RuleError) as caught, ledger.write("test") as session:
        billing.set_scheme(
            session, FinancialYear(2026), Decimal("1000"), indexed=False, authority="Resolution 5"
        )
    assert "PLV-2026-0001" in caught.value.message


# -- for the board pack and documents -----------------------------------------------------------
def test_amounts_by_year_gives_none_where_cpi_is_missing(ledger):
    with ledger.read() as session:
        rows = billing.amounts_by_year(session, FinancialYear(2023), FinancialYear(2027))
    assert [r.fy for r in rows] == ["2023/24", "2024/25", "2025/26", "2026/27", "2027/28"]
    assert [r.amount for r in rows] == [
        Decimal("20000.00"),
        Decimal("21324.72"),
        Decimal("21680.13"),
        Decimal("22504.04"),
        None,
    ]
    assert rows[3].reference_month == "2025-09" and rows[3].reference_index == "139.3"


def test_subscription_notice_gives_next_years_amount_and_working(ledger):
    _launch(ledger)
    admit(ledger, "bromley", date(2023, 4, 1))
    _load_sept_2026(ledger)
    with ledger.read() as session:
        notice = papers.subscription_notice_document(session, "2027/28", "bromley")
    assert notice.year == "2027/28" and notice.notice_by == date(2026, 10, 31)
    assert notice.full_year_amount == _hand(Decimal("20000") * Decimal("142.8") / Decimal("123.8"))
    assert (notice.reference_month, notice.reference_index, notice.base_index) == (
        "2026-09",
        "142.8",
        "123.8",
    )
    assert (notice.days, notice.days_in_year, notice.part_year) == (366, 366, False)
    assert notice.council_name == "London Borough of Bromley"
