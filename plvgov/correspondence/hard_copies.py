"""Hard copies on request (CA 2006 s.1145): a member that received a document by email may ask
for it on paper; the company must send it free of charge within 21 days of receiving the
request. A request is on the calendar (and in ``plvgov check`` once late) until its posting
is recorded.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from plvgov import audit
from plvgov.correspondence.naming import describe
from plvgov.dates import Deadline, require_past
from plvgov.errors import RuleError
from plvgov.models.hard_copies import HardCopyRequest
from plvgov.models.members import Member

DAYS = 21  # s.1145(3)


def open_request(session: Session, document: str, member: Member) -> HardCopyRequest | None:
    return session.exec(
        select(HardCopyRequest)
        .where(HardCopyRequest.document == document)
        .where(HardCopyRequest.member_id == member.id)
        .where(col(HardCopyRequest.posted_at).is_(None))
    ).first()


def request(
    session: Session, document: str, member: Member, on: date, *, today: date | None = None
) -> HardCopyRequest:
    """Record ``member``'s request, received on ``on``, for a hard copy of ``document``, which
    it had by email; due by ``on`` + 21 days."""
    from plvgov.correspondence import log  # here only: the deadlines do not read the log

    require_past(on, today, "the request date", "record the request once it is received")
    assert member.id is not None
    row = log.rows_for_member(session, document, member.id)
    if row is None or row.status != log.SENT or row.sent_at is None:
        raise RuleError(
            f"{member.name} has not had {describe(document)} by email; a hard copy is "
            "for a document sent electronically (s.1145): send it by post with --posted"
        )
    if on < row.sent_at.date():
        raise RuleError(
            f"{member.name} had {describe(document)} on {row.sent_at.date()}; a request "
            "comes after that"
        )
    if open_request(session, document, member) is not None:
        raise RuleError(f"{member.name} has already asked for a hard copy of {describe(document)}")
    made = HardCopyRequest(
        member_id=member.id, document=document, requested_on=on, due_on=on + timedelta(days=DAYS)
    )
    session.add(made)
    audit.record(
        session,
        "send.hard_copy_request",
        f"{describe(document)} to {member.name}",
        [made],
        {"due_on": made.due_on.isoformat()},
    )
    return made


def posted(
    session: Session, made: HardCopyRequest, member: Member, at: datetime
) -> HardCopyRequest:
    """The hard copy went by post at ``at``."""
    if at.date() < made.requested_on:
        raise RuleError(
            f"{member.name} asked for the hard copy on {made.requested_on}; it was posted after"
        )
    made.posted_at = at
    session.add(made)
    audit.record(
        session,
        "send.hard_copy_posted",
        f"{describe(made.document)} to {member.name}",
        [made],
        {"late": at.date() > made.due_on},
    )
    return made


def deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """Each request's due day, outstanding until its hard copy is posted."""
    found = []
    rows = session.exec(
        select(HardCopyRequest, Member)
        .where(HardCopyRequest.member_id == Member.id)
        .where(HardCopyRequest.due_on >= start)
        .where(HardCopyRequest.due_on <= end)
    )
    for made, member in rows:
        found.append(
            Deadline(
                made.due_on,
                "hard_copy_due",
                member.name,
                f"post {member.name} the hard copy of {describe(made.document)} it asked "
                f"for on {made.requested_on}",
                "CA 2006 s.1145",
                outstanding=made.posted_at is None,
                cancelled=made.posted_at is not None,
            )
        )
    return found
