"""`plvgov check`: every check fires when its rule is broken or at risk, and stays quiet
otherwise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session

from plvgov import settings, settings_catalogue
from plvgov.billing import accounts, schemes
from plvgov.db import Ledger
from plvgov.decisions import meetings, resolutions
from plvgov.membership import exits, members
from plvgov.oversight import checks
from tests.conftest import TODAY


def _write(ledger: Ledger, change: Callable[[Session], Any]) -> None:
    with ledger.write("test") as session:
        change(session)


def _set(ledger: Ledger, key: str, value: str) -> None:
    spec = settings_catalogue.definition(key)
    _write(
        ledger,
        lambda s: settings.set_value(
            s,
            key,
            value,
            effective_from=None if spec.fact else date(2020, 1, 1),
            authority="test",
            today=TODAY,
        ),
    )


def _found(ledger: Ledger, check: checks.Check, at: date) -> list[checks.Finding]:
    with ledger.read() as session:
        return list(check(session, at))


def _member(
    ledger: Ledger, name: str = "bromley", *, final: bool = True, representative: bool = True
) -> None:
    """Admit ``name`` from 2023-04-01, one write (one audit event) per change."""

    def m(s: Session) -> members.Member:
        return members.find(s, name)

    _write(ledger, lambda s: members.decide(s, m(s), "in-principle", date(2023, 1, 10), "Cabinet"))
    if final:
        _write(ledger, lambda s: members.decide(s, m(s), "final", date(2023, 3, 1), "Cabinet"))
    _write(ledger, lambda s: members.admit(s, m(s), date(2023, 4, 1)))
    if representative:
        _write(
            ledger,
            lambda s: members.appoint_representative(s, m(s), "Jane Smith", date(2023, 4, 1)),
        )


# -- membership ------------------------------------------------------------------------------
def test_notice_deadline_within_warning_days(ledger: Ledger) -> None:
    _member(ledger)
    # the 2028-03-31 cycle end's notice deadline is 2027-09-30; 60 days before is 2027-08-01
    fired = _found(ledger, checks.notice_deadline_soon, date(2027, 8, 1))
    assert [(f.severity, f.subject) for f in fired] == [("warning", "All members")]
    assert "2027-09-30" in fired[0].message and "(in 60 days)" in fired[0].message
    assert _found(ledger, checks.notice_deadline_soon, date(2027, 7, 31)) == []
    assert _found(ledger, checks.notice_deadline_soon, date(2027, 10, 1)) == []


def test_notice_deadline_quiet_without_members_and_follows_the_setting(ledger: Ledger) -> None:
    assert _found(ledger, checks.notice_deadline_soon, date(2027, 9, 1)) == []
    _member(ledger)
    _set(ledger, "notice_deadline_warning_days", "10")
    assert _found(ledger, checks.notice_deadline_soon, date(2027, 9, 1)) == []
    assert len(_found(ledger, checks.notice_deadline_soon, date(2027, 9, 20))) == 1


def test_member_without_representative(ledger: Ledger) -> None:
    _member(ledger, "bromley", representative=False)
    _member(ledger, "hackney")
    fired = _found(ledger, checks.member_without_representative, TODAY)
    assert [f.subject for f in fired] == ["Bromley"]
    assert "plvgov member representative bromley" in fired[0].message
    _write(
        ledger,
        lambda s: members.appoint_representative(
            s, members.find(s, "bromley"), "Ann Lee", date(2026, 12, 1)
        ),
    )
    assert _found(ledger, checks.member_without_representative, date(2026, 11, 30)) != []
    assert _found(ledger, checks.member_without_representative, date(2026, 12, 1)) == []


def test_admitted_without_final_determination(ledger: Ledger) -> None:
    _member(ledger, "bromley", final=False)
    _member(ledger, "hackney")
    fired = _found(ledger, checks.admitted_without_final_decision, TODAY)
    assert [(f.severity, f.subject) for f in fired] == [("warning", "Bromley")]


def test_former_member_retention_runs_ten_years(ledger: Ledger) -> None:
    _member(ledger)
    _write(ledger, lambda s: exits.withdraw(s, members.find(s, "bromley"), date(2025, 9, 30)))
    # CA 2006 s.121 [U]: ceased 2026-03-31 -> keep until at least 2036-03-31
    assert _found(ledger, checks.former_member_retention, date(2026, 3, 31)) == []
    fired = _found(ledger, checks.former_member_retention, date(2026, 4, 1))
    assert [(f.severity, f.subject) for f in fired] == [("info", "Bromley")]
    assert "2036-03-31" in fired[0].message
    assert _found(ledger, checks.former_member_retention, date(2036, 4, 1)) == []


def test_launch_date_unset_while_members_exist(ledger: Ledger) -> None:
    assert _found(ledger, checks.launch_date_unset, TODAY) == []  # no members yet
    _member(ledger)
    assert [f.severity for f in _found(ledger, checks.launch_date_unset, TODAY)] == ["info"]
    _set(ledger, "launch_date", "2026-09-01")
    assert _found(ledger, checks.launch_date_unset, TODAY) == []


# -- Companies House -------------------------------------------------------------------------
def test_company_filings_without_incorporation_date_says_so(ledger: Ledger) -> None:
    fired = _found(ledger, checks.company_filings, TODAY)
    assert [(f.severity, f.subject) for f in fired] == [("info", "incorporation_date")]


def test_confirmation_statement_due_within_30_days_then_overdue(ledger: Ledger) -> None:
    _set(ledger, "incorporation_date", "2026-02-10")
    _set(ledger, "accounting_reference_date", "02-28")
    assert _found(ledger, checks.company_filings, date(2027, 1, 23)) == []  # 31 days out
    due_soon = _found(ledger, checks.company_filings, date(2027, 1, 24))
    assert [(f.severity, f.message[:14]) for f in due_soon] == [("warning", "due 2027-02-23")]
    overdue = _found(ledger, checks.company_filings, date(2027, 2, 24))
    assert [f.severity for f in overdue] == ["error"]
    assert "confirmation_date 2027-02-09" in overdue[0].message
    _set(ledger, "confirmation_date", "2027-02-09")
    assert _found(ledger, checks.company_filings, date(2027, 2, 24)) == []


def test_accounts_overdue_until_recorded(ledger: Ledger) -> None:
    _set(ledger, "incorporation_date", "2026-02-10")
    _set(ledger, "accounting_reference_date", "02-28")
    _set(ledger, "confirmation_date", "2028-02-09")
    fired = _found(ledger, checks.company_filings, date(2027, 11, 11))
    assert [(f.severity, f.subject) for f in fired] == [
        ("error", "Accounts for the period to 2027-02-28")
    ]
    _set(ledger, "accounts_made_up_to", "2027-02-28")
    assert _found(ledger, checks.company_filings, date(2027, 11, 11)) == []


# -- other capabilities ----------------------------------------------------------------------
@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Callable[[Any, str, Any], None]:
    """Put a function returning ``items`` in place of ``module.name``: the checks call the
    domains' own views, which here return the domains' own dataclasses."""

    def install(module: Any, function_name: str, items: Any) -> None:
        monkeypatch.setattr(module, function_name, lambda session, at: items)

    return install


UNFILED = resolutions.Unfiled(
    3, "Resolution 3: new articles", date(2027, 1, 6), date(2027, 1, 21), False
)
ARREAR = accounts.Arrear(
    "Bromley", "E09000006", "PLV-2026-0001", "2026/27", date(2026, 5, 1), Decimal("21367.52"), 206
)
AT_RISK = resolutions.AtRisk(4, "Resolution 4: budget", date(2026, 12, 1), 3, 9, 8)
SHORT = meetings.ShortNotice(2, datetime(2026, 12, 1, 10, 0), date(2026, 12, 5), 10, 30)


@pytest.mark.parametrize(
    ("module", "function", "check", "items", "severity", "text"),
    [
        (
            resolutions,
            "unfiled_special",
            checks.unfiled_special_resolutions,
            [UNFILED],
            "warning",
            "file it by 2027-01-21",
        ),
        (
            accounts,
            "arrears",
            checks.overdue_invoices,
            [ARREAR],
            "error",
            "PLV-2026-0001 £21,367.52 unpaid",
        ),
        (
            resolutions,
            "at_risk",
            checks.written_resolutions_at_risk,
            [AT_RISK],
            "warning",
            "(3 of the 9 agreements needed)",
        ),
        (
            meetings,
            "short_notice",
            checks.short_notice_meetings,
            [SHORT],
            "error",
            "earliest valid date is 2026-12-05",
        ),
        (
            schemes,
            "missing_months",
            checks.missing_cpi_months,
            ["2026-09"],
            "warning",
            "CPI for 2026-09",
        ),
    ],
)
def test_domain_checks_fire_and_stay_quiet(
    ledger: Ledger,
    stub: Callable[[Any, str, Any], None],
    module: Any,
    function: str,
    check: checks.Check,
    items: Any,
    severity: str,
    text: str,
) -> None:
    stub(module, function, items)
    fired = _found(ledger, check, TODAY)
    assert [f.severity for f in fired] == [severity]
    assert text in fired[0].message
    stub(module, function, [])
    assert _found(ledger, check, TODAY) == []


def test_unfiled_special_resolution_past_its_filing_date_is_an_error(
    ledger: Ledger, stub: Callable[[Any, str, Any], None]
) -> None:
    overdue = resolutions.Unfiled(3, "Resolution 3", date(2026, 10, 17), date(2026, 11, 1), True)
    stub(resolutions, "unfiled_special", [overdue])
    assert [f.severity for f in _found(ledger, checks.unfiled_special_resolutions, TODAY)] == [
        "error"
    ]


def test_checks_name_what_the_domains_report(
    ledger: Ledger, stub: Callable[[Any, str, Any], None]
) -> None:
    stub(resolutions, "unfiled_special", [UNFILED])
    stub(meetings, "short_notice", [SHORT])
    [u] = _found(ledger, checks.unfiled_special_resolutions, TODAY)
    assert (u.severity, u.subject) == ("warning", "Resolution 3: new articles")
    assert "file it by 2027-01-21" in u.message
    [m] = _found(ledger, checks.short_notice_meetings, TODAY)
    assert (
        m.subject == "General meeting 2 on 2026-12-01"
        and "(10 of the 30 consents needed)" in m.message
    )
    stub(resolutions, "at_risk", [AT_RISK])
    [r] = _found(ledger, checks.written_resolutions_at_risk, TODAY)
    assert "2026-12-01" in r.message and "(3 of the 9 agreements needed)" in r.message


def test_real_decisions_functions_quiet_on_an_empty_ledger(ledger: Ledger) -> None:
    for check in (
        checks.unfiled_special_resolutions,
        checks.written_resolutions_at_risk,
        checks.short_notice_meetings,
    ):
        assert _found(ledger, check, TODAY) == []


# -- run -------------------------------------------------------------------------------------
def test_run_sorts_errors_then_warnings_then_info(ledger: Ledger) -> None:
    def fake(session: Session, at: date) -> list[checks.Finding]:
        return [
            checks.Finding("info", "c", "3"),
            checks.Finding("error", "b", "1"),
            checks.Finding("warning", "a", "2"),
        ]

    with ledger.read() as session:
        found = checks.run(session, TODAY, [fake])
    assert [f.severity for f in found] == ["error", "warning", "info"]


def test_run_on_a_fresh_ledger(ledger: Ledger) -> None:
    with ledger.read() as session:
        found = checks.run(session, TODAY)
    assert all(f.severity in ("error", "warning", "info") for f in found)
    assert "incorporation_date" in [f.subject for f in found]


def test_checks_cost_the_same_statements_for_more_members(ledger: Ledger) -> None:
    from tests.stories import at_two_sizes

    (small, found), (grown, more) = at_two_sizes(ledger, lambda s: checks.run(s, TODAY))

    def without_representative(findings: list[checks.Finding]) -> int:
        return sum(f.check == "member_without_representative" for f in findings)

    # One in four members has no representative: 9 of the 33, then 5 of the 20 more.
    assert (without_representative(found), without_representative(more)) == (9, 14)
    assert grown == small


def test_check_on_the_demo_ledger_costs_few_statements(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: ``plvgov check`` reads each table once or twice, not once per member,
    invoice or resolution (it ran 166 statements on the demo ledger; 42 now)."""
    import plvgov.demo
    from plvgov.demo import billing, decisions, finance, membership, registers
    from tests.stories import statements

    # the chapters that write what check reads (not the papers nor the e-mails)
    chapters = [membership.build, billing.build, decisions.build, registers.build, finance.build]
    monkeypatch.setattr(plvgov.demo, "_chapters", lambda: chapters)
    plvgov.demo.build(tmp_path, TODAY)
    ledger = Ledger.open(tmp_path / "ledger.db")
    try:
        with ledger.read() as session, statements(ledger) as seen:
            found = checks.run(session, TODAY)
    finally:
        ledger.dispose()
    assert [(f.severity, f.check) for f in found] == [
        ("error", "overdue_invoices"),
        ("error", "overdue_invoices"),
        ("warning", "reminders_due"),
        ("warning", "missing_cpi_months"),
        ("info", "former_member_retention"),
    ]
    assert len(seen) <= 45


# -- every registered deadline passed undone (issue 12.3) -----------------------------------
def test_amended_articles_not_filed_within_15_days_are_a_finding(ledger: Ledger) -> None:
    from plvgov.decisions import articles
    from tests.test_articles import V1, V2, adopt, passed_written

    adopt(ledger, V1, "2023-02-14")
    adopt(ledger, V2, "2027-01-06", passed_written(ledger, "special"))
    # CA 2006 s.26: due Thursday 21 January 2027; the calendar lists it, check reports it after

    def about_articles(at: date) -> list[checks.Finding]:
        with ledger.read() as session:
            return [f for f in checks.run(session, at) if f.subject == "Articles version 2"]

    assert about_articles(date(2027, 1, 21)) == []
    [late] = about_articles(date(2027, 1, 22))
    assert late.severity == "error" and "due 2027-01-21" in late.message
    assert "CA 2006 s.26" in late.message
    _write(ledger, lambda s: articles.file(s, articles.get(s, 2), date(2027, 1, 25)))
    assert about_articles(date(2027, 2, 1)) == []


def test_every_outstanding_deadline_the_registry_lists_becomes_a_finding_once_passed(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plvgov.dates import Deadline
    from plvgov.oversight import deadlines

    def feed(session: object, start: date, end: date) -> list[Deadline]:
        return [
            Deadline(date(2026, 6, 1), "new_obligation", "Something owed", "do it", "rule", True),
            Deadline(date(2026, 6, 1), "new_date", "Something to know", "know it", "rule"),
            Deadline(date(2026, 12, 1), "new_obligation", "Not yet due", "do it", "rule", True),
        ]

    monkeypatch.setattr(deadlines, "FEEDERS", (*deadlines.FEEDERS, feed))
    found = _found(ledger, checks.passed_deadlines, TODAY)
    assert [(f.severity, f.subject) for f in found] == [("error", "Something owed")]
    # a kind a check of its own words is not reported twice
    with ledger.read() as session:
        every = checks.run(session, TODAY)
    assert [f.subject for f in every].count("Something owed") == 1


def test_kinds_left_to_their_own_check_are_reported_by_it(ledger: Ledger) -> None:
    _set(ledger, "incorporation_date", "2026-02-10")
    _set(ledger, "accounting_reference_date", "02-28")
    with ledger.read() as session:
        found = checks.run(session, date(2027, 11, 11))
        listed = deadlines_passed(session, date(2027, 11, 11))
    assert listed  # the confirmation statement and accounts are overdue
    for item in listed:
        reported = [f for f in found if f.subject == item.subject]
        assert [f.check for f in reported] == [checks.REPORTED_BY[item.kind]]


def deadlines_passed(session: Session, at: date) -> list[Any]:
    from datetime import timedelta

    from plvgov.oversight import deadlines

    return [
        d
        for d in deadlines.collect(session, date(2026, 2, 10), at - timedelta(days=1))
        if d.outstanding
    ]


def test_missing_payment_details_named_while_members_are_liable(ledger: Ledger) -> None:
    """Issue 13.1: an invoice is paid as printed only with the bank account, the remittance
    address and a contact; each one missing is named before the run, in one finding."""
    assert _found(ledger, checks.payment_details_missing, TODAY) == []  # no members yet
    _member(ledger)
    (fired,) = _found(ledger, checks.payment_details_missing, TODAY)
    assert fired.severity == "warning"
    for key in settings_catalogue.PAYMENT_FACTS:
        assert key in fired.message
    assert "`plvgov settings set bank_account_name VALUE`" in fired.message
    _set(ledger, "bank_account_name", "Pan-London Vehicle Limited")
    _set(ledger, "bank_sort_code", "60-00-01")
    _set(ledger, "bank_account_number", "12345678")
    _set(ledger, "remittance_email", "remittances@plv.example")
    (fired,) = _found(ledger, checks.payment_details_missing, TODAY)
    assert "finance_contact" in fired.message and "bank_sort_code" not in fired.message
    _set(ledger, "finance_contact", "Finance Officer, 020 7946 0000")
    assert _found(ledger, checks.payment_details_missing, TODAY) == []
