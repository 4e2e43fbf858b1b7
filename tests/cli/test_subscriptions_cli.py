"""The `subscription` commands, driven in-process: the quote's JSON with the working, schemes
set and listed, and every refusal as one `Error:` line."""

from __future__ import annotations

from tests.cli.helpers import refused


def test_quote_json_has_the_working(billed):
    data = billed("subscription", "quote", "--year", "2025/26", "--json").json()
    assert {
        k: data[k]
        for k in (
            "year",
            "factor",
            "base_month",
            "reference_month",
            "base_index",
            "reference_index",
            "authority",
            "total",
        )
    } == {
        "year": "2025/26",
        "factor": "1.084006",
        "base_month": "2022-09",
        "reference_month": "2024-09",
        "base_index": "123.8",
        "reference_index": "134.2",
        "authority": "default",
        "total": "28807.85",
    }
    assert data["lines"][0] == {
        "member": "Barnet",
        "gss_code": "E09000003",
        "days": 121,
        "days_in_year": 365,
        "amount": "7187.11",
    }
    one = billed("subscription", "quote", "--year", "2026", "--member", "bromley", "--json")
    assert one.json()["lines"] == [
        {
            "member": "Bromley",
            "gss_code": "E09000006",
            "days": 365,
            "days_in_year": 365,
            "amount": "22504.04",
        }
    ]
    table = billed("subscription", "quote", "--year", "2026").out
    assert "139.3" in table and "123.8" in table and "£22,504.04" in table


def test_quote_errors(billed):
    refused(billed("subscription", "quote", "--year", "2027"), "plvgov cpi import FILE")
    refused(billed("subscription", "quote", "--year", "2022"), "base year 2023/24")
    refused(billed("subscription", "quote", "--year", "20x6"), "financial year", code=2)


def test_scheme_set_and_list(billed):
    result = billed(
        "subscription",
        "scheme",
        "set",
        "--from-year",
        "2028/29",
        "--amount",
        "15000",
        "--no-indexation",
        "--authority",
        "Resolution 4",
    )
    assert result.code == 0, result.err
    listed = billed("subscription", "scheme", "list", "--json").json()
    assert [(s["from_year"], s["base_amount"], s["indexed"], s["authority"]) for s in listed] == [
        ("2023/24", "20000.00", True, "default"),
        ("2028/29", "15000.00", False, "Resolution 4"),
    ]
    quote = billed("subscription", "quote", "--year", "2028", "--json").json()
    assert (quote["factor"], quote["authority"], quote["lines"][0]["amount"]) == (
        "1",
        "Resolution 4",
        "15000.00",
    )
