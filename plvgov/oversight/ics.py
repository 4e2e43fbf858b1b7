"""The deadline calendar as an iCalendar file that Outlook, Google and Apple Calendar import.

A deadline is an all-day event shown as free (a reminder, not a busy day); a meeting
(a ``Deadline`` with ``starts_at``) is a timed event in Europe/London time with its
location, shown as busy, two hours long unless the ledger knows better. Each event's UID is
derived from its kind, subject and date, so importing a fresh export updates the events already
in the calendar instead of duplicating them; an entry that no longer applies (an invoice paid)
is sent as ``STATUS:CANCELLED`` with a higher ``SEQUENCE`` (the entry's ``revision``), so the
calendar removes it. DTSTAMP comes from the ``today`` parameter so the same ledger gives the
same file. Descriptions are sentences: a rule such as ``settings: invoice_due_days`` is
written out in words.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from plvgov.dates import Deadline

PRODID = "-//Pan-London Vehicle//plvgov//EN"
UID_DOMAIN = "plvgov.invalid"
LONDON = ZoneInfo("Europe/London")
#: how long a meeting lasts when the ledger does not say
DEFAULT_MEETING = timedelta(hours=2)
#: kinds that get a reminder a week before: notice deadlines and filings at Companies House
#: (any kind with "filing" in its name, e.g. "filing_articles", counts as a filing too)
REMINDED_KINDS = frozenset({"notice_deadline", "confirmation_statement", "accounts"})
REMINDER = timedelta(days=7)
#: how a rule's prefix reads in a sentence ("settings: invoice_due_days")
_RULE_PREFIXES = {
    "settings": "the company's settings",
    "setting": "the company's settings",
    "terms": "the membership terms",
    "articles": "the articles",
}
_ACTS = (("CA 2006", "Companies Act 2006"), ("IA 1986", "Insolvency Act 1986"))


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


def sentence(text: str) -> str:
    """``text`` as a sentence: a capital first letter and a full stop at the end."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def rule_in_words(source: str) -> str:
    """A rule reference as a person reads it: ``CA 2006 s.297`` → "Companies Act 2006 s.297",
    ``settings: invoice_due_days`` → "the company's settings (invoice due days)",
    ``terms: exit points`` → "the membership terms (exit points)"."""
    text = " ".join(source.split()).rstrip(".")
    for short, full in _ACTS:
        text = re.sub(rf"\b{re.escape(short)}\b", full, text)
    prefix, colon, rest = text.partition(":")
    words = _RULE_PREFIXES.get(prefix.strip().lower())
    if colon and words is not None:
        return f"{words} ({rest.strip().replace('_', ' ')})"
    if colon:  # "Companies Act 2006 s.853A: within 14 days …"
        return f"{prefix.strip()} ({rest.strip()})"
    return _RULE_PREFIXES.get(text.lower(), text)


def description(deadline: Deadline) -> str:
    """The event's description: the entry's detail as a sentence, then the rule that sets it."""
    parts = [sentence(deadline.detail)]
    if deadline.cancelled:
        parts.insert(0, "This no longer applies.")
    if deadline.source:
        parts.append(f"Set by {rule_in_words(deadline.source)}.")
    return " ".join(p for p in parts if p)


def _event(deadline: Deadline, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid(deadline))
    event.add("dtstamp", stamp)
    event.add("sequence", max(deadline.revision, 1) if deadline.cancelled else deadline.revision)
    event.add("summary", _title(deadline))
    if deadline.starts_at is not None:  # a meeting: a timed, busy event where it is held
        start = deadline.starts_at.replace(tzinfo=LONDON)
        length = timedelta(minutes=deadline.minutes) if deadline.minutes else DEFAULT_MEETING
        event.add("dtstart", start)
        event.add("dtend", start + length)
        if deadline.location:
            event.add("location", deadline.location)
        event.add("transp", "OPAQUE")
    else:
        event.add("dtstart", deadline.on)  # a date: an all-day event
        event.add("dtend", deadline.on + timedelta(days=1))  # exclusive end (RFC 5545)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy day
    text = description(deadline)
    if text:
        event.add("description", text)
    event.add("categories", [deadline.kind])
    event.add("status", "CANCELLED" if deadline.cancelled else "CONFIRMED")
    if _reminded(deadline) and not deadline.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"In a week: {_title(deadline)}")
        alarm.add("trigger", -REMINDER)
        event.add_component(alarm)
    return event


def calendar(deadlines: Iterable[Deadline], today: date, company_name: str) -> Calendar:
    """An iCalendar with one VEVENT per deadline (all-day) or meeting (timed). A cancelled
    entry whose UID a live one also has is left out: the live one wins."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{company_name} deadlines")
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    items = list(deadlines)
    live = {uid(d) for d in items if not d.cancelled}
    kept = [d for d in items if not (d.cancelled and uid(d) in live)]
    if any(d.starts_at is not None for d in kept):
        cal.add_component(_london())  # the VTIMEZONE Outlook needs for TZID=Europe/London
    for deadline in kept:
        cal.add_component(_event(deadline, stamp))
    return cal


def _london() -> Timezone:
    """Europe/London as the two yearly rules in force since 1996 (BST from 01:00 GMT on the
    last Sunday of March to 01:00 GMT on the last Sunday of October), good for any future
    date, as Outlook writes it."""
    tz = Timezone()
    tz.add("tzid", "Europe/London")
    summer = TimezoneDaylight()
    summer.add("dtstart", datetime(1981, 3, 29, 1, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    summer.add("tzoffsetfrom", timedelta(hours=0))
    summer.add("tzoffsetto", timedelta(hours=1))
    summer.add("tzname", "BST")
    winter = TimezoneStandard()
    winter.add("dtstart", datetime(1996, 10, 27, 2, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(hours=0))
    winter.add("tzname", "GMT")
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def export(deadlines: Iterable[Deadline], today: date, company_name: str) -> bytes:
    """The .ics file's bytes (CRLF line endings, as RFC 5545 and Outlook expect)."""
    return calendar(deadlines, today, company_name).to_ical()
