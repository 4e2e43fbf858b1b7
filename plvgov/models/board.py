"""The board: directors' meetings and who attended them, directors' resolutions (at a meeting or
in writing) and their votes (the directors themselves: :mod:`plvgov.models.directors`).
"""

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from plvgov.models.base import Table

__all__ = [
    "BoardAttendance",
    "BoardMeeting",
    "BoardResolution",
    "BoardVote",
]


class BoardMeeting(Table, table=True):
    """A meeting of the directors (Model Articles arts 7, 9-13)."""

    __tablename__ = "board_meeting"

    id: int | None = Field(default=None, primary_key=True)
    held_on: date
    place: str | None = None
    chair_director_id: int | None = Field(default=None, foreign_key="director.id")
    closed: bool = False
    quorate: bool | None = None


class BoardAttendance(Table, table=True):
    __tablename__ = "board_attendance"
    __table_args__ = (UniqueConstraint("board_meeting_id", "director_id"),)

    id: int | None = Field(default=None, primary_key=True)
    board_meeting_id: int = Field(foreign_key="board_meeting.id", index=True)
    director_id: int = Field(foreign_key="director.id")


class BoardResolution(Table, table=True):
    """A directors' decision: at a meeting, or unanimous in writing (Model Articles arts 7-8)."""

    __tablename__ = "board_resolution"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    text: str
    purpose: str = "other"  # "approve-admission" or "other"
    member_id: int | None = Field(default=None, foreign_key="member.id")  # the applicant
    procedure: str  # "meeting" or "written"
    board_meeting_id: int | None = Field(default=None, foreign_key="board_meeting.id")
    proposed_on: date
    eligible_count: int | None = None  # written: directors in office when proposed
    status: str = "proposed"  # "proposed", "passed", "failed"
    decided_on: date | None = None


class BoardVote(Table, table=True):
    __tablename__ = "board_vote"
    __table_args__ = (UniqueConstraint("board_resolution_id", "director_id"),)

    id: int | None = Field(default=None, primary_key=True)
    board_resolution_id: int = Field(foreign_key="board_resolution.id", index=True)
    director_id: int = Field(foreign_key="director.id")
    vote: str  # "for", "against", "abstain"
    voted_on: date
