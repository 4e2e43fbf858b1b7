"""The register of members' tables: each member as entered, and the changes of its particulars
since (what a member does as a member, beside the register: :mod:`plvgov.models.council_acts`).
"""

from datetime import date

from sqlmodel import Field

from plvgov.models.base import Table


class Member(Table, table=True):
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


class MemberDetail(Table, table=True):
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
