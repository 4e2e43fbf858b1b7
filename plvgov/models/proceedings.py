"""What belongs to one general meeting (:mod:`plvgov.models.meetings`): the resolutions put to it,
members' consents to short notice, who attended and the officers in attendance. Apart from
the meetings so that listing meetings and their deadlines (``calendar``, ``check``) loads none
of these.
"""

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from plvgov.models.base import Table

__all__ = [
    "MeetingAttendance",
    "MeetingBusiness",
    "MeetingConsent",
    "MeetingOfficer",
]


class MeetingBusiness(Table, table=True):
    """A resolution put to a meeting; ``in_notice`` when its text was in the notice (s.283(6))."""

    __tablename__ = "meeting_business"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="general_meeting.id", index=True)
    resolution_id: int = Field(foreign_key="resolution.id", unique=True)
    in_notice: bool = True
    notice_text: str | None = None  # the text as the notice gave it


class MeetingConsent(Table, table=True):
    """A member's consent to short notice (s.307(4)-(6))."""

    __tablename__ = "meeting_consent"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="general_meeting.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    consented_on: date


class MeetingAttendance(Table, table=True):
    """A qualifying person at a general meeting: a member's representative or proxy (s.318)."""

    __tablename__ = "meeting_attendance"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="general_meeting.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    representative: str | None = None  # s.323 corporate representative
    proxy: str | None = None  # s.324 proxy


class MeetingOfficer(Table, table=True):
    """A director or the company secretary in attendance at a general meeting (not a member's
    representative: officers are recorded in the minutes, never counted for the quorum)."""

    __tablename__ = "meeting_officer"
    __table_args__ = (UniqueConstraint("meeting_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="general_meeting.id", index=True)
    name: str
    role: str  # "director" or "secretary"
