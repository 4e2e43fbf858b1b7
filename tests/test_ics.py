"""The .ics export: parsed back with icalendar, stable UIDs, reminders, Outlook basics."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

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


# -- Outlook: meetings timed and busy, sentences, cancellations (issue 13, item 8) ----------------
MEETING = Deadline(
    date(2027, 7, 6),
    "general_meeting",
    "General meeting 1 on 2027-07-06 14:00",
    "The members meet at Colindale, starting at 14:00.",
    "CA 2006 s.307",
    starts_at=datetime(2027, 7, 6, 14, 0),
    location="Colindale Civic Centre",
)
DUE = Deadline(
    date(2026, 5, 1),
    "invoice_due",
    "Bromley",
    "Invoice PLV-2026-0001 (£22,504.04 outstanding) is due.",
    "settings: invoice_due_days",
    outstanding=True,
)


def test_a_meeting_is_a_timed_busy_event_with_its_location() -> None:
    data = ics.export([MEETING, *DEADLINES], date(2026, 11, 23), "PLV")
    meeting, *days = _events(data)
    start, end = meeting.decoded("dtstart"), meeting.decoded("dtend")
    assert isinstance(start, datetime) and start.tzinfo is not None
    assert start.astimezone(ZoneInfo("UTC")) == datetime(2027, 7, 6, 13, 0, tzinfo=ZoneInfo("UTC"))
    assert end - start == timedelta(hours=2)  # the default when the ledger knows no length
    assert b"DTSTART;TZID=Europe/London:20270706T140000" in data
    assert [str(tz["tzid"]) for tz in Calendar.from_ical(data).walk("VTIMEZONE")] == [
        "Europe/London"
    ]
    assert str(meeting["location"]) == "Colindale Civic Centre"
    assert str(meeting["transp"]) == "OPAQUE"  # busy
    # deadlines stay all-day and free
    assert all(not isinstance(e.decoded("dtstart"), datetime) for e in days)
    assert {str(e["transp"]) for e in days} == {"TRANSPARENT"}
    longer = replace(MEETING, minutes=90)
    (event,) = _events(ics.export([longer], date(2026, 11, 23), "PLV"))
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)


def test_descriptions_are_sentences_with_the_rule_in_words() -> None:
    lapse = Deadline(
        date(2027, 1, 2),
        "written_resolution_lapse",
        "Resolution 3",
        "last day an agreement counts; it has 2 of the 17 agreements it needs",
        "CA 2006 s.297",
    )
    events = _events(ics.export([DUE, lapse, MEETING], date(2026, 11, 23), "PLV"))
    texts = [str(e["description"]) for e in events]
    assert texts[0] == (
        "Invoice PLV-2026-0001 (£22,504.04 outstanding) is due. "
        "Set by the company's settings (invoice due days)."
    )
    assert texts[1] == (
        "Last day an agreement counts; it has 2 of the 17 agreements it needs. "
        "Set by Companies Act 2006 s.297."
    )
    assert texts[2] == (
        "The members meet at Colindale, starting at 14:00. Set by Companies Act 2006 s.307."
    )
    for text in texts:
        assert "Rule:" not in text and "settings:" not in text and "_" not in text


def test_an_entry_that_no_longer_applies_is_cancelled_with_a_higher_sequence() -> None:
    before = _events(ics.export([DUE], date(2026, 4, 2), "PLV"))[0]
    paid = replace(DUE, detail="Invoice PLV-2026-0001 is paid.", cancelled=True, revision=1)
    after = _events(ics.export([paid], date(2026, 4, 21), "PLV"))[0]
    assert str(after["uid"]) == str(before["uid"])  # the same event, so Outlook removes it
    assert str(before["status"]) == "CONFIRMED" and str(after["status"]) == "CANCELLED"
    assert int(after["sequence"]) > int(before["sequence"])
    # a live entry with the same identity wins over a cancelled one
    both = _events(ics.export([paid, DUE], date(2026, 4, 21), "PLV"))
    assert [str(e["status"]) for e in both] == ["CONFIRMED"]
