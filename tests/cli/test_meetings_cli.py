"""The ``meeting`` commands: the contract's JSON keys, exit codes and one-line errors with nothing
written."""

from __future__ import annotations

import pytest

from tests.cli.helpers import admit_four, refused_cleanly


@pytest.fixture
def four(run, ledger):
    return admit_four(run)


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
    voted = run("meeting", "vote", "1", "1", "hackney", "--vote", "for")
    # the message states the tally as it stands (issue 12.6)
    assert voted.code == 0 and "so far 2 for, 0 against, 0 abstaining" in voted.out
    refused_cleanly(
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
    refused_cleanly(
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
    refused_cleanly(
        run, ledger, "meeting", "convene", "--at", "6 Jan", "--sent", "2026-12-18T14:00", code=2
    )
    closed = run("meeting", "close", "1", "--json").json()
    assert closed["quorate"] is True
    assert [(r["id"], r["status"]) for r in closed["resolutions"]] == [(1, "passed")]
    assert [m["id"] for m in run("meeting", "list", "--json").json()] == [2, 1]  # by date
    assert "Barnet House" in run("meeting", "show", "1").out
    refused_cleanly(run, ledger, "meeting", "close", "1", says="closed")
    # passed Wed 6 Jan 2027 → file by Thu 21 Jan 2027 (CA 2006 s.30)
    assert (
        run("resolution", "show", "1", "--at", "2027-01-06", "--json").json()["filing_due_on"]
        == "2027-01-21"
    )
    assert run("resolution", "file", "1", "--date", "2027-01-12", "--json").json() == {
        "id": 1,
        "filed_on": "2027-01-12",
    }


def test_minutes_a_chair_can_sign(four, ledger, monkeypatch, tmp_path) -> None:
    """Issue 13.3: the chair (named at convening, changed at the meeting), the officers in
    attendance, the opening and closing times and each resolution's votes on one line."""
    run = four
    run("director", "appoint", "Sam Patel", "--date", "2023-04-01", "--nominated-by", "camden")
    run(
        "resolution",
        "propose",
        "--title",
        "Adopt amended articles",
        "--type",
        "special",
        "--procedure",
        "meeting",
    )
    run(
        "resolution",
        "propose",
        "--title",
        "Receive the accounts",
        "--type",
        "ordinary",
        "--procedure",
        "meeting",
    )
    refused_cleanly(
        run,
        ledger,
        *("meeting", "convene", "--at", "2027-01-06T10:00", "--sent", "2026-12-18T14:00"),
        *("--chair", "  "),
        says="--chair cannot be empty",
    )
    convened = run(
        *("meeting", "convene", "--at", "2027-01-06T10:00", "--sent", "2026-12-18T14:00"),
        *("--resolution", "1", "--resolution", "2", "--chair", "Jane Doe", "--json"),
    )
    assert convened.code == 0, convened
    assert run("meeting", "show", "1", "--json").json()["chair"] == "Jane Doe"
    # officers are recorded once the meeting is held
    refused_cleanly(
        run, ledger, "meeting", "officers", "1", "--secretary", "Alex Kim", says="once it is held"
    )
    monkeypatch.setenv("PLVGOV_TODAY", "2027-01-12")
    for slug in ("camden", "hackney", "barnet", "bromley"):
        assert run("meeting", "attend", "1", slug, "--representative", f"Rep {slug}").code == 0
        assert run("meeting", "vote", "1", "1", slug, "--vote", "for").code == 0
    assert run("meeting", "vote", "1", "2", "camden", "--vote", "for").code == 0
    assert run("meeting", "vote", "1", "2", "hackney", "--vote", "against").code == 0
    assert run("meeting", "vote", "1", "2", "barnet", "--vote", "abstain").code == 0
    changed = run("meeting", "chair", "1", "--name", "Sam Patel")
    assert changed.code == 0 and "in place of Jane Doe" in changed.out
    refused_cleanly(run, ledger, "meeting", "chair", "1", "--name", "Sam Patel", says="already")
    refused_cleanly(
        run, ledger, "meeting", "officers", "1", "--director", "Nobody", says="not a director"
    )
    officers = run("meeting", "officers", "1", "--director", "Sam Patel", "--secretary", "Alex Kim")
    assert officers.code == 0, officers
    refused_cleanly(
        run, ledger, "meeting", "officers", "1", "--secretary", "Kim Alex", says="already"
    )
    refused_cleanly(run, ledger, "meeting", "officers", "1", says="--director NAME")
    refused_cleanly(
        run, ledger, "meeting", "close", "1", "--opened", "09:30", says="before the time"
    )
    refused_cleanly(
        run, ledger, "meeting", "close", "1", "--closed", "09:59", says="close after it opened"
    )
    refused_cleanly(run, ledger, "meeting", "close", "1", "--closed", "25:00", code=2)
    closed = run("meeting", "close", "1", "--opened", "10:05", "--closed", "11:15")
    assert closed.code == 0, closed
    refused_cleanly(run, ledger, "meeting", "chair", "1", "--name", "Jane Doe", says="closed")
    out = tmp_path / "minutes.md"
    assert run("render", "minutes", "1", "--format", "md", "--out", str(out)).code == 0
    minutes = out.read_text(encoding="utf-8")
    assert "**Chair:** Sam Patel" in minutes
    assert "**In attendance:** Sam Patel (director), Alex Kim (company secretary)" in minutes
    assert "The meeting opened at 10:05 and closed at 11:15." in minutes
    assert (
        "- Resolution 1 (special): Adopt amended articles — passed: "
        "4 for, 0 against, 0 abstentions." in minutes
    )
    assert (
        "- Resolution 2 (ordinary): Receive the accounts — failed: "
        "1 for, 1 against, 1 abstention." in minutes
    )
    assert "Signed as a correct record:" in minutes
    assert "Sam Patel, Chair" in minutes
    html = tmp_path / "minutes.html"
    assert run("render", "minutes", "1", "--format", "html", "--out", str(html)).code == 0
    page = html.read_text(encoding="utf-8")
    assert "<strong>Chair:</strong> Sam Patel" in page and "Alex Kim (company secretary)" in page


def test_minutes_without_a_closing_time_say_so(four, ledger, monkeypatch, tmp_path) -> None:
    run = four
    run(
        "resolution",
        "propose",
        "--title",
        "Receive the accounts",
        "--type",
        "ordinary",
        "--procedure",
        "meeting",
    )
    run(
        *("meeting", "convene", "--at", "2027-01-06T10:00", "--sent", "2026-12-18T14:00"),
        *("--resolution", "1"),
    )
    monkeypatch.setenv("PLVGOV_TODAY", "2027-01-12")
    for slug in ("camden", "hackney"):
        run("meeting", "attend", "1", slug, "--representative", f"Rep {slug}")
    assert run("meeting", "close", "1").code == 0
    out = tmp_path / "minutes.md"
    assert run("render", "minutes", "1", "--format", "md", "--out", str(out)).code == 0
    minutes = out.read_text(encoding="utf-8")
    assert "The meeting opened at 10:00; its closing time was not recorded." in minutes
    assert "Chair:" not in minutes and "In attendance" not in minutes
    assert "Chair of the meeting" in minutes
    assert "____" in minutes.split("Signed as a correct record:")[1]
