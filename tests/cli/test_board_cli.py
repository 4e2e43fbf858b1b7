"""The ``director`` and ``board`` commands: the contract's JSON keys, exit codes and one-line
errors with nothing written."""

from __future__ import annotations

import pytest

from tests.cli.helpers import admit_four, refused_cleanly


@pytest.fixture
def four(run, ledger):
    return admit_four(run)


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
    refused_cleanly(run, ledger, "board", "attend", "1", "Ann Lee", says="after today")
    monkeypatch.setenv("PLVGOV_TODAY", "2026-12-05")
    run("board", "attend", "1", "Ann Lee")
    run("board", "attend", "1", "Ben Ng")
    refused_cleanly(run, ledger, "board", "attend", "1", "Cat Roy", says="not a director")
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
    refused_cleanly(
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
