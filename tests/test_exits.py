"""Commitment cycles and exit points (seeds' terms): initial 2023-04-01..2028-03-31 with a break
at 2026-03-31, then ten-year cycles with a break after five years; notice 6 months before. And
notices of withdrawal lodged against them."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from plvgov import settings
from plvgov.dates import add_months
from plvgov.errors import RuleError
from plvgov.membership import exits, members
from plvgov.membership import exits as terms
from tests.conftest import TODAY

D = date.fromisoformat

RULES = terms.TermRules(date(2023, 4, 1), 5, 3, 10, 5)

EXIT_POINTS_TO_2063 = [
    date(2026, 3, 31),
    date(2028, 3, 31),  # initial period: break, end
    date(2033, 3, 31),
    date(2038, 3, 31),  # cycle 2
    date(2043, 3, 31),
    date(2048, 3, 31),  # cycle 3
    date(2053, 3, 31),
    date(2058, 3, 31),  # cycle 4
    date(2063, 3, 31),  # cycle 5 break
]


def test_every_exit_point_to_2063_with_its_six_month_deadline():
    points = terms.exit_points(RULES, terms.NoticePeriods.fixed(6), date(2063, 12, 31))
    assert [p.on for p in points] == EXIT_POINTS_TO_2063
    # 31 March less six months is 30 September (month-end aware)
    assert {p.notice_deadline for p in points} == {date(p.on.year - 1, 9, 30) for p in points}
    assert [p.kind for p in points[:4]] == ["break", "cycle_end", "break", "cycle_end"]
    assert [p.cycle for p in points[:5]] == [1, 1, 2, 2, 3]


def test_cycles():
    cycles = terms.cycles(RULES, date(2040, 1, 1))
    assert [(c.starts_on, c.break_on, c.ends_on) for c in cycles] == [
        (date(2023, 4, 1), date(2026, 3, 31), date(2028, 3, 31)),
        (date(2028, 4, 1), date(2033, 3, 31), date(2038, 3, 31)),
        (date(2038, 4, 1), date(2043, 3, 31), date(2048, 3, 31)),
    ]


def test_first_notice_deadline_is_30_september_2025():
    assert terms.NoticePeriods.fixed(6).deadline(date(2026, 3, 31))[0] == date(2025, 9, 30)


def test_one_month_notice_deadline_is_29_february_in_a_leap_year_28_otherwise():
    # 31 March less one month is the last day of February
    assert terms.NoticePeriods.fixed(1).deadline(date(2028, 3, 31))[0] == date(2028, 2, 29)
    assert terms.NoticePeriods.fixed(1).deadline(date(2026, 3, 31))[0] == date(2026, 2, 28)
    assert terms.NoticePeriods.fixed(1).deadline(date(2048, 3, 31))[0] == date(2048, 2, 29)


def test_notice_on_the_deadline_day_meets_it():
    outcome = terms.judge_notice(RULES, terms.NoticePeriods.fixed(6), date(2025, 9, 30))
    assert (outcome.exit_point.on, outcome.deadline_met, outcome.missed) == (
        date(2026, 3, 31),
        True,
        None,
    )


def test_notice_the_day_after_the_deadline_rolls_to_the_next_exit_point():
    outcome = terms.judge_notice(RULES, terms.NoticePeriods.fixed(6), date(2025, 10, 1))
    assert outcome.exit_point.on == date(2028, 3, 31)
    assert outcome.deadline_met is False
    assert outcome.missed.on == date(2026, 3, 31)


def test_notice_after_the_2028_deadline_reaches_the_2033_break():
    outcome = terms.judge_notice(RULES, terms.NoticePeriods.fixed(6), date(2027, 10, 1))
    assert (outcome.exit_point.on, outcome.missed.on) == (date(2033, 3, 31), date(2028, 3, 31))


def test_a_notice_received_on_an_exit_date_missed_it():
    outcome = terms.judge_notice(RULES, terms.NoticePeriods.fixed(6), date(2026, 3, 31))
    assert outcome.exit_point.on == date(2028, 3, 31)
    assert outcome.missed.on == date(2026, 3, 31)


@hsettings(max_examples=300, deadline=None)
@given(
    received=st.dates(date(2023, 1, 1), date(2060, 12, 31)),
    months=st.integers(min_value=0, max_value=24),
)
def test_property_effective_exit_is_the_earliest_whose_deadline_the_notice_meets(received, months):
    outcome = terms.judge_notice(RULES, terms.NoticePeriods.fixed(months), received)
    point = outcome.exit_point
    assert point.notice_deadline >= received
    assert point.notice_deadline == add_months(point.on, -months)  # exactly N months before
    earlier = list(
        terms.exit_points(RULES, terms.NoticePeriods.fixed(months), point.on - timedelta(days=1))
    )
    assert all(p.notice_deadline < received for p in earlier)
    assert outcome.deadline_met == (not [p for p in earlier if p.on >= received])


# -- notices of withdrawal ------------------------------------------------------------------
def _admit(ledger, slug, on="2023-04-01"):
    with ledger.write("test") as s:
        members.admit(s, members.find(s, slug), D(on))


def _withdraw(ledger, slug, notice_on):
    with ledger.write("test") as s:
        return exits.withdraw(s, members.find(s, slug), D(notice_on))


def test_member_admitted_mid_cycle_shares_the_company_wide_exit_points(ledger):
    _admit(ledger, "kingston-upon-thames", "2024-03-01")
    outcome = _withdraw(ledger, "kingston-upon-thames", "2025-09-30")
    assert (outcome.effective_on, outcome.deadline_met) == (D("2026-03-31"), True)


def test_notice_on_deadline_day_met_and_day_after_missed(ledger):
    _admit(ledger, "sutton")
    _admit(ledger, "havering")
    on_time = _withdraw(ledger, "sutton", "2025-09-30")
    late = _withdraw(ledger, "havering", "2025-10-01")
    assert (on_time.effective_on, on_time.deadline_met, on_time.missed_exit_on) == (
        D("2026-03-31"),
        True,
        None,
    )
    assert (late.effective_on, late.deadline_met, late.missed_exit_on) == (
        D("2028-03-31"),
        False,
        D("2026-03-31"),
    )
    assert "too late for the exit point on 31 March 2026" in late.message


def test_the_notice_period_in_force_on_the_notice_date_applies(ledger):
    _admit(ledger, "lambeth")
    _admit(ledger, "camden")
    with ledger.write("test") as s:
        settings.set_value(
            s,
            "withdrawal_notice_months",
            "3",
            effective_from=D("2027-01-01"),
            authority="Articles v2",
            today=TODAY,
        )
    # 2027-10-15 is after the six-month deadline (2027-09-30) but before the three-month one
    outcome = _withdraw(ledger, "lambeth", "2027-10-15")
    assert (outcome.effective_on, outcome.notice_deadline, outcome.deadline_met) == (
        D("2028-03-31"),
        D("2027-12-31"),
        True,
    )
    # a notice in 2025 is judged under the six months then in force
    outcome = _withdraw(ledger, "camden", "2025-10-15")
    assert (outcome.effective_on, outcome.deadline_met) == (D("2028-03-31"), False)


def test_one_month_notice_deadline_in_february_of_a_leap_year(ledger):
    _admit(ledger, "ealing")
    _admit(ledger, "newham")
    with ledger.write("test") as s:
        settings.set_value(
            s,
            "withdrawal_notice_months",
            "1",
            effective_from=D("2023-01-01"),
            authority="test",
            today=TODAY,
        )
    met = _withdraw(ledger, "ealing", "2028-02-29")
    assert (met.effective_on, met.notice_deadline, met.deadline_met) == (
        D("2028-03-31"),
        D("2028-02-29"),
        True,
    )
    missed = _withdraw(ledger, "newham", "2028-03-01")
    assert (missed.effective_on, missed.missed_exit_on) == (D("2033-03-31"), D("2028-03-31"))


def test_withdraw_refuses_a_non_member_and_a_second_notice(ledger):
    with pytest.raises(RuleError, match="not a member on 2025-01-01"):
        _withdraw(ledger, "camden", "2025-01-01")
    _admit(ledger, "camden")
    _withdraw(ledger, "camden", "2025-01-01")
    with pytest.raises(RuleError, match="already gave notice on 2025-01-01"):
        _withdraw(ledger, "camden", "2025-02-01")


# -- one notice deadline per exit point (issue 12.2) -----------------------------------------
def _notice_months(ledger, months, start):
    with ledger.write("test") as s:
        settings.set_value(
            s,
            "withdrawal_notice_months",
            str(months),
            effective_from=D(start),
            authority="Articles v2",
            today=TODAY,
        )


def test_a_longer_notice_period_ends_the_deadline_the_day_before_it_begins(ledger):
    # six months until 2027-06-01, then twelve: a notice received on 31 May 2027 is judged
    # under six months and reaches 31 March 2028; one received on 1 June under twelve does not
    _admit(ledger, "lambeth")
    _admit(ledger, "camden")
    _notice_months(ledger, 12, "2027-06-01")
    with ledger.read() as s:
        assert exits.notice_deadline(s, D("2028-03-31")) == D("2027-05-31")
        assert exits.notice_deadline(s, D("2033-03-31")) == D("2032-03-31")
        assert exits.notice_deadline(s, D("2026-03-31")) == D("2025-09-30")
        points = {p.on: p.notice_deadline for p in exits.schedule(s, TODAY).exit_points}
    assert points[D("2028-03-31")] == D("2027-05-31")
    met = _withdraw(ledger, "lambeth", "2027-05-31")
    assert (met.effective_on, met.notice_deadline, met.deadline_met) == (
        D("2028-03-31"),
        D("2027-05-31"),
        True,
    )
    late = _withdraw(ledger, "camden", "2027-06-01")
    assert (late.missed_exit_on, late.missed_deadline) == (D("2028-03-31"), D("2027-05-31"))


def test_a_shorter_notice_period_gives_every_later_exit_point_its_deadline(ledger):
    _notice_months(ledger, 3, "2027-01-01")
    with ledger.read() as s:
        assert exits.notice_deadline(s, D("2026-03-31")) == D("2025-09-30")  # six months then
        assert exits.notice_deadline(s, D("2028-03-31")) == D("2027-12-31")
        # the calendar of 2027 shows the same deadline whether it starts before or after
        early = exits.deadlines(s, D("2026-11-23"), D("2027-12-31"))
        late = exits.deadlines(s, D("2027-06-01"), D("2027-12-31"))
    assert [d.on for d in early if d.kind == "notice_deadline"] == [D("2027-12-31")]
    assert [d.on for d in late if d.kind == "notice_deadline"] == [D("2027-12-31")]
