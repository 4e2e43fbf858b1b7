"""Settings: every number is a setting with a value, an effective-from date and an authority;
rules read the value in force on the date they judge. Company facts hold for every date."""

from datetime import date

import pytest

from plvgov import audit, settings, settings_catalogue
from plvgov.errors import InputError
from tests.conftest import TODAY

D = date.fromisoformat


def _set(ledger, key, value, start=None, authority=None):
    with ledger.write("test") as s:
        return settings.set_value(
            s, key, value, effective_from=start, authority=authority, today=TODAY
        )


def test_defaults_are_in_force_from_the_beginning(ledger):
    with ledger.read() as s:
        row = settings.in_force(s, "withdrawal_notice_months", D("2023-04-01"))
    assert (row.value, row.effective_from, row.authority) == (6, None, "default")


def test_a_new_value_holds_from_its_date_and_the_old_one_before(ledger):
    _set(ledger, "withdrawal_notice_months", "3", D("2027-01-01"), "Articles v2")
    with ledger.read() as s:
        assert settings.get(s, "withdrawal_notice_months", D("2026-12-31")) == 6
        assert settings.get(s, "withdrawal_notice_months", D("2027-01-01")) == 3
        row = settings.in_force(s, "withdrawal_notice_months", D("2030-01-01"))
    assert (row.effective_from, row.authority) == (D("2027-01-01"), "Articles v2")


def test_set_without_from_takes_effect_today_and_is_audited(ledger):
    result = _set(ledger, "invoice_due_days", "45")
    assert result.effective_from == TODAY
    with ledger.read() as s:
        assert settings.get(s, "invoice_due_days", TODAY) == 45
        assert audit.head(s)[0] == 2
        assert audit.latest(s, 1)[0].action == "settings.set"


def test_a_later_entry_for_the_same_date_wins(ledger):
    _set(ledger, "invoice_due_days", "45", D("2027-04-01"))
    _set(ledger, "invoice_due_days", "60", D("2027-04-01"))
    with ledger.read() as s:
        assert settings.get(s, "invoice_due_days", D("2027-04-01")) == 60


def test_reading_once_answers_as_each_read_would_from_one_statement(ledger):
    from plvgov import once
    from tests.stories import statements

    _set(ledger, "withdrawal_notice_months", "3", D("2027-01-01"), "Articles v2")
    _set(ledger, "invoice_due_days", "45", D("2027-04-01"))
    _set(ledger, "invoice_due_days", "60", D("2027-04-01"))
    _set(ledger, "company_name", "PLV Ltd")
    days = [D("2026-12-31"), D("2027-01-01"), D("2027-04-01"), D("2030-01-01")]

    def every_read(s, on):
        return (
            [settings.get(s, k, on) for k in ("withdrawal_notice_months", "invoice_due_days")],
            settings.in_force(s, "withdrawal_notice_months", on),
            settings.fact(s, "company_name"),
            settings.changes(s, "invoice_due_days"),
        )

    with ledger.read() as s:
        each = [every_read(s, on) for on in days]
        with statements(ledger) as seen, once.reading(s):
            read_once = [every_read(s, on) for on in days]
            with once.reading(s):  # a nested block reads nothing again
                assert every_read(s, days[0]) == read_once[0]
    assert read_once == each
    assert len(seen) == 1


def test_recording_a_value_ends_reading_once(ledger):
    from plvgov import once

    with ledger.write("test") as s, once.reading(s):
        assert settings.get(s, "invoice_due_days", TODAY) == 30
        settings.set_value(
            s, "invoice_due_days", "45", effective_from=TODAY, authority=None, today=TODAY
        )
        assert settings.get(s, "invoice_due_days", TODAY) == 45


def test_unknown_key_is_refused_with_the_valid_keys(ledger):
    with pytest.raises(InputError) as caught:
        _set(ledger, "withdrawal_notice_month", "3")
    assert "did you mean withdrawal_notice_months" in caught.value.message
    assert "valid keys:" in caught.value.message and "invoice_due_days" in caught.value.message
    assert "\n" not in caught.value.message


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("withdrawal_notice_months", "six", "a whole number"),
        ("withdrawal_notice_months", "-1", "at least 0"),
        ("term_start", "April 2023", "YYYY-MM-DD"),
        ("vat_rate", "lots", "a number"),
        ("board_chair_casting_vote", "maybe", "true or false"),
        ("subscription_notice_day", "10-32", "MM-DD"),
    ],
)
def test_wrong_typed_values_are_refused_and_nothing_written(ledger, key, value, message):
    with pytest.raises(InputError, match=message):
        _set(ledger, key, value)
    with ledger.read() as s:
        assert audit.head(s)[0] == 1


def test_company_facts_refuse_from_and_hold_for_every_date(ledger):
    with pytest.raises(InputError, match="company fact.*drop --from"):
        _set(ledger, "registered_office", "1 Town Hall", D("2027-01-01"))
    _set(ledger, "registered_office", "1 Town Hall")
    with ledger.read() as s:
        assert settings.fact(s, "registered_office") == "1 Town Hall"
        assert settings.get(s, "registered_office", D("2000-01-01")) == "1 Town Hall"
        assert settings.fact(s, "company_number") == "14712345"  # from init


def test_every_setting_is_typed_and_shown(ledger):
    with ledger.read() as s:
        rows = settings.all_in_force(s, TODAY)
    assert [r.key for r in rows] == [d.key for d in settings_catalogue.DEFINITIONS]
    for spec in settings_catalogue.DEFINITIONS:
        assert spec.kind in (
            "int",
            "money",
            "percent",
            "date",
            "optional_date",
            "bool",
            "text",
            "date_list",
            "percent_list",
            "money_list",
            "month_day",
            "month",
            "company_number",
            "sort_code",
            "account_number",
            "email",
            "prefix",
            "series",
            "choice",
            "peppol",
            "member_votes",
        ), spec.key
        if spec.kind in ("int", "money", "percent", "percent_list", "money_list"):
            assert spec.minimum is not None and spec.maximum is not None, spec.key
        assert spec.description, spec.key


def test_setting_the_value_already_in_force_is_refused_and_writes_nothing(ledger):
    """A re-run of `settings set` (say after a crash) must not record the value twice."""
    from datetime import date as _date

    from plvgov import audit as _audit
    from plvgov import settings as _settings
    from plvgov.errors import RuleError as _RuleError

    with ledger.write("first") as s:
        _settings.set_value(
            s,
            "invoice_due_days",
            "45",
            effective_from=_date(2027, 4, 1),
            authority="board",
            today=_date(2026, 11, 23),
        )
    with ledger.read() as s:
        head = _audit.head(s)
    with pytest.raises(_RuleError, match="already 45 from 2027-04-01"), ledger.write("again") as s:
        _settings.set_value(
            s,
            "invoice_due_days",
            "45",
            effective_from=_date(2027, 4, 1),
            authority="board",
            today=_date(2026, 11, 23),
        )
    with ledger.read() as s:
        assert _audit.head(s) == head
        # a different date or value is a real change
    with ledger.write("later") as s:
        _settings.set_value(
            s,
            "invoice_due_days",
            "45",
            effective_from=_date(2028, 4, 1),
            authority="board",
            today=_date(2026, 11, 23),
        )
