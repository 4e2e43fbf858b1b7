"""The decisions commands: the contract's JSON keys, exit codes and one-line errors with nothing
written."""

from __future__ import annotations

from pathlib import Path

import pytest

from plvgov import audit


def events(ledger) -> int:
    with ledger.read() as session:
        return audit.head(session)[0]


def refused(run, ledger, *args: str, code: int = 1, says: str = "") -> str:
    before = events(ledger)
    result = run(*args)
    assert result.code == code, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.err
    assert "Traceback" not in result.err and result.out == ""
    assert says.lower() in lines[0].lower()
    assert events(ledger) == before  # nothing written
    return lines[0]


@pytest.fixture
def four(run, ledger):
    for slug in ("camden", "hackney", "barnet", "bromley"):
        assert run("member", "admit", slug, "--date", "2023-04-01").code == 0
    return run


def test_written_resolution_commands(four, ledger, tmp_path: Path) -> None:
    run = four
    text = tmp_path / "pricing.md"
    text.write_text("THAT the pricing strategy attached be approved.\n")
    proposed = run(
        "resolution",
        "propose",
        "--title",
        "Approve the pricing strategy",
        "--type",
        "ordinary",
        "--procedure",
        "written",
        "--text-file",
        str(text),
        "--json",
    )
    assert proposed.code == 0 and proposed.json() == {"id": 1}
    circulated = run("resolution", "circulate", "1", "--date", "2026-03-02", "--json").json()
    assert circulated == {"eligible": 4, "required": 3, "lapses_on": "2026-03-29"}
    for slug, day in (("camden", "03"), ("hackney", "04"), ("barnet", "05")):
        assert (
            run(
                "resolution",
                "vote",
                "1",
                slug,
                "--vote",
                "for",
                "--date",
                f"2026-03-{day}",
                "--representative",
                "Rep",
            ).code
            == 0
        )
    shown = run("resolution", "show", "1", "--at", "2026-03-05", "--json").json()
    assert {
        "id",
        "type",
        "procedure",
        "status",
        "eligible",
        "required",
        "votes_for",
        "votes_against",
        "abstentions",
        "passed_on",
    } <= set(shown)
    assert (shown["status"], shown["passed_on"], shown["votes_for"]) == ("passed", "2026-03-05", 3)
    assert (
        run("resolution", "show", "1", "--at", "2026-03-04", "--json").json()["status"]
        == "circulated"
    )
    listed = run("resolution", "list", "--json").json()
    assert [r["id"] for r in listed] == [1]
    assert "Approve the pricing strategy" in run("resolution", "list").out
    refused(
        run,
        ledger,
        "resolution",
        "vote",
        "1",
        "bromley",
        "--vote",
        "for",
        "--date",
        "2026-03-30",
        says="already passed",
    )


def test_resolution_refusals(four, ledger) -> None:
    run = four
    refused(
        run,
        ledger,
        "resolution",
        "propose",
        "--title",
        "Remove Ann Smith as a director",
        "--type",
        "ordinary",
        "--procedure",
        "written",
        says="s.288(2)",
    )
    refused(
        run,
        ledger,
        "resolution",
        "propose",
        "--title",
        "X",
        "--type",
        "extraordinary",
        "--procedure",
        "written",
        says="unknown type",
    )
    run(
        "resolution",
        "propose",
        "--title",
        "Pricing",
        "--type",
        "ordinary",
        "--procedure",
        "written",
    )
    run("resolution", "circulate", "1", "--date", "2026-03-02")
    refused(
        run,
        ledger,
        "resolution",
        "vote",
        "1",
        "camden",
        "--vote",
        "for",
        "--date",
        "2026-03-30",
        says="does not count",
    )
    refused(
        run,
        ledger,
        "resolution",
        "vote",
        "1",
        "lambeth",
        "--vote",
        "for",
        "--date",
        "2026-03-10",
        says="not entitled",
    )
    refused(run, ledger, "resolution", "show", "9", says="no resolution 9")
    refused(
        run,
        ledger,
        "resolution",
        "circulate",
        "1",
        "--date",
        "2026-04-01",
        says="circulated on 2026-03-02",
    )
    refused(run, ledger, "resolution", "file", "1", "--date", "2026-03-10", says="only a passed")
    refused(run, ledger, "resolution", "circulate", "1", "--date", "soon", code=2)
    assert (
        run("resolution", "show", "1", "--at", "2026-03-30", "--json").json()["status"] == "lapsed"
    )


def test_meeting_commands(four, ledger, monkeypatch) -> None:
    run = four
    run(
        "resolution",
        "propose",
        "--title",
        "Amend the articles",
        "--type",
        "special",
        "--procedure",
        "meeting",
    )
    convened = run(
        "meeting",
        "convene",
        "--at",
        "2027-01-06T10:00",
        "--sent",
        "2026-12-18T14:00",
        "--method",
        "email",
        "--place",
        "Barnet House",
        "--resolution",
        "1",
        "--json",
    ).json()
    assert convened == {
        "id": 1,
        "deemed_served_at": "2026-12-22T14:00:00",
        "earliest_valid_on": "2027-01-06",
        "notice_ok": True,
    }
    short = run(
        "meeting", "convene", "--at", "2027-01-05T10:00", "--sent", "2026-12-18T14:00", "--json"
    ).json()
    assert short["notice_ok"] is False
    # convening plans; what happens at the meetings is recorded once they have been held
    monkeypatch.setenv("PLVGOV_TODAY", "2027-01-12")
    for slug in ("camden", "hackney", "barnet"):
        assert run("meeting", "consent", "2", slug, "--date", "2027-01-02").code == 0
    shown = run("meeting", "show", "2", "--at", "2027-01-03", "--json").json()
    assert {
        "id",
        "at",
        "deemed_served_at",
        "earliest_valid_on",
        "notice_ok",
        "consents",
        "consents_required",
    } <= set(shown)
    # 4 members: a majority holding 90% of the votes is 4 consents
    assert (shown["consents"], shown["consents_required"], shown["notice_ok"]) == (3, 4, False)
    assert run("meeting", "attend", "1", "camden", "--representative", "Marcus Reed").code == 0
    assert run("meeting", "attend", "1", "hackney", "--proxy", "The Chair").code == 0
    assert run("meeting", "vote", "1", "1", "camden", "--vote", "for").code == 0
    assert run("meeting", "vote", "1", "1", "hackney", "--vote", "for").code == 0
    refused(
        run,
        ledger,
        "meeting",
        "vote",
        "1",
        "1",
        "barnet",
        "--vote",
        "for",
        says="not recorded as present",
    )
    refused(
        run,
        ledger,
        "meeting",
        "convene",
        "--at",
        "2027-01-06T10:00",
        "--sent",
        "2026-12-18T14:00",
        "--method",
        "pigeon",
        says="unknown method",
    )
    refused(
        run, ledger, "meeting", "convene", "--at", "6 Jan", "--sent", "2026-12-18T14:00", code=2
    )
    closed = run("meeting", "close", "1", "--json").json()
    assert closed["quorate"] is True
    assert [(r["id"], r["status"]) for r in closed["resolutions"]] == [(1, "passed")]
    assert [m["id"] for m in run("meeting", "list", "--json").json()] == [2, 1]  # by date
    assert "Barnet House" in run("meeting", "show", "1").out
    refused(run, ledger, "meeting", "close", "1", says="closed")
    # passed Wed 6 Jan 2027 → file by Thu 21 Jan 2027 (CA 2006 s.30)
    assert (
        run("resolution", "show", "1", "--at", "2027-01-06", "--json").json()["filing_due_on"]
        == "2027-01-21"
    )
    assert run("resolution", "file", "1", "--date", "2027-01-12", "--json").json() == {
        "id": 1,
        "filed_on": "2027-01-12",
    }


def test_articles_commands(four, ledger, tmp_path: Path, monkeypatch) -> None:
    run = four
    monkeypatch.setenv("PLVGOV_TODAY", "2027-02-01")  # after every fact below
    v1, v2 = tmp_path / "v1.md", tmp_path / "v2.md"
    v1.write_text("# Articles\n\n1. Notice: 14 clear days.\n")
    v2.write_text("# Articles\n\n1. Notice: 21 clear days.\n")
    assert (
        run("articles", "adopt", str(v1), "--date", "2023-02-14", "--json").json()["version"] == 1
    )
    refused(run, ledger, "articles", "adopt", str(v2), "--date", "2027-01-06", says="s.21")
    run("resolution", "propose", "--title", "Amend", "--type", "special", "--procedure", "written")
    run("resolution", "circulate", "1", "--date", "2027-01-04")
    refused(
        run,
        ledger,
        "articles",
        "adopt",
        str(v2),
        "--date",
        "2027-01-06",
        "--resolution",
        "1",
        says="passed special",
    )
    for slug in ("camden", "hackney", "barnet"):
        run("resolution", "vote", "1", slug, "--vote", "for", "--date", "2027-01-06")
    adopted = run(
        "articles", "adopt", str(v2), "--date", "2027-01-06", "--resolution", "1", "--json"
    ).json()
    assert adopted == {"version": 2, "filing_due_on": "2027-01-21"}
    assert "14 clear days" in run("articles", "show", "--version", "1").out
    assert "21 clear days" in run("articles", "show", "--at", "2027-02-01").out
    history = run("articles", "history", "--json").json()
    assert [(h["version"], h["resolution_id"]) for h in history] == [(1, None), (2, 1)]
    diff = run("articles", "diff", "1", "2").out
    assert "-1. Notice: 14 clear days." in diff and "+1. Notice: 21 clear days." in diff
    assert run("articles", "file", "2", "--date", "2027-01-15", "--json").json() == {
        "version": 2,
        "filed_on": "2027-01-15",
    }
    refused(run, ledger, "articles", "show", "--version", "7", says="no version 7")
    refused(
        run,
        ledger,
        "articles",
        "adopt",
        str(tmp_path / "missing.md"),
        "--date",
        "2027-02-01",
        says="no file",
    )


def test_director_and_board_commands(four, ledger, monkeypatch) -> None:
    run = four
    for name in ("Ann Lee", "Ben Ng", "Cat Roy"):
        assert (
            run(
                "director",
                "appoint",
                name,
                "--date",
                "2023-04-01",
                "--nominated-by",
                "barnet",
                "--json",
            ).json()["name"]
            == name
        )
    assert run("director", "resign", "Cat Roy", "--date", "2026-06-30").code == 0
    directors = run("director", "list", "--json").json()
    assert [(d["name"], d["in_office"]) for d in directors] == [
        ("Ann Lee", True),
        ("Ben Ng", True),
        ("Cat Roy", False),
    ]
    assert run(
        "board", "meeting", "--date", "2026-11-30", "--chair", "Ann Lee", "--json"
    ).json() == {"id": 1}
    # a board meeting may be planned ahead; attendance is recorded once it has been held
    refused(run, ledger, "board", "attend", "1", "Ann Lee", says="after today")
    monkeypatch.setenv("PLVGOV_TODAY", "2026-12-05")
    run("board", "attend", "1", "Ann Lee")
    run("board", "attend", "1", "Ben Ng")
    refused(run, ledger, "board", "attend", "1", "Cat Roy", says="not a director")
    assert run(
        "board",
        "propose",
        "1",
        "--title",
        "Approve Lambeth's application",
        "--purpose",
        "approve-admission",
        "--member",
        "lambeth",
        "--json",
    ).json() == {"id": 1}
    run("board", "vote", "1", "Ann Lee", "--vote", "for")
    run("board", "vote", "1", "Ben Ng", "--vote", "against")
    closed = run("board", "close", "1", "--json").json()
    # a tie: the chair's casting vote (Model Articles art 13) carries it
    assert (closed["quorate"], closed["resolutions"][0]["status"]) == (True, "passed")
    assert run("member", "admit", "lambeth", "--date", "2026-12-01", "--resolution", "1").code == 0
    written = run(
        "board", "written", "--title", "Bank mandate", "--date", "2026-12-02", "--json"
    ).json()
    assert written == {"id": 2, "eligible": 2}
    assert (
        run("board", "sign", "2", "Ann Lee", "--date", "2026-12-02", "--json").json()["status"]
        == "proposed"
    )
    assert run("board", "sign", "2", "Ben Ng", "--date", "2026-12-03", "--json").json() == {
        "id": 2,
        "status": "passed",
        "decided_on": "2026-12-03",
    }
    refused(
        run,
        ledger,
        "member",
        "admit",
        "lewisham",
        "--date",
        "2026-12-05",
        "--resolution",
        "2",
        says="does not approve an admission",
    )
    assert [r["status"] for r in run("board", "resolutions", "--json").json()] == [
        "passed",
        "passed",
    ]
    assert run("board", "list", "--json").json()[0]["present"] == 2
    shown = run("board", "show", "1", "--json").json()
    assert (shown["chair"], shown["present"], shown["quorate"]) == (
        "Ann Lee",
        ["Ann Lee", "Ben Ng"],
        True,
    )
    assert [r["id"] for r in shown["resolutions"]] == [1]
    assert "Ann Lee" in run("board", "show", "1").out
