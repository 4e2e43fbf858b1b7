"""Correspondence tables: members' agreements to receive documents by email (CA 2006 Sch. 5
paras 6-7) and the send log — one row per document per member, the record that proves when
each copy went (s.1147). Members' requests for hard copies: :mod:`plvgov.models.hard_copies`.

Times are naive Europe/London wall-clock times, as in the decision tables.
"""

from datetime import date, datetime

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field

from plvgov.models.base import Table

__all__ = ["Dispatch", "EmailAgreement"]


class EmailAgreement(Table, table=True):
    """A member's agreement to receive documents by email at ``address`` from ``agreed_on``;
    ``revoked_on`` (the first day it no longer holds) ends it. Never deleted."""

    __tablename__ = "email_agreement"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    address: str
    agreed_on: date
    revoked_on: date | None = None


class Dispatch(Table, table=True):
    """One member's copy of one document and what became of it.

    ``document`` names the document (``notice:3``, ``invoice:PLV-2026-0001``); ``status``:
    ``sending`` (committed before the mail server was asked; left so only by a crash),
    ``sent``, ``refused`` (the server refused the address), ``failed`` (the server could not
    be reached or broke off), ``outbox`` (written as an .eml file for another system),
    ``posted`` (a paper copy posted at ``sent_at``). ``message_id`` is fixed before sending."""

    __tablename__ = "dispatch"
    __table_args__ = (UniqueConstraint("document", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # the send kind: "notice", "invoice", ...
    document: str = Field(index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    method: str  # "email" or "post"
    address: str | None = None  # the email address; None for a posted copy
    subject: str
    message_id: str | None = None
    status: str
    attempted_at: datetime = Field(sa_type=DateTime)  # the latest attempt began
    sent_at: datetime | None = Field(default=None, sa_type=DateTime)  # accepted, or posted
    detail: str | None = None  # the server's answer when refused or failed
