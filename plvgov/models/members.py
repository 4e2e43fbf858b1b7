from datetime import date

from sqlmodel import Field, SQLModel


class Member(SQLModel, table=True):
    """A council (or other body) that is, was, or may become a member. Never deleted."""

    __tablename__ = "member"

    id: int | None = Field(default=None, primary_key=True)
    gss_code: str | None = Field(default=None, unique=True)
    slug: str = Field(unique=True)
    name: str  # the ONS name, e.g. "Barking and Dagenham"
    council_name: str  # the legal name, e.g. "London Borough of Barking and Dagenham"
    address: str | None = None
    area: str | None = None  # "Inner" or "Outer" London (ONS), None outside London
    admitted_on: date | None = None  # entered in the register of members (s.112(2), s.113)
    admission_resolution_id: int | None = None  # the board resolution approving it
    ceased_on: date | None = None  # last day of membership
    cease_reason: str | None = None
    peppol_scheme: str | None = None  # its Peppol address's EAS scheme, "0088"
    peppol_endpoint: str | None = None  # and the identifier in it, "5060123450002"


class MemberDecision(SQLModel, table=True):
    """A council's own decision: in principle, final determination, or declined."""

    __tablename__ = "member_decision"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    stage: str  # "in_principle", "final", "declined"
    decided_on: date
    body: str  # "Cabinet", "Portfolio Holder", "Director of Children's Services"
    reference: str | None = None  # "Item 94"


class Representative(SQLModel, table=True):
    """An appointment of a member's corporate representative (CA 2006 s.323)."""

    __tablename__ = "representative"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    name: str
    from_on: date
    authority: str | None = None  # the council's authorising resolution


class WithdrawalNotice(SQLModel, table=True):
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


class MemberDetail(SQLModel, table=True):
    """A change to a member's register particulars (CA 2006 s.113: name and address) or its
    contact email, in force from ``effective_from``. Only the fields that change are set; a
    field left empty keeps the value before. ``member`` holds the values at entry; these rows
    are the history after it, never deleted."""

    __tablename__ = "member_detail"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    effective_from: date
    name: str | None = None  # the legal name in the register (``member.council_name`` before)
    address: str | None = None
    email: str | None = None
