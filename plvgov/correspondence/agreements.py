"""Agreements to receive documents by email (CA 2006 Sch. 5 paras 6-7).

A member that has agreed, generally or specifically, that the company may send documents to it
by email at an address gets them there; a member without agreement in force gets paper. An
agreement holds from ``agreed_on`` until the day it is revoked; a new address is a new
agreement (the old one ends the day the new one starts).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from plvgov import audit, typed
from plvgov.company.filings import require_existed
from plvgov.dates import require_past
from plvgov.errors import InputError, RuleError
from plvgov.membership import members
from plvgov.models.correspondence import EmailAgreement
from plvgov.models.members import Member


def address(text: str) -> str:
    """An email address as stored: trimmed; refused unless it looks like one address."""
    try:
        return typed.email(text)
    except typed.BadValue:
        raise InputError(
            f"{text!r} is not an email address; give one address in plain ASCII, e.g. "
            "--address democratic.services@council.gov.uk"
        ) from None


def history(session: Session, member: Member) -> list[EmailAgreement]:
    return list(
        session.exec(
            select(EmailAgreement)
            .where(EmailAgreement.member_id == members.id_of(member))
            .order_by(col(EmailAgreement.agreed_on), col(EmailAgreement.id))
        )
    )


def in_force(rows: list[EmailAgreement], on: date) -> EmailAgreement | None:
    for row in reversed(rows):
        if row.agreed_on <= on and (row.revoked_on is None or row.revoked_on > on):
            return row
    return None


def address_on(session: Session, member: Member, on: date) -> str | None:
    """The address ``member`` agreed to receive documents at on ``on``; None: paper."""
    found = in_force(history(session, member), on)
    return found.address if found else None


def documents_by(session: Session, member: Member, on: date) -> dict[str, object]:
    """How ``member`` gets the company's documents on ``on``: ``{"method": "email", "address",
    "agreed_on"}`` under an agreement in force (Sch. 5 para 6), else ``{"method": "post"}``
    with no address (Sch. 5 para 2: hard copy to its registered address)."""
    held = in_force(history(session, member), on)
    if held is None:
        return {"method": "post", "address": None, "agreed_on": None}
    return {"method": "email", "address": held.address, "agreed_on": held.agreed_on}


def addresses_on(session: Session, on: date) -> dict[int, str]:
    """Every member's agreed address on ``on``, by member id (one query)."""
    by_member: dict[int, list[EmailAgreement]] = {}
    for row in session.exec(
        select(EmailAgreement).order_by(col(EmailAgreement.agreed_on), col(EmailAgreement.id))
    ):
        by_member.setdefault(row.member_id, []).append(row)
    found = {}
    for member_id, rows in by_member.items():
        held = in_force(rows, on)
        if held is not None:
            found[member_id] = held.address
    return found


def agree(
    session: Session, member: Member, text: str, on: date, *, today: date | None = None
) -> EmailAgreement:
    """Record ``member``'s agreement from ``on`` to receive documents by email at ``text``. An
    agreement in force at another address ends the day before (a change of address)."""
    where = address(text)
    require_past(on, today, "the agreement date", "record an agreement once it is given")
    require_existed(session, on, "an agreement to receive documents")
    rows = history(session, member)
    later = [r for r in rows if r.agreed_on > on]
    if later:
        raise RuleError(
            f"{member.name} has an agreement from {later[-1].agreed_on}; record agreements in "
            "date order"
        )
    changed: list[EmailAgreement] = []
    current = in_force(rows, on)
    if current is not None:
        if current.address.lower() == where.lower():
            raise RuleError(
                f"{member.name} already agreed to email at {current.address} on {current.agreed_on}"
            )
        current.revoked_on = on
        session.add(current)
        changed.append(current)
    row = EmailAgreement(
        member_id=members.id_of(member), address=where, agreed_on=on, revoked_on=None
    )
    session.add(row)
    changed.append(row)
    audit.record(
        session,
        "member.email",
        member.name,
        changed,
        {"address": where, "agreed_on": on.isoformat()},
    )
    return row


def revoke(
    session: Session, member: Member, on: date, *, today: date | None = None
) -> EmailAgreement:
    """End ``member``'s agreement from ``on``: documents from that day go by post."""
    require_past(on, today, "the revocation date", "record a revocation once it is given")
    current = in_force(history(session, member), on)
    if current is None:
        raise RuleError(
            f"{member.name} has no agreement to receive documents by email on {on}; "
            "nothing to revoke"
        )
    if on <= current.agreed_on:
        raise RuleError(
            f"{member.name} agreed on {current.agreed_on}; a revocation comes after that day"
        )
    current.revoked_on = on
    session.add(current)
    audit.record(
        session,
        "member.email.revoke",
        member.name,
        [current],
        {"address": current.address, "revoked_on": on.isoformat()},
    )
    return current
