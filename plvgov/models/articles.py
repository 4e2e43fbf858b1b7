"""The articles of association: each version adopted (s.21) and filed (s.26)."""

from datetime import date

from sqlmodel import Field

from plvgov.models.base import Table

__all__ = [
    "ArticlesVersion",
]


class ArticlesVersion(Table, table=True):
    """One version of the articles of association (s.21, s.26)."""

    __tablename__ = "articles_version"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    text: str
    adopted_on: date
    resolution_id: int | None = Field(default=None, foreign_key="resolution.id")
    source: str | None = None  # the file it was read from
    filed_on: date | None = None  # sent to the registrar (s.26)
