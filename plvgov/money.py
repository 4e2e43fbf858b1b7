"""Money: integer pence in the database, ``Decimal`` pounds in Python. Never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from plvgov.errors import InputError

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")  # no money: where a sum of amounts starts
#: Digits of pounds an amount may have (under £1 trillion): the pence of any total of them
#: stay far inside the 64-bit integers the database keeps, and Decimal arithmetic exact.
MAX_POUND_DIGITS = 12


def round_pounds(value: Decimal) -> Decimal:
    """Nearest penny, half up — the PLV rounds once, at the end."""
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def to_pence(pounds: Decimal) -> int:
    return int(round_pounds(pounds) * 100)


def from_pence(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(PENNY)


def parse_amount(text: str, what: str = "amount", allow_zero: bool = False) -> Decimal:
    """Parse ``1234.56`` or ``£1,234.56`` into pounds; refuse negatives, zero and fractions of
    a penny."""
    cleaned = str(text).strip().replace("£", "").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InputError(
            f"{what} {text!r} is not an amount; write pounds and pence, e.g. 1234.56"
        ) from None
    if not value.is_finite():
        raise InputError(f"{what} {text!r} is not an amount; write pounds and pence, e.g. 1234.56")
    if value < 0 or (value == 0 and not allow_zero):
        raise InputError(f"{what} must be more than £0.00, not {text}")
    if value != 0 and value.adjusted() >= MAX_POUND_DIGITS:  # before any arithmetic overflows
        raise InputError(
            f"{what} {text!r} is too large; give at most {MAX_POUND_DIGITS} digits of pounds"
        )
    if value != value.quantize(PENNY):
        raise InputError(f"{what} {text!r} has fractions of a penny; give at most two decimals")
    return value.quantize(PENNY)


def format_gbp(pounds: Decimal) -> str:
    """£5,108.19 — how money reads on a document."""
    sign = "-" if pounds < 0 else ""
    return f"{sign}£{abs(pounds):,.2f}"


def json_money(pounds: Decimal) -> str:
    """Money in JSON: a string of pounds with two decimals (``"21367.52"``)."""
    return f"{pounds.quantize(PENNY):.2f}"
