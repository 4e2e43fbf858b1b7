"""What a member council does as a member, beside the register (:mod:`plvgov.models.members`):
its own decisions on joining, the corporate representatives it appoints (CA 2006 s.323) and its
notice of withdrawal. Apart from the register so that billing (the invoice run) loads none of
these.
"""

from datetime import date

from sqlmodel import Field

from plvgov.models.base import Table


class MemberDecision(Table, table=True):
    """A council's own decision: in principle, final determination, or declined."""

    __tablename__ = "member_decision"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    stage: str  # "in_principle", "final", "declined"
    decided_on: date
    body: str  # "Cabinet", "Portfolio Holder", "Director of Children's Services"
    reference: str | None = None  # "Item 94"


class Representative(Table, table=True):
    """An appointment of a member's corporate representative (CA 2006 s.323)."""

    __tablename__ = "representative"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    name: str
    from_on: date
    authority: str | None = None  # the council's authorising resolution


class WithdrawalNotice(Table, table=True):
    """A member's notice of withdrawal and the exit point it takes effect at."""

    __tablename__ = "withdrawal_notice"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, unique=True)
    received_on: date
    exit_on: date
    notice_deadline: date
    deadline_met: bool
    missed_exit_on: date | None = None
    notice_months: int
