"""Settings have types (issue 10, items 6 and 9): each key declares its kind and range once in
``settings_catalogue.DEFINITIONS`` and every path that sets it — ``settings set``, ``init``,
the demo's staged facts — reads the value through it. A refusal is one ``Error:`` line naming
the key and the form it takes, and writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from plvgov import audit, settings, settings_catalogue
from plvgov.company.founding import initialise
from plvgov.db import Ledger
from plvgov.errors import InputError, RuleError
from tests.conftest import TODAY


def _head(ledger: Ledger) -> tuple[int, str]:
    with ledger.read() as s:
        return audit.head(s)


def _refused(result, *needles: str, code: int = 1) -> None:
    assert result.code == code, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.mark.parametrize(
    ("key", "value", "needles"),
    [
        ("subscription_base_month", "2022-13", ["subscription_base_month", "YYYY-MM"]),
        ("subscription_base_month", "0000-00", ["subscription_base_month", "1900-2199"]),
        ("subscription_base_month", "abc", ["subscription_base_month", "YYYY-MM"]),
        ("subscription_base_month", "0000-09", ["subscription_base_month", "1900-2199"]),
        ("subscription_base_month", "٢٠٢٢-٠٩", ["subscription_base_month", "YYYY-MM"]),
        ("company_number", "ABC", ["company_number", "Companies House number"]),
        ("company_number", "1471234", ["company_number", "8 characters"]),
        ("company_number", "14712345X", ["company_number", "8 characters"]),
        ("invoice_prefix", "", ["invoice_prefix", "prefix"]),
        ("invoice_prefix", "PL\nV", ["invoice_prefix", "prefix"]),
        ("invoice_prefix", "PLV 2", ["invoice_prefix", "prefix"]),
        ("invoice_prefix", "ABCDEFGHIJKLM", ["invoice_prefix", "1-12"]),
        ("credit_note_prefix", "\n", ["credit_note_prefix", "prefix"]),
        ("credit_note_prefix", "C/N", ["credit_note_prefix", "prefix"]),
        ("incorporation_date", "2026-11-24", ["incorporation_date", "after today"]),
        ("incorporation_date", "1066-10-14", ["incorporation_date", "1900-01-01"]),
        ("term_start", "20230401", ["term_start", "YYYY-MM-DD"]),
        ("term_start", "2023-W13-6", ["term_start", "YYYY-MM-DD"]),
        ("term_start", "9999-01-01", ["term_start", "2199-12-31"]),
        ("invoice_due_days", "1_40", ["invoice_due_days", "digits 0-9"]),
        ("invoice_due_days", "٣٠", ["invoice_due_days", "digits 0-9"]),
        ("invoice_due_days", "1e3", ["invoice_due_days", "digits 0-9"]),
        ("invoice_due_days", "999", ["invoice_due_days", "at most 365"]),
        ("opt_in_target", "99999999", ["opt_in_target", "at most"]),
        ("vat_rate", "1e999999", ["vat_rate", "digits 0-9"]),
        ("vat_rate", "NaN", ["vat_rate", "digits 0-9"]),
        ("vat_rate", "101", ["vat_rate", "at most 100"]),
        ("subscription_base_amount", "1_000", ["subscription_base_amount", "digits 0-9"]),
        ("subscription_base_amount", "20000.001", ["subscription_base_amount", "2 decimal"]),
        ("subscription_base_amount", "Infinity", ["subscription_base_amount", "digits 0-9"]),
        ("subscription_notice_day", "١٠-٣١", ["subscription_notice_day", "MM-DD"]),
        ("cpi_series", "D7BT\nX", ["cpi_series", "ONS series"]),
        ("extra_non_working_days", "2027-01-04,0001-01-01", ["extra_non_working_days", "1900"]),
        ("registered_office", "1 Town Hall\nLondon", ["registered_office", "one line"]),
        ("registered_office", "   ", ["registered_office", "empty"]),
        ("bank_sort_code", "60-00-1", ["bank_sort_code", "NN-NN-NN"]),
        ("bank_sort_code", "60-00-011", ["bank_sort_code", "6 digits"]),
        ("bank_sort_code", "٦٠-٠٠-٠١", ["bank_sort_code", "6 digits"]),
        ("bank_account_number", "1234567", ["bank_account_number", "8 digits"]),
        ("bank_account_number", "12-345-678", ["bank_account_number", "8 digits"]),
        ("remittance_email", "finance at plv", ["remittance_email", "email address"]),
        ("registered_email", "a@b", ["registered_email", "email address"]),
        ("bank_account_name", "PLV\nLimited", ["bank_account_name", "one line"]),
        ("finance_contact", "", ["finance_contact", "empty"]),
        ("articles_member_votes", "barnet:3", ["articles_member_votes", "MEMBER=VOTES"]),
        ("articles_member_votes", "barnet=-1", ["articles_member_votes", "MEMBER=VOTES"]),
        ("articles_member_votes", "barnet=999999", ["articles_member_votes", "up to 100000"]),
        ("member_request_percent", "6", ["member_request_percent", "at most 5"]),
    ],
)
def test_a_value_outside_its_type_is_refused_naming_the_key_and_writes_nothing(
    run, ledger, key, value, needles
):
    before = _head(ledger)
    if "\n" in value:  # the command line refuses it before the setting's reader sees it
        _refused(run("settings", "set", key, value), "holds a control character", code=2)
        with ledger.write("test: set") as s, pytest.raises(InputError) as refused:
            settings.set_value(s, key, value, effective_from=None, authority="test", today=TODAY)
        assert all(needle in refused.value.message for needle in needles)
    else:
        _refused(run("settings", "set", key, value), *needles)
    assert _head(ledger) == before


def test_internal_keys_cannot_be_set(run, ledger):
    """`ledger_kind demonstration` would let `plvgov demo` overwrite a real ledger."""
    before = _head(ledger)
    for value in ("demonstration", "live"):
        _refused(run("settings", "set", "ledger_kind", value), "ledger_kind", "cannot be set")
    assert _head(ledger) == before
    with ledger.read() as s:
        assert settings.fact(s, "ledger_kind") == "live"


@pytest.mark.parametrize("value", ["-6", "-1"])
def test_a_negative_number_reaches_the_settings_own_range_check(run, ledger, value):
    before = _head(ledger)
    result = run("settings", "set", "invoice_due_days", value)
    _refused(result, "invoice_due_days must be at least 0")
    assert "No such option" not in result.err
    result = run("settings", "set", "invoice_due_days", value, "--from", "2027-04-01")
    _refused(result, "invoice_due_days must be at least 0")
    assert _head(ledger) == before


def test_an_unknown_option_after_the_value_is_still_a_usage_error(run, ledger):
    before = _head(ledger)
    _refused(run("settings", "set", "invoice_due_days", "45", "--bogus"), code=2)
    assert _head(ledger) == before


@pytest.mark.parametrize(
    ("key", "value", "stored"),
    [
        ("subscription_base_month", "2023-09", "2023-09"),
        ("company_number", "sc123456", "SC123456"),
        ("company_number", "01234567", "01234567"),
        ("invoice_prefix", "PLV-INV", "PLV-INV"),
        ("vat_rate", "17.5%", "17.5"),
        ("subscription_base_amount", "£21,000.50", "21000.50"),
        ("incorporation_date", TODAY.isoformat(), TODAY.isoformat()),
        ("cpi_series", "d7bt", "D7BT"),
        ("bank_sort_code", "600001", "60-00-01"),
        ("bank_sort_code", "60 00 01", "60-00-01"),
        ("bank_account_number", "01234567", "01234567"),
        ("remittance_email", " remittances@plv.example ", "remittances@plv.example"),
        ("registered_email", "secretary@plv.example", "secretary@plv.example"),
        ("finance_contact", "Finance Officer, 020 7946 0000", "Finance Officer, 020 7946 0000"),
        ("articles_member_votes", "Barnet=3, E09000007=0", {"barnet": 3, "e09000007": 0}),
        ("articles_director_appointer", "camden", "camden"),
    ],
)
def test_well_typed_values_are_accepted_in_their_one_canonical_form(
    run, ledger, key, value, stored
):
    result = run("settings", "set", key, value)
    assert result.code == 0, result.err
    assert run("settings", "show", "--json").json()[key] == stored


# -- invoice and credit note prefixes never collide ---------------------------------------------
def test_a_prefix_equal_to_the_other_is_refused(run, ledger):
    before = _head(ledger)
    _refused(run("settings", "set", "invoice_prefix", "CN"), "credit_note_prefix CN")
    _refused(run("settings", "set", "credit_note_prefix", "plv"), "invoice_prefix PLV")
    _refused(run("settings", "set", "credit_note_prefix", "PLV-2026"), "would collide")
    _refused(run("settings", "set", "invoice_prefix", "CN-X"), "would collide")
    assert _head(ledger) == before


def test_prefixes_collide_only_on_dates_both_are_in_force(ledger):
    def _set(key: str, value: str, start: date) -> None:
        with ledger.write("test") as s:
            settings.set_value(s, key, value, effective_from=start, authority="board", today=TODAY)

    # CN becomes the invoice prefix from 2028, once credit notes have moved to CRN in 2027.
    _set("credit_note_prefix", "CRN", date(2027, 4, 1))
    _set("invoice_prefix", "CN", date(2028, 4, 1))
    # ...but not from 2026, while CN is still the credit note prefix.
    with pytest.raises(RuleError, match="credit_note_prefix CN in force on 2026-04-01"):
        _set("invoice_prefix", "CN", date(2026, 4, 1))
    # An invoice prefix from 2026 that the credit note prefix from 2027 (CRN) would repeat.
    with pytest.raises(RuleError, match="credit_note_prefix CRN in force on 2027-04-01"):
        _set("invoice_prefix", "CRN", date(2026, 4, 1))
    # A credit note prefix from 2029 that repeats the invoice prefix in force then (CN).
    with pytest.raises(RuleError, match="invoice_prefix CN in force on 2029-04-01"):
        _set("credit_note_prefix", "cn", date(2029, 4, 1))
    with ledger.read() as s:
        assert settings.get(s, "invoice_prefix", date(2028, 4, 1)) == "CN"
        assert settings.get(s, "credit_note_prefix", date(2028, 4, 1)) == "CRN"
        assert audit.head(s)[0] == 3


# -- every path uses the declared type ----------------------------------------------------------
def test_init_refuses_a_bad_company_number_before_creating_anything(tmp_path):
    path = tmp_path / "ledger.db"
    led = Ledger(f"sqlite:///{path}")
    try:
        with pytest.raises(InputError, match="company_number takes a Companies House number"):
            initialise(led, today=TODAY, company_number="ABC")
        assert not led.exists()
        initialise(led, today=TODAY, company_number="sc123456")
        with led.read() as s:
            assert settings.fact(s, "company_number") == "SC123456"
    finally:
        led.dispose()


def test_init_cli_refuses_a_bad_company_number(run, ledger_url):
    _refused(run("init", "--company-number", "ABC"), "company_number", "14712345")
    assert run("init", "--company-number", "14712345").code == 0


def test_staged_facts_pass_the_same_type_check(ledger):
    with pytest.raises(InputError, match="company_number takes"), ledger.write("t") as s:
        settings.stage_fact(s, "company_number", "ABC")
    with pytest.raises(InputError, match="ledger_kind takes one of"), ledger.write("t") as s:
        settings.stage_fact(s, "ledger_kind", "pretend")
    with pytest.raises(InputError, match="after today"), ledger.write("t") as s:
        settings.stage_fact(s, "incorporation_date", date(2030, 1, 1), today=TODAY)
    with ledger.read() as s:
        assert audit.head(s)[0] == 1


def test_every_numeric_key_declares_its_range():
    for spec in settings_catalogue.DEFINITIONS:
        if spec.kind in ("int", "money", "percent"):
            assert spec.minimum is not None and spec.maximum is not None, spec.key
        if spec.kind in ("money", "percent"):
            assert isinstance(spec.default, Decimal), spec.key
        if spec.default not in ("", None):  # every default passes its own key's check
            assert spec.parse_value(spec.default) == spec.default, spec.key
