"""The members that made a request (:mod:`plvgov.models.registers`). Apart from the requests so
that their deadlines (``calendar``, ``check``) build none of these.
"""

from sqlmodel import Field, UniqueConstraint

from plvgov.models.base import Table

__all__ = ["RequestMember"]


class RequestMember(Table, table=True):
    """A member that made a request (members' requests are judged on their votes)."""

    __tablename__ = "request_member"
    __table_args__ = (UniqueConstraint("request_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
