"""What the confirmation statement needs since the Economic Crime and Corporate Transparency
Act 2023: a registered email address and a statement that the company's intended future
activities are lawful (from 4 March 2024), and every director's identity verified with
Companies House (from 18 November 2025), recorded with the personal code it issued."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlmodel import Session

from plvgov import audit, settings
from plvgov.company import filings as company
from plvgov.dates import require_not_before, require_past
from plvgov.decisions import appointments
from plvgov.errors import InputError
from plvgov.models.directors import Director
from plvgov.values import dataclass

#: Companies House opened identity verification to directors on 8 April 2025.
VERIFICATION_OPENED = date(2025, 4, 8)
#: From 18 November 2025 a confirmation statement needs every director verified.
VERIFICATION_REQUIRED = date(2025, 11, 18)
_CODE = re.compile(r"[A-Z0-9]{8,16}")


def verify(
    session: Session, director: Director, code: str, on: date, *, today: date | None = None
) -> Director:
    """Record that ``director`` verified their identity on ``on`` with personal ``code``."""
    cleaned = code.strip().upper().replace(" ", "").replace("-", "")
    if not _CODE.fullmatch(cleaned):
        raise InputError(
            f"{code!r} is not a Companies House personal code; give the code as the "
            "director received it (letters and digits, e.g. ABC12DEF345)"
        )
    require_past(on, today, "the verification date", "record it once the director has verified")
    require_not_before(
        on,
        VERIFICATION_OPENED,
        "the verification date",
        "8 April 2025, when Companies House began verifying identities",
    )
    director.verification_code, director.verified_on = cleaned, on
    session.add(director)
    audit.record(session, "director.verify", director.name, [director])
    return director


@dataclass(frozen=True)
class Readiness:
    """What the next confirmation statement lacks."""

    due_on: date | None  # the next confirmation statement's deadline, when known
    missing: list[str]


def readiness(session: Session, at: date) -> Readiness:
    """What the next confirmation statement to file (the earliest not yet recorded as filed)
    still needs recorded, were it filed on ``at`` or by its deadline."""
    statements = [
        f
        for f in company.outstanding(session, at + timedelta(days=400))
        if f.kind == company.CONFIRMATION_STATEMENT
    ]
    due = statements[0].due_on if statements else None
    missing: list[str] = []
    if not settings.fact(session, "registered_email"):
        missing.append(
            "no registered email address (set it with `plvgov settings set registered_email "
            "ADDRESS`)"
        )
    if max(at, due or at) >= VERIFICATION_REQUIRED:
        unverified = [
            d.name for d in appointments.directors_on(session, at) if d.verified_on is None
        ]
        if unverified:
            missing.append(
                f"identity not verified for {', '.join(unverified)} (record each with "
                "`plvgov director verify NAME --code CODE --date D`)"
            )
    return Readiness(due, missing)
