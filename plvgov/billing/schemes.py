"""Subscriptions: the scheme in force for a financial year, and what each member owes.

PRODUCT.md: the subscription is £20,000 per member per FY, uprated by CPI — amount for FY Y =
£20,000 × CPI(September Y−1) ÷ CPI(September 2022), so FY 2023/24 is the base year. Members
may replace it with another funding model from a later FY (a flat amount, or nil), so a scheme
is date-effective and cites the resolution that set it; with none recorded, the default scheme
comes from the settings (``subscription_base_amount``, ``cpi_series``, ``subscription_base_month``,
``subscription_reference_month``).

Nothing is payable for a day before ``launch_date``. A part year (launch, admission or
cessation inside the FY) is charged by days: amount × active days ÷ days in the FY (366 in an
FY containing 29 February). Rounding happens once, at the end, to the nearest penny, half up.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from plvgov import audit, settings
from plvgov.billing.cpi import IMPORT_HINT, index_for, month_label
from plvgov.dates import FinancialYear, add_months, days_between_inclusive
from plvgov.errors import InputError, NotFound, RuleError
from plvgov.membership.members import Tenure
from plvgov.models.billing import SubscriptionScheme
from plvgov.models.members import Member
from plvgov.money import format_gbp, from_pence, round_pounds, to_pence

FACTOR_PLACES = Decimal("0.000001")
LAUNCH_HINT = "set it with `plvgov settings set launch_date YYYY-MM-DD`"


# -- schemes ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scheme:
    """A subscription scheme as applied to a year (the stored row, or the default)."""

    id: int | None  # None: the default scheme from settings
    from_year: int
    base_amount: Decimal
    indexed: bool
    series: str | None
    base_month: str | None
    reference_month: int | None
    authority: str

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "from_year": FinancialYear(self.from_year).label,
            "base_amount": self.base_amount,
            "indexed": self.indexed,
            "series": self.series,
            "base_month": self.base_month,
            "reference_month": self.reference_month,
            "authority": self.authority,
        }


def _scheme(row: SubscriptionScheme) -> Scheme:
    return Scheme(
        row.id,
        row.from_year,
        from_pence(row.base_amount_pence),
        row.indexed,
        row.series,
        row.base_month,
        row.reference_month,
        row.authority,
    )


def default_scheme(session: Session, fy: FinancialYear) -> Scheme:
    """The seeds' scheme, from the settings in force at the start of ``fy``."""
    on = fy.starts_on
    base_month = str(settings.get(session, "subscription_base_month", on))
    reference = int(settings.get(session, "subscription_reference_month", on))
    return Scheme(
        None,
        base_year_of(base_month, reference).start_year,
        Decimal(settings.get(session, "subscription_base_amount", on)),
        True,
        str(settings.get(session, "cpi_series", on)),
        base_month,
        reference,
        "default",
    )


def base_year_of(base_month: str, reference_month: int) -> FinancialYear:
    """The FY whose reference month is the base month (factor 1): 2022-09 → 2023/24."""
    year, month = (int(x) for x in base_month.split("-"))
    return FinancialYear(year + 1 if month >= reference_month else year)


def base_year(scheme: Scheme) -> FinancialYear:
    """The first FY a scheme can charge: its own first year, and for an indexed scheme not
    before its base year."""
    first = FinancialYear(scheme.from_year)
    if scheme.indexed and scheme.base_month and scheme.reference_month:
        return max(first, base_year_of(scheme.base_month, scheme.reference_month))
    return first


def schemes(session: Session) -> list[Scheme]:
    """Recorded schemes in order of the FY they start from."""
    rows = session.exec(select(SubscriptionScheme).order_by(col(SubscriptionScheme.from_year)))
    return [_scheme(r) for r in rows]


def scheme_for(session: Session, fy: FinancialYear) -> Scheme:
    """The scheme in force for ``fy``: the latest recorded one from ``fy`` or earlier, else
    the default."""
    recorded = [s for s in schemes(session) if s.from_year <= fy.start_year]
    return recorded[-1] if recorded else default_scheme(session, fy)


def set_scheme(
    session: Session,
    from_year: FinancialYear,
    amount: Decimal,
    *,
    indexed: bool,
    authority: str,
    base_month: str | None = None,
) -> Scheme:
    """Record a new scheme from ``from_year``: an indexed amount (uprated from the base
    month), a flat amount, or nil. Refuses a year that already has an invoice."""
    from plvgov.models.billing import Invoice

    if not authority.strip():
        raise InputError(
            'name the resolution that set the scheme with --authority (e.g. "Resolution 4")'
        )
    if amount < 0 or amount != round_pounds(amount):
        raise InputError(f"amount {amount} must be pounds and pence, £0.00 or more")
    if session.exec(
        select(SubscriptionScheme).where(SubscriptionScheme.from_year == from_year.start_year)
    ).first():
        raise RuleError(
            f"a scheme from {from_year.label} is already recorded; record the "
            "change from a later year"
        )
    issued = session.exec(
        select(Invoice).where(col(Invoice.financial_year) >= from_year.start_year)
    ).first()
    if issued is not None:
        raise RuleError(
            f"invoice {issued.number} for {FinancialYear(issued.financial_year)} is "
            "already issued; a new scheme can start only from a year not yet "
            "invoiced"
        )
    indexed = indexed and amount > 0  # nil is nil whatever the CPI: it needs no index
    current = scheme_for(session, from_year)
    series = current.series or str(settings.get(session, "cpi_series", from_year.starts_on))
    reference = current.reference_month or int(
        settings.get(session, "subscription_reference_month", from_year.starts_on)
    )
    month = (
        base_month
        or current.base_month
        or str(settings.get(session, "subscription_base_month", from_year.starts_on))
    )
    row = SubscriptionScheme(
        from_year=from_year.start_year,
        base_amount_pence=to_pence(amount),
        indexed=indexed,
        series=series if indexed else None,
        base_month=month if indexed else None,
        reference_month=reference if indexed else None,
        authority=authority.strip(),
    )
    session.add(row)
    audit.record(
        session,
        "subscription.scheme",
        f"from {from_year.label}",
        [row],
        {"amount": amount, "indexed": indexed},
    )
    return _scheme(row)


def reference_month(scheme: Scheme, fy: FinancialYear) -> str:
    """The CPI month that uprates ``fy``: September of the year before it (by default)."""
    assert scheme.reference_month is not None
    first_day = date(fy.start_year, scheme.reference_month, 1)
    if scheme.reference_month >= 4:  # a month in the FY's first calendar year lies after April
        first_day = add_months(first_day, -12)
    return month_label(first_day.year, first_day.month)


# -- the full-year amount -----------------------------------------------------------------------
@dataclass(frozen=True)
class Rate:
    """The full-year amount for an FY and its working (unrounded until the end)."""

    year: FinancialYear
    scheme: Scheme
    exact: Decimal  # base × reference ÷ base index, not rounded
    base_index: Decimal | None
    reference_month: str | None
    reference_index: Decimal | None

    @property
    def amount(self) -> Decimal:
        return round_pounds(self.exact)

    @property
    def factor(self) -> str:
        """reference ÷ base index to six places, as text (not money)."""
        if not self.scheme.indexed or self.base_index is None or self.reference_index is None:
            return "1"
        return str((self.reference_index / self.base_index).quantize(FACTOR_PLACES))


def _needed(session: Session, month: str, series: str, fy: FinancialYear, why: str) -> Decimal:
    value = index_for(session, month, series)
    if value is None:
        # The subscription is uprated by CPI: no value, no amount (PRODUCT.md).
        raise RuleError(
            f"CPI ({series}) for {month} is not loaded, and {fy.label} needs it as "
            f"the {why}; {IMPORT_HINT}"
        )
    return value


def rate(session: Session, fy: FinancialYear) -> Rate:
    """The full-year amount per member for ``fy``. Refuses an FY before the base year or one
    whose CPI months are not loaded."""
    scheme = scheme_for(session, fy)
    first = base_year(scheme)
    if fy < first:
        raise RuleError(
            f"{fy.label} is before the subscription's base year {first.label}; "
            f"no subscription is charged for it — choose {first.label} or later"
        )
    if not scheme.indexed:
        return Rate(fy, scheme, scheme.base_amount, None, None, None)
    assert scheme.base_month is not None and scheme.series is not None
    base_index = _needed(session, scheme.base_month, scheme.series, fy, "base month")
    month = reference_month(scheme, fy)
    reference_index = _needed(session, month, scheme.series, fy, "reference month")
    # PRODUCT.md: amount for FY Y = base × CPI(Sept Y−1) ÷ CPI(Sept 2022), rounded once later
    return Rate(
        fy,
        scheme,
        scheme.base_amount * reference_index / base_index,
        base_index,
        month,
        reference_index,
    )


# -- days ---------------------------------------------------------------------------------------
def active_days(member: Tenure, fy: FinancialYear, launch: date | None) -> int:
    """Days of ``fy`` the member is liable for: on the register (membership ends at the end
    of ``ceased_on``) and on or after the launch date. Unset launch: none."""
    if launch is None or member.admitted_on is None:
        return 0
    first = max(fy.starts_on, member.admitted_on, launch)
    last = fy.ends_on if member.ceased_on is None else min(fy.ends_on, member.ceased_on)
    return days_between_inclusive(first, last)


def pro_rata(exact: Decimal, days: int, days_in_year: int) -> Decimal:
    """amount × active days ÷ days in the FY, rounded once to the penny, half up."""
    return round_pounds(exact * days / days_in_year)


# -- payers -------------------------------------------------------------------------------------
class Payer(NamedTuple):
    """A member as billing reads it: whom to invoice, and the dates its liability runs between.
    Loaded column by column, so that a run over thousands of members builds no ORM objects."""

    id: int
    name: str
    council_name: str
    gss_code: str | None
    address: str | None
    admitted_on: date | None
    ceased_on: date | None


def payers(session: Session, ids: Collection[int] | None = None) -> list[Payer]:
    """Every member (or those with ``ids``) in name order, as :class:`Payer` rows."""
    m = Member.__table__.c  # type: ignore[attr-defined]
    stmt = sa_select(
        m.id, m.name, m.council_name, m.gss_code, m.address, m.admitted_on, m.ceased_on
    ).order_by(m.name)
    if ids is not None:
        stmt = stmt.where(m.id.in_(ids))
    return list(map(Payer._make, session.connection().execute(stmt).all()))


# -- quotes ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class QuoteLine:
    member_id: int
    member: str
    gss_code: str | None
    days: int
    days_in_year: int
    amount: Decimal

    def as_json(self) -> dict[str, object]:
        return {
            "member": self.member,
            "gss_code": self.gss_code,
            "days": self.days,
            "days_in_year": self.days_in_year,
            "amount": self.amount,
        }


@dataclass(frozen=True)
class Quote:
    year: FinancialYear
    rate: Rate
    launch_date: date | None
    lines: list[QuoteLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def note(self) -> str | None:
        if self.launch_date is None:
            return f"the provision has not launched, so nothing is payable yet; {LAUNCH_HINT}"
        if self.launch_date > self.year.ends_on:
            return (
                f"the provision launches on {self.launch_date.isoformat()}, after "
                f"{self.year.label}; nothing is payable for it"
            )
        return None

    def as_json(self) -> dict[str, object]:
        r = self.rate
        return {
            "year": self.year.label,
            "factor": r.factor,
            "base_month": r.scheme.base_month,
            "base_index": _s(r.base_index),
            "reference_month": r.reference_month,
            "reference_index": _s(r.reference_index),
            "base_amount": r.scheme.base_amount,
            "full_year_amount": r.amount,
            "indexed": r.scheme.indexed,
            "series": r.scheme.series,
            "authority": r.scheme.authority,
            "launch_date": self.launch_date,
            "days_in_year": self.year.days,
            "lines": [line.as_json() for line in self.lines],
            "total": self.total,
            "note": self.note,
        }


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def quote(
    session: Session,
    fy: FinancialYear,
    member: Member | None = None,
    *,
    among: Sequence[Payer] | None = None,
) -> Quote:
    """What each member owes for ``fy`` and why: one line per member with a day of liability
    in the FY (or the one member asked about, even at nil). ``among``: the members already
    loaded with :func:`payers` (default: load them)."""
    working = rate(session, fy)
    launch = settings.fact(session, "launch_date")
    candidates: Sequence[Member | Payer]
    if member is not None:
        candidates = [member]
    else:
        candidates = payers(session) if among is None else among
    # Members admitted (and ceasing) on the same days owe for the same days: most members of
    # a register share a handful of tenures, so each is worked out once.
    days_of: dict[tuple[date | None, date | None], int] = {}
    amounts: dict[int, Decimal] = {}
    lines = []
    for m in candidates:
        assert m.id is not None
        tenure = (m.admitted_on, m.ceased_on)
        if tenure not in days_of:
            days_of[tenure] = active_days(m, fy, launch)
        days = days_of[tenure]
        if days == 0 and member is None:
            continue
        if days not in amounts:
            amounts[days] = pro_rata(working.exact, days, fy.days)
        lines.append(QuoteLine(m.id, m.name, m.gss_code, days, fy.days, amounts[days]))
    return Quote(fy, working, launch, lines)


# -- for the board pack and documents -------------------------------------------------------
@dataclass(frozen=True)
class YearAmount:
    """One FY's full-year subscription per member, for the board pack's chart."""

    fy: str  # "2026/27"
    amount: Decimal | None  # None when a CPI month is missing (or the FY precedes the base)
    reference_month: str | None
    reference_index: str | None
    cpi_only: Decimal | None  # the default £20,000 uprated by CPI, whatever the scheme
    authority: str | None


def amounts_by_year(
    session: Session, first_fy: FinancialYear, last_fy: FinancialYear
) -> list[YearAmount]:
    """The full-year amount per member for every FY from ``first_fy`` to ``last_fy``."""
    result = []
    year = first_fy
    while year <= last_fy:
        scheme = scheme_for(session, year)
        month = reference_month(scheme, year) if scheme.indexed else None
        try:
            working: Rate | None = rate(session, year)
        except RuleError:
            working = None
        default = default_scheme(session, year)
        cpi_month = reference_month(default, year)
        base_index = index_for(session, default.base_month or "", default.series or "")
        ref_index = index_for(session, cpi_month, default.series or "")
        cpi_only = None
        if base_index and ref_index and year >= base_year(default):
            cpi_only = round_pounds(default.base_amount * ref_index / base_index)
        result.append(
            YearAmount(
                year.label,
                None if working is None else working.amount,
                month,
                None if working is None else _s(working.reference_index),
                cpi_only,
                scheme.authority,
            )
        )
        year = year.next()
    return result


@dataclass(frozen=True)
class SubscriptionNotice:
    """Everything the annual subscription notice to one member needs."""

    year: str  # the FY noticed, "2027/28"
    notice_by: date  # subscription_notice_day before the FY
    member: str
    council_name: str
    gss_code: str | None
    address: str | None
    full_year_amount: Decimal
    base_amount: Decimal
    indexed: bool
    series: str | None
    base_month: str | None
    base_index: str | None
    reference_month: str | None
    reference_index: str | None
    factor: str
    authority: str
    days: int
    days_in_year: int
    part_year: bool
    amount: Decimal  # what the member will be invoiced (pro rata when part_year)
    launch_date: date | None
    starts_on: date
    ends_on: date


def subscription_notice_document(
    session: Session, fy: FinancialYear | str, member: Member | str
) -> SubscriptionNotice:
    """The annual subscription notice for ``fy`` (the coming FY) to ``member``: the full-year
    amount and its working, and the member's part-year days if it will not be liable all
    year. Refuses when the CPI month is missing."""
    from plvgov.membership import members as members_mod

    year = fy if isinstance(fy, FinancialYear) else FinancialYear.parse(fy)
    m = member if isinstance(member, Member) else members_mod.find(session, member)
    working = rate(session, year)
    launch = settings.fact(session, "launch_date")
    days = active_days(m, year, launch)
    if m.admitted_on is None:
        raise NotFound(f"{m.name} is not a member; a subscription notice goes to members")
    day = settings.get(session, "subscription_notice_day", year.starts_on)
    month, dom = (int(x) for x in str(day).split("-"))
    notice_by = date(year.start_year - 1 if month >= 4 else year.start_year, month, dom)
    return SubscriptionNotice(
        year.label,
        notice_by,
        m.name,
        m.council_name,
        m.gss_code,
        m.address,
        working.amount,
        working.scheme.base_amount,
        working.scheme.indexed,
        working.scheme.series,
        working.scheme.base_month,
        _s(working.base_index),
        working.reference_month,
        _s(working.reference_index),
        working.factor,
        working.scheme.authority,
        days,
        year.days,
        days < year.days,
        pro_rata(working.exact, days, year.days),
        launch,
        year.starts_on,
        year.ends_on,
    )


def describe(working: Rate) -> str:
    """One line of working: "£20,000.00 × 139.3 (CPI 2025-09) ÷ 123.8 (CPI 2022-09)"."""
    s = working.scheme
    if not s.indexed:
        return f"{format_gbp(s.base_amount)} flat ({s.authority})"
    return (
        f"{format_gbp(s.base_amount)} × {working.reference_index} "
        f"(CPI {working.reference_month}) ÷ {working.base_index} (CPI {s.base_month}) "
        f"= {format_gbp(working.amount)} ({s.authority})"
    )
