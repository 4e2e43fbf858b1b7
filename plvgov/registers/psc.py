"""The register of people with significant control (CA 2006 Part 21A, Sch. 1A), derived from
the register of members and the articles, never typed in.

A member of a company limited by guarantee holds no shares, so the conditions that can apply
are holding more than 25% of the voting rights (Sch. 1A para 3) and the right to appoint or
remove a majority of the directors (para 4). Members vote equally unless the articles say
otherwise, so with one, two or three members each holds more than 25% and with four or more
none does. A local authority is treated as an individual for Part 21A (s.790C(12)) and keeps
no register of its own, so a council is entered as an *other registrable person*. With nobody
registrable the register carries the prescribed statement.

Each change of position (an admission or a cessation that crosses four, two or one members, or
a change of the articles) starts two clocks: the register is updated within 14 days (s.790M)
and the registrar told within 14 days after that (s.790VA). The second is outstanding until the
``psc_notified_to`` fact reaches the change. The first position, on the day the first members
are entered, is the company's at formation and starts none.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from sqlmodel import Session

from plvgov import settings
from plvgov.dates import Deadline, uk_date
from plvgov.registers import votes
from plvgov.values import dataclass

VOTES_25 = "more than 25% but not more than 50% of the voting rights"
VOTES_50 = "more than 50% but less than 75% of the voting rights"
VOTES_75 = "75% or more of the voting rights"
APPOINTS = "the right to appoint or remove a majority of the board of directors"
#: Register of People with Significant Control Regulations 2016, Sch. 2 Part 1 para 1
NO_PSC = (
    "The company knows or has reasonable cause to believe that there is no registrable "
    "person or registrable relevant legal entity in relation to the company."
)
KIND = "other registrable person (a local authority, CA 2006 s.790C(12))"
UPDATE_DAYS = 14  # s.790M(4)-(5): enter the change within 14 days
NOTIFY_DAYS = 14  # s.790VA(2): tell the registrar within 14 days after that
NOTIFY = "psc_notify_registrar"

_DAY = timedelta(days=1)


def voting_band(share: Fraction) -> str | None:
    """The prescribed nature of control for a share of the voting rights; None at 25% or
    less (the test is strictly more than 25%)."""
    if share >= Fraction(3, 4):
        return VOTES_75
    if share > Fraction(1, 2):
        return VOTES_50
    if share > Fraction(1, 4):
        return VOTES_25
    return None


@dataclass(frozen=True)
class Entry:
    """A registrable person's entry: who, by what nature of control, from when (to when)."""

    member: str
    gss_code: str | None
    nature: str
    from_on: date
    to_on: date | None = None  # the last day it held; None while it holds
    kind: str = KIND

    def as_json(self) -> dict[str, object]:
        return {
            "member": self.member,
            "gss_code": self.gss_code,
            "nature": self.nature,
            "from_on": self.from_on,
            "to_on": self.to_on,
            "kind": self.kind,
        }


def position(session: Session, on: date) -> dict[int, tuple[str, str | None, str]]:
    """Who is registrable on ``on``: member id → (name, GSS code, natures of control)."""
    found: dict[int, tuple[str, str | None, str]] = {}
    appointer = votes.appointer(session, on)
    for holding in votes.holdings(session, on):
        natures = [n for n in (voting_band(holding.share),) if n]
        if appointer is not None and appointer.id == holding.member.id:
            natures.append(APPOINTS)
        if natures:
            m = holding.member
            found[m.id or 0] = (m.council_name or m.name, m.gss_code, "; ".join(natures))
    return found


def _change_days(session: Session, until: date) -> list[date]:
    from plvgov.membership import members

    days: set[date] = set()
    for m in members.everyone(session):
        if m.admitted_on is not None:
            days.add(m.admitted_on)
            if m.ceased_on is not None:
                days.add(m.ceased_on + _DAY)
    for key in ("articles_member_votes", "articles_director_appointer"):
        days.update(d for d, _ in settings.changes(session, key) if d is not None)
    return sorted(d for d in days if d <= until)


@dataclass(frozen=True)
class Register:
    """The PSC register on a date: every entry made up to then and, while nobody is
    registrable, the prescribed statement and the day it became true."""

    on: date
    entries: list[Entry]
    statement: str | None
    statement_from: date | None
    changes: list[date]  # the days the position changed

    @property
    def current(self) -> list[Entry]:
        return [e for e in self.entries if e.to_on is None]

    def as_json(self) -> dict[str, object]:
        return {
            "on": self.on,
            "entries": [e.as_json() for e in self.entries],
            "statement": self.statement,
            "statement_from": self.statement_from,
        }


def register(session: Session, on: date) -> Register:
    """The register as it stands at the end of ``on``."""
    entries: list[Entry] = []
    open_: dict[tuple[int, str], Entry] = {}
    changes: list[date] = []
    statement_from: date | None = None
    for day in _change_days(session, on):
        now = position(session, day)
        keys = {(mid, nature) for mid, (_, _, nature) in now.items()}
        if keys == set(open_):
            if not keys and statement_from is None:
                statement_from = day  # the register begins with the statement
            continue
        for key in sorted(set(open_) - keys):
            entry = open_.pop(key)
            entries[entries.index(entry)] = Entry(
                entry.member, entry.gss_code, entry.nature, entry.from_on, day - _DAY
            )
        for key in sorted(keys - set(open_)):
            name, code, nature = now[key[0]]
            open_[key] = Entry(name, code, nature, day)
            entries.append(open_[key])
        if not keys:
            statement_from = day
        changes.append(day)
    statement = None if open_ else NO_PSC
    return Register(on, entries, statement, None if open_ else statement_from, changes)


def deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """For each change of position: the day the register must show it and the day the
    registrar must have been told (outstanding until ``psc_notified_to`` reaches it)."""
    incorporated = settings.fact(session, "incorporation_date")
    notified = settings.fact(session, "psc_notified_to")
    found: list[Deadline] = []
    changes = register(session, end).changes
    for change in changes:
        if change == changes[0] or (incorporated is not None and change <= incorporated):
            continue  # the first position is the company's at formation (s.9, s.12A)
        update_by = change + timedelta(days=UPDATE_DAYS)
        notify_by = update_by + timedelta(days=NOTIFY_DAYS)
        told = notified is not None and notified >= change
        subject = f"PSC register: change on {uk_date(change)}"
        if start <= update_by <= end:
            found.append(
                Deadline(
                    update_by,
                    "psc_register_update",
                    subject,
                    "the PSC register must show the change (plvgov's shows it at once; "
                    "update any copy kept elsewhere)",
                    "CA 2006 s.790M",
                )
            )
        if start <= notify_by <= end:
            found.append(
                Deadline(
                    notify_by,
                    NOTIFY,
                    subject,
                    "tell the registrar of the change (forms PSC01 to PSC09)",
                    "CA 2006 s.790VA",
                    outstanding=not told,
                )
            )
    return found
