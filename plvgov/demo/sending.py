"""Demo chapter: sending the papers — most members agree to receive documents by email (CA 2006
Sch. 5), a few keep paper; the notice of a general meeting a month ahead is written to
``outbox/`` beside the demonstration ledger, one .eml per member, and logged.

The messages come from the company's registered email address (set by the membership
chapter). The addresses are illustrative, at ``.example`` domains (RFC 2606) that no mail reaches.
"""

from __future__ import annotations

import shutil
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from plvgov.correspondence import agreements
from plvgov.decisions import meetings
from plvgov.membership import members
from plvgov.sending import runs

if TYPE_CHECKING:
    from plvgov.demo.story import Story

PAPER = ("havering", "croydon", "sutton")  # councils that keep paper in the demo


def build(story: Story) -> list[str]:
    ledger, today = story.ledger, story.today
    with ledger.read() as s:
        current = [
            (m.slug, m.admitted_on)
            for m in members.members_on(s, today)
            if m.admitted_on is not None
        ]
    agreed = 0
    for slug, admitted_on in current:
        if slug in PAPER:
            continue
        address = f"democratic.services@{slug}.example"
        with ledger.write(
            f"plvgov member email {slug} --address {address} --agreed-on {admitted_on}"
        ) as s:
            agreements.agree(s, members.find(s, slug), address, admitted_on, today=today)
        agreed += 1
    held_at = datetime.combine(today + timedelta(days=30), time(10, 0))
    with ledger.write(
        f"plvgov meeting convene --at {held_at:%Y-%m-%dT%H:%M} --place 'Barnet House'"
    ) as s:
        meeting = meetings.convene(
            s, held_at, None, "email", "Barnet House, 2 Bristol Avenue, Colindale, London NW9 4EW"
        )
    outbox = story.folder / "outbox"
    shutil.rmtree(outbox, ignore_errors=True)  # the demo's own folder: a rebuild replaces it
    outbox.mkdir()
    sent_at = datetime.combine(today, time(9, 0))
    outcome = runs.run(
        ledger, "notice", str(meeting.id), today=today, now=lambda: sent_at, outbox=outbox
    )
    return [
        f"{agreed} members agreed to documents by email; {len(outcome.posted_needed)} keep paper",
        f"Notice of general meeting {meeting.id} on {held_at:%-d %B %Y}: "
        f"{len(outcome.sent)} messages in {outbox}, {len(outcome.posted_needed)} to post "
        f"(`plvgov send notice {meeting.id}` sends by email once PLVGOV_SMTP_URL is set)",
    ]
