"""General meetings and their notice (what is done at and for one — business, short-notice
consents, attendance, officers: :mod:`plvgov.models.proceedings`).

Date-times are stored as naive wall-clock times in Europe/London: the Companies Act counts
hours and days as the clock in England shows them.
"""

from datetime import date, datetime

from sqlalchemy import DateTime
from sqlmodel import Field

from plvgov.models.base import Table

__all__ = [
    "GeneralMeeting",
]


class GeneralMeeting(Table, table=True):
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
