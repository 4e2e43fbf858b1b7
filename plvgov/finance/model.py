"""The secure children's home's financial model (Bromley report §4.5-4.11), from the settings.

For occupancy ``o`` and weekly charge ``c``::

    income  = places × o × c × weeks
    cost    = operating cost uprated by CPI × (1 + provider margin) + transport + running cost
    surplus = income − cost
    break-even charge at o = cost ÷ (places × o × weeks)

The operating cost is stated at one month's prices (``model_cost_base_month``: £7.5 million at
2019 prices) and uprated by the CPI series to the financial year's reference month (September
before it, as the subscription). Every figure is worked exactly and rounded once, to the penny,
half up; the opening profile's totals add its years' figures. Every number is the setting in
force on the first day of the year, so the model of a past year stays what it was.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from plvgov import settings
from plvgov.billing.cpi import IMPORT_HINT, index_for, month_label
from plvgov.dates import FinancialYear, add_months
from plvgov.errors import RuleError
from plvgov.money import round_pounds
from plvgov.settings_catalogue import definition
from plvgov.values import dataclass

#: The break-even graph's occupancies: 60% to 100% in steps of 5 (Bromley report §4.9: "from
#: 100% down to 60%").
BREAKEVEN_OCCUPANCIES: tuple[Decimal, ...] = tuple(Decimal(p) / 100 for p in range(60, 101, 5))
_HUNDRED = Decimal(100)
#: The settings the model reads, in the order the working shows them.
KEYS = (
    "model_places",
    "model_weeks",
    "model_operating_cost",
    "model_cost_base_month",
    "model_reference_month",
    "cpi_series",
    "model_provider_margin",
    "model_transport_cost",
    "model_running_cost",
    "model_occupancies",
    "model_charges",
    "model_profile",
    "model_fee_occupancy",
    "model_void_margin",
)


def occupancy_text(fraction: Decimal) -> str:
    """An occupancy as a decimal string: ``"0.85"``, ``"1.00"``, ``"0.875"``."""
    two = fraction.quantize(Decimal("0.01"))
    return f"{two:.2f}" if two == fraction else format(fraction.normalize(), "f")


def month_words(month: str) -> str:
    """``"2019-09"`` as ``"September 2019"``."""
    return date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


def percent_text(fraction: Decimal) -> str:
    """``85%``, ``87.5%``."""
    return f"{(fraction * _HUNDRED).normalize():f}%"


@dataclass(frozen=True)
class Cell:
    """One occupancy and weekly charge: the year's income and surplus (negative: a deficit)."""

    occupancy: Decimal  # a fraction, 0.85
    charge: Decimal
    income: Decimal
    surplus: Decimal

    def as_json(self) -> dict[str, object]:
        return {
            "occupancy": occupancy_text(self.occupancy),
            "charge": self.charge,
            "income": self.income,
            "surplus": self.surplus,
        }


@dataclass(frozen=True)
class BreakEven:
    occupancy: Decimal
    charge: Decimal  # the weekly charge at which income meets cost

    def as_json(self) -> dict[str, object]:
        return {"occupancy": occupancy_text(self.occupancy), "charge": self.charge}


@dataclass(frozen=True)
class ProfileRow:
    """One weekly charge over the opening years: each year's cell and the total."""

    charge: Decimal
    years: tuple[Cell, ...]
    income: Decimal
    surplus: Decimal

    def as_json(self) -> dict[str, object]:
        return {
            "charge": self.charge,
            "years": [dict(c.as_json(), year=n) for n, c in enumerate(self.years, 1)],
            "income": self.income,
            "surplus": self.surplus,
        }


@dataclass(frozen=True)
class Fees:
    """The weekly placement fee for a member (at cost, at ``occupancy``) and for a non-member
    (that plus the void margin) — Bromley report §4.11."""

    occupancy: Decimal
    void_margin: Decimal  # a fraction, 0.15
    member: Decimal
    non_member: Decimal

    def as_json(self) -> dict[str, object]:
        return {
            "occupancy": occupancy_text(self.occupancy),
            "void_margin": occupancy_text(self.void_margin),
            "member": self.member,
            "non_member": self.non_member,
        }


@dataclass(frozen=True)
class Source:
    """A setting the model read: its value, from when, and who set it ("default": the
    catalogue's default, whose description cites the report)."""

    key: str
    value: Any
    effective_from: date | None
    authority: str


@dataclass(frozen=True)
class Model:
    year: FinancialYear
    places: int
    weeks: int
    base_cost: Decimal  # the operating cost at base-month prices
    base_month: str
    base_index: Decimal
    reference_month: str
    reference_index: Decimal
    operating_cost: Decimal  # uprated, rounded
    margin: Decimal  # a fraction
    transport: Decimal
    running: Decimal
    cost: Decimal
    cells: tuple[Cell, ...]
    breakeven: tuple[BreakEven, ...]
    profile: tuple[Decimal, ...]
    profile_rows: tuple[ProfileRow, ...]
    fees: Fees
    sources: tuple[Source, ...]

    @property
    def occupancies(self) -> list[Decimal]:
        return list(dict.fromkeys(c.occupancy for c in self.cells))

    @property
    def charges(self) -> list[Decimal]:
        return list(dict.fromkeys(c.charge for c in self.cells))

    def cell(self, occupancy: Decimal, charge: Decimal) -> Cell:
        return next(c for c in self.cells if c.occupancy == occupancy and c.charge == charge)

    @property
    def factor(self) -> str:
        """reference ÷ base index to six places, as text (not money)."""
        return str((self.reference_index / self.base_index).quantize(Decimal("0.000001")))

    def as_json(self) -> dict[str, object]:
        return {
            "year": self.year.label,
            "places": self.places,
            "weeks": self.weeks,
            "cost": self.cost,
            "cells": [c.as_json() for c in self.cells],
            "breakeven": [b.as_json() for b in self.breakeven],
            "profile": {
                "occupancies": [occupancy_text(o) for o in self.profile],
                "rows": [r.as_json() for r in self.profile_rows],
            },
            "fees": self.fees.as_json(),
            "working": {
                "base_cost": self.base_cost,
                "base_month": self.base_month,
                "base_index": str(self.base_index),
                "reference_month": self.reference_month,
                "reference_index": str(self.reference_index),
                "factor": self.factor,
                "operating_cost": self.operating_cost,
                "provider_margin": occupancy_text(self.margin),
                "transport": self.transport,
                "running_cost": self.running,
            },
            "settings": [
                {
                    "key": s.key,
                    "value": definition(s.key).display(s.value),
                    "from": s.effective_from,
                    "authority": s.authority,
                }
                for s in self.sources
            ],
        }


def reference_month(fy: FinancialYear, month: int) -> str:
    """The CPI month that uprates ``fy``: ``month`` of the year before it (September by
    default); a month from April on lies in the calendar year before the FY's start."""
    first = date(fy.start_year, month, 1)
    if month >= 4:
        first = add_months(first, -12)
    return month_label(first.year, first.month)


def _index(session: Session, month: str, series: str, fy: FinancialYear, why: str) -> Decimal:
    value = index_for(session, month, series)
    if value is None:
        raise RuleError(
            f"CPI ({series}) for {month} is not loaded, and the {fy.label} model needs it as "
            f"the {why}; {IMPORT_HINT}"
        )
    return value


def build(session: Session, fy: FinancialYear) -> Model:
    """The model of ``fy`` from the settings in force on its first day. Refuses when a CPI
    month it needs is not loaded."""
    on = fy.starts_on
    found = {key: settings.in_force(session, key, on) for key in KEYS}
    value = {key: f.value for key, f in found.items()}
    places: int = value["model_places"]
    weeks: int = value["model_weeks"]
    series: str = value["cpi_series"]
    base_month: str = value["model_cost_base_month"]
    ref_month = reference_month(fy, value["model_reference_month"])
    base_index = _index(session, base_month, series, fy, "operating cost's price month")
    ref_index = _index(session, ref_month, series, fy, "reference month")
    margin = value["model_provider_margin"] / _HUNDRED
    base_cost: Decimal = value["model_operating_cost"]
    operating = base_cost * ref_index / base_index
    cost = operating * (1 + margin) + value["model_transport_cost"] + value["model_running_cost"]

    def cell(occupancy: Decimal, charge: Decimal) -> tuple[Decimal, Decimal]:
        income = places * occupancy * charge * weeks
        return income, income - cost

    def breakeven(occupancy: Decimal) -> Decimal:
        return cost / (places * occupancy * weeks)

    occupancies = [p / _HUNDRED for p in value["model_occupancies"]]
    charges: list[Decimal] = value["model_charges"]
    cells = tuple(
        Cell(o, c, round_pounds(income), round_pounds(surplus))
        for o in occupancies
        for c in charges
        for income, surplus in [cell(o, c)]
    )
    profile = tuple(p / _HUNDRED for p in value["model_profile"])
    rows = []
    for c in charges:
        # each year's figures are rounded once; the totals add them, so the table adds up
        years = tuple(
            Cell(o, c, round_pounds(i), round_pounds(s)) for o in profile for i, s in [cell(o, c)]
        )
        rows.append(
            ProfileRow(
                c,
                years,
                sum((y.income for y in years), Decimal(0)),
                sum((y.surplus for y in years), Decimal(0)),
            )
        )
    fee_occupancy = value["model_fee_occupancy"] / _HUNDRED
    void = value["model_void_margin"] / _HUNDRED
    member_fee = breakeven(fee_occupancy)
    return Model(
        year=fy,
        places=places,
        weeks=weeks,
        base_cost=base_cost,
        base_month=base_month,
        base_index=base_index,
        reference_month=ref_month,
        reference_index=ref_index,
        operating_cost=round_pounds(operating),
        margin=margin,
        transport=value["model_transport_cost"],
        running=value["model_running_cost"],
        cost=round_pounds(cost),
        cells=cells,
        breakeven=tuple(BreakEven(o, round_pounds(breakeven(o))) for o in BREAKEVEN_OCCUPANCIES),
        profile=profile,
        profile_rows=tuple(rows),
        fees=Fees(
            fee_occupancy, void, round_pounds(member_fee), round_pounds(member_fee * (1 + void))
        ),
        sources=tuple(Source(k, f.value, f.effective_from, f.authority) for k, f in found.items()),
    )
