"""Dates: ISO parsing, month-end-aware months, whole years, the financial year."""

from datetime import date

import pytest

from plvgov.dates import (
    FinancialYear,
    add_months,
    add_years,
    days_between_inclusive,
    parse_datetime,
    uk_date,
)
from plvgov.errors import InputError


def test_parse_datetime_is_london_time_unless_an_offset_is_given():
    summer = parse_datetime("2026-07-01T10:00")
    assert summer.utcoffset().total_seconds() == 3600  # BST
    winter = parse_datetime("2026-12-01T10:00")
    assert winter.utcoffset().total_seconds() == 0
    assert parse_datetime("2026-07-01T10:00+00:00").utcoffset().total_seconds() == 0
    with pytest.raises(InputError, match="YYYY-MM-DDTHH:MM"):
        parse_datetime("tomorrow")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 31), -6, date(2025, 9, 30)),  # month end stays a month end
        (date(2028, 3, 31), -1, date(2028, 2, 29)),  # leap year
        (date(2027, 3, 31), -1, date(2027, 2, 28)),  # common year
        (date(2027, 2, 28), 12, date(2028, 2, 29)),  # 28 Feb is a month end in 2027
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 1, 15), 1, date(2026, 2, 15)),  # not a month end: same day
        (date(2026, 1, 30), 1, date(2026, 2, 28)),  # clipped to the month's length
    ],
)
def test_add_months_is_month_end_aware(day, months, expected):
    assert add_months(day, months) == expected


def test_add_years_turns_29_february_into_28_february_in_a_common_year():
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert add_years(date(2027, 3, 31), 1) == date(2028, 3, 31)


def test_uk_date_reads_as_a_document_writes_it():
    assert uk_date(date(2026, 2, 9)) == "9 February 2026"


@pytest.mark.parametrize("text", ["2026", "2026/27", "2026-27", "2026-2027", " 2026 / 27 "])
def test_financial_year_spellings(text):
    fy = FinancialYear.parse(text)
    assert fy == FinancialYear(2026)
    assert (fy.starts_on, fy.ends_on, fy.label) == (date(2026, 4, 1), date(2027, 3, 31), "2026/27")


@pytest.mark.parametrize("text", ["2026/28", "26/27", "next year", "1800"])
def test_financial_year_refuses_what_is_not_one(text):
    with pytest.raises(InputError, match="financial year"):
        FinancialYear.parse(text)


def test_financial_year_containing_and_days():
    assert FinancialYear.containing(date(2027, 3, 31)) == FinancialYear(2026)
    assert FinancialYear.containing(date(2027, 4, 1)) == FinancialYear(2027)
    assert FinancialYear(2027).days == 366  # contains 29 February 2028
    assert FinancialYear(2026).days == 365
    assert FinancialYear(2026).next() == FinancialYear(2027)


def test_days_between_inclusive_counts_both_ends_and_never_goes_negative():
    assert days_between_inclusive(date(2023, 4, 1), date(2024, 3, 31)) == 366
    assert days_between_inclusive(date(2024, 3, 31), date(2023, 4, 1)) == 0
