"""Tampering: `audit verify --deep` replays the events' after-images and names every row edited,
added or removed behind the ledger's back, as well as any broken link in the hash chain."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from plvgov import audit, settings
from plvgov.membership import exits, importing, members
from tests.conftest import TODAY


def _busy_history(ledger):
    """Every foundation change, each through its domain function (one audit event each)."""
    with ledger.write("plvgov member decide bromley") as s:
        members.decide(s, members.find(s, "bromley"), "in-principle", date(2023, 3, 1), "Cabinet")
    with ledger.write("plvgov member decide bromley final") as s:
        members.decide(s, members.find(s, "bromley"), "final", date(2023, 3, 20), "Director")
    with ledger.write("plvgov member admit bromley") as s:
        members.admit(s, members.find(s, "bromley"), date(2023, 4, 1))
    with ledger.write("plvgov member admit camden") as s:
        members.admit(s, members.find(s, "camden"), date(2023, 4, 1))
    with ledger.write("plvgov member representative bromley") as s:
        members.appoint_representative(
            s, members.find(s, "bromley"), "Jane Smith", date(2023, 4, 1), "Executive 2023-03-29"
        )
    with ledger.write("plvgov member add") as s:
        members.add(s, "Surrey County Council", "E10000030", "Woodhatch Place")
    with ledger.write("plvgov member import") as s:
        importing.import_members(
            s,
            "name,code,address,admitted_on\n"
            "Hackney,E09000012,Hackney Town Hall,2024-04-01\n"
            "Kent County Council,,Maidstone,\n",
        )
    with ledger.write("plvgov member withdraw bromley") as s:
        exits.withdraw(s, members.find(s, "bromley"), date(2025, 9, 1))
    with ledger.write("plvgov member cease camden") as s:
        members.cease(s, members.find(s, "camden"), date(2027, 6, 30), "dissolution")
    with ledger.write("plvgov settings set") as s:
        settings.set_value(
            s,
            "invoice_due_days",
            "45",
            effective_from=date(2027, 4, 1),
            authority="Board 2027-03-01",
            today=TODAY,
        )
    with ledger.write("plvgov settings set host_council") as s:
        settings.set_value(
            s,
            "host_council",
            "London Borough of Barnet",
            effective_from=None,
            authority=None,
            today=TODAY,
        )


def _deep(ledger):
    with ledger.read() as s:
        return audit.verify_deep(s)


def _tamper(ledger, sql, **params):
    with ledger.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_every_foundation_change_leaves_rows_matching_their_audited_state(ledger):
    _busy_history(ledger)
    result = _deep(ledger)
    assert result.differences == ()
    assert result.chain.ok and result.chain.events == 12
    # 35 members, 2 decisions, 1 representative, 1 notice, 2 + 2 settings, the CPI months
    with ledger.engine.connect() as conn:
        cpi = conn.execute(text("SELECT count(*) FROM cpi_value")).scalar_one()
    assert cpi > 100 and result.rows_checked == 43 + cpi


def test_a_fresh_ledger_has_every_row_audited(ledger):
    assert [d.message for d in _deep(ledger).differences] == []


def test_a_row_edited_behind_the_ledgers_back_is_named_with_its_columns(ledger):
    _busy_history(ledger)
    _tamper(
        ledger,
        "UPDATE member SET admitted_on = '2022-01-01', address = 'Elsewhere' WHERE slug = 'camden'",
    )
    result = _deep(ledger)
    assert not result.ok and result.chain.ok  # the chain alone cannot see it
    [diff] = result.differences
    assert (diff.kind, diff.table, diff.columns) == (
        "changed",
        "member",
        ("address", "admitted_on"),
    )
    assert "member" in diff.message and "admitted_on" in diff.message


def test_a_row_added_without_an_event_is_named(ledger):
    _tamper(
        ledger,
        "INSERT INTO representative (member_id, name, from_on) "
        "VALUES (1, 'Impostor', '2024-01-01')",
    )
    [diff] = _deep(ledger).differences
    assert (diff.kind, diff.table) == ("unaudited", "representative")
    assert "no audited state" in diff.message


def test_a_row_deleted_behind_the_ledgers_back_is_named(ledger):
    _busy_history(ledger)
    _tamper(ledger, "DELETE FROM withdrawal_notice")
    _tamper(ledger, "DELETE FROM member_decision WHERE stage = 'final'")
    diffs = _deep(ledger).differences
    assert sorted((d.kind, d.table) for d in diffs) == [
        ("missing", "member_decision"),
        ("missing", "withdrawal_notice"),
    ]
    assert all("disappeared" in d.message for d in diffs)


def test_an_edited_event_is_reported_as_a_chain_break(ledger):
    _busy_history(ledger)
    _tamper(ledger, "UPDATE audit_event SET actor = 'someone-else' WHERE seq = 4")
    result = _deep(ledger)
    assert not result.ok
    assert [(d.kind, d.id) for d in result.differences] == [("chain", 4)]


def test_a_forged_event_that_hides_an_edit_still_breaks_the_chain(ledger):
    # Edit the row AND its after-image: the rows now agree, but the event's hash does not.
    _busy_history(ledger)
    _tamper(ledger, "UPDATE member SET name = 'Camden Town' WHERE slug = 'camden'")
    _tamper(
        ledger,
        'UPDATE audit_event SET payload = REPLACE(payload, \'"name":"Camden"\', '
        "'\"name\":\"Camden Town\"') WHERE subject = 'Camden'",
    )
    result = _deep(ledger)
    assert [d.kind for d in result.differences] == ["chain"]


def test_cli_deep_json_lists_differences_and_exits_1(run, ledger):
    assert run("member", "admit", "bromley", "--date", "2023-04-01").code == 0
    assert run("audit", "verify", "--deep", "--json").json()["differences"] == []
    _tamper(ledger, "UPDATE member SET ceased_on = '2024-03-31' WHERE slug = 'bromley'")
    _tamper(ledger, "DELETE FROM member WHERE slug = 'city-of-london'")
    bad = run("audit", "verify", "--deep", "--json")
    assert bad.code == 1
    data = bad.json()
    assert data["ok"] is False
    assert {(d["kind"], d["table"]) for d in data["differences"]} == {
        ("changed", "member"),
        ("missing", "member"),
    }
    assert next(d for d in data["differences"] if d["kind"] == "changed")["columns"] == [
        "ceased_on"
    ]


def test_cli_deep_prints_each_difference_then_one_error_line(run, ledger):
    _tamper(ledger, "UPDATE member SET name = 'Bromley Borough' WHERE slug = 'bromley'")
    result = run("audit", "verify", "--deep")
    assert result.code == 1
    assert "differs from its audited state in name" in result.out
    assert result.err.count("Error:") == 1 and "Traceback" not in result.err
    assert "differs from its audited state in name" in result.out
    plain = run("audit", "verify")  # the chain itself is intact
    assert plain.code == 0


def test_cli_deep_on_an_untouched_ledger_says_intact(run, ledger):
    result = run("audit", "verify", "--deep")
    assert result.code == 0
    with ledger.engine.connect() as conn:
        cpi = conn.execute(text("SELECT count(*) FROM cpi_value")).scalar_one()
    # 33 authorities, the company's name and number, the shipped CPI months
    assert f"{35 + cpi} rows match" in result.out


def test_the_demo_story_leaves_every_row_audited(tmp_path, monkeypatch, run):
    monkeypatch.chdir(tmp_path)
    assert run("demo", "--dir", str(tmp_path)).code == 0
    from plvgov.db import Ledger

    demo = Ledger.open(tmp_path / "ledger.db")
    try:
        result = _deep(demo)
    finally:
        demo.dispose()
    assert [d.message for d in result.differences] == []


# -- bulk changes: the invoice run records its rows as one table image -----------------------
def _invoiced(ledger):
    """Three members invoiced for 2026/27 by one run (one event, a table image)."""
    from plvgov.billing import issuing
    from plvgov.dates import FinancialYear

    for slug in ("bromley", "camden", "sutton"):
        with ledger.write(f"plvgov member admit {slug}") as s:
            members.admit(s, members.find(s, slug), date(2023, 4, 1))
    with ledger.write("plvgov settings set launch_date") as s:
        settings.set_value(
            s, "launch_date", "2025-10-01", effective_from=None, authority=None, today=TODAY
        )
    issuing.run(ledger, FinancialYear(2026), date(2026, 4, 1), "plvgov invoice run")


def test_an_invoice_run_leaves_every_invoice_matching_its_audited_state(ledger):
    _invoiced(ledger)
    result = _deep(ledger)
    assert result.differences == ()
    with ledger.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM invoice")).scalar_one() == 3


def test_an_edited_invoice_is_named_whether_the_column_is_its_own_or_the_runs(ledger):
    # gross_pence is each invoice's own value; factor is the run's working, recorded once
    _invoiced(ledger)
    _tamper(ledger, "UPDATE invoice SET gross_pence = 1 WHERE number = 'PLV-2026-0002'")
    _tamper(ledger, "UPDATE invoice SET factor = '1.5' WHERE number = 'PLV-2026-0003'")
    diffs = _deep(ledger).differences
    assert sorted((d.kind, d.table, d.columns) for d in diffs) == [
        ("changed", "invoice", ("factor",)),
        ("changed", "invoice", ("gross_pence",)),
    ]


def test_an_invoice_deleted_or_forged_behind_the_ledgers_back_is_named(ledger):
    _invoiced(ledger)
    _tamper(ledger, "DELETE FROM invoice WHERE number = 'PLV-2026-0001'")
    _tamper(
        ledger,
        "INSERT INTO invoice (number, financial_year, sequence, member_id, issued_on, due_on, "
        "member_name, council_name, description, days, days_in_year, full_year_pence, "
        "net_pence, vat_rate, vat_pence, gross_pence, vat_treatment, scheme_authority, "
        "indexed, factor, kind) SELECT 'PLV-2026-0009', 2026, 9, id, '2026-04-01', "
        "'2026-05-01', name, council_name, 'x', 365, 365, 1, 1, '0', 0, 1, 'outside', "
        "'default', true, '1', 'subscription' "
        "FROM member WHERE slug = 'hackney'",
    )
    assert sorted((d.kind, d.table, d.id) for d in _deep(ledger).differences) == [
        ("missing", "invoice", 1),
        ("numbers", "document_number", "PLV-2026-0001"),  # registered, but no invoice now
        ("numbers", "document_number", "PLV-2026-0009"),  # an invoice never registered
        ("unaudited", "invoice", 4),
    ]
