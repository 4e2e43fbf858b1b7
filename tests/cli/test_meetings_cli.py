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
