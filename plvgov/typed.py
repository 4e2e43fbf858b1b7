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
import unicodedata
from datetime import date
from decimal import Decimal

YEAR_MIN, YEAR_MAX = 1900, 2199
FIRST_DAY, LAST_DAY = date(YEAR_MIN, 1, 1), date(YEAR_MAX, 12, 31)

_INT = re.compile(r"-?[0-9]{1,18}")
_DECIMAL = re.compile(r"-?[0-9]{1,18}(?:\.[0-9]{1,18})?")
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,18})?")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
# One address, local@domain, in ASCII: a mail header cannot carry another letter without the
# server's SMTPUTF8, which plvgov does not ask for (an "ö" was taken, then failed every send).
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
EMAIL_MAX = 254


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


def email(text: str) -> str:
    """One email address, trimmed: ``clerk@council.gov.uk``, in ASCII letters, digits and the
    few marks an address may hold, with a dot in its domain; at most 254 characters."""
    cleaned = text.strip()
    if len(cleaned) > EMAIL_MAX or not _EMAIL.fullmatch(cleaned):
        raise BadValue("one email address in plain ASCII, e.g. clerk@council.gov.uk")
    return cleaned


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


#: Unicode categories no typed text has a use for: control characters (a line break, tab,
#: escape, NUL; C0, DEL and C1) and the line and paragraph separators.
_CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def control_character(text: str, allowed: str = "") -> str | None:
    """The first control character in ``text`` that ``allowed`` does not name, or None: a
    terminal acts on an escape printed back (it cleared the screen), a mail header refuses a
    line break, and XML cannot hold most of them at all."""
    for char in text:
        if char not in allowed and unicodedata.category(char) in _CONTROL_CATEGORIES:
            return char
    return None


def shown(text: str, limit: int = 60) -> str:
    """``text`` with each control character written as an escape (``\\x1b``), cut to about
    ``limit`` characters: safe to print in a message."""

    def one(char: str) -> str:
        if unicodedata.category(char) not in _CONTROL_CATEGORIES:
            return char
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    out = "".join(map(one, text))
    return out if len(out) <= limit else out[: limit - 1] + "…"
