"""The foundation's command line, driven in-process: init, backup, db upgrade, settings,
members, breaks, audit; every refusal is one `Error:` line, exit 1 (rule) or 2 (usage)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from plvgov.db import SCHEMA_HEAD, Ledger, is_sqlite


def _head(run) -> int:
    return run("audit", "verify", "--json").json()["events"]


def _one_error_line(result, code=1):
    assert result.code == code, (result.out, result.err)
    assert result.err.startswith("Error: ")
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err + result.out


def _admit(run, slug, on="2023-04-01"):
    result = run("member", "admit", slug, "--date", on)
    assert result.code == 0, result.err


# -- init, backup, db upgrade ---------------------------------------------------------------
def test_init_creates_the_ledger_and_refuses_a_second_time(run):
    first = run(
        "init", "--company-name", "Pan-London Vehicle Limited", "--company-number", "14712345"
    )
    assert first.code == 0, first.err
    assert "33 London authorities" in first.out
    listed = run("member", "list", "--json").json()
    assert len(listed) == 33 and {m["status"] for m in listed} == {"prospect"}
    assert run("settings", "show", "--json").json()["company_number"] == "14712345"
    again = run("init")
    _one_error_line(again)
    assert "already exists" in again.err
    assert _head(run) == 1


def test_db_option_names_the_ledger(run, tmp_path, ledger_url):
    if not is_sqlite(ledger_url):
        pytest.skip("a file path is a SQLite ledger")
    other = tmp_path / "other.db"
    assert run("--db", str(other), "init").code == 0
    assert other.exists()
    assert len(run("--db", str(other), "member", "list", "--json").json()) == 33
    missing = run("--db", str(tmp_path / "missing.db"), "member", "list")
    _one_error_line(missing)
    assert "plvgov init" in missing.err


def test_an_older_schema_stops_commands_until_db_upgrade(ledger, run):
    from plvgov import migrations

    with ledger.engine.connect() as conn:
        migrations.downgrade(conn, "-1")
        conn.commit()
    refused = run("member", "list")
    _one_error_line(refused)
    assert "plvgov db upgrade" in refused.err
    upgraded = run("db", "upgrade")
    assert upgraded.code == 0, upgraded.err
    assert f"to {SCHEMA_HEAD}" in upgraded.out
    if is_sqlite(ledger.url):
        backup = upgraded.out.split("Backup first: ")[1].strip().rstrip(".")
        conn = sqlite3.connect(backup)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM member").fetchone()[0] == 33
        finally:
            conn.close()
    assert run("member", "list").code == 0
    assert "nothing to do" in run("db", "upgrade").out


def test_backup_copies_and_refuses_to_overwrite(ledger, run, tmp_path):
    target = tmp_path / "copy.db"
    result = run("backup", str(target))
    if not is_sqlite(ledger.url):
        _one_error_line(result)
        assert "pg_dump" in result.err
        return
    assert result.code == 0, result.err
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM member").fetchone()[0] == 33
    finally:
        conn.close()
    copy = Ledger.open(target)
    assert copy.schema_revision() == SCHEMA_HEAD
    copy.dispose()
    again = run("backup", str(target))
    _one_error_line(again)
    assert "--force" in again.err
    assert run("backup", str(target), "--force").code == 0


# -- settings -------------------------------------------------------------------------------
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
    _one_error_line(result)
    assert needle in result.err
    assert _head(run) == 1


# -- members --------------------------------------------------------------------------------
def test_member_json_contracts(ledger, run):
    added = run(
        "member", "add", "--name", "Surrey County Council", "--code", "E10000030", "--json"
    ).json()
    assert set(added) == {"id", "slug"} and added["slug"] == "surrey-county-council"
    _admit(run, "bromley")
    listed = run("member", "list", "--status", "member", "--json").json()
    assert listed == [
        {
            "id": listed[0]["id"],
            "gss_code": "E09000006",
            "slug": "bromley",
            "name": "Bromley",
            "council_name": "London Borough of Bromley",
            "status": "member",
            "joined_on": "2023-04-01",
            "ceased_on": None,
        }
    ]
    shown = run("member", "show", "E09000006", "--at", "2025-06-01", "--json").json()
    assert {
        "id",
        "gss_code",
        "slug",
        "name",
        "status",
        "joined_on",
        "ceased_on",
        "next_exit_on",
        "notice_deadline",
        "guarantee_until",
    } <= set(shown)
    assert (shown["next_exit_on"], shown["notice_deadline"], shown["guarantee_until"]) == (
        "2026-03-31",
        "2025-09-30",
        None,
    )
    withdrawn = run("member", "withdraw", "bromley", "--notice-date", "2025-10-01", "--json").json()
    assert {
        "effective_on": withdrawn["effective_on"],
        "deadline_met": withdrawn["deadline_met"],
        "missed_exit_on": withdrawn["missed_exit_on"],
    } == {"effective_on": "2028-03-31", "deadline_met": False, "missed_exit_on": "2026-03-31"}
    assert (
        run("member", "show", "bromley", "--at", "2028-03-31", "--json").json()["status"]
        == "notice_given"
    )
    after = run("member", "show", "bromley", "--at", "2028-04-01", "--json").json()
    assert (after["status"], after["guarantee_until"]) == ("ceased", "2029-03-31")
    assert [
        m["slug"]
        for m in run(
            "member", "list", "--at", "2025-10-01", "--status", "notice-given", "--json"
        ).json()
    ] == ["bromley"]


def test_withdraw_in_time_says_so(ledger, run):
    _admit(run, "sutton")
    result = run("member", "withdraw", "sutton", "--notice-date", "2025-09-30", "--json").json()
    assert (result["effective_on"], result["deadline_met"], result["missed_exit_on"]) == (
        "2026-03-31",
        True,
        None,
    )
    text_run = run("member", "show", "sutton")
    assert "left on 31 March 2026" in " ".join(text_run.out.split())


def test_changed_notice_period_applies_from_its_date(ledger, run, monkeypatch):
    _admit(run, "lambeth")
    run("settings", "set", "withdrawal_notice_months", "3", "--from", "2027-01-01")
    monkeypatch.setenv("PLVGOV_TODAY", "2027-10-15")  # the notice is lodged once received
    result = run("member", "withdraw", "lambeth", "--notice-date", "2027-10-15", "--json").json()
    assert (result["effective_on"], result["deadline_met"], result["notice_deadline"]) == (
        "2028-03-31",
        True,
        "2027-12-31",
    )


def test_member_import_cli(ledger, run, tmp_path):
    good = tmp_path / "members.csv"
    good.write_text(
        "name,code,address,admitted_on\nBromley,E09000006,,2023-04-01\n"
        "Surrey County Council,E10000030,,\n",
        encoding="utf-8",
    )
    assert run("member", "import", str(good), "--json").json() == {"imported": 2}
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,code,address,admitted_on\nCamden,E09000007,,2023-04-01\n"
        "Bromley,E09000006,,2024-01-01\n",
        encoding="utf-8",
    )
    result = run("member", "import", str(bad))
    _one_error_line(result)
    assert "row 3" in result.err and "Bromley" in result.err
    shown = run("member", "show", "camden", "--json").json()
    assert shown["status"] == "prospect"  # all or nothing
    missing = run("member", "import", str(tmp_path / "nope.csv"))
    _one_error_line(missing)


@pytest.mark.parametrize(
    ("name", "needle"),
    [("Bromly", "did you mean Bromley (E09000006)"), ("Atlantis", "no member 'Atlantis'")],
)
def test_unknown_member_names_nearest_matches(ledger, run, name, needle):
    result = run("member", "show", name)
    _one_error_line(result)
    assert needle in result.err


def test_breaks_lists_cycles_and_exit_points(ledger, run):
    data = run("breaks", "--until", "2043-03-31", "--json").json()
    assert [p["on"] for p in data["exit_points"]] == [
        "2026-03-31",
        "2028-03-31",
        "2033-03-31",
        "2038-03-31",
        "2043-03-31",
    ]
    assert data["exit_points"][0] == {
        "on": "2026-03-31",
        "kind": "break",
        "notice_deadline": "2025-09-30",
    }
    assert data["cycles"][1] == {
        "number": 2,
        "starts_on": "2028-04-01",
        "ends_on": "2038-03-31",
        "break_on": "2033-03-31",
    }


# -- one audit event per mutating command ----------------------------------------------------
MUTATIONS = [
    ("member", "add", "--name", "Kent County Council", "--code", "E10000016"),
    (
        "member",
        "decide",
        "camden",
        "--stage",
        "in-principle",
        "--date",
        "2023-03-08",
        "--body",
        "Cabinet",
        "--ref",
        "Item 6",
    ),
    (
        "member",
        "decide",
        "camden",
        "--stage",
        "final",
        "--date",
        "2023-03-27",
        "--body",
        "Director",
    ),
    ("member", "admit", "camden", "--date", "2023-04-01"),
    (
        "member",
        "representative",
        "camden",
        "--name",
        "Marcus Reed",
        "--from",
        "2023-04-01",
        "--authority",
        "Cabinet 2023-03-08",
    ),
    ("member", "withdraw", "camden", "--notice-date", "2025-09-01"),
    ("member", "admit", "hackney", "--date", "2023-04-01"),
    ("member", "cease", "hackney", "--date", "2027-06-30", "--reason", "dissolution"),
    ("settings", "set", "invoice_due_days", "45", "--from", "2027-04-01", "--authority", "Board"),
    ("settings", "set", "registered_office", "1 Town Hall"),
]


def test_every_mutating_command_appends_exactly_one_event(ledger, run):
    for args in MUTATIONS:
        before = _head(run)
        result = run(*args)
        assert result.code == 0, (args, result.err)
        assert _head(run) == before + 1, args
        assert run("audit", "log", "--limit", "1", "--json").json()[0]["seq"] == before + 1
    log = run("audit", "log", "--limit", "3", "--json").json()
    assert {"seq", "at", "actor", "action", "subject"} <= set(log[0])
    assert log[0]["actor"] == "test-secretary"  # PLVGOV_ACTOR
    assert [e["action"] for e in log] == ["settings.set", "settings.set", "member.cease"]
    assert run("audit", "verify", "--json").json()["ok"] is True


def test_audit_verify_catches_an_edited_and_a_deleted_event(ledger, run):
    _admit(run, "bromley")
    _admit(run, "camden")
    good = run("audit", "verify", "--json").json()
    assert (good["events"], good["ok"], len(good["head"])) == (3, True, 64)
    assert "Audit trail intact: 3 events" in run("audit", "verify").out
    with ledger.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET subject = 'Hackney' WHERE seq = 2"))
    edited = run("audit", "verify")
    _one_error_line(edited)
    assert "event 2" in edited.err
    as_json = run("audit", "verify", "--json")
    assert as_json.code == 1 and as_json.json()["ok"] is False
    with ledger.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE seq = 2"))
    deleted = run("audit", "verify")
    _one_error_line(deleted)
    assert "event 2" in deleted.err and "missing" in deleted.err


# -- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("member", "admit", "bromley", "--date", "01/04/2023"), 2, "YYYY-MM-DD"),
        (("member", "list", "--at", "2023-02-30"), 2, "YYYY-MM-DD"),
        (("member", "list", "--colour"), 2, "--colour"),
        (("member", "admit", "bromley"), 2, "--date"),
        (("member", "admit", "atlantis", "--date", "2023-04-01"), 1, "no member"),
        (("member", "withdraw", "camden", "--notice-date", "2025-01-01"), 1, "not a member"),
        (
            (
                "member",
                "decide",
                "camden",
                "--stage",
                "maybe",
                "--date",
                "2023-01-01",
                "--body",
                "X",
            ),
            1,
            "unknown stage",
        ),
        (("member", "list", "--status", "gone"), 1, "unknown status"),
    ],
)
def test_errors_are_one_line_with_the_right_exit_code_and_write_nothing(
    ledger, run, args, code, needle
):
    result = run(*args)
    _one_error_line(result, code)
    assert needle in result.err
    assert _head(run) == 1


def test_admitting_twice_is_refused_and_writes_nothing(ledger, run):
    _admit(run, "bromley")
    result = run("member", "admit", "bromley", "--date", "2024-01-01")
    _one_error_line(result)
    assert _head(run) == 2
    assert run("member", "show", "bromley", "--json").json()["joined_on"] == "2023-04-01"


def test_every_foundation_command_has_help_with_an_example(run):
    for args in (
        ("init",),
        ("backup",),
        ("db", "upgrade"),
        ("settings", "show"),
        ("settings", "set"),
        ("member", "list"),
        ("member", "show"),
        ("member", "add"),
        ("member", "import"),
        ("member", "decide"),
        ("member", "admit"),
        ("member", "withdraw"),
        ("member", "cease"),
        ("member", "representative"),
        ("breaks",),
        ("audit", "log"),
        ("audit", "verify"),
        ("demo",),
    ):
        result = run(*args, "--help")
        assert result.code == 0, args
        assert "Example:" in result.out, args


def test_demo_refuses_to_overwrite_a_real_ledger(ledger, run, tmp_path):
    if not is_sqlite(ledger.url):
        pytest.skip("the demo writes a SQLite file")
    result = run("demo", "--dir", str(tmp_path))  # tmp_path/ledger.db is the real ledger
    _one_error_line(result)
    assert "not a demonstration ledger" in result.err
    assert _head(run) == 1


def test_an_unexpected_failure_is_one_line_without_a_traceback(ledger, run, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("plvgov.membership.members.admit", broken)
    result = run("member", "admit", "bromley", "--date", "2023-04-01")
    _one_error_line(result)
    assert "unexpected failure (RuntimeError: disk on fire); nothing was written" in result.err
    assert _head(run) == 1
