"""CPI indexation: the ONS price index the subscription is uprated by.

The ledger holds ONS series D7BT (CPI all items, 2015=100) month by month, exactly as
published. ``init`` loads the copy shipped in ``plvgov/data/cpi_d7bt.csv`` (see SOURCES.md);
``cpi import`` adds later months from the ONS time-series CSV as downloaded, or from a plain
``month,index`` CSV. ONS sometimes revises a published month: the new value replaces the old
one for future quotes, and the old one is kept as a revision (audited and shown), never
silently overwritten. Invoices already issued keep the values they froze.

This module knows the series in the ledger, not the schemes that use it (which months the next
runs need is ``schemes.missing_months``) nor the files it comes from (``cpi_import``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from plvgov.models.billing import CpiValue
from plvgov.values import dataclass

if TYPE_CHECKING:  # imported where used: reading the index builds no revision table
    from plvgov.models.cpi_revisions import CpiRevision

SERIES = "D7BT"
IMPORT_HINT = "load it with `plvgov cpi import FILE` (the ONS D7BT CSV)"


def month_label(year: int, month: int) -> str:
    """``2022-09``."""
    return f"{year:04d}-{month:02d}"


# -- reading ----------------------------------------------------------------------------------
def index_for(session: Session, month: str, series: str = SERIES) -> Decimal | None:
    """The index value for ``month`` (``YYYY-MM``), or None when it is not loaded."""
    row = session.exec(
        select(CpiValue).where(CpiValue.series == series, CpiValue.month == month)
    ).first()
    return None if row is None else Decimal(row.index_value)


def values(session: Session, series: str = SERIES) -> list[CpiValue]:
    stmt = select(CpiValue).where(CpiValue.series == series).order_by(col(CpiValue.month))
    return list(session.exec(stmt))


def revisions(session: Session, series: str = SERIES) -> list[CpiRevision]:
    """Every revised month, oldest revision first."""
    from plvgov.models.cpi_revisions import CpiRevision

    stmt = select(CpiRevision).where(CpiRevision.series == series).order_by(col(CpiRevision.id))
    return list(session.exec(stmt))


@dataclass(frozen=True)
class Month:
    """One month's CPI index as stored, and where it came from."""

    month: str  # YYYY-MM
    index: str  # as published, "134.2"
    source: str  # "shipped" or the file it was imported from


@dataclass(frozen=True)
class Revision:
    """A month whose index an import changed: the value before and after, and the file it came
    from."""

    month: str
    previous: str
    revised: str
    source: str


@dataclass(frozen=True)
class SeriesView:
    """The series as ``cpi show`` lists it: the months asked for, how much is loaded, and every
    revision."""

    series: str
    months: list[Month]  # the months between --from and --to (the last 24 without either)
    loaded: int
    first_month: str | None  # of everything loaded; None when nothing is
    last_month: str | None
    revisions: list[Revision]


#: Months ``cpi show`` lists without --from or --to.
RECENT_MONTHS = 24


def series_view(session: Session, from_: str | None = None, to: str | None = None) -> SeriesView:
    """The months loaded from ``from_`` to ``to`` (``YYYY-MM``, inclusive; the last
    :data:`RECENT_MONTHS` when neither is given), and every revision."""
    rows = values(session)
    shown = [
        Month(r.month, r.index_value, r.source)
        for r in rows
        if (from_ is None or r.month >= from_) and (to is None or r.month <= to)
    ]
    if from_ is None and to is None:
        shown = shown[-RECENT_MONTHS:]
    return SeriesView(
        SERIES,
        shown,
        len(rows),
        rows[0].month if rows else None,
        rows[-1].month if rows else None,
        [
            Revision(r.month, r.previous_value, r.revised_value, r.source)
            for r in revisions(session)
        ],
    )
