"""Money: pence in the database, Decimal in Python, rounded once, half up."""

from decimal import Decimal

import pytest

from plvgov.errors import InputError
from plvgov.money import format_gbp, from_pence, json_money, parse_amount, round_pounds, to_pence


def test_round_pounds_is_half_up_not_bankers():
    assert round_pounds(Decimal("0.125")) == Decimal("0.13")
    assert round_pounds(Decimal("0.135")) == Decimal("0.14")
    assert round_pounds(Decimal("2.5049")) == Decimal("2.50")


def test_pence_round_trip():
    assert to_pence(Decimal("21367.52")) == 2136752
    assert from_pence(2136752) == Decimal("21367.52")
    assert to_pence(Decimal("0.005")) == 1
    assert isinstance(to_pence(Decimal("1")), int)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.56", Decimal("1234.56")),
        ("£1,234.56", Decimal("1234.56")),
        ("20000", Decimal("20000.00")),
    ],
)
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "not an amount"),
        ("NaN", "not an amount"),
        ("-5", "more than"),
        ("0", "more than"),
        ("1.005", "fractions of a penny"),
    ],
)
def test_parse_amount_refuses(text, message):
    with pytest.raises(InputError, match=message):
        parse_amount(text)


def test_zero_allowed_when_asked():
    assert parse_amount("0", allow_zero=True) == Decimal("0.00")


def test_formatting():
    assert format_gbp(Decimal("5108.19")) == "£5,108.19"
    assert format_gbp(Decimal("-12.5")) == "-£12.50"
    assert json_money(Decimal("21367.5")) == "21367.50"
