"""What the send log fixes for a written resolution plvgov sends: its circulation date (s.290)
and so its eligible members (s.289) and lapse date (s.297). The log is
:mod:`plvgov.correspondence.log`; the sending is :mod:`plvgov.sending`."""

from __future__ import annotations

from sqlmodel import Session, SQLModel

from plvgov.correspondence import log
from plvgov.decisions.resolutions import WRITTEN, circulate_on
from plvgov.models.members import Member
from plvgov.models.resolutions import Resolution


def document_key(resolution_id: int) -> str:
    """The name the send log knows a written resolution by."""
    return f"written-resolution:{resolution_id}"


def circulate_from_log(session: Session, resolution: Resolution) -> list[SQLModel]:
    """A written resolution plvgov sends is circulated on the day its first copy went (s.290:
    copies sent on different days circulate it on the first), which fixes the eligible
    members (s.289) and the lapse date (s.297). Returns the rows it changed, for the send
    log's audit event; nothing once circulated."""
    if resolution.circulated_on is not None or resolution.procedure != WRITTEN:
        return []
    assert resolution.id is not None
    done = log.delivered(log.rows_for(session, document_key(resolution.id)).values())
    if not done:
        return []
    first = min(r.sent_at for r in done if r.sent_at is not None)
    _, rows = circulate_on(session, resolution, first.date())
    return [resolution, *rows]


def circulated_by(session: Session, resolution: Resolution) -> dict[str, object] | None:
    """The send that fixed the circulation date (the first copy to go), if plvgov sent it."""
    if resolution.circulated_on is None or resolution.id is None:
        return None
    done = log.delivered(log.rows_for(session, document_key(resolution.id)).values())
    if not done:
        return None
    first = min(done, key=lambda r: (r.sent_at, r.id or 0))
    if first.sent_at is None or first.sent_at.date() != resolution.circulated_on:
        return None
    member = session.get(Member, first.member_id)
    return {
        "id": first.id,
        "member": member.name if member else None,
        "method": first.method,
        "address": first.address,
        "sent_at": first.sent_at,
        "message_id": first.message_id,
    }
