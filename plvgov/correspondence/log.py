"""The send log: one row per document per member, the record that proves when each copy went.

At most once (docs/sending.md): a row is committed as ``sending``, with its Message-ID fixed,
*before* the mail server is asked, and committed again as ``sent``, ``refused`` or ``failed``
after its answer. A later run sends what is ``refused``, ``failed`` or not yet logged; a row
still ``sending`` means the process stopped between the two commits, so nobody knows whether
the server took the message: it is *uncertain*, named with its Message-ID for the relay's log,
and sent again only when the secretary says so. ``sent``, ``posted`` and ``outbox`` rows are
never sent again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlmodel import Session, SQLModel, col, select

from plvgov import audit
from plvgov.correspondence.naming import describe
from plvgov.errors import RuleError
from plvgov.models.correspondence import Dispatch
from plvgov.models.members import Member
from plvgov.words import plural

SENDING, SENT, REFUSED, FAILED, OUTBOX, POSTED = (
    "sending",
    "sent",
    "refused",
    "failed",
    "outbox",
    "posted",
)
#: Statuses that are final: the member has (or was handed) its copy.
DONE = (SENT, POSTED, OUTBOX)
#: Statuses that a run sends again.
RETRY = (REFUSED, FAILED)
#: Statuses by which a copy counts as given for deemed service (s.1147): accepted by the mail
#: server, or posted. An outbox file counts once its sending is recorded (:func:`record_went`).
DELIVERED = (SENT, POSTED)

#: Something that changes other records once a copy is delivered (a meeting's deemed service),
#: returning the rows it changed for the same audit event.
FollowUp = Callable[[Session], list[SQLModel]]


def rows_for(session: Session, document: str) -> dict[int, Dispatch]:
    """The log of ``document``, by member id."""
    return {
        r.member_id: r for r in session.exec(select(Dispatch).where(Dispatch.document == document))
    }


def listing(session: Session, kind: str | None = None) -> list[tuple[Dispatch, Member]]:
    query = select(Dispatch, Member).where(Dispatch.member_id == Member.id)
    if kind is not None:
        query = query.where(Dispatch.kind == kind)
    return list(session.exec(query.order_by(col(Dispatch.id))))


def _subject(row: Dispatch, member: Member) -> str:
    return f"{describe(row.document)} to {member.name}"


def _audit(
    session: Session,
    action: str,
    row: Dispatch,
    member: Member,
    follow: FollowUp | None = None,
) -> Dispatch:
    session.flush()
    changed: list[SQLModel] = [row]
    if follow is not None:
        changed.extend(follow(session))
    audit.record(
        session,
        action,
        _subject(row, member),
        changed,
        {"status": row.status, "message_id": row.message_id, "address": row.address},
    )
    return row


def _new(
    kind: str, document: str, member: Member, method: str, subject: str, status: str, at: datetime
) -> Dispatch:
    """A member's first row for a document: every later attempt updates this one row (the log
    keeps one row per document and member; the audit trail keeps each attempt)."""
    assert member.id is not None
    return Dispatch(
        kind=kind,
        document=document,
        member_id=member.id,
        method=method,
        subject=subject,
        status=status,
        attempted_at=at,
    )


def begin(
    session: Session,
    *,
    kind: str,
    document: str,
    member: Member,
    address: str,
    subject: str,
    message_id: str,
    at: datetime,
    retry_uncertain: bool = False,
) -> Dispatch:
    """Log ``member``'s copy as ``sending`` before the server is asked (commit this first)."""
    assert member.id is not None
    row = rows_for_member(session, document, member.id)
    if row is not None:
        if row.status in DONE:
            raise RuleError(f"{member.name}'s copy of {describe(document)} is already {row.status}")
        if row.status == SENDING and not retry_uncertain:
            raise RuleError(
                f"{member.name}'s copy of {describe(document)} is uncertain (Message-ID "
                f"{row.message_id}); check the relay's log, then use --retry-uncertain"
            )
    else:
        row = _new(kind, document, member, "email", subject, SENDING, at)
    row.address, row.subject, row.message_id = address, subject, message_id
    row.status, row.attempted_at, row.sent_at, row.detail = SENDING, at, None, None
    session.add(row)
    return _audit(session, "send.begin", row, member)


def finish(
    session: Session,
    row_id: int,
    status: str,
    at: datetime,
    detail: str | None = None,
    follow: FollowUp | None = None,
) -> Dispatch:
    """Log the server's answer for a row :func:`begin` committed: ``sent`` (at ``at``),
    ``refused`` or ``failed`` (with the server's ``detail``). ``follow`` changes what the
    delivery fixes (a meeting's deemed service) in the same transaction and audit event."""
    assert status in (SENT, REFUSED, FAILED)
    row = session.get(Dispatch, row_id)
    assert row is not None and row.status == SENDING, "finish follows begin"
    member = session.get(Member, row.member_id)
    assert member is not None
    row.status = status
    row.sent_at = at if status == SENT else None
    row.detail = detail
    session.add(row)
    return _audit(session, f"send.{status}", row, member, follow if status == SENT else None)


def rows_for_member(session: Session, document: str, member_id: int) -> Dispatch | None:
    return session.exec(
        select(Dispatch).where(Dispatch.document == document).where(Dispatch.member_id == member_id)
    ).first()


def record_outbox(
    session: Session,
    *,
    kind: str,
    document: str,
    member: Member,
    address: str,
    subject: str,
    message_id: str,
    at: datetime,
) -> Dispatch:
    """Log a copy written as an .eml file for another mail system. It does not fix deemed
    service: the secretary records when that system sent it (:func:`record_went`)."""
    assert member.id is not None
    row = rows_for_member(session, document, member.id)
    if row is not None and row.status not in RETRY:
        raise RuleError(f"{member.name}'s copy of {describe(document)} is already {row.status}")
    if row is None:
        row = _new(kind, document, member, "email", subject, OUTBOX, at)
    row.address, row.subject, row.message_id = address, subject, message_id
    row.status, row.attempted_at, row.sent_at, row.detail = OUTBOX, at, None, None
    session.add(row)
    return _audit(session, "send.outbox", row, member)


def record_posted(
    session: Session,
    *,
    kind: str,
    document: str,
    member: Member,
    subject: str,
    at: datetime,
    follow: FollowUp | None = None,
) -> Dispatch:
    """Log that ``member``'s copy was posted at ``at`` (s.1147(2): deemed delivered 48
    working hours later, as email). A copy refused or failed by email may go by post
    instead."""
    assert member.id is not None
    row = rows_for_member(session, document, member.id)
    if row is not None and row.status in (*DELIVERED, OUTBOX):
        when = f" ({row.sent_at:%Y-%m-%d %H:%M})" if row.sent_at else ""
        raise RuleError(
            f"{member.name}'s copy of {describe(document)} is already {row.status}{when}"
        )
    if row is not None and row.status == SENDING:
        raise RuleError(
            f"{member.name}'s copy of {describe(document)} is uncertain (Message-ID "
            f"{row.message_id}); check the relay's log first"
        )
    if row is None:
        row = _new(kind, document, member, "post", subject, POSTED, at)
    row.method, row.address, row.message_id = "post", None, None
    row.status, row.attempted_at, row.sent_at, row.detail = POSTED, at, at, None
    session.add(row)
    return _audit(session, "send.posted", row, member, follow)


def record_went(
    session: Session,
    document: str,
    rows: list[tuple[Dispatch, Member]],
    at: datetime,
    follow: FollowUp | None = None,
) -> list[Dispatch]:
    """Log that email copies plvgov did not see go — written to the outbox and sent by
    another system, or left uncertain by a stopped run and found in the relay's log — went
    at ``at``, as that system's log says. One audit event for them all."""
    if not rows:
        raise RuleError(f"no copy of {describe(document)} is in the outbox or uncertain")
    changed: list[SQLModel] = []
    for row, member in rows:
        if row.status not in (OUTBOX, SENDING):
            raise RuleError(
                f"{member.name}'s copy of {describe(document)} is {row.status}, not in the "
                "outbox or uncertain"
            )
        if at < row.attempted_at:
            raise RuleError(
                f"{member.name}'s copy of {describe(document)} was written at "
                f"{row.attempted_at:%Y-%m-%d %H:%M}; it cannot have gone before"
            )
        row.status, row.sent_at, row.detail = SENT, at, None
        session.add(row)
        changed.append(row)
    session.flush()
    if follow is not None:
        changed.extend(follow(session))
    audit.record(
        session,
        "send.went",
        f"{describe(document)} to {plural(len(rows), 'member')}",
        changed,
        {"sent_at": at.isoformat(), "message_ids": [r.message_id for r, _ in rows]},
    )
    return [r for r, _ in rows]


def delivered(rows: Iterable[Dispatch]) -> list[Dispatch]:
    return [r for r in rows if r.status in DELIVERED and r.sent_at is not None]


__all__ = [
    "DELIVERED",
    "DONE",
    "RETRY",
    "Dispatch",
    "begin",
    "finish",
    "listing",
    "record_outbox",
    "record_posted",
    "record_went",
    "rows_for",
]
