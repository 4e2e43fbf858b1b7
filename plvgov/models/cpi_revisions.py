"""CPI values replaced by revised ones on import (the values themselves:
:mod:`plvgov.models.billing`). Apart from them so that reading the index builds none of these.
"""

from sqlmodel import Field

from plvgov.models.base import Table

__all__ = ["CpiRevision"]


class CpiRevision(Table, table=True):
    """A published value replaced by a revised one on import (kept for ever)."""

    __tablename__ = "cpi_revision"

    id: int | None = Field(default=None, primary_key=True)
    series: str
    month: str
    previous_value: str
    revised_value: str
    source: str
