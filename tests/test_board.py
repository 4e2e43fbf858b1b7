"""The board: register of directors (s.162), meetings with quorum and casting vote (Model
Articles arts 11, 13), unanimous written decisions (arts 7-8), admission approvals (art 21)."""

from __future__ import annotations

from datetime import date

import pytest

from plvgov import settings
from plvgov.decisions import appointments, board
from plvgov.errors import NotFound, RuleError
from plvgov.membership import members
from plvgov.registers import directors

D = date.fromisoformat


def appoint(ledger, *names: str, on: str = "2023-04-01") -> None:
    for name in names:
        with ledger.write("test") as session:
            appointments.appoint(session, name, D(on), members.find(session, "barnet"))


def meeting(ledger, on: str = "2026-11-30", chair: str | None = "Ann") -> int:
    with ledger.write("test") as session:
        chair_row = appointments.find_director(session, chair) if chair else None
        return board.convene(session, D(on), "Barnet House", chair_row).id


def attend(ledger, mid: int, *names: str) -> None:
    for name in names:
        with ledger.write("test") as session:
            board.attend(
                session, board.get_meeting(session, mid), appointments.find_director(session, name)
            )


def propose(ledger, mid: int, purpose: str = "other", member: str | None = None) -> int:
    with ledger.write("test") as session:
        applicant = members.find(session, member) if member else None
        return board.propose(
            session, board.get_meeting(session, mid), "A decision", None, purpose, applicant
        ).id


def vote(ledger, rid: int, name: str, choice: str) -> None:
    with ledger.write("test") as session:
        board.vote(
            session,
            board.get_resolution(session, rid),
            appointments.find_director(session, name),
            choice,
        )


def close(ledger, mid: int) -> board.BoardClosing:
    with ledger.write("test") as session:
        return board.close(session, board.get_meeting(session, mid))


def test_register_of_directors(ledger) -> None:
    appoint(ledger, "Ann", "Ben")
    with ledger.write("test") as session:
        appointments.resign(session, appointments.find_director(session, "Ben"), D("2026-06-30"))
    with ledger.read() as session:
        rows = directors.register(session, D("2026-07-01"))
        assert [(r.name, r.nominated_by, r.in_office) for r in rows] == [
            ("Ann", "Barnet", True),
            ("Ben", "Barnet", False),
        ]
        assert [d.name for d in appointments.directors_on(session, D("2026-06-30"))] == [
            "Ann",
            "Ben",
        ]
    with ledger.write("test") as session, pytest.raises(RuleError, match="already resigned"):
        appointments.resign(session, appointments.find_director(session, "Ben"), D("2026-07-01"))


def test_majority_of_votes_cast_at_a_quorate_meeting(ledger) -> None:
    appoint(ledger, "Ann", "Ben", "Cat")
    mid = meeting(ledger)
    attend(ledger, mid, "Ann", "Ben", "Cat")
    rid = propose(ledger, mid)
    vote(ledger, rid, "Ann", "for")
    vote(ledger, rid, "Ben", "abstain")
    vote(ledger, rid, "Cat", "against")
    # a 1-1 tie: the chair (Ann) voted for, so the casting vote carries it (art 13)
    result = close(ledger, mid)
    assert (result.quorate, result.resolutions[0]["status"]) == (True, "passed")


def test_no_casting_vote_when_the_setting_is_off(ledger) -> None:
    appoint(ledger, "Ann", "Ben")
    with ledger.write("test") as session:
        settings.set_value(
            session,
            "board_chair_casting_vote",
            "false",
            effective_from=D("2026-01-01"),
            authority="articles",
            today=D("2026-11-23"),
        )
    mid = meeting(ledger)
    attend(ledger, mid, "Ann", "Ben")
    rid = propose(ledger, mid)
    vote(ledger, rid, "Ann", "for")
    vote(ledger, rid, "Ben", "against")
    assert close(ledger, mid).resolutions[0]["status"] == "failed"


def test_inquorate_board_decides_nothing(ledger) -> None:
    appoint(ledger, "Ann", "Ben")
    mid = meeting(ledger)
    attend(ledger, mid, "Ann")  # quorum is two (Model Articles art 11)
    rid = propose(ledger, mid)
    vote(ledger, rid, "Ann", "for")
    result = close(ledger, mid)
    assert (result.quorate, result.resolutions[0]["status"]) == (False, "failed")


def test_unanimous_written_decision(ledger) -> None:
    appoint(ledger, "Ann", "Ben", "Cat")
    with ledger.write("test") as session:
        rid = board.propose_written(
            session,
            "Approve Ealing",
            D("2023-06-28"),
            None,
            "approve-admission",
            members.find(session, "ealing"),
        ).id
    for name, on in (("Ann", "2023-06-28"), ("Ben", "2023-06-29")):
        with ledger.write("test") as session:
            board.sign(
                session,
                board.get_resolution(session, rid),
                appointments.find_director(session, name),
                D(on),
            )
    with ledger.read() as session:
        assert board.get_resolution(session, rid).status == "proposed"
        with pytest.raises(RuleError, match="had not passed"):
            members.check_admission_resolution(session, rid, D("2023-07-01"))
    with ledger.write("test") as session:
        board.sign(
            session,
            board.get_resolution(session, rid),
            appointments.find_director(session, "Cat"),
            D("2023-06-30"),
        )
    with ledger.read() as session:
        row = board.get_resolution(session, rid)
        assert (row.status, row.decided_on) == ("passed", D("2023-06-30"))
    # member admit --resolution checks the board's approval (art 21)
    with ledger.write("test") as session:
        ealing = members.find(session, "ealing")
        with pytest.raises(RuleError, match="had not passed by 2023-06-29"):
            members.admit(session, ealing, D("2023-06-29"), rid)
    with ledger.write("test") as session:
        members.admit(session, members.find(session, "ealing"), D("2023-07-01"), rid)
    with ledger.read() as session:
        assert members.find(session, "ealing").admission_resolution_id == rid


def test_written_decision_invalid_without_a_quorum_of_eligible_directors(ledger) -> None:
    appoint(ledger, "Ann")
    with ledger.write("test") as session, pytest.raises(RuleError, match="art 8"):
        board.propose_written(session, "Alone", D("2024-01-10"))


def test_admission_needs_an_admission_approval(ledger) -> None:
    appoint(ledger, "Ann", "Ben")
    mid = meeting(ledger, "2023-06-20")
    attend(ledger, mid, "Ann", "Ben")
    other = propose(ledger, mid)
    vote(ledger, other, "Ann", "for")
    close(ledger, mid)
    with ledger.read() as session:
        with pytest.raises(RuleError, match="does not approve an admission"):
            members.check_admission_resolution(session, other, D("2023-07-01"))
        with pytest.raises(NotFound):
            members.check_admission_resolution(session, 99, D("2023-07-01"))
