"""A member's Peppol address: where its e-invoices go (Peppol BIS Billing 3.0).

A council publishes the address its accounts payable receive on (``SCHEME:ID``, a scheme on
Peppol's EAS code list: ``0088`` a GLN, ``9932`` a UK VAT number…). It is a fact about the
council now, not a register particular: an e-invoice is sent with the address in force when it
is sent, and the audit trail keeps every change.
"""

from __future__ import annotations

from sqlmodel import Session

from plvgov import audit, eas
from plvgov.errors import InputError, RuleError
from plvgov.models.members import Member


def address(member: Member) -> str | None:
    """``member``'s Peppol address as ``SCHEME:ID``, or None when none is recorded."""
    if member.peppol_scheme and member.peppol_endpoint:
        return f"{member.peppol_scheme}:{member.peppol_endpoint}"
    return None


def set_address(session: Session, member: Member, text: str) -> str:
    """Record ``text`` (``SCHEME:ID``) as ``member``'s Peppol address; returns it as stored.
    Refuses a scheme not on the EAS list, a malformed identifier, a GLN whose check digit is
    wrong, and the address it already has."""
    try:
        scheme, ident = eas.parse(text)
    except ValueError as exc:
        raise InputError(f"member peppol takes {exc}, not {text!r}") from None
    value = f"{scheme}:{ident}"
    if address(member) == value:
        raise RuleError(f"{member.name}'s Peppol address is already {value}; nothing to change")
    member.peppol_scheme, member.peppol_endpoint = scheme, ident
    session.add(member)
    audit.record(session, "member.peppol", member.name, [member])
    return value
