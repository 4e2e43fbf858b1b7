"""Strict readers for typed values written as text: settings, member and CPI imports.

Python's own ``int()``, ``Decimal()`` and ``date.fromisoformat()`` are generous: they read
``1_40`` as 140, ``1e999999`` as a finite number, Arabic-Indic digits as digits, and
``20240401`` or ``2024-W14-1`` as dates. A ledger wants one spelling of each value, so these
readers accept ASCII digits in one canonical form only, inside a plausible range, and raise
:class:`BadValue` whose message is the form expected (``"a date, YYYY-MM-DD"``); callers add
what was wrong and where (the setting's key, the file's row).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

YEAR_MIN, YEAR_MAX = 1900, 2199
FIRST_DAY, LAST_DAY = date(YEAR_MIN, 1, 1), date(YEAR_MAX, 12, 31)

_INT = re.compile(r"-?[0-9]{1,18}")
_DECIMAL = re.compile(r"-?[0-9]{1,18}(?:\.[0-9]{1,18})?")
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,18})?")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


class BadValue(ValueError):
    """The text is not the value wanted; ``str()`` is the form expected."""


def integer(text: str) -> int:
    """``42`` or ``-6``: ASCII digits only, no ``_``, ``+``, exponent or spaces inside."""
    cleaned = text.strip()
    if not _INT.fullmatch(cleaned):
        raise BadValue("a whole number written with the digits 0-9, e.g. 30")
    return int(cleaned)


def decimal(
    text: str, *, places: int | None = None, grouped: bool = False, example: str = "20000.00"
) -> Decimal:
    """``1234.56``: ASCII digits with at most one point (``1,234.56`` too when ``grouped``);
    no exponent, ``_``, ``NaN`` or ``Infinity``. ``places`` caps the decimals."""
    cleaned = text.strip()
    if not (_DECIMAL.fullmatch(cleaned) or (grouped and _GROUPED.fullmatch(cleaned))):
        raise BadValue(f"a number written with the digits 0-9 and a point, e.g. {example}")
    value = Decimal(cleaned.replace(",", ""))
    if places is not None and value != round(value, places):
        raise BadValue(f"a number with at most {places} decimal places")
    return value


def iso_date(text: str) -> date:
    """``2024-04-01``, a real day between 1900-01-01 and 2199-12-31."""
    match = _DATE.fullmatch(text.strip())
    wanted = f"a date, YYYY-MM-DD, between {FIRST_DAY} and {LAST_DAY}"
    if not match:
        raise BadValue(wanted)
    year, month, day = (int(g) for g in match.groups())
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise BadValue(wanted)
    try:
        return date(year, month, day)
    except ValueError:
        raise BadValue(wanted) from None


def month(text: str) -> str:
    """``2022-09``: a month 01-12 of a year between 1900 and 2199, returned as written."""
    match = _MONTH.fullmatch(text.strip())
    if not match or not (
        YEAR_MIN <= int(match.group(1)) <= YEAR_MAX and 1 <= int(match.group(2)) <= 12
    ):
        raise BadValue(f"a month, YYYY-MM, with month 01-12 and year {YEAR_MIN}-{YEAR_MAX}")
    return match.group(0)


def single_line(text: str, *, limit: int) -> str:
    """Printable text on one line (no newline, tab or other control character), at most
    ``limit`` characters after trimming, and not empty."""
    cleaned = text.strip()
    if not cleaned:
        raise BadValue("some text (it is empty)")
    if not cleaned.isprintable():
        raise BadValue("text on one line without control characters")
    if len(cleaned) > limit:
        raise BadValue(f"text of at most {limit} characters")
    return cleaned
