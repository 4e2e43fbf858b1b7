"""The stories tests share: ledgers built through plvgov's own domain functions, each step its
own transaction as the CLI's would be, and helpers used by more than one test module."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Any, TypeVar

from sqlalchemy import event
from sqlmodel import Session

from plvgov import audit, settings
from plvgov.billing import accounts, issuing
from plvgov.dates import FinancialYear
from plvgov.db import Ledger
from plvgov.decisions import appointments, meetings, proceedings, resolutions
from plvgov.membership import exits, importing, members
from plvgov.money import parse_amount

D = date.fromisoformat
T = TypeVar("T")


def admit(ledger: Ledger, slug: str, on: date | str = "2023-04-01", command: str = "test") -> None:
    """Admit the council ``slug`` from ``on`` (1 April 2023 by default), as `member admit`."""
    day = D(on) if isinstance(on, str) else on
    with ledger.write(command) as s:
        members.admit(s, members.find(s, slug), day)


# -- a small, fixed story ---------------------------------------------------------------------
def build_story(ledger: Ledger) -> None:
    """Three councils admitted on 1 April 2023, one gives notice in time for the 2026 break,
    a prospect agrees in principle; a special written resolution passes; a general meeting
    passes an ordinary resolution. Every step is its own transaction, as the CLI's would be."""
    with ledger.write("test: facts") as s:
        row = settings.stage_fact(s, "registered_office", "2 Bristol Avenue, London NW9 4EW")
        audit.record(s, "settings.set", "registered_office", [row])
    founders = [
        ("barking-and-dagenham", "Alex Morgan", "1 Town Square, Barking IG11 7LU"),
        ("bromley", "Priya Shah", None),
        ("sutton", "Ian Doyle", None),
    ]
    for slug, rep, address in founders:
        with ledger.write(f"test: {slug}") as s:
            m = members.find(s, slug)
            m.address = address
            members.decide(s, m, "in-principle", D("2023-03-14"), "Cabinet", "Item 9")
        with ledger.write(f"test: final {slug}") as s:
            members.decide(
                s,
                members.find(s, slug),
                "final",
                D("2023-03-28"),
                "Director of Children's Services (delegated)",
            )
        with ledger.write(f"test: admit {slug}") as s:
            members.admit(s, members.find(s, slug), D("2023-04-01"))
        with ledger.write(f"test: rep {slug}") as s:
            members.appoint_representative(s, members.find(s, slug), rep, D("2023-04-01"))
    with ledger.write("test: westminster") as s:
        members.decide(
            s, members.find(s, "westminster"), "in-principle", D("2026-07-14"), "Cabinet", "Item 7"
        )
    with ledger.write("test: sutton withdraws") as s:
        exits.withdraw(s, members.find(s, "sutton"), D("2025-09-12"))
    _decisions(ledger)
    _billing(ledger)


def _billing(ledger: Ledger) -> None:
    """FY 2026/27 invoices on 1 April 2026 (the provision launched on 1 April 2025): Barking
    and Dagenham pays in full; Bromley gets a £1,000 credit and is in arrears."""
    with ledger.write("test: launch") as s:
        row = settings.stage_fact(s, "launch_date", D("2025-04-01"))
        audit.record(s, "settings.set", "launch_date", [row])
    for slug in ("barking-and-dagenham", "bromley"):
        with ledger.write(f"test: invoice {slug}") as s:
            issuing.issue(s, FinancialYear(2026), [members.find(s, slug).id], D("2026-04-01"))
    with ledger.write("test: pay") as s:
        number = issuing.find_for(
            s, members.find(s, "barking-and-dagenham"), FinancialYear(2026)
        ).number
        due = accounts.view(s, accounts.get(s, number)).balance
        accounts.pay(s, number, due, D("2026-04-20"), "BACS 88231")
    with ledger.write("test: credit") as s:
        number = issuing.find_for(s, members.find(s, "bromley"), FinancialYear(2026)).number
        accounts.credit(
            s,
            number,
            "Agreed reduction for the first year",
            D("2026-04-15"),
            parse_amount("1000.00"),
        )


def _decisions(ledger: Ledger) -> None:
    with ledger.write("test: propose") as s:
        special = resolutions.propose(
            s,
            "Adopt the pricing strategy",
            "special",
            "written",
            D("2026-06-01"),
            "THAT the pricing strategy set out in the paper be adopted.",
        )
    with ledger.write("test: circulate") as s:
        resolutions.circulate(s, resolutions.get(s, special.id), D("2026-06-02"))
    for slug in ("barking-and-dagenham", "bromley"):
        with ledger.write(f"test: agree {slug}") as s:
            resolutions.vote(
                s, resolutions.get(s, special.id), members.find(s, slug), "for", D("2026-06-05")
            )
    with ledger.write("test: propose ordinary") as s:
        ordinary = resolutions.propose(
            s, "Receive the annual accounts", "ordinary", "meeting", D("2026-08-20")
        )
    with ledger.write("test: convene") as s:
        meeting = meetings.convene(
            s,
            datetime(2026, 9, 30, 14, 0),
            datetime(2026, 9, 1, 10, 0),
            "email",
            "Colindale Office, London NW9",
            [ordinary.id],
            "Jane Doe",
        )
    with ledger.write("test: director") as s:
        appointments.appoint(s, "Sam Patel", D("2023-04-01"), members.find(s, "bromley"))
    with ledger.write("test: chair") as s:
        proceedings.set_chair(s, meetings.get(s, meeting.id), "Sam Patel")
    with ledger.write("test: officers") as s:
        proceedings.attend_officers(s, meetings.get(s, meeting.id), ["Sam Patel"], "Alex Kim")
    for slug in ("barking-and-dagenham", "bromley"):
        with ledger.write(f"test: attend {slug}") as s:
            proceedings.attend(s, meetings.get(s, meeting.id), members.find(s, slug))
        with ledger.write(f"test: vote {slug}") as s:
            proceedings.vote(
                s,
                meetings.get(s, meeting.id),
                resolutions.get(s, ordinary.id),
                members.find(s, slug),
                "for",
            )
    with ledger.write("test: close") as s:
        proceedings.close(s, meetings.get(s, meeting.id), opened=time(14, 5), closed=time(15, 10))


# -- a ledger that grows: papers must not run a query per member -------------------------------
@contextmanager
def statements(ledger: Ledger) -> Iterator[list[str]]:
    """The SQL statements ``ledger`` runs inside the block."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    event.listen(ledger.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(ledger.engine, "before_cursor_execute", note)


def admit_with_facts(ledger: Ledger, rows: list[tuple[str, str]]) -> None:
    """Import ``rows`` (name, GSS code) as members from 1 April 2023, each with every kind of
    fact a paper reads per member: council decisions, most a corporate representative, one in
    three a notice of withdrawal (half already gone at the 2026 break, half leaving in 2028)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "code", "address", "admitted_on"])
    writer.writerows([name, code, "", "2023-04-01"] for name, code in rows)
    with ledger.write("test: import") as s:
        importing.import_members(s, out.getvalue())
    for i, (_name, code) in enumerate(rows):
        with ledger.write("test: in principle") as s:
            members.decide(s, members.find(s, code), "in-principle", D("2023-03-01"), "Cabinet")
        with ledger.write("test: final") as s:
            members.decide(s, members.find(s, code), "final", D("2023-03-14"), "Council")
        if i % 4:
            with ledger.write("test: representative") as s:
                members.appoint_representative(
                    s, members.find(s, code), f"Representative {code}", D("2023-04-01")
                )
        if i % 3 == 0:
            with ledger.write("test: notice") as s:
                received = D("2025-09-12") if i % 2 else D("2026-10-01")
                exits.withdraw(s, members.find(s, code), received)


def at_two_sizes(ledger: Ledger, build: Callable[[Session], T]) -> list[tuple[int, T]]:
    """``build``'s statement count and result with the 33 London authorities admitted, then
    again with 20 more members: a paper that reads per member runs more statements the second
    time."""
    found = []
    london = [(a["name"], a["gss_code"]) for a in members.london_authorities()]
    newcomers = [(f"Test Authority {n:02d}", f"E070{n:05d}") for n in range(1, 21)]
    for rows in (london, newcomers):
        admit_with_facts(ledger, rows)
        with ledger.read() as session, statements(ledger) as seen:
            result = build(session)
        found.append((len(seen), result))
    return found
