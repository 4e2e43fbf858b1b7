"""One registry of every deadline the ledger knows, fed by each domain.

Each domain module that knows deadlines exposes ``deadlines(session, start, end) ->
list[Deadline]`` (dates in ``[start, end]``) and is imported into :data:`FEEDERS`.
``plvgov calendar`` and the board pack read them all through :func:`collect`; nothing else
lists deadlines.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session

from plvgov import once
from plvgov.billing import accounts, reminders
from plvgov.company import filings
from plvgov.correspondence import hard_copies
from plvgov.dates import Deadline
from plvgov.decisions import articles, meetings, resolutions
from plvgov.membership import exits
from plvgov.registers import psc, requests

#: Every domain's deadlines, each ``(session, start, end) -> list[Deadline]``.
FEEDERS: tuple[Callable[[Session, date, date], list[Deadline]], ...] = (
    exits.deadlines,
    accounts.deadlines,
    reminders.deadlines,
    resolutions.deadlines,
    meetings.deadlines,
    articles.deadlines,
    filings.deadlines,
    psc.deadlines,
    requests.deadlines,
    hard_copies.deadlines,
)


def collect(session: Session, start: date, end: date, *, cancelled: bool = False) -> list[Deadline]:
    """Every deadline from every feeder between ``start`` and ``end`` inclusive, in date order.
    Entries that no longer apply (an invoice paid) only with ``cancelled``: the .ics export
    sends them so that a calendar removes them; every listing leaves them out."""
    found: list[Deadline] = []
    with once.reading(session):  # the feeders ask for the same settings and members
        for feeder in FEEDERS:
            found.extend(
                d
                for d in feeder(session, start, end)
                if start <= d.on <= end and (cancelled or not d.cancelled)
            )
    return sorted(found)
