"""The board pack's section on the home's finances: the scenario model of the year (Bromley
report §4.7-4.11), the break-even chart with its text alternative, the weekly fees, and the
latest outturn with each member's share. Built from :mod:`plvgov.finance`; the pack includes
it as one self-contained section (``board_pack/_home.html`` and ``.md``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from markupsafe import Markup
from sqlmodel import Session

from plvgov.dates import FinancialYear, uk_date
from plvgov.errors import RuleError
from plvgov.finance import model as home_model
from plvgov.finance import outturn as outturns
from plvgov.finance.model import month_words, percent_text
from plvgov.money import format_gbp
from plvgov.values import dataclass


@dataclass(frozen=True)
class ScenarioRow:
    occupancy: str  # "85%"
    surpluses: list[Decimal]  # one per charge; negative: a deficit


@dataclass(frozen=True)
class ProfileLine:
    charge: Decimal
    surpluses: list[Decimal]  # one per year of the profile
    total: Decimal


@dataclass(frozen=True)
class BreakEvenRow:
    occupancy: str
    charge: Decimal


@dataclass(frozen=True)
class ShareRow:
    member: str
    gss_code: str
    days: int
    share: Decimal  # the amount borne or offset, shown unsigned


@dataclass(frozen=True)
class OutturnSummary:
    year: str
    kind: str  # "surplus" or "deficit"
    amount: Decimal
    sentence: str  # how it was recorded, shared and where it goes
    shares: list[ShareRow]


@dataclass(frozen=True)
class HomeFinance:
    year: str
    unavailable: str | None  # why the model cannot be worked (a CPI month not loaded)
    working: str  # the cost, worked in words
    charges: list[Decimal]
    scenarios: list[ScenarioRow]
    profile_label: str  # "50% → 85% → 85%"
    profile_years: list[str]  # "Year 1 (50%)"
    profile: list[ProfileLine]
    breakeven: list[BreakEvenRow]
    fees: str  # members' and non-members' weekly fees in a sentence
    # inline SVG (HTML only) with its text alternative in <title>, aria-label and <desc>
    chart_svg: Markup | None
    chart_description: str
    outturn: OutturnSummary | None  # the latest recorded by the pack's date


def _outturn(session: Session, at: date) -> OutturnSummary | None:
    latest = [o for o in outturns.years(session) if o.recorded_on <= at]
    if not latest:
        return None
    o = latest[-1]
    basis = (
        f"pro rata to days of membership in its {o.year_days} days"
        if o.basis == "days"
        else "in equal shares"
    )
    where = (
        "It stays in the company, which distributes no profit; the shares say whose risk it offset."
        if o.kind == outturns.SURPLUS
        else "The members resolved to meet it."
    )
    return OutturnSummary(
        o.year.label,
        o.kind,
        abs(o.result),
        f"Recorded on {uk_date(o.recorded_on)} under {o.authority}; shared {basis}. {where}",
        [ShareRow(s.member, s.gss_code or "—", s.days, abs(s.share)) for s in o.shares],
    )


def build(session: Session, at: date) -> HomeFinance:
    """The section as at ``at``: the model of the financial year containing it."""
    fy = FinancialYear.containing(at)
    latest = _outturn(session, at)
    try:
        m = home_model.build(session, fy)
    except RuleError as exc:
        return HomeFinance(fy.label, str(exc), "", [], [], "", [], [], [], "", None, "", latest)
    from plvgov.documents.charts import breakeven_chart, breakeven_description

    points = [(b.occupancy, b.charge) for b in m.breakeven]
    charges = m.charges
    working = (
        f"{m.places} places, {m.weeks} weeks a year. Cost a year {format_gbp(m.cost)}: the "
        f"operating cost of {format_gbp(m.base_cost)} at {month_words(m.base_month)} prices, "
        f"uprated by CPI ({m.base_index} to {m.reference_index}, "
        f"{month_words(m.reference_month)}) to "
        f"{format_gbp(m.operating_cost)}, plus a {percent_text(m.margin)} provider margin, "
        f"transport {format_gbp(m.transport)} and the PLV's running cost {format_gbp(m.running)}."
    )
    f = m.fees
    return HomeFinance(
        year=fy.label,
        unavailable=None,
        working=working,
        charges=charges,
        scenarios=[
            ScenarioRow(percent_text(o), [m.cell(o, c).surplus for c in charges])
            for o in m.occupancies
        ],
        profile_label=" → ".join(percent_text(o) for o in m.profile),
        profile_years=[f"Year {n} ({percent_text(o)})" for n, o in enumerate(m.profile, 1)],
        profile=[
            ProfileLine(r.charge, [y.surplus for y in r.years], r.surplus) for r in m.profile_rows
        ],
        breakeven=[BreakEvenRow(percent_text(o), c) for o, c in points],
        fees=(
            f"A member's placement is charged at cost: {format_gbp(f.member)} a week (cost at "
            f"{percent_text(f.occupancy)} occupancy). A non-member pays "
            f"{format_gbp(f.non_member)} a week, {percent_text(f.void_margin)} more to cover "
            "voids (Bromley report §4.11)."
        ),
        chart_svg=Markup(breakeven_chart(points, charges)),
        chart_description=breakeven_description(points, charges),
        outturn=latest,
    )
