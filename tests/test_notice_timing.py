"""Working days (CA 2006 s.1173), deemed service (s.1147), clear days (s.360) and filing dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from plvgov import settings
from plvgov.decisions.notice_timing import (
    Calendar,
    deemed_served,
    earliest_meeting_on,
    filing_due_on,
    latest_sending_on,
    proxy_cutoff,
)

D, T = date.fromisoformat, datetime.fromisoformat
ENGLAND = Calendar()


@pytest.mark.parametrize(
    ("sent", "method", "deemed", "earliest"),
    [
        # company_law.md §5 worked examples (48 working hours, 14 clear days)
        ("2026-12-18T14:00", "email", "2026-12-22T14:00", "2027-01-06"),
        # 25, 26, 27 and 28 Dec (Boxing Day substitute) are not working days
        ("2026-12-24T10:00", "email", "2026-12-30T10:00", "2027-01-14"),
        # Good Friday 3 Apr and Easter Monday 6 Apr 2026 skipped
        ("2026-04-02T17:00", "post", "2026-04-08T17:00", "2026-04-23"),
        # New Year's Day 2027 skipped
        ("2026-12-30T09:00", "email", "2027-01-04T09:00", "2027-01-19"),
        # Easter 2027: Good Friday 26 Mar, Easter Monday 29 Mar
        ("2027-03-25T12:00", "email", "2027-03-31T12:00", "2027-04-15"),
        # Spring bank holiday Mon 31 May 2027
        ("2027-05-28T09:00", "post", "2027-06-02T09:00", "2027-06-17"),
        # Summer bank holiday Mon 31 Aug 2026
        ("2026-08-28T16:00", "email", "2026-09-02T16:00", "2026-09-17"),
        # Leap year: 29 Feb 2028 is a working day and a calendar day
        ("2028-02-28T10:00", "email", "2028-03-01T10:00", "2028-03-16"),
        # Sent on a Saturday: the hours start on Monday
        ("2026-12-19T10:00", "email", "2026-12-23T00:00", "2027-01-07"),
        # By hand: given at once
        ("2026-12-24T10:00", "hand", "2026-12-24T10:00", "2027-01-08"),
    ],
)
def test_deemed_service_and_earliest_meeting(
    sent: str, method: str, deemed: str, earliest: str
) -> None:
    served = deemed_served(ENGLAND, T(sent), method)
    assert served == T(deemed)
    # CA 2006 s.360: 14 clear days exclude the day notice is given and the meeting day
    assert earliest_meeting_on(served.date(), 14) == D(earliest)


def test_working_days_follow_england_and_wales_bank_holidays() -> None:
    non_working_2026 = [
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
    ]
    non_working_2027 = [
        "2027-01-01",
        "2027-03-26",
        "2027-03-29",
        "2027-05-03",
        "2027-05-31",
        "2027-08-30",
        "2027-12-27",
        "2027-12-28",
    ]
    for day in non_working_2026 + non_working_2027:
        assert not ENGLAND.is_working_day(D(day)), day
    assert ENGLAND.is_working_day(D("2026-12-24"))
    assert ENGLAND.is_working_day(D("2028-02-29"))
    assert not ENGLAND.is_working_day(D("2026-12-26"))  # a Saturday
    # one-off proclaimed bank holidays (company_law.md §12)
    for day in ("2022-06-03", "2022-09-19", "2023-05-08"):
        assert not ENGLAND.is_working_day(D(day)), day
    # St Andrew's Day is a Scottish holiday only: a working day in England and Wales
    assert ENGLAND.is_working_day(D("2027-11-30"))


def test_extra_non_working_day_setting_is_skipped(ledger) -> None:
    with ledger.write("test") as session:
        settings.set_value(
            session,
            "extra_non_working_days",
            "2026-12-21",
            effective_from=date(2026, 1, 1),
            authority="proclamation",
            today=date(2026, 11, 23),
        )
    with ledger.read() as session:
        calendar = Calendar.of(session, date(2026, 12, 18))
    # Mon 21 Dec is now a non-working day: deemed served a day later
    assert deemed_served(calendar, T("2026-12-18T14:00"), "email") == T("2026-12-23T14:00")


def test_proxy_cutoff_counts_48_working_hours_back() -> None:
    # company_law.md §4.7: 10h Mon 4 Jan; skip Sun, Sat, Fri 1 Jan; 24h Thu; 14h Wed
    assert proxy_cutoff(ENGLAND, T("2027-01-04T10:00")) == T("2026-12-30T10:00")
    # an ordinary week: Thursday 10:00 back to Tuesday 10:00
    assert proxy_cutoff(ENGLAND, T("2027-01-14T10:00")) == T("2027-01-12T10:00")


def test_latest_sending_day_for_valid_notice() -> None:
    # For a meeting on Wed 6 Jan 2027 notice must be given by Tue 22 Dec 2026; email sent on
    # Fri 18 Dec is (just) in time, and one sent on Mon 21 Dec is not.
    by = latest_sending_on(ENGLAND, D("2027-01-06"), 14, "email")
    assert by <= D("2026-12-20")
    assert deemed_served(ENGLAND, T("2026-12-18T23:59"), "email").date() <= D("2026-12-22")
    assert deemed_served(ENGLAND, T("2026-12-21T00:01"), "email").date() > D("2026-12-22")
    assert latest_sending_on(ENGLAND, D("2027-01-06"), 14, "hand") == D("2026-12-22")


@pytest.mark.parametrize(
    ("event", "due"),
    [
        ("2027-01-06", "2027-01-21"),  # company_law.md §6: 15 days, day of passing excluded
        ("2028-02-20", "2028-03-06"),  # leap year
        ("2027-02-20", "2027-03-07"),
        ("2026-12-31", "2027-01-15"),  # year end, no working-day adjustment
    ],
)
def test_filing_due_dates(event: str, due: str) -> None:
    # CA 2006 s.26, s.30: within 15 days after the event
    assert filing_due_on(D(event), 15) == D(due)
