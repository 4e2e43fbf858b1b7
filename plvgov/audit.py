"""The audit trail: a SHA-256 hash chain of every change to the ledger.

Every change appends one event in the same transaction as the change itself: sequence, UTC
time, actor (``PLVGOV_ACTOR`` or the OS user), command, action, entity, payload (the changed
rows after the change) and the previous event's hash. An event's hash is SHA-256 over the
previous hash and the canonical JSON of the event, so editing, deleting or reordering any
event breaks every link after it, and :func:`verify` names the first bad one.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, SQLModel, col, select

from plvgov.models.audit import AuditEvent

GENESIS = "0" * 64


def actor() -> str:
    configured = os.environ.get("PLVGOV_ACTOR", "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user database in some containers
        return "unknown"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot put {type(value).__name__} in an audit payload")


def canonical_json(data: Any) -> str:
    """One byte-exact JSON text for the same data: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_jsonable)


def row_image(row: SQLModel) -> dict[str, Any]:
    """A row's columns after the change, as the audit payload records them."""
    mapper = sa_inspect(type(row))
    return {
        "table": type(row).__tablename__,  # type: ignore[attr-defined]
        "id": _primary_key(row),
        "after": {attr.key: _jsonable_or_plain(getattr(row, attr.key))
                  for attr in mapper.column_attrs},
    }


def _primary_key(row: SQLModel) -> Any:
    identity = sa_inspect(row).identity
    if identity is None:
        return None
    return identity[0] if len(identity) == 1 else list(identity)


def _jsonable_or_plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str | float):
        return value
    return _jsonable(value)


def _digest(prev_hash: str, body: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(body)).encode("utf-8")).hexdigest()


def _body(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at,
        "actor": event.actor,
        "command": event.command,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "subject": event.subject,
        "payload": event.payload,
        "prev_hash": event.prev_hash,
    }


def head(session: Session) -> tuple[int, str]:
    """The last event's sequence number and hash: (0, genesis) for an empty chain."""
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    if last is None:
        return 0, GENESIS
    return last.seq, last.hash


def record(
    session: Session,
    action: str,
    subject: str,
    rows: Iterable[SQLModel] = (),
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append the event for the change just made in ``session`` (flushes it first).

    ``rows`` are the rows the change created or altered; their after-images go in the
    payload. ``details`` carries anything else an auditor needs (the notice date, the
    missed exit point). Call it once per transaction.
    """
    rows = list(rows)
    session.flush()
    seq, prev_hash = head(session)
    payload = canonical_json({"rows": [row_image(r) for r in rows], "details": details or {}})
    first = rows[0] if rows else None
    event = AuditEvent(
        seq=seq + 1,
        at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        actor=actor(),
        command=str(session.info.get("command", "library")),
        action=action,
        entity=first.__tablename__ if first is not None else action.split(".")[0],  # type: ignore[attr-defined]
        entity_id=None if first is None else str(_primary_key(first)),
        subject=subject,
        payload=payload,
        prev_hash=prev_hash,
        hash="",
    )
    event.hash = _digest(prev_hash, _body(event))
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class Verification:
    events: int
    head: str
    ok: bool
    first_bad_seq: int | None = None
    problem: str | None = None


def verify(session: Session) -> Verification:
    """Recompute the chain from the genesis; report the first event that does not fit."""
    prev_hash = GENESIS
    expected_seq = 1
    count = 0
    for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))):
        count += 1
        if event.seq != expected_seq:
            return Verification(count, prev_hash, False, expected_seq,
                                f"event {expected_seq} is missing (found {event.seq} next)")
        if event.prev_hash != prev_hash:
            return Verification(count, prev_hash, False, event.seq,
                                f"event {event.seq} does not link to event {event.seq - 1}")
        if _digest(prev_hash, _body(event)) != event.hash:
            return Verification(count, prev_hash, False, event.seq,
                                f"event {event.seq} ({event.action}, {event.subject}) was altered")
        prev_hash = event.hash
        expected_seq += 1
    return Verification(count, prev_hash, True)


def latest(session: Session, limit: int = 20) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(limit)
    return list(session.exec(stmt))


def fingerprint(session: Session, length: int = 12) -> str:
    """The ledger's audit fingerprint for document footers: the head hash, shortened."""
    seq, digest = head(session)
    return f"{seq}:{digest[:length]}"
