"""The .ics export: parsed back with icalendar, stable UIDs, reminders, Outlook basics."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar

from plvgov.dates import Deadline
from plvgov.oversight import ics

DEADLINES = [
    Deadline(
        date(2027, 2, 23),
        "confirmation_statement",
        "Confirmation statement, review period to 2027-02-09",
        "Deliver it.",
        "CA 2006 s.853A",
    ),
    Deadline(date(2027, 9, 30), "notice_deadline", "All members", "Last day for notice."),
    Deadline(date(2028, 3, 31), "exit_point", "All members"),
]


def _events(data: bytes) -> list:  # type: ignore[type-arg]
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_one_all_day_event_per_deadline() -> None:
    data = ics.export(DEADLINES, date(2026, 11, 23), "Pan-London Vehicle Limited")
    events = _events(data)
    assert len(events) == 3
    assert [e.decoded("dtstart") for e in events] == [d.on for d in DEADLINES]
    # all-day: DTSTART is a date, DTEND the next day (exclusive)
    assert all(e.decoded("dtend") == e.decoded("dtstart") + timedelta(days=1) for e in events)
    assert str(events[1]["summary"]) == "Notice deadline: All members"


def test_outlook_basics_prodid_version_crlf() -> None:
    data = ics.export(DEADLINES, date(2026, 11, 23), "Pan-London Vehicle Limited")
    cal = Calendar.from_ical(data)
    assert str(cal["version"]) == "2.0"
    assert str(cal["prodid"]) == ics.PRODID
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_uids_stable_across_exports_and_dtstamp_from_today() -> None:
    first = ics.export(DEADLINES, date(2026, 11, 23), "PLV")
    second = ics.export(list(reversed(DEADLINES)), date(2026, 11, 23), "PLV")
    uids_first = sorted(str(e["uid"]) for e in _events(first))
    uids_second = sorted(str(e["uid"]) for e in _events(second))
    assert uids_first == uids_second
    assert len(set(uids_first)) == 3
    assert ics.export(DEADLINES, date(2026, 11, 23), "PLV") == first  # reproducible
    assert all(e.decoded("dtstamp").date() == date(2026, 11, 23) for e in _events(first))


def test_uid_changes_when_the_date_moves() -> None:
    moved = Deadline(date(2027, 10, 1), "notice_deadline", "All members")
    assert ics.uid(moved) != ics.uid(DEADLINES[1])


def test_reminder_a_week_before_notice_deadlines_and_filings_only() -> None:
    events = _events(ics.export(DEADLINES, date(2026, 11, 23), "PLV"))
    alarms = [list(e.walk("VALARM")) for e in events]
    assert [len(a) for a in alarms] == [1, 1, 0]  # filing, notice deadline, exit point
    assert alarms[1][0].decoded("trigger") == -timedelta(days=7)


def test_empty_calendar_is_still_valid() -> None:
    cal = Calendar.from_ical(ics.export([], date(2026, 11, 23), "PLV"))
    assert list(cal.walk("VEVENT")) == []
