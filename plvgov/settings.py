"""Settings: every number the rules use, each effective from a date and citing its authority.

Two kinds. *Rule parameters* (notice months, lapse days, quorum, due days, VAT…) are
date-effective: each value holds from ``effective_from`` until a later one replaces it, and a rule
reads the value in force on the date it judges. *Company facts* (name, number, registered
office, launch date…) have one value at a time that holds for every date; each change is audited.

A key with no stored value has its default, in force from the beginning with authority
"default". Domain modules read settings through :func:`get` only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlmodel import Session, col, select

from plvgov import audit
from plvgov.errors import InputError, RuleError
from plvgov.models.settings import SettingValue


# -- value kinds ---------------------------------------------------------------------------
def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError("a whole number") from None


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace("£", "").replace(",", "").rstrip("%"))
    except InvalidOperation:
        raise ValueError("a number, e.g. 20000.00") from None
    if not value.is_finite():
        raise ValueError("a number, e.g. 20000.00")
    return value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("a date, YYYY-MM-DD") from None


def _optional_date(text: str) -> date | None:
    if text.strip().lower() in ("", "none", "unset", "-"):
        return None
    return _date(text)


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    raise ValueError("true or false")


def _text(text: str) -> str:
    return text.strip()


def _date_list(text: str) -> list[date]:
    parts = [p for p in text.replace(";", ",").split(",") if p.strip()]
    try:
        return sorted({date.fromisoformat(p.strip()) for p in parts})
    except ValueError:
        raise ValueError("comma-separated dates, YYYY-MM-DD,YYYY-MM-DD") from None


def _month_day(text: str) -> str:
    try:
        month, day = (int(x) for x in text.strip().split("-"))
        date(2000, month, day)  # 2000 is a leap year: 02-29 is allowed
    except ValueError:
        raise ValueError("a month and day, MM-DD, e.g. 03-31") from None
    return f"{month:02d}-{day:02d}"


_ENCODE: dict[str, Callable[[Any], Any]] = {
    "date": lambda v: v.isoformat(),
    "optional_date": lambda v: None if v is None else v.isoformat(),
    "decimal": str,
    "date_list": lambda v: [d.isoformat() for d in v],
}
_DECODE: dict[str, Callable[[Any], Any]] = {
    "date": date.fromisoformat,
    "optional_date": lambda v: None if v is None else date.fromisoformat(v),
    "decimal": Decimal,
    "date_list": lambda v: [date.fromisoformat(d) for d in v],
}
_PARSE: dict[str, Callable[[str], Any]] = {
    "int": _int,
    "decimal": _decimal,
    "date": _date,
    "optional_date": _optional_date,
    "bool": _bool,
    "text": _text,
    "date_list": _date_list,
    "month_day": _month_day,
}


@dataclass(frozen=True)
class Setting:
    key: str
    kind: str  # a key of _PARSE
    default: Any
    description: str
    fact: bool = False  # a company fact: one value at a time, no --from
    minimum: Any = None
    maximum: Any = None

    def parse(self, raw: str) -> Any:
        try:
            value = _PARSE[self.kind](raw)
        except ValueError as exc:
            raise InputError(f"{self.key} takes {exc}, not {raw!r}") from None
        if self.minimum is not None and value is not None and value < self.minimum:
            raise InputError(f"{self.key} must be at least {self.minimum}, not {raw}")
        if self.maximum is not None and value is not None and value > self.maximum:
            raise InputError(f"{self.key} must be at most {self.maximum}, not {raw}")
        return value

    def encode(self, value: Any) -> str:
        return json.dumps(_ENCODE.get(self.kind, lambda v: v)(value))

    def decode(self, stored: str) -> Any:
        return _DECODE.get(self.kind, lambda v: v)(json.loads(stored))

    def display(self, value: Any) -> Any:
        """The JSON-ready form shown by ``settings show``."""
        return _ENCODE.get(self.kind, lambda v: v)(value)


_D = Decimal
DEFINITIONS: tuple[Setting, ...] = (
    # -- company facts -------------------------------------------------------------------
    Setting(
        "company_name",
        "text",
        "Pan-London Vehicle Limited",
        "the company's registered name",
        fact=True,
    ),
    Setting("company_number", "text", "", "the Companies House number", fact=True),
    Setting("registered_office", "text", "", "the registered office address", fact=True),
    Setting(
        "incorporation_date",
        "optional_date",
        None,
        "date of incorporation (confirmation statement, s.853A)",
        fact=True,
    ),
    Setting(
        "accounting_reference_date",
        "month_day",
        "03-31",
        "accounting reference date, MM-DD (accounts deadline, s.442)",
        fact=True,
    ),
    Setting("host_council", "text", "", "the council that hosts the PLV", fact=True),
    Setting(
        "launch_date",
        "optional_date",
        None,
        "the day the provision launched; nothing is payable for a day before it",
        fact=True,
    ),
    Setting(
        "ledger_kind", "text", "live", "'live', or 'demonstration' for a demo ledger", fact=True
    ),
    Setting(
        "confirmation_date",
        "optional_date",
        None,
        "confirmation date of the latest confirmation statement filed; the next review "
        "period runs from the day after it (CA 2006 s.853A)",
        fact=True,
    ),
    Setting(
        "accounts_made_up_to",
        "optional_date",
        None,
        "the accounting reference date of the latest accounts filed (CA 2006 s.441)",
        fact=True,
    ),
    # -- membership and commitment -------------------------------------------------------
    Setting("term_start", "date", date(2023, 4, 1), "first day of the initial commitment period"),
    Setting(
        "initial_term_years",
        "int",
        5,
        "length of the initial commitment period, years",
        minimum=1,
        maximum=50,
    ),
    Setting(
        "initial_break_years",
        "int",
        3,
        "break point this many years into the initial period",
        minimum=1,
        maximum=50,
    ),
    Setting(
        "renewal_term_years",
        "int",
        10,
        "length of each renewal cycle, years",
        minimum=1,
        maximum=50,
    ),
    Setting(
        "renewal_break_years",
        "int",
        5,
        "break point this many years into each renewal cycle",
        minimum=1,
        maximum=50,
    ),
    Setting(
        "withdrawal_notice_months",
        "int",
        6,
        "notice of withdrawal must be received this many months before the exit point",
        minimum=0,
        maximum=60,
    ),
    Setting(
        "guarantee_amount",
        "decimal",
        _D("1.00"),
        "each member's guarantee on a winding up, £ (IA 1986 s.74(3))",
        minimum=_D("0"),
    ),
    Setting(
        "guarantee_tail_years",
        "int",
        1,
        "years after ceasing that a past member stays liable (IA 1986 s.74(2)(a))",
        minimum=0,
        maximum=10,
    ),
    Setting(
        "opt_in_target",
        "int",
        17,
        "councils the DfE gateway needs to opt in (unconfirmed: the seeds give no number)",
        minimum=1,
    ),
    Setting(
        "notice_deadline_warning_days",
        "int",
        60,
        "`check` warns this many days before a withdrawal-notice deadline",
        minimum=0,
    ),
    Setting(
        "filing_warning_days",
        "int",
        30,
        "`check` warns this many days before a confirmation statement or accounts are due",
        minimum=0,
        maximum=365,
    ),
    Setting(
        "former_member_retention_years",
        "int",
        10,
        "keep a former member's register entry this many years after it ceased "
        "(CA 2006 s.121 [U]: unconfirmed)",
        minimum=0,
        maximum=100,
    ),
    # -- subscriptions and invoices ------------------------------------------------------
    Setting("invoice_prefix", "text", "PLV", "invoice numbers read PREFIX-YYYY-NNNN"),
    Setting("credit_note_prefix", "text", "CN", "credit note numbers read PREFIX-YYYY-NNNN"),
    Setting(
        "invoice_due_days",
        "int",
        30,
        "an invoice is due this many days after issue",
        minimum=0,
        maximum=365,
    ),
    Setting(
        "vat_rate",
        "decimal",
        _D("0"),
        "VAT rate in percent; 0 with vat_treatment 'outside the scope of VAT'",
        minimum=_D("0"),
        maximum=_D("100"),
    ),
    Setting(
        "vat_treatment", "text", "outside the scope of VAT", "the VAT statement printed on invoices"
    ),
    Setting(
        "subscription_notice_day",
        "month_day",
        "10-31",
        "each year's subscription notice goes out by this day (after September's CPI)",
    ),
    Setting(
        "subscription_base_amount",
        "decimal",
        _D("20000.00"),
        "the default scheme's subscription per member per full FY, base year 2023/24 "
        "(seeds: £20,000 subject to inflation adjustment)",
        minimum=_D("0"),
    ),
    Setting(
        "cpi_series", "text", "D7BT", "the default scheme's index: ONS D7BT, CPI all items 2015=100"
    ),
    Setting(
        "subscription_base_month",
        "text",
        "2022-09",
        "the default scheme's base CPI month (YYYY-MM): FY 2023/24 is the base year",
    ),
    Setting(
        "subscription_reference_month",
        "int",
        9,
        "the CPI month (1-12) of the year before the FY that uprates it (9: September, "
        "as UK public-sector uprating uses [U])",
        minimum=1,
        maximum=12,
    ),
    # -- members' decisions (CA 2006) ----------------------------------------------------
    Setting(
        "written_resolution_lapse_days",
        "int",
        28,
        "a written resolution lapses at the end of this many days beginning with the "
        "circulation date (CA 2006 s.297(1); the articles may set another period)",
        minimum=1,
        maximum=365,
    ),
    Setting(
        "general_meeting_notice_days",
        "int",
        14,
        "clear days' notice of a general meeting (CA 2006 s.307(1), s.360)",
        minimum=14,
        maximum=365,
    ),
    Setting(
        "deemed_service_hours",
        "int",
        48,
        "post and email are deemed received this many working hours after sending "
        "(CA 2006 s.1147(2)-(3); the articles may shorten it, s.1147(6) [U])",
        minimum=0,
        maximum=240,
    ),
    Setting(
        "short_notice_consent_percent",
        "int",
        90,
        "short notice needs consents holding this % of voting rights (CA 2006 s.307(6): "
        "90, raised by the articles to at most 95)",
        minimum=90,
        maximum=95,
    ),
    Setting(
        "general_meeting_quorum",
        "int",
        2,
        "qualifying persons for a quorum at a general meeting (CA 2006 s.318(2))",
        minimum=1,
        maximum=100,
    ),
    Setting(
        "poll_demand_min_persons",
        "int",
        2,
        "persons with a vote who may demand a poll (Model Articles art 30 [U]); CA 2006 "
        "s.321 caps it at 5 members or 10% of voting rights",
        minimum=1,
        maximum=5,
    ),
    Setting(
        "extra_non_working_days",
        "date_list",
        [],
        "one-off non-working days the holidays package does not know yet (CA 2006 s.1173)",
    ),
    Setting(
        "special_resolution_filing_days",
        "int",
        15,
        "a special resolution goes to the registrar within this many days (CA 2006 s.30)",
        minimum=1,
        maximum=365,
    ),
    Setting(
        "articles_filing_days",
        "int",
        15,
        "amended articles go to the registrar within this many days (CA 2006 s.26)",
        minimum=1,
        maximum=365,
    ),
    # -- board ---------------------------------------------------------------------------
    Setting(
        "board_quorum",
        "int",
        2,
        "directors needed for a quorum (Model Articles art 11: never less than two)",
        minimum=2,
        maximum=100,
    ),
    Setting(
        "board_chair_casting_vote",
        "bool",
        True,
        "the chair of a board meeting has a casting vote on a tie (Model Articles art 13 [U])",
    ),
)
BY_KEY: dict[str, Setting] = {s.key: s for s in DEFINITIONS}


def definition(key: str) -> Setting:
    try:
        return BY_KEY[key]
    except KeyError:
        from plvgov.errors import nearest

        hint = nearest(key, BY_KEY)
        did_you_mean = f"did you mean {', '.join(hint)}? " if hint else ""
        raise InputError(
            f"unknown setting {key!r}; {did_you_mean}valid keys: {', '.join(sorted(BY_KEY))}"
        ) from None


@dataclass(frozen=True)
class InForce:
    key: str
    value: Any
    effective_from: date | None
    authority: str
    fact: bool


def _current_row(session: Session, key: str, on: date | None) -> SettingValue | None:
    stmt = select(SettingValue).where(SettingValue.key == key)
    if on is not None:
        stmt = stmt.where(
            (col(SettingValue.effective_from).is_(None)) | (col(SettingValue.effective_from) <= on)
        )
    rows = list(session.exec(stmt))
    if not rows:
        return None
    return max(rows, key=lambda r: (r.effective_from or date.min, r.id or 0))


def in_force(session: Session, key: str, on: date) -> InForce:
    spec = definition(key)
    row = _current_row(session, key, None if spec.fact else on)
    if row is None:
        return InForce(key, spec.default, None, "default", spec.fact)
    return InForce(key, spec.decode(row.value), row.effective_from, row.authority, spec.fact)


def get(session: Session, key: str, on: date) -> Any:
    """The value of ``key`` in force on ``on`` (company facts ignore the date)."""
    return in_force(session, key, on).value


def fact(session: Session, key: str) -> Any:
    """A company fact's current value."""
    spec = definition(key)
    if not spec.fact:
        raise ValueError(f"{key} is a rule parameter; use settings.get with a date")
    return in_force(session, key, date.max).value


def all_in_force(session: Session, on: date) -> list[InForce]:
    return [in_force(session, s.key, on) for s in DEFINITIONS]


def set_value(
    session: Session,
    key: str,
    raw: str,
    *,
    effective_from: date | None,
    authority: str | None,
    today: date,
) -> InForce:
    """Record a new value. Rule parameters take effect from ``effective_from`` (default today);
    company facts refuse a date because they hold for every date."""
    spec = definition(key)
    value = spec.parse(raw)
    if spec.fact and effective_from is not None:
        raise InputError(
            f"{key} is a company fact with one value at a time; drop --from "
            "(the change is audited with today's date)"
        )
    start = None if spec.fact else (effective_from or today)
    encoded = spec.encode(value)
    same = session.exec(
        select(SettingValue).where(
            SettingValue.key == key,
            SettingValue.value == encoded,
            SettingValue.effective_from == start
            if start is not None
            else col(SettingValue.effective_from).is_(None),
        )
    ).first()
    if same is not None and _current_row(session, key, start) is same:
        when = "now" if start is None else f"from {start}"
        raise RuleError(f"{key} is already {spec.display(value)} {when}; nothing to change")
    row = SettingValue(
        key=key,
        value=encoded,
        effective_from=start,
        authority=(authority or "secretary").strip() or "secretary",
    )
    session.add(row)
    audit.record(
        session, "settings.set", key, [row], {"value": spec.display(value), "effective_from": start}
    )
    return InForce(key, value, start, row.authority, spec.fact)


def stage_fact(
    session: Session, key: str, value: Any, authority: str = "secretary"
) -> SettingValue:
    """Add a company fact's new value to the session without an audit event: for commands
    (``init``, ``demo``) that record one event for everything they do."""
    spec = definition(key)
    if not spec.fact:
        raise RuleError(f"{key} is not a company fact")
    row = SettingValue(key=key, value=spec.encode(value), effective_from=None, authority=authority)
    session.add(row)
    return row
