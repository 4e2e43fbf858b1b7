"""A financial year's outturn for the home and each member's share of it.

The councils "share the risks and benefits" of the home (Bromley report, summary and §4.5):
once a year has ended the secretary records its actual surplus or deficit, and each member of
that year carries a share of it — pro rata to its days of membership in the year (inclusive,
1 April to 31 March; 366 days in a year holding a 29 February), or equal shares when the
``outturn_share_basis`` setting in force at the year's end says so. The shares are worked in
pence by largest remainder, so they sum to the result exactly; a penny left over goes to the
largest remainder, ties in GSS-code order. They are frozen when recorded: a member that later
ceases keeps the shares of the years it was a member. A mistake is put right by recording the
year again with ``correct``: the outturn and its shares are worked afresh, and the audit trail
keeps what they replaced.

A surplus stays in the company (a company limited by guarantee distributes no profit): its
shares say whose risk it offset. A deficit is recorded only with the members' resolution that
resolves to meet it (``--authority "Resolution 7"``), passed by the day it is recorded; it is
then invoiced as contributions (:mod:`plvgov.finance.contributions`), after which the outturn
stands as invoiced and is no longer corrected (a credit note puts an overcharge right).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from plvgov import audit, settings, typed
from plvgov.company.filings import require_existed
from plvgov.dates import FinancialYear, days_between_inclusive
from plvgov.decisions import resolutions
from plvgov.errors import InputError, NotFound, RuleError
from plvgov.membership.members import Tenure, everyone
from plvgov.models.billing import CONTRIBUTION, Invoice
from plvgov.models.finance import Outturn, OutturnShare
from plvgov.models.members import Member
from plvgov.models.resolutions import Resolution
from plvgov.money import format_gbp, from_pence, to_pence
from plvgov.values import dataclass

SURPLUS, DEFICIT = "surplus", "deficit"
_RESOLUTION = re.compile(r"(?:members'? )?(?:resolution\s*)?(?:no\.?\s*)?#?([0-9]{1,9})", re.I)
_AUTHORITY_MAX = 200


def days_in(member: Tenure, fy: FinancialYear) -> int:
    """Days of ``fy`` ``member`` was on the register, inclusive (membership ends at the end of
    its ``ceased_on``)."""
    if member.admitted_on is None:
        return 0
    first = max(fy.starts_on, member.admitted_on)
    last = fy.ends_on if member.ceased_on is None else min(fy.ends_on, member.ceased_on)
    return days_between_inclusive(first, last)


def _order(member: Member) -> tuple[str, str]:
    return (member.gss_code or "\uffff", member.slug)  # members without a code last


def apportion(pence: int, weights: list[tuple[Member, int]]) -> list[int]:
    """``pence`` (signed) split by the weights, largest remainder: each share is its exact
    part rounded toward nil, and the pennies left over go one each to the largest remainders,
    ties in GSS-code order. The shares sum to ``pence`` exactly."""
    total = sum(w for _, w in weights)
    magnitude = abs(pence)
    floors = [magnitude * w // total for _, w in weights]
    remainders = [magnitude * w % total for _, w in weights]
    left = magnitude - sum(floors)
    ranked = sorted(range(len(weights)), key=lambda i: (-remainders[i], _order(weights[i][0])))
    for i in ranked[:left]:
        floors[i] += 1
    sign = -1 if pence < 0 else 1
    return [sign * f for f in floors]


@dataclass(frozen=True)
class Share:
    member: str
    gss_code: str | None
    days: int
    share: Decimal  # signed as the result
    invoice: str | None = None  # the contribution invoice for a share of a deficit, once issued

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class OutturnView:
    year: FinancialYear
    result: Decimal  # a surplus above nil, a deficit below
    basis: str
    authority: str
    recorded_on: date
    shares: list[Share]

    @property
    def kind(self) -> str:
        return SURPLUS if self.result >= 0 else DEFICIT

    @property
    def year_days(self) -> int:
        return self.year.days

    def as_json(self) -> dict[str, object]:
        return {
            "year": self.year.label,
            "result": self.result,
            "kind": self.kind,
            "basis": self.basis,
            "authority": self.authority,
            "recorded_on": self.recorded_on,
            "year_days": self.year.days,
            "shares": [s.as_json() for s in self.shares],
        }


def _resolution_cited(session: Session, text: str) -> Resolution | None:
    match = _RESOLUTION.fullmatch(text.strip())
    if match is None:
        return None
    row = session.get(Resolution, int(match.group(1)))
    if row is None:
        raise NotFound(
            f"no members' resolution {match.group(1)}; `plvgov resolution list` shows them"
        )
    return row


def _require_passed(session: Session, resolution: Resolution, today: date, fy: str) -> None:
    result = resolutions.tally(session, resolution, today)
    if result.status != resolutions.PASSED:
        raise RuleError(
            f"{resolutions.label(resolution)} has not passed (it is {result.status}); a deficit "
            f"for {fy} is recorded under the members' resolution that resolved to meet it"
        )


def record(
    session: Session,
    fy: FinancialYear,
    result: Decimal,
    authority: str,
    today: date,
    *,
    correct: bool = False,
) -> OutturnView:
    """Record ``fy``'s outturn (``result`` signed: a deficit below nil) and every member's
    share. Refuses a year not yet ended, one already recorded (unless ``correct``: then the
    recorded outturn and its shares are replaced, and the audit trail keeps what they were), a
    year with no member, and a deficit whose authority is not a passed members' resolution."""
    label = fy.label
    if fy.ends_on > today:
        raise RuleError(
            f"{label} ends on {fy.ends_on}, after today ({today}); record its outturn once "
            "the year has ended"
        )
    require_existed(session, fy.ends_on, f"the {label} outturn")
    try:
        cited_text = typed.single_line(authority, limit=_AUTHORITY_MAX)
    except ValueError:
        raise InputError(
            "name what authorises the outturn with --authority (a deficit: the members' "
            'resolution that resolved to meet it, e.g. "Resolution 7")'
        ) from None
    existing = find(session, fy)
    if existing is not None and not correct:
        raise RuleError(
            f"the {label} outturn is already recorded ({_result_words(existing.result_pence)}, "
            f"on {existing.recorded_on}); to replace it, record it again with --correct"
        )
    if existing is None and correct:
        raise RuleError(f"no outturn is recorded for {label}, so there is none to correct")
    if existing is not None and (issued := contributions(session, fy)):
        numbers = sorted(issued.values())
        raise RuleError(
            f"the {label} deficit is invoiced ({numbers[0]}"
            f"{'' if len(numbers) == 1 else ' to ' + numbers[-1]}); an issued invoice is never "
            "edited, so the outturn stands as invoiced: put an overcharge right with a credit "
            "note (`plvgov invoice credit`)"
        )
    resolution = _resolution_cited(session, cited_text)
    if result < 0 and resolution is None:
        raise RuleError(
            f"a deficit is recorded under the members' resolution that resolved to meet it; "
            f'give --authority "Resolution N" (`plvgov resolution list` shows them), '
            f"not {cited_text!r}"
        )
    if resolution is not None:
        _require_passed(session, resolution, today, label)
        cited_text = resolutions.label(resolution)
    basis: str = settings.get(session, "outturn_share_basis", fy.ends_on)
    weights = [(m, days) for m in everyone(session) for days in [days_in(m, fy)] if days > 0]
    if not weights:
        raise RuleError(f"no member was on the register in {label}, so none shares its outturn")
    weights.sort(key=lambda pair: _order(pair[0]))
    pence = to_pence(result)
    split = apportion(pence, [(m, d if basis == "days" else 1) for m, d in weights])
    details: dict[str, object] = {"year": label, "basis": basis}
    if existing is None:
        row = Outturn(
            financial_year=fy.start_year, result_pence=0, basis="", authority="", recorded_on=today
        )
    else:
        row = existing
        details["replaces"] = {
            "result_pence": existing.result_pence,
            "authority": existing.authority,
            "recorded_on": existing.recorded_on.isoformat(),
        }
    row.result_pence, row.basis, row.authority = pence, basis, cited_text
    row.resolution_id = None if resolution is None else resolution.id
    row.recorded_on = today
    session.add(row)
    session.flush()
    assert row.id is not None
    stmt = select(OutturnShare).where(OutturnShare.outturn_id == row.id)
    old = {share.member_id: share for share in session.exec(stmt)}
    shares = []
    for (m, d), p in zip(weights, split, strict=True):
        assert m.id is not None
        share = old.pop(m.id, None)
        if share is None:
            share = OutturnShare(outturn_id=row.id, member_id=m.id, days=0, share_pence=0)
        share.days, share.share_pence = d, p
        shares.append(share)
    for gone in old.values():  # no longer a member that year (its membership was corrected)
        gone.days, gone.share_pence = 0, 0
        shares.append(gone)
    session.add_all(shares)
    audit.record(
        session,
        "outturn.correct" if existing is not None else "outturn.record",
        f"Outturn {label}: {_result_words(pence)}",
        [row, *shares],
        details,
    )
    return view(session, fy)


def _result_words(pence: int) -> str:
    kind = SURPLUS if pence >= 0 else DEFICIT
    return f"a {kind} of {format_gbp(from_pence(abs(pence)))}"


def find(session: Session, fy: FinancialYear) -> Outturn | None:
    return session.exec(select(Outturn).where(Outturn.financial_year == fy.start_year)).first()


def view(session: Session, fy: FinancialYear) -> OutturnView:
    """The recorded outturn of ``fy`` with its shares in GSS-code order."""
    row = find(session, fy)
    if row is None:
        raise NotFound(
            f"no outturn is recorded for {fy.label}; record it with `plvgov outturn record "
            f"--year {fy.label} --surplus AMOUNT --authority TEXT` (or --deficit)"
        )
    pairs = session.exec(
        select(OutturnShare, Member).where(
            OutturnShare.outturn_id == row.id, col(OutturnShare.member_id) == col(Member.id)
        )
    ).all()
    ordered = sorted(pairs, key=lambda pair: _order(pair[1]))
    invoiced = contributions(session, fy)
    return OutturnView(
        fy,
        from_pence(row.result_pence),
        row.basis,
        row.authority,
        row.recorded_on,
        [
            Share(m.name, m.gss_code, s.days, from_pence(s.share_pence), invoiced.get(s.member_id))
            for s, m in ordered
        ],
    )


def contributions(session: Session, fy: FinancialYear) -> dict[int, str]:
    """The numbers of ``fy``'s contribution invoices, by member id."""
    return dict(
        session.exec(
            select(Invoice.member_id, Invoice.number).where(
                Invoice.financial_year == fy.start_year, Invoice.kind == CONTRIBUTION
            )
        ).all()
    )


def years(session: Session) -> list[OutturnView]:
    """Every recorded outturn, oldest first."""
    rows = session.exec(select(Outturn).order_by(col(Outturn.financial_year))).all()
    return [view(session, FinancialYear(r.financial_year)) for r in rows]
