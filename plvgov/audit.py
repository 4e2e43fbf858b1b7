"""The audit trail: a SHA-256 hash chain of every change to the ledger.

Every change appends one event in the same transaction as the change itself: sequence, UTC
time, actor (``PLVGOV_ACTOR`` or the OS user), command, action, entity, payload (the changed
rows after the change) and the previous event's hash. An event's hash is SHA-256 over the
previous hash and the canonical JSON of the event, so editing, deleting or reordering any
event breaks every link after it, and :func:`verify` names the first bad one.

The payload holds the after-image of every row the change wrote: ``rows``, one image a row,
and for a bulk change (an invoice run) ``tables``, each the rows of one table with the values
they share given once. :func:`verify_deep` replays both against the ledger's rows.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, literal_column
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select as sa_select
from sqlalchemy import table as sa_table
from sqlmodel import Session, SQLModel, col, select

from plvgov.values import dataclass

if TYPE_CHECKING:  # imported where it is read or written: a command that only reads settings
    from plvgov.models.audit import AuditEvent  # (check, calendar) need not build its table

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
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_jsonable
    )


def table_image(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    same: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """After-images of many new rows of one ``table`` in the compact form a bulk change
    records: the columns every row has alike once (``same``: the invoices of a run share their
    working), then the other column names once and each row's values in that order (``id``
    among them). :func:`audited_state` reads it back as one image a row."""
    return {"table": table, "same": dict(same or {}), "columns": list(columns), "values": rows}


def row_image(row: SQLModel) -> dict[str, Any]:
    """A mapped row's after-image: its table, its id, and every column's value after the change
    (dates as ISO text)."""
    mapper = sa_inspect(type(row))
    return {
        "table": type(row).__tablename__,  # type: ignore[attr-defined]
        "id": _primary_key(row),
        "after": {
            attr.key: _jsonable_or_plain(getattr(row, attr.key)) for attr in mapper.column_attrs
        },
    }


def _first_of(tables: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The first row of the first table image, as (table, id), for the event's entity."""
    for block in tables:
        if block["values"]:
            row_id = block["values"][0][block["columns"].index("id")]
            return {"table": block["table"], "id": row_id}
    return None


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
    from plvgov.models.audit import AuditEvent

    last = session.exec(
        select(AuditEvent.seq, AuditEvent.hash).order_by(col(AuditEvent.seq).desc()).limit(1)
    ).first()
    if last is None:
        return 0, GENESIS
    return last[0], last[1]


def record(
    session: Session,
    action: str,
    subject: str,
    rows: Iterable[SQLModel] = (),
    details: dict[str, Any] | None = None,
    *,
    tables: Sequence[dict[str, Any]] = (),
) -> AuditEvent:
    """Append the event for the change just made in ``session`` (flushes it first).

    ``rows`` are the mapped rows the change created or altered; their after-images go in the
    payload. A bulk change that inserts plain rows passes them as ``tables`` (from
    :func:`table_image`) instead. ``details`` carries anything else an auditor needs (the
    notice date, the missed exit point). Call it once per transaction (a bulk change that
    writes thousands of rows: once per thousand).
    """
    from plvgov.models.audit import AuditEvent

    session.flush()
    after = [row_image(r) for r in rows]
    seq, prev_hash = head(session)
    body: dict[str, Any] = {"rows": after, "details": details or {}}
    if tables:
        body["tables"] = list(tables)
    payload = canonical_json(body)
    first = after[0] if after else _first_of(tables)
    event = AuditEvent(
        seq=seq + 1,
        at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        actor=actor(),
        command=str(session.info.get("command", "library")),
        action=action,
        entity=action.split(".")[0] if first is None else str(first["table"]),
        entity_id=None if first is None else str(first["id"]),
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
    """What :func:`verify` found: how many events it read, the hash it reached, and the first
    event that does not fit (if any) with why."""

    events: int
    head: str
    ok: bool
    first_bad_seq: int | None = None
    problem: str | None = None


def verify(session: Session) -> Verification:
    """Recompute the chain from the genesis; report the first event that does not fit."""
    from plvgov.models.audit import AuditEvent

    prev_hash = GENESIS
    expected_seq = 1
    count = 0
    for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))):
        count += 1
        if event.seq != expected_seq:
            return Verification(
                count,
                prev_hash,
                False,
                expected_seq,
                f"event {expected_seq} is missing (found {event.seq} next)",
            )
        if event.prev_hash != prev_hash:
            return Verification(
                count,
                prev_hash,
                False,
                event.seq,
                f"event {event.seq} does not link to event {event.seq - 1}",
            )
        if _digest(prev_hash, _body(event)) != event.hash:
            return Verification(
                count,
                prev_hash,
                False,
                event.seq,
                f"event {event.seq} ({event.action}, {event.subject}) was altered",
            )
        prev_hash = event.hash
        expected_seq += 1
    return Verification(count, prev_hash, True)


def latest(session: Session, limit: int = 20) -> list[AuditEvent]:
    from plvgov.models.audit import AuditEvent

    stmt = select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(limit)
    return list(session.exec(stmt))


def fingerprint(session: Session, length: int = 12) -> str:
    """The ledger's audit fingerprint for document footers: the head hash, shortened."""
    seq, digest = head(session)
    return f"{seq}:{digest[:length]}"


# -- deep verification: the rows against their audited after-images ---------------------------
#: Tables that are the audit machinery itself, not ledger content.
#: ``document_number`` only repeats the invoices' and credit notes' numbers for the database
#: to keep unique; :func:`_numbers_register` checks it against them.
_NOT_AUDITED = frozenset({"audit_event", "alembic_version", "document_number"})


@dataclass(frozen=True)
class Difference:
    """One place where the ledger disagrees with its audit trail."""

    kind: str  # "chain", "changed", "unaudited", "missing", "payload"
    table: str | None
    id: Any
    message: str
    columns: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "table": self.table,
            "id": self.id,
            "columns": list(self.columns),
            "message": self.message,
        }


@dataclass(frozen=True)
class DeepVerification:
    """What :func:`verify_deep` found: the chain's verification, the rows it compared, and every
    stored value that differs from the trail."""

    chain: Verification
    rows_checked: int
    differences: tuple[Difference, ...]

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.differences


def _key(table: str, row_id: Any) -> tuple[str, str]:
    return table, canonical_json(row_id)


def audited_state(
    session: Session,
) -> tuple[dict[tuple[str, str], dict[str, Any]], list[Difference]]:
    """Replay every event's after-images: the last image of each (table, id) wins."""
    from plvgov.models.audit import AuditEvent

    state: dict[tuple[str, str], dict[str, Any]] = {}
    problems: list[Difference] = []
    for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))):
        try:
            payload = json.loads(event.payload)
            for one in payload["rows"]:
                state[_key(one["table"], one["id"])] = one["after"]
            for block in payload.get("tables", ()):
                columns, same = block["columns"], block["same"]
                for values in block["values"]:
                    after = {**same, **dict(zip(columns, values, strict=True))}
                    state[_key(block["table"], after["id"])] = after
        except (ValueError, KeyError, TypeError):
            problems.append(
                Difference(
                    "payload", None, None, f"event {event.seq} has a payload that is not a row list"
                )
            )
    return state, problems


def _current_rows(session: Session) -> Iterable[tuple[str, Any, dict[str, Any], Table]]:
    """Every ledger row as (table, id, stored values, table) for the tables this ledger has.

    The values are read raw, as the database holds them (no column type parses them), so
    that :func:`verify_deep` compares them exactly: a date stored as ``2026-W18-5`` is not
    ``2026-05-01``, though Python would read both as 1 May."""
    from plvgov.models import load_all

    load_all()  # every table, not only those this command happened to import
    connection = session.connection()
    present = set(sa_inspect(connection).get_table_names())
    for table in SQLModel.metadata.sorted_tables:
        if table.name in _NOT_AUDITED or table.name not in present:
            continue
        names = [c.name for c in table.columns]
        columns: list[Any] = [literal_column(f'"{n}"') for n in names]
        raw = sa_select(*columns).select_from(sa_table(table.name))
        keys = [c.name for c in table.primary_key.columns]
        for values in connection.execute(raw):
            stored = dict(zip(names, values, strict=True))
            row_id = stored[keys[0]] if len(keys) == 1 else [stored[k] for k in keys]
            yield table.name, row_id, stored, table


def _expected(table: Table, audited: Mapping[str, Any], dialect: Any) -> dict[str, Any]:
    """The values a row with this audited after-image holds, as the database stores them:
    each audited value back to its Python type, then through the column type's own bind
    processor (dates to ISO text on SQLite, booleans to 0/1)."""
    expected: dict[str, Any] = {}
    for column in table.columns:
        value = audited.get(column.name)
        if value is not None:
            python_type = _python_type(column)
            if python_type is datetime:
                value = datetime.fromisoformat(value)
            elif python_type is date:
                value = date.fromisoformat(value)
            process = column.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                value = process(value)
        expected[column.name] = value
    return expected


def _python_type(column: Any) -> type | None:
    try:
        return column.type.python_type  # type: ignore[no-any-return]
    except NotImplementedError:  # pragma: no cover - every plvgov column has one
        return None


def _same(stored: Any, expected: Any) -> bool:
    """Equal and of the same type: ``1`` is not ``"1"``, ``22504.0`` is not ``22504``."""
    return type(stored) is type(expected) and stored == expected


def _integrity(session: Session) -> list[Difference]:
    """SQLite's own check of the file: pages, indexes, constraints."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return []
    found = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
    if found == ["ok"]:
        return []
    return [
        Difference("integrity", None, None, f"SQLite's integrity check: {message}")
        for message in found[:20]
    ]


def _numbers_register(session: Session) -> list[Difference]:
    """``document_number`` is exactly the invoices' and credit notes' numbers."""
    connection = session.connection()
    if "document_number" not in sa_inspect(connection).get_table_names():
        return []
    register = {
        (number, kind)
        for number, kind in connection.exec_driver_sql("SELECT number, kind FROM document_number")
    }
    issued = {(n, "invoice") for (n,) in connection.exec_driver_sql("SELECT number FROM invoice")}
    issued |= {
        (n, "credit_note") for (n,) in connection.exec_driver_sql("SELECT number FROM credit_note")
    }
    differences = [
        Difference(
            "numbers", "document_number", number, f"{kind} {number} is not in document_number"
        )
        for number, kind in sorted(issued - register)
    ]
    differences += [
        Difference(
            "numbers",
            "document_number",
            number,
            f"document_number {number} names no {kind.replace('_', ' ')}",
        )
        for number, kind in sorted(register - issued)
    ]
    return differences


def verify_deep(session: Session) -> DeepVerification:
    """The hash chain, then every row against its last audited after-image: rows edited behind
    the ledger's back, rows with no audited state and audited rows that have disappeared."""
    chain = verify(session)
    differences: list[Difference] = []
    if not chain.ok:
        differences.append(
            Difference(
                "chain",
                "audit_event",
                chain.first_bad_seq,
                chain.problem or "the hash chain is broken",
            )
        )
    state, problems = audited_state(session)
    differences.extend(problems)
    seen: set[tuple[str, str]] = set()
    checked = 0
    dialect = session.connection().dialect
    for table, row_id, stored, model in _current_rows(session):
        checked += 1
        key = _key(table, row_id)
        seen.add(key)
        audited = state.get(key)
        if audited is None:
            differences.append(
                Difference("unaudited", table, row_id, f"{table} {row_id} has no audited state")
            )
            continue
        try:
            expected = _expected(model, audited, dialect)
        except (TypeError, ValueError):
            differences.append(
                Difference(
                    "payload", table, row_id, f"{table} {row_id}'s audited state is unreadable"
                )
            )
            continue
        changed = tuple(
            sorted(
                c
                for c in stored.keys() | audited.keys()
                if not _same(stored.get(c), expected.get(c))
            )
        )
        if changed:
            differences.append(
                Difference(
                    "changed",
                    table,
                    row_id,
                    f"{table} {row_id} differs from its audited state in {', '.join(changed)}",
                    changed,
                )
            )
    present = {table for table, _ in seen} | set(sa_inspect(session.connection()).get_table_names())
    for (table, raw_id), _after in state.items():
        if (table, raw_id) not in seen and table in present:
            row_id = json.loads(raw_id)
            differences.append(
                Difference(
                    "missing", table, row_id, f"{table} {row_id} was audited but has disappeared"
                )
            )
    differences.extend(_numbers_register(session))
    differences.extend(_integrity(session))
    return DeepVerification(chain, checked, tuple(differences))
