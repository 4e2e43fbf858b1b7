"""The one register of document numbers: invoices (``PLV-2026-0001``, subscriptions and
contributions alike) and credit notes (``CN-2026-0001``), each kind contiguous within its FY.

A number is allocated inside the write transaction as the FY's highest sequence + 1 (writers
are serialised by ``Ledger.write``) and entered in ``document_number``, whose primary key is
the database's backstop against a number used twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from plvgov.db import bulk_insert
from plvgov.errors import RuleError
from plvgov.models.billing import Invoice

if TYPE_CHECKING:
    from plvgov.models.accounts import CreditNote


def next_sequence(session: Session, model: type[Invoice] | type[CreditNote], fy: int) -> int:
    # Inside the write transaction: writers are serialised, so max + 1 is ours alone.
    highest = session.exec(select(func.max(model.sequence)).where(model.financial_year == fy)).one()
    return int(highest or 0) + 1


def format_number(prefix: str, fy: int, sequence: int) -> str:
    """``PLV-2026-0001``."""
    return f"{prefix}-{fy}-{sequence:04d}"


def claim_numbers(session: Session, kind: str, numbers: Sequence[str]) -> None:
    """Enter ``numbers`` (one prefix and FY) in the register of document numbers, refusing
    any already used by the other kind of document; the register's primary key is the
    database's own backstop."""
    from plvgov.models.numbering import DocumentNumber  # here only: reading invoices does not

    if not numbers:
        return
    table = DocumentNumber.__table__  # type: ignore[attr-defined]
    stem = numbers[0].rsplit("-", 1)[0] + "-"
    others = set(
        session.connection()
        .execute(
            sa_select(table.c.number).where(
                table.c.kind != kind, table.c.number.startswith(stem, autoescape=True)
            )
        )
        .scalars()
    )
    clash = next((n for n in numbers if n in others), None)
    if clash is not None:
        other = "a credit note" if kind == "invoice" else "an invoice"
        raise RuleError(
            f"{clash} is already the number of {other}; invoice_prefix and "
            "credit_note_prefix must differ (see `plvgov settings show`)"
        )
    bulk_insert(session, table, ("number",), [[n] for n in numbers], same={"kind": kind})
