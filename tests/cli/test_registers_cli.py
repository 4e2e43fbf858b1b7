"""`psc show`, `request log/list/close`, `director verify` (plvgov/cli/registers.py,
plvgov/cli/directors.py)."""

from __future__ import annotations

from tests.cli.helpers import admit, admit_four, refused_cleanly


def test_psc_show_three_then_four_members(ledger, run) -> None:
    for slug in ("camden", "hackney", "barnet"):
        admit(run, slug)
    admit(run, "bromley", "2025-10-01")
    before = run("psc", "show", "--at", "2025-09-30", "--json").json()
    assert before["statement"] is None
    assert [(e["member"], e["gss_code"], e["from_on"], e["to_on"]) for e in before["entries"]] == [
        ("London Borough of Barnet", "E09000003", "2023-04-01", None),
        ("London Borough of Camden", "E09000007", "2023-04-01", None),
        ("London Borough of Hackney", "E09000012", "2023-04-01", None),
    ]
    assert {e["nature"] for e in before["entries"]} == {
        "more than 25% but not more than 50% of the voting rights"
    }
    now = run("psc", "show", "--json").json()
    assert now["statement"].startswith("The company knows or has reasonable cause to believe")
    assert {e["to_on"] for e in now["entries"]} == {"2025-09-30"}
    text = run("psc", "show").out
    assert "Statement (from 2025-10-01): The company knows" in text
    assert "other registrable person" in text


def test_request_log_list_close(ledger, run) -> None:
    admit_four(run)
    made = run(
        "request",
        "log",
        "--kind",
        "meeting",
        "--date",
        "2026-11-02",
        "--member",
        "camden",
        "--text",
        "to remove a director",
        "--json",
    ).json()
    assert made == {
        "id": 1,
        "kind": "meeting",
        "received_on": "2026-11-02",
        "due_on": "2026-11-23",
        "binding": True,
    }
    foi = run("request", "log", "--kind", "foi", "--date", "2026-11-23", "--name", "R. Citizen")
    assert foi.code == 0
    assert "Due 2026-12-22: answer the request for information (FOIA 2000 s.10(1))." in foi.out
    listed = run("request", "list", "--json").json()
    assert [(r["id"], r["kind"], r["due_on"], r["status"]) for r in listed] == [
        (1, "meeting", "2026-11-23", "open"),
        (2, "foi", "2026-12-22", "open"),
    ]
    closed = run("request", "close", "1", "--date", "2026-11-20", "--outcome", "GM called")
    assert closed.code == 0 and "Closed request 1 on 2026-11-20." in closed.out
    assert run("request", "list", "--json").json()[0]["status"] == "closed"
    calendar = run("calendar", "--from", "2026-11-01", "--to", "2026-12-31", "--json").json()
    assert "request_foi" in {d["kind"] for d in calendar}
    assert "request_meeting" not in {d["kind"] for d in calendar}


def test_a_request_that_does_not_bind_says_so(ledger, run) -> None:
    with ledger.write("test: 33") as s:
        from datetime import date

        from plvgov.membership import members

        for m in members.everyone(s):
            members.admit(s, m, date(2023, 4, 1))
    result = run(
        "request",
        "log",
        "--kind",
        "written-resolution",
        "--date",
        "2026-11-02",
        "--member",
        "camden",
    )
    assert result.code == 0
    assert "does not bind the company: Camden holds 3.03% of the voting rights" in result.out
    assert run("request", "list", "--json").json()[0]["status"] == "not binding"


def test_request_refusals_write_nothing(ledger, run) -> None:
    admit_four(run)
    refused_cleanly(
        run,
        ledger,
        "request",
        "log",
        "--kind",
        "petition",
        "--date",
        "2026-11-02",
        says="unknown kind 'petition'",
    )
    refused_cleanly(
        run,
        ledger,
        "request",
        "log",
        "--kind",
        "inspection",
        "--date",
        "2026-11-02",
        "--name",
        "A. Journalist",
        says="s.116(4)",
    )
    refused_cleanly(
        run,
        ledger,
        "request",
        "log",
        "--kind",
        "meeting",
        "--date",
        "2026-11-24",
        "--member",
        "camden",
        says="after today",
    )
    refused_cleanly(
        run,
        ledger,
        "request",
        "close",
        "9",
        "--date",
        "2026-11-02",
        "--outcome",
        "x",
        says="no request 9",
    )


def test_director_verify_shows_in_the_register(ledger, run) -> None:
    assert run("director", "appoint", "Jane Doe", "--date", "2023-04-01").code == 0
    result = run("director", "verify", "Jane Doe", "--code", "ABC12DEF345", "--date", "2025-11-20")
    assert result.code == 0
    assert "Jane Doe verified their identity with Companies House on 2025-11-20." in result.out
    assert run("director", "list", "--json").json()[0]["verified_on"] == "2025-11-20"
    refused_cleanly(
        run,
        ledger,
        "director",
        "verify",
        "Jane Doe",
        "--code",
        "??",
        "--date",
        "2025-11-20",
        says="personal code",
    )


def test_the_register_of_directors_paper_is_the_public_copy(ledger, run) -> None:
    """s.163: service address, nationality, occupation, month and year of birth; s.165: the
    usual residential address and the day of birth stay out of the copy open to inspection."""
    assert run("director", "appoint", "Jane Doe", "--date", "2023-04-01").code == 0
    assert run("director", "appoint", "Sam Lee", "--date", "2023-04-01").code == 0
    given = run(
        "director", "particulars", "Jane Doe",
        "--service-address", "2 Bristol Avenue, London NW9 4EW",
        "--residential-address", "14 Private Road, London N1 1AA",
        "--born", "1972-02-29", "--nationality", "British", "--occupation", "Solicitor",
        "--country", "England",
    )  # fmt: skip
    assert given.code == 0, given.err
    assert run("director", "resign", "Sam Lee", "--date", "2026-03-31").code == 0
    paper = run("render", "directors-register", "--at", "2026-01-15")
    assert paper.code == 0, paper.err
    text = paper.out
    assert "# Register of directors" in text and "as at 15 January 2026" in text
    assert "2 Bristol Avenue, London NW9 4EW" in text and "Solicitor" in text
    assert "February 1972" in text  # month and year only
    assert "Private Road" not in text and "29 February 1972" not in text
    assert "2 directors in office" in text  # Sam Lee resigns after the register's date
    later = run("render", "directors-register", "--at", "2026-04-01").out
    assert "1 director in office" in later and "31 March 2026" in later
    assert "Sam Lee" in later  # a former director's entry is kept


def test_request_list_gives_what_was_asked_and_the_inspection_particulars(ledger, run) -> None:
    """`request log` stored the text, address and purpose (s.116(4)); no command showed them."""
    logged = run(
        "request", "log", "--kind", "inspection", "--date", "2026-11-20", "--name", "A Journalist",
        "--text", "To inspect the register of members", "--address", "1 Fleet Street, London",
        "--purpose", "a news story", "--no-disclose",
    )  # fmt: skip
    assert logged.code == 0, logged.err
    [row] = run("request", "list", "--json").json()
    assert row["text"] == "To inspect the register of members"
    assert (row["address"], row["purpose"], row["disclosed"]) == (
        "1 Fleet Street, London", "a news story", False,
    )  # fmt: skip
    assert "To inspect the register of members" in run("request", "list").out
