"""Commitment cycles and exit points (seeds' terms): initial 2023-04-01..2028-03-31 with a break
at 2026-03-31, then ten-year cycles with a break after five years; notice 6 months before."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from plvgov.dates import add_months
from plvgov.membership import exits as terms

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
    points = terms.exit_points(RULES, 6, date(2063, 12, 31))
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
    assert terms.notice_deadline(date(2026, 3, 31), 6) == date(2025, 9, 30)


def test_one_month_notice_deadline_is_29_february_in_a_leap_year_28_otherwise():
    # 31 March less one month is the last day of February
    assert terms.notice_deadline(date(2028, 3, 31), 1) == date(2028, 2, 29)
    assert terms.notice_deadline(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert terms.notice_deadline(date(2048, 3, 31), 1) == date(2048, 2, 29)


def test_notice_on_the_deadline_day_meets_it():
    outcome = terms.judge_notice(RULES, 6, date(2025, 9, 30))
    assert (outcome.exit_point.on, outcome.deadline_met, outcome.missed) == (
        date(2026, 3, 31),
        True,
        None,
    )


def test_notice_the_day_after_the_deadline_rolls_to_the_next_exit_point():
    outcome = terms.judge_notice(RULES, 6, date(2025, 10, 1))
    assert outcome.exit_point.on == date(2028, 3, 31)
    assert outcome.deadline_met is False
    assert outcome.missed.on == date(2026, 3, 31)


def test_notice_after_the_2028_deadline_reaches_the_2033_break():
    outcome = terms.judge_notice(RULES, 6, date(2027, 10, 1))
    assert (outcome.exit_point.on, outcome.missed.on) == (date(2033, 3, 31), date(2028, 3, 31))


def test_a_notice_received_on_an_exit_date_missed_it():
    outcome = terms.judge_notice(RULES, 6, date(2026, 3, 31))
    assert outcome.exit_point.on == date(2028, 3, 31)
    assert outcome.missed.on == date(2026, 3, 31)


@hsettings(max_examples=300, deadline=None)
@given(
    received=st.dates(date(2023, 1, 1), date(2060, 12, 31)),
    months=st.integers(min_value=0, max_value=24),
)
def test_property_effective_exit_is_the_earliest_whose_deadline_the_notice_meets(received, months):
    outcome = terms.judge_notice(RULES, months, received)
    point = outcome.exit_point
    assert point.notice_deadline >= received
    assert point.notice_deadline == add_months(point.on, -months)  # exactly N months before
    earlier = list(terms.exit_points(RULES, months, point.on - timedelta(days=1)))
    assert all(p.notice_deadline < received for p in earlier)
    assert outcome.deadline_met == (not [p for p in earlier if p.on >= received])
