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
from plvgov.errors import RuleError
from plvgov.models.correspondence import Dispatch
from plvgov.models.members import Member

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
#: server, or posted. An outbox file counts once its sending is recorded (``posted``-like,
#: by :func:`record_handed`).
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
    return f"{row.document} to {member.name}"


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
            raise RuleError(f"{member.name}'s copy of {document} is already {row.status}")
        if row.status == SENDING and not retry_uncertain:
            raise RuleError(
                f"{member.name}'s copy of {document} is uncertain (Message-ID "
                f"{row.message_id}); check the relay's log, then use --retry-uncertain"
            )
    else:
        row = Dispatch(
            kind=kind,
            document=document,
            member_id=member.id,
            method="email",
            subject=subject,
            status=SENDING,
            attempted_at=at,
        )
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
    service: the secretary records when that system sent it (:func:`record_handed`)."""
    assert member.id is not None
    row = rows_for_member(session, document, member.id)
    if row is not None and row.status not in RETRY:
        raise RuleError(f"{member.name}'s copy of {document} is already {row.status}")
    if row is None:
        row = Dispatch(
            kind=kind,
            document=document,
            member_id=member.id,
            method="email",
            subject=subject,
            status=OUTBOX,
            attempted_at=at,
        )
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
    method: str = "post",
    follow: FollowUp | None = None,
) -> Dispatch:
    """Log that ``member``'s copy went at ``at`` outside plvgov: posted (``method`` "post"),
    or an outbox message another system sent ("email"). Counts for deemed service (s.1147(2)
    for post, (3) for email: 48 working hours either way)."""
    assert member.id is not None
    row = rows_for_member(session, document, member.id)
    if row is not None and row.status in DELIVERED:
        raise RuleError(
            f"{member.name}'s copy of {document} is already {row.status} "
            f"({row.sent_at:%Y-%m-%d %H:%M})"
        )
    if row is not None and row.status == SENDING:
        raise RuleError(
            f"{member.name}'s copy of {document} is uncertain (Message-ID {row.message_id}); "
            "check the relay's log first"
        )
    if row is None:
        row = Dispatch(
            kind=kind,
            document=document,
            member_id=member.id,
            method=method,
            subject=subject,
            status=POSTED,
            attempted_at=at,
        )
    if method == "post":
        row.address, row.message_id = None, None
    row.method, row.status, row.attempted_at, row.sent_at, row.detail = (
        method,
        POSTED if method == "post" else SENT,
        at,
        at,
        None,
    )
    session.add(row)
    return _audit(session, f"send.{row.status}", row, member, follow)


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
    "rows_for",
]
