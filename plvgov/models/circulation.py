"""The members entitled to vote on a written resolution, fixed when it is circulated (CA 2006
s.289). Apart from the resolutions so that reading them (``calendar``, ``check``) loads none of
these.
"""

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from plvgov.models.base import Table

__all__ = [
    "ResolutionEligible",
]


class ResolutionEligible(Table, table=True):
    """A member entitled to vote on a written resolution's circulation date (s.289)."""

    __tablename__ = "resolution_eligible"
    __table_args__ = (UniqueConstraint("resolution_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    resolution_id: int = Field(foreign_key="resolution.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    representative: str | None = None  # the corporate representative on the circulation date
