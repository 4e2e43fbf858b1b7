"""The member group's commands (plvgov/cli/members.py): JSON, withdrawal, import, names; a
member's name and address in the register over time (`member update`, CA 2006 s.113), the
address in `member show` and in `check`; status lines in words."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from plvgov.models.audit import AuditEvent
from plvgov.oversight import checks
from tests.cli.helpers import admit, head_of, one_error_line, refused_cleanly
from tests.conftest import TODAY


def test_member_json_contracts(ledger, run):
    added = run(
        "member", "add", "--name", "Surrey County Council", "--code", "E10000030", "--json"
    ).json()
    assert set(added) == {"id", "slug"} and added["slug"] == "surrey-county-council"
    admit(run, "bromley")
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
    admit(run, "sutton")
    result = run("member", "withdraw", "sutton", "--notice-date", "2025-09-30", "--json").json()
    assert (result["effective_on"], result["deadline_met"], result["missed_exit_on"]) == (
        "2026-03-31",
        True,
        None,
    )
    text_run = run("member", "show", "sutton")
    assert "left on 31 March 2026" in " ".join(text_run.out.split())


def test_changed_notice_period_applies_from_its_date(ledger, run, monkeypatch):
    admit(run, "lambeth")
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
    one_error_line(result)
    assert "row 3" in result.err and "Bromley" in result.err
    shown = run("member", "show", "camden", "--json").json()
    assert shown["status"] == "prospect"  # all or nothing
    missing = run("member", "import", str(tmp_path / "nope.csv"))
    one_error_line(missing)


@pytest.mark.parametrize(
    ("name", "needle"),
    [("Bromly", "did you mean Bromley (E09000006)"), ("Atlantis", "no member 'Atlantis'")],
)
def test_unknown_member_names_nearest_matches(ledger, run, name, needle):
    result = run("member", "show", name)
    one_error_line(result)
    assert needle in result.err


OLD = "Civic Centre, Stockwell Close, Bromley BR1 3UH"
NEW = "Civic Centre, Churchill Court, 2 Westmoreland Road, Bromley BR1 1AS"


@pytest.fixture
def bromley(run, ledger):
    assert run("member", "admit", "bromley", "--date", "2023-04-01").code == 0
    return run


def _register(run, at: str) -> str:
    result = run("render", "register", "--format", "md", "--at", at)
    assert result.code == 0, result.err
    return result.out


def test_update_keeps_history_and_the_register_shows_the_address_in_force(bromley, ledger):
    run = bromley
    first = run("member", "update", "bromley", "--address", OLD, "--date", "2023-04-01", "--json")
    assert first.code == 0, first.err
    assert {k: first.json()[k] for k in ("id", "name", "address")} == {
        "id": first.json()["id"],
        "name": "London Borough of Bromley",
        "address": OLD,
    }
    moved = run("member", "update", "bromley", "--address", NEW, "--date", "2026-05-01")
    assert moved.code == 0, moved.err
    assert "1 May 2026" in moved.out and NEW in " ".join(moved.out.split())

    # the address in force on each day, in member show (JSON and text) and the register
    before = run("member", "show", "bromley", "--at", "2026-04-30", "--json").json()
    after = run("member", "show", "bromley", "--json").json()
    assert (before["address"], after["address"]) == (OLD, NEW)
    assert [c["address"] for c in after["detail_changes"]] == [OLD, NEW]  # history kept
    assert NEW in " ".join(run("member", "show", "bromley").out.split())
    assert OLD in _register(run, "2026-04-30") and NEW not in _register(run, "2026-04-30")
    assert NEW in _register(run, "2026-05-01") and OLD not in _register(run, "2026-05-01")

    # a change of the legal name only keeps the address; the register shows the new name
    renamed = run(
        "member", "update", "bromley", "--name", "Royal Borough of Bromley", "--json"
    ).json()
    assert (renamed["name"], renamed["address"]) == ("Royal Borough of Bromley", NEW)
    assert "Royal Borough of Bromley" in _register(run, TODAY.isoformat())
    assert "London Borough of Bromley" in _register(run, "2026-05-01")
    assert run("member", "show", "royal borough of bromley", "--json").json()["slug"] == "bromley"

    assert run("audit", "verify", "--deep", "--json").json()["ok"] is True
    with ledger.read() as session:
        actions = list(session.exec(select(AuditEvent.action)))
    assert actions.count("member.update") == 3  # one event a change


def test_email_is_kept_and_shown(bromley):
    run = bromley
    assert run("member", "update", "bromley", "--email", "clerk@bromley.gov.uk").code == 0
    shown = run("member", "show", "bromley", "--json").json()
    assert shown["email"] == "clerk@bromley.gov.uk" and shown["address"] is None


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        ((), 1, "pass --address, --name or --email"),
        (("--address", "   "), 1, "--address is empty"),
        (("--email", "not an email"), 1, "not an email address"),
        (("--address", OLD, "--date", "2026-11-24"), 1, "2026-11-24"),
        (("--address", OLD, "--date", "2026-02-30"), 2, "YYYY-MM-DD"),
        (("--name", "London Borough of Camden"), 1, "already in the ledger as camden"),
        (("--name", "London Borough of Bromley"), 1, "nothing to change"),
    ],
)
def test_update_refusals_write_nothing(bromley, ledger, args, code, says):
    refused_cleanly(bromley, ledger, "member", "update", "bromley", *args, code=code, says=says)


def test_update_to_the_address_in_force_is_refused(bromley, ledger):
    assert bromley("member", "update", "bromley", "--address", OLD).code == 0
    refused_cleanly(
        bromley, ledger, "member", "update", "bromley", "--address", OLD, says="nothing"
    )


def test_import_checks_the_address_last_recorded(bromley, ledger, tmp_path):
    run = bromley
    assert run("member", "update", "bromley", "--address", NEW).code == 0
    same = tmp_path / "same.csv"
    same.write_text(f'name,code,address,admitted_on\nBromley,E09000006,"{NEW}",2023-04-01\n')
    assert run("member", "import", str(same), "--json").json() == {"imported": 0}
    other = tmp_path / "other.csv"
    other.write_text(f'name,code,address,admitted_on\nBromley,E09000006,"{OLD}",2023-04-01\n')
    before = head_of(ledger)
    result = run("member", "import", str(other))
    assert result.code == 1 and "member update bromley" in result.err
    assert head_of(ledger) == before


def test_a_member_without_an_address_is_a_check_finding(bromley, ledger):
    def found():
        with ledger.read() as session:
            return [f.subject for f in checks.member_without_address(session, TODAY)]

    assert found() == ["Bromley"]
    assert checks.member_without_address in checks.CHECKS
    listed = bromley("check", "--json").json()
    assert any(f["check"] == "member_without_address" for f in listed)
    assert (
        bromley("member", "update", "bromley", "--address", NEW, "--date", "2026-11-01").code == 0
    )
    assert found() == []
    with ledger.read() as session:  # not yet recorded on an earlier day
        assert [f.subject for f in checks.member_without_address(session, date(2026, 10, 31))]


# -- status lines (12.5) ------------------------------------------------------------------------
def _text(result) -> str:
    assert result.code == 0, result.err
    return " ".join(result.out.split())


def test_member_show_says_when_a_member_leaves_and_when_it_left(bromley, monkeypatch):
    run = bromley
    assert (
        run(
            "member",
            "decide",
            "camden",
            "--stage",
            "in-principle",
            "--date",
            "2023-03-08",
            "--body",
            "Cabinet",
        ).code
        == 0
    )
    assert run("member", "withdraw", "bromley", "--notice-date", "2025-10-01").code == 0
    text = _text(run("member", "show", "bromley"))
    assert "leaves on 31 March 2028 (notice received 1 October 2025)" in text
    assert "Ceased" not in text and "notice_given" not in text and "2028-03-31" not in text

    later = _text(run("member", "show", "bromley", "--at", "2028-09-30"))
    assert "left on 31 March 2028" in later
    assert "30 September 2028" not in later.split("Status:")[1]  # not "ceased on <the day shown>"

    camden = _text(run("member", "show", "camden"))
    assert "agreed in principle on 8 March 2023 (Cabinet)" in camden
    assert "in_principle" not in camden
    listed = _text(run("member", "list"))
    assert "notice given" in listed and "notice_given" not in listed
    assert "in_principle" not in listed
    # JSON keeps the stored words
    assert run("member", "show", "bromley", "--json").json()["status"] == "notice_given"


def test_resolution_show_says_when_it_lapsed(run, ledger):
    for slug in ("camden", "hackney", "barnet"):
        assert run("member", "admit", slug, "--date", "2023-04-01").code == 0
    assert (
        run(
            "resolution", "propose", "--title", "T", "--type", "ordinary", "--procedure", "written"
        ).code
        == 0
    )
    circulated = run("resolution", "circulate", "1", "--date", "2025-10-06")
    assert "lapses at the end of 2 November 2025" in _text(circulated)

    open_ = _text(run("resolution", "show", "1", "--at", "2025-11-02"))
    assert "circulated on 6 October 2025; lapses at the end of 2 November 2025" in open_
    assert "circulated on 2 November" not in open_

    lapsed = _text(run("resolution", "show", "1", "--at", "2025-11-03"))
    assert "lapsed at the end of 2 November 2025" in lapsed
    assert "3 November 2025" not in lapsed.split("Status:")[1]  # not the day after
    assert run("resolution", "show", "1", "--json").json()["status"] == "lapsed"


@pytest.mark.parametrize(
    "line",
    [
        (
            "member",
            "email",
            "camden",
            "--address",
            "jö@camden.example",
            "--agreed-on",
            "2026-11-01",
        ),
        ("member", "update", "camden", "--email", "jö@camden.example", "--date", "2026-11-01"),
        ("member", "update", "camden", "--email", "clerk@例え.jp", "--date", "2026-11-01"),
    ],
)
def test_an_email_address_a_mail_header_cannot_carry_is_refused_when_recorded(run, ledger, line):
    """`member email` took "jö@…", `send --dry-run` said a copy would go, and the send failed
    ("unexpected failure (UnicodeEncodeError …)"): an address is one in plain ASCII, the same
    rule as the company's own (`settings set registered_email`)."""
    admit(run, "camden")
    refused_cleanly(run, ledger, *line, says="plain ASCII")


@pytest.mark.parametrize("name", ["E09000007", "e09000007", "barking-and-dagenham", "E12345678"])
def test_a_name_that_reads_as_a_members_code_or_slug_is_refused(run, ledger, name):
    """`member add --name E09000007` made a prospect that `member show E09000007` could not
    reach: the code named Camden."""
    refused_cleanly(run, ledger, "member", "add", "--name", name, says="GSS code or slug")


def test_a_director_named_by_a_number_is_refused(run, ledger):
    """`director resign 2` resigned director 2 (Marcus Reed), not the director named "2"."""
    refused_cleanly(run, ledger, "director", "appoint", "2", "--date", "2026-11-01",
                    says="is a number")  # fmt: skip


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (("member", "add", "--name", "N" * 201), "the name is over 200 characters"),
        (("member", "add", "--name", "Surrey", "--address", "A" * 1001), "over 1000 characters"),
        (("resolution", "propose", "--title", "T" * 201, "--type", "ordinary",
          "--procedure", "written"), "the title is over 200 characters"),
        (("director", "appoint", "D" * 201, "--date", "2026-11-01"), "over 200 characters"),
    ],
)  # fmt: skip
def test_names_and_titles_have_the_length_the_register_holds(run, ledger, line, says):
    """A 2,000-character name was taken (and a 2,000-character slug made for it), while
    `member update` and the directors' particulars held 200."""
    refused_cleanly(run, ledger, *line, says=says)


def test_a_member_renamed_to_another_members_code_or_slug_is_refused(run, ledger):
    admit(run, "camden")
    for name in ("E09000007", "barking-and-dagenham", "E09000003"):
        refused_cleanly(run, ledger, "member", "update", "camden", "--name", name,
                        "--date", "2026-11-01", says="GSS code or slug")  # fmt: skip
    renamed = run("member", "update", "camden", "--name", "Camden Council", "--date", "2026-11-01")
    assert renamed.code == 0, renamed.err
