"""Voting rights on a date: one vote per member (CA 2006 s.284(3)) unless the articles say
otherwise (the ``articles_member_votes`` setting), and who the articles let appoint most of
the board (``articles_director_appointer``). The PSC register and members' requests read
them."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sqlmodel import Session

from plvgov import settings
from plvgov.membership import members
from plvgov.models.members import Member
from plvgov.values import dataclass


def _keys(member: Member) -> set[str]:
    return {member.slug.lower(), (member.gss_code or "").lower()} - {""}


@dataclass(frozen=True)
class Holding:
    """A member's votes on a date and its share of all the members' votes."""

    member: Member
    votes: int
    share: Fraction  # 0 when no member has a vote


def holdings(session: Session, on: date) -> list[Holding]:
    """Every member on the register on ``on`` with its votes, in name order."""
    weights: dict[str, int] = settings.get(session, "articles_member_votes", on)
    on_register = members.members_on(session, on)
    votes = [next((weights[k] for k in _keys(m) if k in weights), 1) for m in on_register]
    total = sum(votes)
    return [
        Holding(m, v, Fraction(v, total) if total else Fraction(0))
        for m, v in zip(on_register, votes, strict=True)
    ]


def share_of(session: Session, group: list[Member], on: date) -> Fraction:
    """The share of the voting rights ``group`` holds together on ``on``."""
    ids = {m.id for m in group}
    return sum((h.share for h in holdings(session, on) if h.member.id in ids), Fraction(0))


def appointer(session: Session, on: date) -> Member | None:
    """The member the articles in force on ``on`` let appoint or remove most directors."""
    wanted = str(settings.get(session, "articles_director_appointer", on)).strip().lower()
    if not wanted:
        return None
    return next((m for m in members.everyone(session) if wanted in _keys(m)), None)


def percent(share: Fraction) -> str:
    """A share as a percentage for a person, to two places: "33.33%", "5%", "3.03%"."""
    exact = Decimal(share.numerator * 100) / Decimal(share.denominator)
    value = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{value:f}%"
