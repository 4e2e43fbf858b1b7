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

:class:`Working` is that sum as every paper shows it (a quote, the subscription notice, an
invoice, which freezes it at issue). :func:`missing_months` lives here, not in ``cpi``, because
which months are needed is a question about schemes: ``cpi`` only stores and reads the series.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from plvgov import audit, settings, words
from plvgov.billing.cpi import IMPORT_HINT, SERIES, index_for, month_label
from plvgov.dates import FinancialYear, add_months, days_between_inclusive, uk_date
from plvgov.errors import InputError, RuleError
from plvgov.models.billing import Invoice, SubscriptionScheme
from plvgov.models.members import Member
from plvgov.money import format_gbp, from_pence, round_pounds, to_pence
from plvgov.values import dataclass

if TYPE_CHECKING:
    from plvgov.membership.members import Tenure

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


def scheme_history(session: Session, on: date) -> list[Scheme]:
    """Every scheme, for ``subscription scheme list``: the default (from the settings, as in
    force in its own base year, judged by the settings on ``on``), then each recorded change
    in order of the FY it starts from."""
    current = default_scheme(session, FinancialYear.containing(on))
    assert current.base_month is not None and current.reference_month is not None
    first = default_scheme(session, base_year_of(current.base_month, current.reference_month))
    return [first, *schemes(session)]


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
@dataclass(frozen=True, kw_only=True)
class Working:
    """How the full-year subscription per member is worked out, as a quote, the subscription
    notice and an invoice show it (an invoice freezes it at issue, column for column): the
    scheme's base amount × reference CPI ÷ base CPI, rounded once to the penny; or a flat
    amount, not indexed. The papers that print it extend it with their own facts."""

    full_year_amount: Decimal  # per member for the whole FY, rounded once
    indexed: bool  # False: a flat amount (or nil), no CPI
    series: str | None  # the CPI series, "D7BT" (None when not indexed)
    base_month: str | None  # "2022-09": the month whose index gives factor 1
    base_index: str | None  # index values as ONS publishes them, "123.8" (not money)
    reference_month: str | None  # "2025-09": the month that uprates this FY
    reference_index: str | None
    factor: str  # reference ÷ base index to six places, "1.125202"; "1" when not indexed
    authority: str  # the resolution that set the scheme; "default" for the settings' scheme

    @property
    def authority_words(self) -> str:
        """The authority as a reader understands it ("default": the standard terms)."""
        return words.authority(self.authority)

    def working_fields(self) -> dict[str, Any]:
        """This working's own fields, for a paper that extends it."""
        return {name: getattr(self, name) for name in Working.__dataclass_fields__}


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

    @property
    def working(self) -> Working:
        s = self.scheme
        return Working(
            full_year_amount=self.amount,
            indexed=s.indexed,
            series=s.series,
            base_month=s.base_month,
            base_index=_s(self.base_index),
            reference_month=self.reference_month,
            reference_index=_s(self.reference_index),
            factor=self.factor,
            authority=s.authority,
        )


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


def part_year_reasons(member: Tenure, fy: FinancialYear, launch: date | None) -> list[str]:
    """Why ``member`` is liable for fewer than all of ``fy``'s days, naming each real cause:
    the launch (nothing is payable before it), its admission, its cessation. Empty for a
    whole year."""
    if launch is None:
        return [
            "nothing is payable until the provision launches, and no launch date is recorded yet"
        ]
    if member.admitted_on is None:
        return ["it is not a member"]
    after = ", after the year ends"
    if launch > fy.ends_on:
        return [f"nothing is payable before the launch on {uk_date(launch)}{after}"]
    if member.admitted_on > fy.ends_on:
        return [f"it is a member from its admission on {uk_date(member.admitted_on)}{after}"]
    reasons = []
    first = max(fy.starts_on, launch, member.admitted_on)
    if first > fy.starts_on:
        if member.admitted_on == first and member.admitted_on >= launch:
            reasons.append(f"it is a member from its admission on {uk_date(member.admitted_on)}")
        else:
            reasons.append(f"nothing is payable before the launch on {uk_date(launch)}")
    ceased = member.ceased_on
    if ceased is not None and ceased < fy.starts_on:
        return [f"its membership ended on {uk_date(ceased)}, before the year began"]
    if ceased is not None and ceased < first:  # only the launch comes after the start
        return [f"its membership ends on {uk_date(ceased)}, before the launch on {uk_date(launch)}"]
    if ceased is not None and ceased < fy.ends_on:
        reasons.append(f"its membership ends on {uk_date(ceased)}")
    return reasons


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
class QuoteLine(NamedTuple):
    """What one member owes for a year. A tuple, not a dataclass: a quote has a line a member
    and a run over thousands of members builds each in a fraction of the time."""

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
    """A year's subscription quote: the rate, the launch date it counts from, and a line per
    member."""

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
        w = self.rate.working
        return {
            "year": self.year.label,
            "factor": w.factor,
            "base_month": w.base_month,
            "base_index": w.base_index,
            "reference_month": w.reference_month,
            "reference_index": w.reference_index,
            "base_amount": self.rate.scheme.base_amount,
            "full_year_amount": w.full_year_amount,
            "indexed": w.indexed,
            "series": w.series,
            "authority": w.authority,
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


def describe(rated: Rate) -> str:
    """One line of working: "£20,000.00 × 139.3 (CPI 2025-09) ÷ 123.8 (CPI 2022-09)"."""
    base, w = rated.scheme.base_amount, rated.working
    if not w.indexed:
        return f"{format_gbp(base)} flat ({w.authority})"
    return (
        f"{format_gbp(base)} × {w.reference_index} "
        f"(CPI {w.reference_month}) ÷ {w.base_index} (CPI {w.base_month}) "
        f"= {format_gbp(w.full_year_amount)} ({w.authority})"
    )


# -- for ``plvgov check`` ---------------------------------------------------------------------
def missing_months(session: Session, on: date) -> list[str]:
    """CPI months the next invoice runs need (the FY containing ``on`` and the next FY) that
    are not loaded — for ``plvgov check``."""
    wanted: list[str] = []
    fy = FinancialYear.containing(on)
    for year in (fy, fy.next()):
        scheme = scheme_for(session, year)
        if not scheme.indexed or year < base_year(scheme):
            continue
        for month in (scheme.base_month, reference_month(scheme, year)):
            assert month is not None
            if month not in wanted and index_for(session, month, scheme.series or SERIES) is None:
                wanted.append(month)
    return wanted
