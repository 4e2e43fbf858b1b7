"""The deadline calendar as an iCalendar file that Outlook, Google and Apple Calendar import.

One all-day event per deadline. Each event's UID is derived from its kind, subject and date, so
importing a fresh export updates the events already in the calendar instead of duplicating
them; DTSTAMP comes from the ``today`` parameter so the same ledger gives the same file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from plvgov.dates import Deadline

PRODID = "-//Pan-London Vehicle//plvgov//EN"
UID_DOMAIN = "plvgov.invalid"
#: kinds that get a reminder a week before: notice deadlines and filings at Companies House
#: (any kind with "filing" in its name, e.g. "filing_articles", counts as a filing too)
REMINDED_KINDS = frozenset({"notice_deadline", "confirmation_statement", "accounts"})
REMINDER = timedelta(days=7)


def uid(deadline: Deadline) -> str:
    """A stable identity for ``deadline``: the same kind, subject and date give the same UID."""
    key = f"{deadline.kind}|{deadline.subject}|{deadline.on.isoformat()}"
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def _reminded(deadline: Deadline) -> bool:
    return deadline.kind in REMINDED_KINDS or "filing" in deadline.kind


def _title(deadline: Deadline) -> str:
    kind = deadline.kind.replace("_", " ").capitalize()
    if deadline.subject.lower().startswith(kind.lower()):
        return deadline.subject  # "Confirmation statement, review period to …" says it all
    return f"{kind}: {deadline.subject}"


def calendar(deadlines: Iterable[Deadline], today: date, company_name: str) -> Calendar:
    """An iCalendar with one all-day VEVENT per deadline."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{company_name} deadlines")
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    for deadline in deadlines:
        event = Event()
        event.add("uid", uid(deadline))
        event.add("dtstamp", stamp)
        event.add("summary", _title(deadline))
        event.add("dtstart", deadline.on)  # a date: an all-day event
        event.add("dtend", deadline.on + timedelta(days=1))  # exclusive end (RFC 5545)
        description = " ".join(
            p
            for p in (deadline.detail, f"Rule: {deadline.source}." if deadline.source else "")
            if p
        )
        if description:
            event.add("description", description)
        event.add("categories", [deadline.kind])
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy day
        if _reminded(deadline):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"In a week: {_title(deadline)}")
            alarm.add("trigger", -REMINDER)
            event.add_component(alarm)
        cal.add_component(event)
    return cal


def export(deadlines: Iterable[Deadline], today: date, company_name: str) -> bytes:
    """The .ics file's bytes (CRLF line endings, as RFC 5545 and Outlook expect)."""
    return calendar(deadlines, today, company_name).to_ical()
