"""`plvgov settings show` and `settings set` (plvgov/cli/settings.py)."""

from __future__ import annotations

import pytest

from tests.cli.helpers import audit_events, one_error_line


def test_settings_show_and_set_with_dates(ledger, run):
    shown = run("settings", "show", "--json").json()
    assert shown["withdrawal_notice_months"] == 6
    assert shown["term_start"] == "2023-04-01"
    result = run(
        "settings",
        "set",
        "withdrawal_notice_months",
        "3",
        "--from",
        "2027-01-01",
        "--authority",
        "Articles v2",
    )
    assert result.code == 0, result.err
    assert (
        run("settings", "show", "--at", "2026-12-31", "--json").json()["withdrawal_notice_months"]
        == 6
    )
    assert (
        run("settings", "show", "--at", "2027-01-01", "--json").json()["withdrawal_notice_months"]
        == 3
    )
    table = run("settings", "show", "--at", "2027-01-01").out
    assert "Articles v2" in table and "2027-01-01" in table


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("settings", "set", "notice_months", "3"), "valid keys:"),
        (("settings", "set", "withdrawal_notice_months", "three"), "a whole number"),
        (("settings", "set", "company_name", "PLV Ltd", "--from", "2027-01-01"), "drop --from"),
    ],
)
def test_settings_set_refusals(ledger, run, args, needle):
    result = run(*args)
    one_error_line(result)
    assert needle in result.err
    assert audit_events(run) == 1
