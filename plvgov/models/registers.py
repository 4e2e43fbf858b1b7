"""Members' and others' requests the company must answer by a statutory deadline (the members
that made one: :mod:`plvgov.models.requesters`)."""

from datetime import date

from sqlmodel import Field

from plvgov.models.base import Table


class Request(Table, table=True):
    """A request received: to circulate a written resolution (CA 2006 s.292), to call a
    general meeting (s.303), to inspect or copy the register of members (s.116) or for
    information (FOIA 2000 s.1). Never deleted; closed with its outcome."""

    __tablename__ = "request"

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # "written-resolution", "meeting", "inspection", "foi"
    received_on: date
    due_on: date | None = None  # None: the request does not bind the company
    binding: bool
    text: str | None = None  # what is asked
    requester: str | None = None  # who asks (s.116(4)(a), FOIA s.8(1)(b))
    address: str | None = None
    purpose: str | None = None  # s.116(4)(c)
    disclosed: bool | None = None  # s.116(4)(d): will the information be disclosed to others
    closed_on: date | None = None
    outcome: str | None = None
