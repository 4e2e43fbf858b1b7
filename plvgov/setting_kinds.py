"""How a setting's text is read, kind by kind (``int``, ``money``, ``month``, ``sort_code``…).

Each reader takes the text a secretary types strictly and raises ``ValueError`` saying the form
it takes; :class:`Setting` (below) names the key in the message. ``ENCODE`` and
``DECODE`` turn a kind's value to and from the JSON the ledger stores.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from plvgov import eas, typed
from plvgov.errors import InputError
from plvgov.values import dataclass

# -- value kinds ---------------------------------------------------------------------------
# Each kind reads the text a secretary types (``settings set KEY VALUE``) strictly: ASCII
# digits only (no ``1_40``, exponent or Arabic-Indic digits), dates and months between 1900
# and 2199. A kind raises ValueError whose message is the form it wants.
_COMPANY_NUMBER = re.compile(r"[0-9]{8}|[A-Z]{2}[0-9]{6}")
_PREFIX = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_PREFIX_MAX = 12
_SERIES = re.compile(r"[A-Z0-9]{4}")
_MONTH_DAY = re.compile(r"([0-9]{2})-([0-9]{2})")
_TEXT_MAX = 200
_SORT_CODE = re.compile(r"([0-9]{2})[- ]?([0-9]{2})[- ]?([0-9]{2})")
_ACCOUNT_NUMBER = re.compile(r"[0-9]{8}")


def _int(text: str) -> int:
    return typed.integer(text)


def _money(text: str) -> Decimal:
    return typed.decimal(text.strip().replace("£", ""), places=2, grouped=True)


def _percent(text: str) -> Decimal:
    cleaned = text.strip()
    return typed.decimal(
        cleaned[:-1] if cleaned.endswith("%") else cleaned, places=2, example="20 or 17.5"
    )


def _date(text: str) -> date:
    return typed.iso_date(text)


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
    return typed.single_line(text.replace("\u00a0", " "), limit=_TEXT_MAX)


def _date_list(text: str) -> list[date]:
    parts = [p for p in text.replace(";", ",").split(",") if p.strip()]
    try:
        return sorted({typed.iso_date(p) for p in parts})
    except ValueError:
        raise ValueError(
            f"comma-separated dates, YYYY-MM-DD,YYYY-MM-DD, between {typed.FIRST_DAY} "
            f"and {typed.LAST_DAY}"
        ) from None


def _month_day(text: str) -> str:
    match = _MONTH_DAY.fullmatch(text.strip())
    try:
        if not match:
            raise ValueError
        month, day = int(match.group(1)), int(match.group(2))
        date(2000, month, day)  # 2000 is a leap year: 02-29 is allowed
    except ValueError:
        raise ValueError("a month and day, MM-DD, e.g. 03-31") from None
    return f"{month:02d}-{day:02d}"


def _month(text: str) -> str:
    return typed.month(text)


def _company_number(text: str) -> str:
    cleaned = text.strip().upper()
    if not _COMPANY_NUMBER.fullmatch(cleaned):
        raise ValueError(
            "a Companies House number: 8 characters, all digits or 2 letters and 6 digits "
            "(e.g. 14712345, SC123456; keep leading zeros)"
        )
    return cleaned


def _sort_code(text: str) -> str:
    match = _SORT_CODE.fullmatch(text.strip())
    if not match:
        raise ValueError("a bank sort code of 6 digits, NN-NN-NN, e.g. 60-00-01")
    return "-".join(match.groups())


def _account_number(text: str) -> str:
    cleaned = text.strip().replace(" ", "")
    if not _ACCOUNT_NUMBER.fullmatch(cleaned):
        raise ValueError("a bank account number of 8 digits, e.g. 12345678 (keep leading zeros)")
    return cleaned


def _email(text: str) -> str:
    try:
        return typed.email(text)
    except typed.BadValue:
        raise ValueError("an email address, e.g. finance@example.org.uk") from None


def _prefix(text: str) -> str:
    cleaned = text.strip()
    if not _PREFIX.fullmatch(cleaned) or len(cleaned) > _PREFIX_MAX:
        raise ValueError(
            f"a number prefix of 1-{_PREFIX_MAX} letters and digits (A-Z, 0-9; a hyphen only "
            "between them), e.g. PLV"
        )
    return cleaned


def _series(text: str) -> str:
    cleaned = text.strip().upper()
    if not _SERIES.fullmatch(cleaned):
        raise ValueError("an ONS series id of 4 letters and digits, e.g. D7BT")
    return cleaned


def _peppol(text: str) -> str:
    if not text.strip():
        return ""  # not recorded
    scheme, ident = eas.parse(text)
    return f"{scheme}:{ident}"


_LIST_MAX = 12


def _items(text: str, commas: bool, form: str) -> list[str]:
    if not commas and "," in text:
        raise ValueError(f"{form} (no commas: write 8250 not 8,250)")
    parts = re.split(r"[\s;,]+" if commas else r"[\s;]+", text.strip())
    items = [p for p in parts if p]
    if not items or len(items) > _LIST_MAX:
        raise ValueError(f"{form}, 1 to {_LIST_MAX} of them")
    return items


def _percent_list(text: str) -> list[Decimal]:
    form = "percentages separated by commas or spaces, e.g. 100,90,85"
    try:
        return [_percent(item) for item in _items(text, True, form)]
    except ValueError:
        raise ValueError(form) from None


def _money_list(text: str) -> list[Decimal]:
    form = "amounts in pounds separated by spaces or semicolons, e.g. 8250 10000 12000"
    items = _items(text, False, form)
    try:
        return [typed.decimal(item.replace("£", ""), places=2) for item in items]
    except ValueError:
        raise ValueError(form) from None


_VOTES = re.compile(r"([A-Za-z0-9-]+)=([0-9]{1,6})")


def _member_votes(text: str) -> dict[str, int]:
    """Members whose votes the articles set at other than one: ``barnet=3,E09000007=2``."""
    votes: dict[str, int] = {}
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        match = _VOTES.fullmatch(part.replace(" ", ""))
        if not match or int(match.group(2)) > 100_000:
            raise ValueError(
                "members and their votes, MEMBER=VOTES separated by commas (a slug or GSS "
                "code and a whole number of votes up to 100000), e.g. barnet=3,camden=0"
            )
        votes[match.group(1).lower()] = int(match.group(2))
    return votes


def _choice(text: str) -> str:
    return text.strip().lower()  # Setting.parse checks it against the key's choices


ENCODE: dict[str, Callable[[Any], Any]] = {
    "date": lambda v: v.isoformat(),
    "optional_date": lambda v: None if v is None else v.isoformat(),
    "money": str,
    "percent": str,
    "date_list": lambda v: [d.isoformat() for d in v],
    "percent_list": lambda v: [str(d) for d in v],
    "money_list": lambda v: [str(d) for d in v],
}
DECODE: dict[str, Callable[[Any], Any]] = {
    "date": date.fromisoformat,
    "optional_date": lambda v: None if v is None else date.fromisoformat(v),
    "money": Decimal,
    "percent": Decimal,
    "date_list": lambda v: [date.fromisoformat(d) for d in v],
    "percent_list": lambda v: [Decimal(d) for d in v],
    "money_list": lambda v: [Decimal(d) for d in v],
}
PARSE: dict[str, Callable[[str], Any]] = {
    "int": _int,
    "money": _money,
    "percent": _percent,
    "date": _date,
    "optional_date": _optional_date,
    "bool": _bool,
    "text": _text,
    "date_list": _date_list,
    "month_day": _month_day,
    "month": _month,
    "company_number": _company_number,
    "sort_code": _sort_code,
    "account_number": _account_number,
    "email": _email,
    "prefix": _prefix,
    "series": _series,
    "percent_list": _percent_list,
    "money_list": _money_list,
    "choice": _choice,
    "peppol": _peppol,
    "member_votes": _member_votes,
}


# -- a setting's declaration ----------------------------------------------------------------
@dataclass(frozen=True)
class Setting:
    """A key, declared once: its kind (a key of ``PARSE``), its range and its default. Every
    path that sets it (``settings set``, ``init``, ``demo``) reads the value through
    :meth:`parse`, so the kind and range hold however the value arrives."""

    key: str
    kind: str  # a key of PARSE
    default: Any
    description: str
    fact: bool = False  # a company fact: one value at a time, no --from
    minimum: Any = None
    maximum: Any = None
    not_after_today: bool = False  # a date that records something that has happened
    choices: tuple[str, ...] = ()  # for kind "choice"
    internal: bool = False  # kept by plvgov itself; `settings set` refuses it

    def parse(self, raw: str, today: date | None = None) -> Any:
        """``raw`` as this key's value, or InputError naming the key and the form it takes.
        ``today`` (when given) bounds the dates of things that have happened."""
        if not isinstance(raw, str):
            raise InputError(f"{self.key} takes text, not {raw!r}")
        try:
            value = PARSE[self.kind](raw)
        except ValueError as exc:
            raise InputError(f"{self.key} takes {exc}, not {raw!r}") from None
        if self.choices and value not in self.choices:
            raise InputError(f"{self.key} takes one of {', '.join(self.choices)}, not {raw!r}")
        values = value if isinstance(value, list) else [value]
        for one in values:
            if self.minimum is not None and one is not None and one < self.minimum:
                raise InputError(f"{self.key} must be at least {self.minimum}, not {raw.strip()}")
            if self.maximum is not None and one is not None and one > self.maximum:
                raise InputError(f"{self.key} must be at most {self.maximum}, not {raw.strip()}")
            if self.not_after_today and today is not None and one is not None and one > today:
                raise InputError(
                    f"{self.key} {one} is after today ({today}); record it once it has happened"
                )
        return value

    def parse_value(self, value: Any, today: date | None = None) -> Any:
        """An already-typed ``value`` (a ``date``, a ``Decimal``…) checked as :meth:`parse`
        checks text."""
        if value is None:
            raw = ""
        elif isinstance(value, date):
            raw = value.isoformat()
        elif isinstance(value, list):
            sep = "," if self.kind == "date_list" else " "
            raw = sep.join(d.isoformat() if isinstance(d, date) else str(d) for d in value)
        elif isinstance(value, dict):
            raw = ",".join(f"{k}={v}" for k, v in value.items())
        elif isinstance(value, bool):
            raw = "true" if value else "false"
        else:
            raw = str(value)
        return self.parse(raw, today)

    def encode(self, value: Any) -> str:
        return json.dumps(ENCODE.get(self.kind, lambda v: v)(value))

    def decode(self, stored: str) -> Any:
        return DECODE.get(self.kind, lambda v: v)(json.loads(stored))

    def display(self, value: Any) -> Any:
        """The JSON-ready form shown by ``settings show``."""
        return ENCODE.get(self.kind, lambda v: v)(value)

    def text(self, value: Any) -> str:
        """The value as a person reads it: a list as ``8250, 10000, 12000`` ("none" empty)."""
        shown = self.display(value)
        if isinstance(shown, list):
            return ", ".join(str(v) for v in shown) or "none"
        return str(shown)
