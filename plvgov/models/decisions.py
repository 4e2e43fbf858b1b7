"""Decision tables: members' resolutions and their votes, general meetings (notice, consents,
attendance, business), the board (directors, meetings, resolutions, votes) and the articles.

Date-times (a meeting's time, when its notice was sent and deemed served) are stored as naive
wall-clock times in Europe/London: the Companies Act counts hours and days as the clock in
England shows them.
"""

from datetime import date, datetime

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = [
    "ArticlesVersion",
    "BoardAttendance",
    "BoardMeeting",
    "BoardResolution",
    "BoardVote",
    "Director",
    "GeneralMeeting",
    "MeetingAttendance",
    "MeetingBusiness",
    "MeetingConsent",
    "MeetingOfficer",
    "Resolution",
    "ResolutionEligible",
    "ResolutionVote",
]


class Resolution(SQLModel, table=True):
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


class ResolutionEligible(SQLModel, table=True):
    """A member entitled to vote on a written resolution's circulation date (s.289)."""

    __tablename__ = "resolution_eligible"
    __table_args__ = (UniqueConstraint("resolution_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    resolution_id: int = Field(foreign_key="resolution.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    representative: str | None = None  # the corporate representative on the circulation date


class ResolutionVote(SQLModel, table=True):
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


class GeneralMeeting(SQLModel, table=True):
    """A general meeting and its notice."""

    __tablename__ = "general_meeting"

    id: int | None = Field(default=None, primary_key=True)
    held_at: datetime = Field(sa_type=DateTime)  # Europe/London wall clock, naive
    place: str | None = None
    method: str  # how notice went: "email", "post", "hand"
    # When notice went, is deemed given (s.1147) and the earliest valid day (s.307, s.360):
    # None until the send log shows the notice gone to every member entitled to it, for a
    # meeting convened without ``--sent`` (plvgov.correspondence).
    sent_at: datetime | None = Field(default=None, sa_type=DateTime)
    deemed_served_at: datetime | None = Field(default=None, sa_type=DateTime)
    earliest_valid_on: date | None = None
    notice_from_log: bool = False  # convened without --sent: the send log fixes the three above
    notice_days: int
    closed: bool = False
    quorate: bool | None = None
    chair: str | None = None  # who chairs it (Model Articles art 12 [U]); changeable at the meeting
    opened_at: datetime | None = Field(default=None, sa_type=DateTime)  # recorded at the close
    closed_at: datetime | None = Field(default=None, sa_type=DateTime)  # None when not recorded


class MeetingBusiness(SQLModel, table=True):
    """A resolution put to a meeting; ``in_notice`` when its text was in the notice (s.283(6))."""

    __tablename__ = "meeting_business"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="general_meeting.id", index=True)
    resolution_id: int = Field(foreign_key="resolution.id", unique=True)
    in_notice: bool = True
    notice_text: str | None = None  # the text as the notice gave it


class MeetingConsent(SQLModel, table=True):
    """A member's consent to short notice (s.307(4)-(6))."""

    __tablename__ = "meeting_consent"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="general_meeting.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    consented_on: date


class MeetingAttendance(SQLModel, table=True):
    """A qualifying person at a general meeting: a member's representative or proxy (s.318)."""

    __tablename__ = "meeting_attendance"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="general_meeting.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    representative: str | None = None  # s.323 corporate representative
    proxy: str | None = None  # s.324 proxy


class MeetingOfficer(SQLModel, table=True):
    """A director or the company secretary in attendance at a general meeting (not a member's
    representative: officers are recorded in the minutes, never counted for the quorum)."""

    __tablename__ = "meeting_officer"
    __table_args__ = (UniqueConstraint("meeting_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="general_meeting.id", index=True)
    name: str
    role: str  # "director" or "secretary"


class Director(SQLModel, table=True):
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


class BoardMeeting(SQLModel, table=True):
    """A meeting of the directors (Model Articles arts 7, 9-13)."""

    __tablename__ = "board_meeting"

    id: int | None = Field(default=None, primary_key=True)
    held_on: date
    place: str | None = None
    chair_director_id: int | None = Field(default=None, foreign_key="director.id")
    closed: bool = False
    quorate: bool | None = None


class BoardAttendance(SQLModel, table=True):
    __tablename__ = "board_attendance"
    __table_args__ = (UniqueConstraint("board_meeting_id", "director_id"),)

    id: int | None = Field(default=None, primary_key=True)
    board_meeting_id: int = Field(foreign_key="board_meeting.id", index=True)
    director_id: int = Field(foreign_key="director.id")


class BoardResolution(SQLModel, table=True):
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


class BoardVote(SQLModel, table=True):
    __tablename__ = "board_vote"
    __table_args__ = (UniqueConstraint("board_resolution_id", "director_id"),)

    id: int | None = Field(default=None, primary_key=True)
    board_resolution_id: int = Field(foreign_key="board_resolution.id", index=True)
    director_id: int = Field(foreign_key="director.id")
    vote: str  # "for", "against", "abstain"
    voted_on: date


class ArticlesVersion(SQLModel, table=True):
    """One version of the articles of association (s.21, s.26)."""

    __tablename__ = "articles_version"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    text: str
    adopted_on: date
    resolution_id: int | None = Field(default=None, foreign_key="resolution.id")
    source: str | None = None  # the file it was read from
    filed_on: date | None = None  # sent to the registrar (s.26)
