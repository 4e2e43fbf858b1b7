"""The register of directors (s.162) and each director's particulars (s.163, s.165) and identity
verification (their meetings and decisions: :mod:`plvgov.models.board`).
"""

from datetime import date

from sqlmodel import Field

from plvgov.models.base import Table

__all__ = [
    "Director",
]


class Director(Table, table=True):
    """An entry in the register of directors (s.162)."""

    __tablename__ = "director"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    nominating_member_id: int | None = Field(default=None, foreign_key="member.id")
    appointed_on: date
    resigned_on: date | None = None  # last day in office
    # Companies House identity verification (ECCTA 2023; required from 18 November 2025)
    verification_code: str | None = None  # the personal code Companies House issued
    verified_on: date | None = None
    # the particulars of s.163 (public) and s.165 (the usual residential address, private)
    service_address: str | None = None
    residential_address: str | None = None  # s.165: never in the public register
    date_of_birth: date | None = None  # the public register shows the month and year only
    nationality: str | None = None
    occupation: str | None = None
    country_of_residence: str | None = None
