"""Demo chapter: the registers and their clocks — a request of each kind (a written
resolution and a general meeting required by members, an inspection of the register, a
freedom-of-information request), two of the three directors' identities verified with
Companies House, and the PSC register's statement (derived: nothing to record).

Requesters, dates and codes are illustrative.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from plvgov.decisions import appointments
from plvgov.membership import members
from plvgov.registers import identity, psc, requests

if TYPE_CHECKING:
    from plvgov.demo.story import Story

D = date.fromisoformat
#: (kind, received, requesting members, extra particulars, closed on, outcome)
REQUESTS: list[tuple[str, str, list[str], dict[str, Any], str | None, str | None]] = [
    (
        requests.WRITTEN_RESOLUTION,
        "2026-06-01",
        ["camden", "hackney"],
        {"text": "THAT the company publish its annual report on its website"},
        "2026-06-15",
        "circulated to every member on 15 June 2026",
    ),
    (
        requests.MEETING,
        "2026-09-01",
        ["barnet", "camden"],
        {"text": "to amend the articles on subscriptions and the host council"},
        "2026-09-21",
        "general meeting called on 21 September 2026 for 14 October 2026",
    ),
    (
        requests.INSPECTION,
        "2026-11-16",
        [],
        {
            "requester": "Sam Okafor, Local Government Chronicle",
            "address": "1 Fleet Street, London EC4Y 1AA",
            "purpose": "an article on councils' shared services",
            "disclosed": True,
        },
        None,
        None,
    ),
    (
        requests.FOI,
        "2026-11-02",
        [],
        {"requester": "R. Citizen", "text": "the board's minutes for 2025-26"},
        None,
        None,
    ),
]
VERIFIED = [
    ("Helen Brooks", "HB4K7Q2M9XZ", "2025-11-24"),
    ("Marcus Reed", "MR8P3D6T1VW", "2026-01-12"),
]


def build(story: Story) -> list[str]:
    ledger = story.ledger
    for kind, received, slugs, extra, closed_on, outcome in REQUESTS:
        with ledger.write(f"plvgov request log --kind {kind} --date {received}") as s:
            who = [members.find(s, slug) for slug in slugs]
            logged = requests.log(s, kind, D(received), who, today=story.today, **extra)
            request_id = logged.request.id
        if closed_on and outcome and request_id is not None:
            with ledger.write(f"plvgov request close {request_id} --date {closed_on}") as s:
                requests.close(
                    s, requests.get(s, request_id), D(closed_on), outcome, today=story.today
                )
    for name, code, on in VERIFIED:
        with ledger.write(f"plvgov director verify {name!r} --date {on}") as s:
            identity.verify(s, appointments.find_director(s, name), code, D(on), today=story.today)
    with ledger.read() as s:
        reg = psc.register(s, story.today)
    position = (
        "no registrable person (the prescribed statement)"
        if reg.statement
        else f"{len(reg.current)} registrable councils"
    )
    return [
        f"Requests: one of each kind ({', '.join(requests.KINDS)}), two answered, two open",
        f"PSC register: {position}; identity verified for 2 of 3 directors",
    ]
