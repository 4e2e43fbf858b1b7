"""Settings: every number the rules use, each effective from a date and citing its authority.

Two kinds. *Rule parameters* (notice months, lapse days, quorum, due days, VAT…) are
date-effective: each value holds from ``effective_from`` until a later one replaces it, and a rule
reads the value in force on the date it judges. *Company facts* (name, number, registered
office, launch date…) have one value at a time that holds for every date; each change is audited.

A key with no stored value has its default, in force from the beginning with authority
"default". Domain modules read settings through :func:`get` only. What each key is, and what
values it takes, is declared once in :mod:`plvgov.settings_catalogue`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from plvgov import audit, once
from plvgov.errors import InputError, RuleError
from plvgov.models.settings import SettingValue
from plvgov.settings_catalogue import DEFINITIONS, definition
from plvgov.values import dataclass


@dataclass(frozen=True)
class InForce:
    """A setting's value on a date, from when it holds and on whose authority; ``fact`` for a
    company fact (one value at a time)."""

    key: str
    value: Any
    effective_from: date | None
    authority: str
    fact: bool


def _every_stored(session: Session) -> dict[str, list[SettingValue]]:
    stored: dict[str, list[SettingValue]] = {}
    for row in session.exec(select(SettingValue)):
        stored.setdefault(row.key, []).append(row)
    return stored


def _stored(session: Session, key: str, on: date | None = None) -> list[SettingValue]:
    """The stored values of ``key`` (only those in force by ``on`` when given), in no order.
    In a :func:`plvgov.once.reading` block every key's are read in one statement, once."""
    if once.active(session):
        rows = once.shared(session, "settings", lambda: _every_stored(session)).get(key, [])
        if on is None:
            return rows
        return [r for r in rows if r.effective_from is None or r.effective_from <= on]
    stmt = select(SettingValue).where(SettingValue.key == key)
    if on is not None:
        stmt = stmt.where(
            (col(SettingValue.effective_from).is_(None)) | (col(SettingValue.effective_from) <= on)
        )
    return list(session.exec(stmt))


def _current_row(session: Session, key: str, on: date | None) -> SettingValue | None:
    rows = _stored(session, key, on)
    if not rows:
        return None
    return max(rows, key=lambda r: (r.effective_from or date.min, r.id or 0))


def in_force(session: Session, key: str, on: date) -> InForce:
    spec = definition(key)
    row = _current_row(session, key, None if spec.fact else on)
    if row is None:
        return InForce(key, spec.default, None, "default", spec.fact)
    return InForce(key, spec.decode(row.value), row.effective_from, row.authority, spec.fact)


def get(session: Session, key: str, on: date) -> Any:
    """The value of ``key`` in force on ``on`` (company facts ignore the date)."""
    return in_force(session, key, on).value


def changes(session: Session, key: str) -> list[tuple[date | None, Any]]:
    """A rule parameter through time: ``(effective_from, value)`` in date order, the first from
    the beginning (``None``); each holds until the next begins. Where two values share a date
    the later one recorded holds, as :func:`get` reads it."""
    spec = definition(key)
    if spec.fact:
        raise ValueError(f"{key} is a company fact; use settings.fact")
    rows = sorted(_stored(session, key), key=lambda r: (r.effective_from or date.min, r.id or 0))
    result: dict[date | None, Any] = {None: spec.default}
    for row in rows:
        result[row.effective_from] = spec.decode(row.value)  # a later row replaces one that day
    return list(result.items())


def fact(session: Session, key: str) -> Any:
    """A company fact's current value."""
    spec = definition(key)
    if not spec.fact:
        raise ValueError(f"{key} is a rule parameter; use settings.get with a date")
    return in_force(session, key, date.max).value


def all_in_force(session: Session, on: date) -> list[InForce]:
    return [in_force(session, s.key, on) for s in DEFINITIONS]


def set_value(
    session: Session,
    key: str,
    raw: str,
    *,
    effective_from: date | None,
    authority: str | None,
    today: date,
) -> InForce:
    """Record a new value. Rule parameters take effect from ``effective_from`` (default today);
    company facts refuse a date because they hold for every date."""
    spec = definition(key)
    if spec.internal:
        raise InputError(
            f"{key} is kept by plvgov itself and cannot be set: `plvgov init` makes a live "
            "ledger, `plvgov demo --dir DIR` a demonstration one"
        )
    value = spec.parse(raw, today)
    if spec.fact and effective_from is not None:
        raise InputError(
            f"{key} is a company fact with one value at a time; drop --from "
            "(the change is audited with today's date)"
        )
    start = None if spec.fact else (effective_from or today)
    check = _CROSS_CHECKS.get(key)
    if check is not None:
        check(session, key, value, start)
    encoded = spec.encode(value)
    same = session.exec(
        select(SettingValue).where(
            SettingValue.key == key,
            SettingValue.value == encoded,
            SettingValue.effective_from == start
            if start is not None
            else col(SettingValue.effective_from).is_(None),
        )
    ).first()
    if same is not None and _current_row(session, key, start) is same:
        when = "now" if start is None else f"from {start}"
        raise RuleError(f"{key} is already {spec.display(value)} {when}; nothing to change")
    row = SettingValue(
        key=key,
        value=encoded,
        effective_from=start,
        authority=(authority or "secretary").strip() or "secretary",
    )
    session.add(row)
    audit.record(
        session, "settings.set", key, [row], {"value": spec.display(value), "effective_from": start}
    )
    return InForce(key, value, start, row.authority, spec.fact)


# -- checks across keys ----------------------------------------------------------------------
def _value_on(session: Session, key: str, on: date | None, start: date | None, new: Any) -> Any:
    """``key``'s value on ``on`` (not before ``start``) once ``new`` is recorded from ``start``:
    a stored value from a later date still wins after that date; on the same date the new row
    (the later entry) wins."""
    if start is None:
        return new
    row = _current_row(session, key, on)
    if row is None or (row.effective_from or date.min) <= start:
        return new
    return definition(key).decode(row.value)


def _numbers_collide(one: str, other: str) -> bool:
    """Two prefixes whose numbers could be confused: the same (in any case), or one the other
    followed by a hyphen (``PLV`` and ``PLV-2026`` both give numbers starting ``PLV-2026-``)."""
    a, b = one.upper(), other.upper()
    return a == b or a.startswith(b + "-") or b.startswith(a + "-")


def _check_prefixes(session: Session, key: str, value: Any, start: date | None) -> None:
    """Invoice and credit note numbers share one space (both read PREFIX-YYYY-NNNN): the two
    prefixes in force on any date must not collide."""
    other = "credit_note_prefix" if key == "invoice_prefix" else "invoice_prefix"
    assert start is not None  # both are rule parameters
    later = {
        row.effective_from
        for row in session.exec(
            select(SettingValue).where(
                col(SettingValue.key).in_([key, other]),
                col(SettingValue.effective_from) > start,
            )
        )
        if row.effective_from is not None
    }
    for on in sorted({start} | later):
        mine = _value_on(session, key, on, start, value)
        theirs = str(get(session, other, on))
        if _numbers_collide(str(mine), theirs):
            raise RuleError(
                f"{key} {mine} would collide with {other} {theirs} in force on {on}; "
                "invoice and credit note numbers must differ: choose another prefix"
            )


def _check_reminder_ladder(session: Session, key: str, value: Any, start: date | None) -> None:
    """The final reminder comes after the first: on every date from ``start`` the final's
    days overdue must be more than the first's."""
    assert start is not None  # both are rule parameters
    first, final = "reminder_first_days", "reminder_final_days"
    later = {
        row.effective_from
        for row in session.exec(
            select(SettingValue).where(
                col(SettingValue.key).in_([first, final]),
                col(SettingValue.effective_from) > start,
            )
        )
        if row.effective_from is not None
    }
    other = final if key == first else first
    for on in sorted({start} | later):
        mine = int(_value_on(session, key, on, start, value))
        theirs = int(get(session, other, on))
        low, high = (mine, theirs) if key == first else (theirs, mine)
        if low >= high:
            raise RuleError(
                f"the final reminder must come after the first: {first} {low} and {final} "
                f"{high} would be in force on {on}; keep {first} below {final}"
            )


_CROSS_CHECKS: dict[str, Callable[[Session, str, Any, date | None], None]] = {
    "invoice_prefix": _check_prefixes,
    "credit_note_prefix": _check_prefixes,
    "reminder_first_days": _check_reminder_ladder,
    "reminder_final_days": _check_reminder_ladder,
}


def stage_fact(
    session: Session,
    key: str,
    value: Any,
    authority: str = "secretary",
    *,
    today: date | None = None,
) -> SettingValue:
    """Add a company fact's new value to the session without an audit event: for commands
    (``init``, ``demo``) that record one event for everything they do. The value passes the
    key's own type and range, as ``settings set`` would check it."""
    spec = definition(key)
    if not spec.fact:
        raise RuleError(f"{key} is not a company fact")
    value = spec.parse_value(value, today)
    row = SettingValue(key=key, value=spec.encode(value), effective_from=None, authority=authority)
    session.add(row)
    return row
