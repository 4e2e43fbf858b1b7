"""One registry of every deadline the ledger knows, fed by each domain.

Each domain module that knows deadlines exposes ``deadlines(session, start, end) ->
list[Deadline]`` (dates in ``[start, end]``) and is named in :data:`FEEDERS`. ``plvgov calendar``
and the board pack read them all through :func:`collect`; nothing else lists deadlines.
"""

from __future__ import annotations

import importlib
from datetime import date

from sqlmodel import Session

from plvgov.dates import Deadline

#: ``module:function`` names of the feeders, imported only when the calendar is asked for.
FEEDERS: tuple[str, ...] = (
    "plvgov.membership.exits:deadlines",
    "plvgov.billing.invoices:deadlines",
    "plvgov.decisions.resolutions:deadlines",
    "plvgov.decisions.meetings:deadlines",
    "plvgov.decisions.articles:deadlines",
    "plvgov.company.filings:deadlines",
)


def collect(session: Session, start: date, end: date) -> list[Deadline]:
    """Every deadline from every feeder between ``start`` and ``end`` inclusive, in date order."""
    found: list[Deadline] = []
    for name in FEEDERS:
        module_name, function_name = name.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue  # a capability not built yet
        feeder = getattr(module, function_name, None)
        if feeder is not None:
            found.extend(d for d in feeder(session, start, end) if start <= d.on <= end)
    return sorted(found)
