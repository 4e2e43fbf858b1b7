"""A member's register particulars over time: its name and address (CA 2006 s.113(2)) and the
email it gave, as entered on admission and as changed since by ``member update``. Everything
that prints a member's name or address on a date (the register, letters, invoices) reads it
here, so a paper shows the particulars in force on its own date."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Protocol

from sqlmodel import Session, col, select

from plvgov.models.members import Member, MemberDetail
from plvgov.values import dataclass

# -- register particulars: name, address and email over time ---------------------------------
_DETAIL_ORDER = (col(MemberDetail.effective_from), col(MemberDetail.id))


@dataclass(frozen=True)
class Particulars:
    """A member's register particulars in force on a day (CA 2006 s.113(2): name and
    address) and the email it gave for correspondence."""

    name: str  # the legal name, e.g. "London Borough of Bromley"
    address: str | None
    email: str | None
    since: date | None  # the day the latest change among them took effect; None: as entered


def details(session: Session, member: Member) -> list[MemberDetail]:
    """Every recorded change of ``member``'s particulars, oldest first."""
    stmt = select(MemberDetail).where(MemberDetail.member_id == member.id).order_by(*_DETAIL_ORDER)
    return list(session.exec(stmt))


def details_by_member(session: Session) -> dict[int, list[MemberDetail]]:
    """Every member's changes of particulars, ordered as :func:`details` orders them; a member
    with none is absent."""
    grouped: dict[int, list[MemberDetail]] = defaultdict(list)
    for row in session.exec(select(MemberDetail).order_by(*_DETAIL_ORDER)):
        grouped[row.member_id].append(row)
    return dict(grouped)


class Entry(Protocol):
    """A member's particulars as entered on the register: a :class:`Member`, or the light row
    billing loads instead."""

    @property
    def council_name(self) -> str: ...

    @property
    def address(self) -> str | None: ...


def particulars_from(member: Entry, changes: list[MemberDetail], on: date | None) -> Particulars:
    """``member``'s particulars in force on ``on`` (every change if ``on`` is None): each field
    from the latest change that set it, else as entered. ``changes`` in :func:`details` order."""
    name, address, email, since = member.council_name, member.address, None, None
    for change in changes:
        if on is not None and change.effective_from > on:
            break
        name = change.name or name
        address = change.address or address
        email = change.email or email
        since = change.effective_from
    return Particulars(name, address, email, since)


def particulars_on(session: Session, member: Member, on: date) -> Particulars:
    return particulars_from(member, details(session, member), on)
