"""Members' resolutions, written or at a general meeting, and the members' votes on them
(who was entitled to vote on a written resolution when it was circulated:
:mod:`plvgov.models.circulation`).
"""

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from plvgov.models.base import Table

__all__ = [
    "Resolution",
    "ResolutionVote",
]


class Resolution(Table, table=True):
    """A members' resolution: ordinary or special, written or at a general meeting."""

    __tablename__ = "resolution"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    text: str  # the exact text (s.283(6): a meeting may not pass a different one)
    type: str  # "ordinary" or "special"
    procedure: str  # "written" or "meeting"
    purpose: str = "other"  # remove-director, remove-auditor, amend-articles, admit-member, other
    proposed_on: date
    circulated_on: date | None = None  # written: the circulation date (s.290)
    lapses_on: date | None = None  # written: the last day an agreement counts (s.297)
    eligible_count: int | None = None  # written: eligible members fixed on circulation (s.289)
    decided_on: date | None = None  # meeting: the meeting date, once the meeting closed
    outcome: str | None = None  # meeting: "passed" or "failed", once the meeting closed
    filed_on: date | None = None  # the copy went to the registrar (s.30)


class ResolutionVote(Table, table=True):
    """A member's agreement/objection to a written resolution, or its vote at a meeting."""

    __tablename__ = "resolution_vote"
    __table_args__ = (UniqueConstraint("resolution_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    resolution_id: int = Field(foreign_key="resolution.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    vote: str  # "for", "against", "abstain"
    voted_on: date  # written: the day the company received it (s.296)
    representative: str | None = None  # who signed or voted for the council
    meeting_id: int | None = Field(default=None, foreign_key="general_meeting.id")
