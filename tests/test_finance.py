"""The home's financial model and each year's outturn, checked against figures worked by hand.

Every expected figure below is a literal worked out on paper (shown beside it), never recomputed
with the formula under test."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from plvgov import settings
from plvgov.dates import FinancialYear
from plvgov.db import Ledger
from plvgov.decisions import resolutions
from plvgov.errors import RuleError
from plvgov.finance import model, outturn
from plvgov.membership import members
from tests.stories import admit

D = date.fromisoformat
FY2026 = FinancialYear(2026)


def _set(ledger: Ledger, key: str, raw: str, on: str) -> None:
    with ledger.write(f"test: {key}") as s:
        settings.set_value(
            s, key, raw, effective_from=D(on), authority="Board, test", today=D("2026-11-23")
        )


def _money(rows: list[dict[str, str]], key: str = "charge") -> list[str]:
    return [r[key] for r in rows]


# -- the model: the Bromley report's defaults ------------------------------------------------
def test_default_model_for_2026_27_matches_the_hand_worked_figures(ledger: Ledger) -> None:
    with ledger.read() as s:
        m = model.build(s, FY2026)
    data = m.as_json()
    # CPI D7BT 2025-09 139.3 / 2019-09 108.5; 7,500,000 x 139.3 / 108.5 = 9,629,032.258...
    assert data["working"]["reference_month"] == "2025-09"
    assert data["working"]["operating_cost"] == Decimal("9629032.26")
    # x 1.10 = 10,591,935.4838..., no transport or running cost by default
    assert data["cost"] == Decimal("10591935.48")
    assert (data["places"], data["weeks"], data["year"]) == (24, 52, "2026/27")
    cells = {(c["occupancy"], str(c["charge"])): c for c in data["cells"]}
    assert list(cells)[:3] == [("1.00", "8250"), ("1.00", "10000"), ("1.00", "12000")]
    # 24 x 1.00 x 8,250 x 52 = 10,296,000; less 10,591,935.48
    assert cells[("1.00", "8250")]["income"] == Decimal("10296000")
    assert cells[("1.00", "8250")]["surplus"] == Decimal("-295935.48")
    # 24 x 0.85 x 10,000 x 52 = 10,608,000 -> 16,064.52
    assert cells[("0.85", "10000")]["surplus"] == Decimal("16064.52")
    # 24 x 0.90 x 12,000 x 52 = 13,478,400 -> 2,886,464.52
    assert cells[("0.90", "12000")]["income"] == Decimal("13478400")
    assert cells[("0.90", "12000")]["surplus"] == Decimal("2886464.52")
    # break-even = 10,591,935.4838... / (24 x o x 52): at 1.00 / 1248 = 8,487.1278...
    assert [b["occupancy"] for b in data["breakeven"]] == [
        "0.60", "0.65", "0.70", "0.75", "0.80", "0.85", "0.90", "0.95", "1.00",
    ]  # fmt: skip
    assert _money(data["breakeven"]) == [
        Decimal(x)
        for x in (
            "14145.21", "13057.12", "12124.47", "11316.17", "10608.91",
            "9984.86", "9430.14", "8933.82", "8487.13",
        )
    ]  # fmt: skip
    # members at cost at 85%: 9,984.856...; non-members +15%: 11,482.584...
    assert data["fees"] == {
        "occupancy": "0.85",
        "void_margin": "0.15",
        "member": Decimal("9984.86"),
        "non_member": Decimal("11482.58"),
    }
    # 50% then 85%, 85% at 8,250: 5,148,000 - cost = -5,443,935.48; then -1,840,335.48 twice
    first = data["profile"]["rows"][0]
    assert data["profile"]["occupancies"] == ["0.50", "0.85", "0.85"]
    assert [y["surplus"] for y in first["years"]] == [
        Decimal("-5443935.48"),
        Decimal("-1840335.48"),
        Decimal("-1840335.48"),
    ]
    assert first["surplus"] == Decimal("-9124606.44")  # the years' figures added
    assert first["income"] == Decimal("22651200")
    # every number cites where it comes from
    sources = {row["key"]: row for row in data["settings"]}
    assert sources["model_operating_cost"]["authority"] == "default"
    assert sources["model_charges"]["value"] == ["8250", "10000", "12000"]


# -- the model: a second set of settings, with a half penny --------------------------------
def _second_set(ledger: Ledger) -> None:
    for key, raw in (
        ("model_places", "10"),
        ("model_weeks", "50"),
        ("model_operating_cost", "1000000"),
        ("model_cost_base_month", "2025-09"),  # the reference month of 2026/27: factor 1
        ("model_provider_margin", "10"),
        ("model_transport_cost", "50002.50"),
        ("model_running_cost", "30000"),
        ("model_occupancies", "80, 60"),
        ("model_charges", "2500 3000"),
        ("model_profile", "50 80 90"),
        ("model_fee_occupancy", "80"),
        ("model_void_margin", "20"),
    ):
        _set(ledger, key, raw, "2026-04-01")


def test_second_set_of_settings_matches_the_hand_worked_figures(ledger: Ledger) -> None:
    _second_set(ledger)
    with ledger.read() as s:
        data = model.build(s, FY2026).as_json()
    # 1,000,000 x 1 x 1.10 + 50,002.50 + 30,000
    assert data["cost"] == Decimal("1180002.50")
    assert data["working"]["factor"] == "1.000000"
    assert [(c["occupancy"], c["charge"], c["income"], c["surplus"]) for c in data["cells"]] == [
        ("0.80", Decimal("2500"), Decimal("1000000"), Decimal("-180002.50")),  # 10x.8x2500x50
        ("0.80", Decimal("3000"), Decimal("1200000"), Decimal("19997.50")),
        ("0.60", Decimal("2500"), Decimal("750000"), Decimal("-430002.50")),
        ("0.60", Decimal("3000"), Decimal("900000"), Decimal("-280002.50")),
    ]
    # 1,180,002.50 / (10 x o x 50): at 1.00 / 500 = 2,360.005 -> half up 2,360.01
    assert _money(data["breakeven"]) == [
        Decimal(x)
        for x in (
            "3933.34", "3630.78", "3371.44", "3146.67", "2950.01",
            "2776.48", "2622.23", "2484.22", "2360.01",
        )
    ]  # fmt: skip
    # at 80%: 2,950.00625 -> 2,950.01; +20%: 3,540.0075 -> 3,540.01 (rounded once, from exact)
    assert (data["fees"]["member"], data["fees"]["non_member"]) == (
        Decimal("2950.01"),
        Decimal("3540.01"),
    )
    at_2500 = data["profile"]["rows"][0]
    assert [y["income"] for y in at_2500["years"]] == [
        Decimal("625000"),
        Decimal("1000000"),
        Decimal("1125000"),
    ]
    assert at_2500["surplus"] == Decimal("-790007.50")  # -555,002.50 -180,002.50 -55,002.50


def test_settings_from_a_later_year_leave_an_earlier_year_alone(ledger: Ledger) -> None:
    _second_set(ledger)
    with ledger.read() as s:
        earlier = model.build(s, FinancialYear(2025))
    # 2025/26: the defaults, uprated to 2024-09 (134.2 / 108.5 x 7.5m x 1.1)
    assert (earlier.places, earlier.weeks, earlier.reference_month) == (24, 52, "2024-09")
    assert earlier.cost == Decimal("10204147.47")


def test_a_year_whose_cpi_is_not_loaded_is_refused(ledger: Ledger) -> None:
    with ledger.read() as s, pytest.raises(RuleError, match=r"2026-09 is not loaded.*cpi import"):
        model.build(s, FinancialYear(2027))


def test_list_settings_read_strictly(ledger: Ledger) -> None:
    from plvgov.errors import InputError

    spec = settings.definition("model_charges")
    assert spec.parse("£8250; 10000 12000.50") == [
        Decimal("8250"),
        Decimal("10000"),
        Decimal("12000.50"),
    ]
    with pytest.raises(InputError, match="no commas"):
        spec.parse("8,250 10,000")  # would otherwise read as four charges
    with pytest.raises(InputError, match="at least 1"):
        spec.parse("0 10000")
    occupancies = settings.definition("model_occupancies")
    assert occupancies.parse("100%, 87.5") == [Decimal("100"), Decimal("87.5")]
    with pytest.raises(InputError, match="at most 100"):
        occupancies.parse("120")


# -- outturn: a year with members joining and leaving, 366 days ------------------------------
AFTER = D("2028-06-30")


def _year_with_changes(ledger: Ledger) -> None:
    """2027/28 runs 1 April 2027 - 31 March 2028: 366 days (29 February 2028)."""
    for slug in ("camden", "barnet", "bromley"):
        admit(ledger, slug, "2023-04-01")
    admit(ledger, "hackney", "2027-10-01")  # 1 Oct - 31 Mar: 31+30+31+31+29+31 = 183 days
    admit(ledger, "sutton", "2028-02-29")  # 29 Feb - 31 Mar: 1 + 31 = 32 days
    with ledger.write("test: cease") as s:
        members.cease(s, members.find(s, "bromley"), D("2027-03-31"), "dissolved")  # before
        members.cease(s, members.find(s, "barnet"), D("2027-06-30"), "dissolved")  # 91 days


def test_shares_pro_rata_to_days_in_a_leap_year_sum_exactly(ledger: Ledger) -> None:
    _year_with_changes(ledger)
    with ledger.write("test: outturn") as s:
        view = outturn.record(
            s, FinancialYear(2027), Decimal("1000.00"), "Board, 12 July 2028", AFTER
        )
    data = view.as_json()
    assert (data["year"], data["result"], data["basis"], data["year_days"]) == (
        "2027/28",
        Decimal("1000.00"),
        "days",
        366,
    )
    # 672 days in all; 100,000p x days / 672: barnet 13,541.67, camden 54,464.29,
    # hackney 27,232.14, sutton 4,761.90 -> floors leave 2p, to the largest remainders
    # (sutton .90, barnet .67)
    assert [(r["gss_code"], r["days"], r["share"]) for r in data["shares"]] == [
        ("E09000003", 91, Decimal("135.42")),  # Barnet, ceased 30 June 2027: keeps its share
        ("E09000007", 366, Decimal("544.64")),  # Camden
        ("E09000012", 183, Decimal("272.32")),  # Hackney
        ("E09000029", 32, Decimal("47.62")),  # Sutton
    ]
    assert "Bromley" not in {r["member"] for r in data["shares"]}  # ceased before the year
    with ledger.read() as s:  # frozen as recorded
        assert outturn.view(s, FinancialYear(2027)).as_json() == data


def test_equal_shares_break_a_tie_in_gss_code_order(ledger: Ledger) -> None:
    _year_with_changes(ledger)
    _set(ledger, "outturn_share_basis", "equal", "2026-04-01")
    with ledger.write("test: outturn") as s:
        view = outturn.record(s, FinancialYear(2027), Decimal("100.01"), "Board", AFTER)
    # 10,001p / 4 = 2,500.25 each: every remainder ties, the one penny goes to E09000003
    assert [(s.gss_code, s.share) for s in view.shares] == [
        ("E09000003", Decimal("25.01")),
        ("E09000007", Decimal("25.00")),
        ("E09000012", Decimal("25.00")),
        ("E09000029", Decimal("25.00")),
    ]
    assert view.basis == "equal"


def _passed_resolution(ledger: Ledger) -> int:
    with ledger.write("test: propose") as s:
        r = resolutions.propose(
            s, "Meet the 2027/28 deficit", "ordinary", "written", D("2028-06-01")
        )
    with ledger.write("test: circulate") as s:
        resolutions.circulate(s, resolutions.get(s, r.id), D("2028-06-02"))
    for slug in ("camden", "hackney"):  # 2 of the 3 eligible on 2 June 2028
        with ledger.write(f"test: vote {slug}") as s:
            resolutions.vote(
                s, resolutions.get(s, r.id), members.find(s, slug), "for", D("2028-06-05")
            )
    assert r.id is not None
    return r.id


def test_a_deficit_is_shared_as_negative_shares_under_a_passed_resolution(
    ledger: Ledger,
) -> None:
    _year_with_changes(ledger)
    number = _passed_resolution(ledger)
    with ledger.write("test: outturn") as s:
        view = outturn.record(
            s, FinancialYear(2027), Decimal("-1000.00"), f"Resolution {number}", AFTER
        )
    assert view.result == Decimal("-1000.00") and view.kind == "deficit"
    assert [s.share for s in view.shares] == [
        Decimal("-135.42"),
        Decimal("-544.64"),
        Decimal("-272.32"),
        Decimal("-47.62"),
    ]
    assert view.authority == f"Resolution {number}: Meet the 2027/28 deficit"


@pytest.mark.parametrize(
    ("authority", "says"),
    [
        ("Board, 12 July 2028", "members' resolution that resolved to meet it"),
        ("Resolution 99", "no members' resolution 99"),
    ],
)
def test_a_deficit_needs_a_members_resolution(ledger: Ledger, authority: str, says: str) -> None:
    from plvgov.errors import PlvgovError

    _year_with_changes(ledger)
    with ledger.write("test") as s, pytest.raises(PlvgovError, match=says):
        outturn.record(s, FinancialYear(2027), Decimal("-5.00"), authority, AFTER)


def test_a_resolution_not_yet_passed_is_refused(ledger: Ledger) -> None:
    _year_with_changes(ledger)
    with ledger.write("test: propose") as s:
        r = resolutions.propose(s, "Meet the deficit", "ordinary", "written", D("2028-06-01"))
    with ledger.write("test") as s, pytest.raises(RuleError, match="has not passed"):
        outturn.record(s, FinancialYear(2027), Decimal("-5.00"), f"Resolution {r.id}", AFTER)


def test_a_year_not_ended_or_recorded_twice_is_refused(ledger: Ledger) -> None:
    _year_with_changes(ledger)
    with ledger.write("test") as s, pytest.raises(RuleError, match="once the year has ended"):
        outturn.record(s, FinancialYear(2027), Decimal("5.00"), "Board", D("2028-03-30"))
    with ledger.write("test") as s:
        outturn.record(s, FinancialYear(2027), Decimal("5.00"), "Board", D("2028-03-31"))
    with ledger.write("test") as s, pytest.raises(RuleError, match="already recorded"):
        outturn.record(s, FinancialYear(2027), Decimal("6.00"), "Board", AFTER)
    with ledger.write("test") as s, pytest.raises(RuleError, match="no member was on"):
        outturn.record(s, FinancialYear(2020), Decimal("6.00"), "Board", AFTER)


def test_a_correction_replaces_the_outturn_and_its_shares_and_keeps_the_old_in_the_audit(
    ledger: Ledger,
) -> None:
    import json

    from plvgov import audit
    from plvgov.models.audit import AuditEvent

    _year_with_changes(ledger)
    with ledger.write("test: outturn") as s:
        outturn.record(s, FinancialYear(2027), Decimal("1000.00"), "Board", AFTER)
    with ledger.write("test") as s, pytest.raises(RuleError, match="none to correct"):
        outturn.record(s, FinancialYear(2026), Decimal("1.00"), "Board", AFTER, correct=True)
    with ledger.write("test: correct") as s:
        view = outturn.record(
            s, FinancialYear(2027), Decimal("672.00"), "Board, corrected", AFTER, correct=True
        )
    # 67,200p x days / 672 = 100p a day: exact
    assert [(s.gss_code, s.share) for s in view.shares] == [
        ("E09000003", Decimal("91.00")),
        ("E09000007", Decimal("366.00")),
        ("E09000012", Decimal("183.00")),
        ("E09000029", Decimal("32.00")),
    ]
    assert view.authority == "Board, corrected"
    with ledger.read() as s:
        assert audit.verify_deep(s).ok  # the rows are what the chain last recorded
        last = s.get(AuditEvent, audit.head(s)[0])
        assert last is not None and last.action == "outturn.correct"
        assert json.loads(last.payload)["details"]["replaces"]["result_pence"] == 100000


def test_a_list_setting_reads_as_a_list() -> None:
    assert settings.definition("model_charges").text([Decimal("8250"), Decimal("10000")]) == (
        "8250, 10000"
    )
    assert settings.definition("extra_non_working_days").text([]) == "none"
