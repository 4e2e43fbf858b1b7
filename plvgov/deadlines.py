"""One registry of every deadline the ledger knows, fed by each domain.

Each domain module that knows deadlines exposes ``deadlines(session, start, end) ->
list[Deadline]`` (dates in ``[start, end]``) and is named in :data:`FEEDERS`. ``plvgov calendar``
and the board pack read them all through :func:`collect`; nothing else lists deadlines.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session


@dataclass(frozen=True, order=True)
class Deadline:
    on: date
    kind: str  # e.g. "notice_deadline", "exit_point", "written_resolution_lapse"
    subject: str  # what it concerns: "Bromley", "Resolution 3: pricing strategy"
    detail: str = ""  # one sentence for a person: what must happen by then
    source: str = ""  # the rule: "CA 2006 s.297", "articles", "settings: invoice_due_days"

    def as_json(self) -> dict[str, object]:
        return {
            "on": self.on,
            "kind": self.kind,
            "subject": self.subject,
            "detail": self.detail,
            "source": self.source,
        }


#: ``module:function`` names of the feeders, imported only when the calendar is asked for.
FEEDERS: tuple[str, ...] = (
    "plvgov.terms:deadlines",
    "plvgov.invoices:deadlines",
    "plvgov.resolutions:deadlines",
    "plvgov.meetings:deadlines",
    "plvgov.articles:deadlines",
    "plvgov.company:deadlines",
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
