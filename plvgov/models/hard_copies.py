"""Members' requests for a hard copy of a document they had by email (CA 2006 s.1145). Apart from
the send log (:mod:`plvgov.models.correspondence`) so that their deadlines (``calendar``,
``check``) build none of its tables.

Times are naive Europe/London wall-clock times, as in the decision tables.
"""

from datetime import date, datetime

from sqlalchemy import DateTime
from sqlmodel import Field

from plvgov.models.base import Table

__all__ = ["HardCopyRequest"]


class HardCopyRequest(Table, table=True):
    """A member's request for a hard copy of a document it received by email (CA 2006 s.1145):
    due free of charge within 21 days of the request (``due_on``); ``posted_at`` once posted."""

    __tablename__ = "hard_copy_request"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    document: str
    requested_on: date
    due_on: date
    posted_at: datetime | None = Field(default=None, sa_type=DateTime)
