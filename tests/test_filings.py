"""Confirmation statement and accounts deadlines (CA 2006 s.853A, s.442, s.443)."""

from __future__ import annotations

from datetime import date

from plvgov import settings
from plvgov.company import filings
from plvgov.db import Ledger
from tests.conftest import TODAY

INCORPORATED = date(2026, 2, 10)


def _set(ledger: Ledger, **facts: str) -> None:
    with ledger.write("test") as session:
        for key, value in facts.items():
            settings.set_value(
                session, key, value, effective_from=None, authority="test", today=TODAY
            )


def test_first_confirmation_statement_due_14_days_after_first_review_period() -> None:
    # CA 2006 s.853A: first review period is 12 months beginning with incorporation
    periods = filings.review_periods(INCORPORATED, date(2028, 12, 31))
    assert [(p.period_end, p.due_on) for p in periods] == [
        (date(2027, 2, 9), date(2027, 2, 23)),
        (date(2028, 2, 9), date(2028, 2, 23)),
    ]


def test_early_confirmation_date_restarts_the_review_period() -> None:
    # s.853A: after a statement filed early, the next period runs from the day after its date
    periods = filings.review_periods(INCORPORATED, date(2027, 12, 31), date(2026, 11, 30))
    assert [(p.period_start, p.period_end, p.due_on) for p in periods] == [
        (date(2026, 2, 10), date(2026, 11, 30), date(2026, 12, 14)),
        (date(2026, 12, 1), date(2027, 11, 30), date(2027, 12, 14)),
    ]


def test_accounts_due_nine_months_after_reference_date_month_end_aware() -> None:
    # CA 2006 s.442(2)(a) with s.443: 30 June + 9 months is 31 March, not 30 March
    assert filings.accounts_due(date(2025, 7, 1), date(2026, 6, 30), first=False) == date(
        2027, 3, 31
    )
    assert filings.accounts_due(date(2025, 4, 1), date(2026, 3, 31), first=False) == date(
        2026, 12, 31
    )


def test_leap_year_reference_date() -> None:
    # a February month-end ARD is 29 February in a leap year; 9 months on is 30 November
    assert filings.reference_date_in(2028, "02-28") == date(2028, 2, 29)
    assert filings.reference_date_in(2027, "02-29") == date(2027, 2, 28)
    assert filings.accounts_due(date(2027, 3, 1), date(2028, 2, 29), first=False) == date(
        2028, 11, 30
    )


def test_first_accounts_of_a_long_period_use_the_later_deadline() -> None:
    # s.391(4) [U]: first ARD is the month end of the first anniversary, 2027-02-28;
    # s.442(3): the later of 9 months from the anniversary (2027-11-10) and 3 months after
    # the period (2027-05-31)
    periods = filings.accounting_periods(INCORPORATED, "02-28", date(2029, 12, 31))
    assert [(p.period_start, p.period_end, p.due_on) for p in periods] == [
        (date(2026, 2, 10), date(2027, 2, 28), date(2027, 11, 10)),
        (date(2027, 3, 1), date(2028, 2, 29), date(2028, 11, 30)),
        (date(2028, 3, 1), date(2029, 2, 28), date(2029, 11, 30)),
    ]


def test_first_period_is_more_than_six_months() -> None:
    # s.391/s.392: a first period of 6 months or less runs on to the next reference date
    assert filings.first_reference_date(date(2026, 2, 10), "03-31") == date(2027, 3, 31)
    assert filings.first_reference_date(date(2026, 2, 10), "09-30") == date(2026, 9, 30)
    # a first period of 12 months or less is not "more than 12 months": plain 9 months
    assert filings.accounting_periods(date(2026, 2, 10), "09-30", date(2027, 6, 30))[
        0
    ].due_on == date(2027, 6, 30)


def test_deadlines_from_the_company_facts(ledger: Ledger) -> None:
    _set(ledger, incorporation_date="2026-02-10", accounting_reference_date="06-30")
    # first period to 2027-06-30; the next, to 2028-06-30, is due 2029-03-31 (s.443)
    with ledger.read() as session:
        found = filings.deadlines(session, date(2026, 11, 23), date(2028, 12, 31))
    assert [(d.on, d.kind) for d in found] == [
        (date(2027, 2, 23), "confirmation_statement"),
        (date(2027, 11, 10), "accounts"),  # first period to 2027-06-30 is over 12 months
        (date(2028, 2, 23), "confirmation_statement"),
    ]
    assert found[0].subject == "Confirmation statement, review period to 2027-02-09"
    assert "s.853A" in found[0].source


def test_no_incorporation_date_no_company_deadlines(ledger: Ledger) -> None:
    with ledger.read() as session:
        assert filings.deadlines(session, date(2026, 1, 1), date(2030, 1, 1)) == []


def test_outstanding_skips_filings_recorded_in_the_facts(ledger: Ledger) -> None:
    _set(ledger, incorporation_date="2026-02-10", accounting_reference_date="02-28")
    with ledger.read() as session:
        before = filings.outstanding(session, date(2028, 3, 1))
    _set(ledger, confirmation_date="2027-02-09")
    with ledger.read() as session:
        after = filings.outstanding(session, date(2028, 3, 1))
    assert [f.due_on for f in before] == [date(2027, 2, 23), date(2027, 11, 10), date(2028, 2, 23)]
    assert [f.due_on for f in after] == [date(2027, 11, 10), date(2028, 2, 23)]
