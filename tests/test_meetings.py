"""General meetings: notice (CA 2006 ss.307, 360, 1147), short-notice consents (s.307(5)-(6)),
quorum (s.318), votes on votes cast (ss.282-283), s.283(6) and the documents' data."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import select

from plvgov import settings
from plvgov.dates import parse_datetime
from plvgov.decisions import meetings, papers, proceedings, resolutions
from plvgov.errors import RuleError
from plvgov.membership import members
from plvgov.models.members import Member

D, T = date.fromisoformat, datetime.fromisoformat


def admit(ledger, count: int = 33) -> list[str]:
    with ledger.write("test admit") as session:
        rows = list(session.exec(select(Member).order_by(Member.name)))[:count]
        for m in rows:
            members.admit(session, m, D("2023-04-01"))
        return [m.slug for m in rows]


def propose(ledger, kind: str = "ordinary", text: str = "THAT the articles be amended.") -> int:
    with ledger.write("test") as session:
        return resolutions.propose(
            session, f"A {kind} resolution", kind, "meeting", D("2026-12-01"), text
        ).id


def convene(
    ledger,
    at: str = "2027-01-06T10:00",
    sent: str = "2026-12-18T14:00",
    method: str = "email",
    rids: tuple[int, ...] = (),
) -> int:
    with ledger.write("test") as session:
        return meetings.convene(
            session, parse_datetime(at), parse_datetime(sent), method, "Barnet House", list(rids)
        ).id


def attend(ledger, mid: int, slug: str, rep: str | None = None, proxy: str | None = None) -> None:
    with ledger.write("test") as session:
        proceedings.attend(
            session,
            meetings.get(session, mid),
            members.find(session, slug),
            rep or (None if proxy else f"Rep of {slug}"),
            proxy,
        )


def vote(ledger, mid: int, rid: int, slug: str, choice: str) -> None:
    with ledger.write("test") as session:
        proceedings.vote(
            session,
            meetings.get(session, mid),
            resolutions.get(session, rid),
            members.find(session, slug),
            choice,
        )


def close(ledger, mid: int) -> proceedings.Closing:
    with ledger.write("test") as session:
        return proceedings.close(session, meetings.get(session, mid))


@pytest.mark.parametrize(
    ("sent", "method", "at", "deemed", "earliest", "ok"),
    [
        ("2026-12-18T14:00", "email", "2027-01-06T10:00", "2026-12-22T14:00", "2027-01-06", True),
        ("2026-12-24T10:00", "email", "2027-01-13T10:00", "2026-12-30T10:00", "2027-01-14", False),
        ("2026-04-02T17:00", "post", "2026-04-23T11:00", "2026-04-08T17:00", "2026-04-23", True),
        ("2026-12-30T09:00", "email", "2027-01-19T09:00", "2027-01-04T09:00", "2027-01-19", True),
    ],
)
def test_convene_worked_examples(ledger, sent, method, at, deemed, earliest, ok) -> None:
    mid = convene(ledger, at, sent, method)
    with ledger.read() as session:
        meeting = meetings.get(session, mid)
        # CA 2006 s.1147 (48 working hours) and s.360 (14 clear days)
        assert meeting.deemed_served_at == T(deemed)
        assert meeting.earliest_valid_on == D(earliest)
        assert meetings.notice_period_ok(meeting) is ok


def test_summer_time_date_times_are_london_wall_clock(ledger) -> None:
    # parse_datetime gives Europe/London; the ledger keeps the wall-clock time (BST here)
    mid = convene(ledger, "2026-07-01T10:00", "2026-06-12T09:30")
    with ledger.read() as session:
        meeting = meetings.get(session, mid)
        assert meeting.held_at == T("2026-07-01T10:00")
        assert meeting.deemed_served_at == T("2026-06-16T09:30")


def test_short_notice_consents_33_members(ledger) -> None:
    slugs = admit(ledger)
    mid = convene(ledger, "2027-01-08T10:00")  # earliest valid 6 Jan: this is fine
    short = convene(ledger, "2027-01-05T10:00")  # a day short
    with ledger.read() as session:
        view = meetings.show(session, meetings.get(session, short), D("2027-01-01"))
        # CA 2006 s.307(5)-(6): majority in number holding 90% → 30 of 33
        assert (view.notice_ok, view.consents, view.consents_required) == (False, 0, 30)
        assert [s.meeting_id for s in meetings.short_notice(session, D("2027-01-01"))] == [short]
        assert meetings.show(session, meetings.get(session, mid), D("2027-01-01")).notice_ok
    for slug in slugs[:29]:
        with ledger.write("test") as session:
            meetings.consent(
                session, meetings.get(session, short), members.find(session, slug), D("2027-01-02")
            )
    with ledger.read() as session:
        assert not meetings.show(session, meetings.get(session, short), D("2027-01-05")).notice_ok
    with ledger.write("test") as session:
        meetings.consent(
            session, meetings.get(session, short), members.find(session, slugs[29]), D("2027-01-04")
        )
    with ledger.read() as session:
        assert meetings.show(session, meetings.get(session, short), D("2027-01-04")).notice_ok
        assert not meetings.show(session, meetings.get(session, short), D("2027-01-03")).notice_ok
        assert meetings.short_notice(session, D("2027-01-04")) == []
    with ledger.write("test") as session, pytest.raises(RuleError, match="already consented"):
        meetings.consent(
            session, meetings.get(session, short), members.find(session, slugs[0]), D("2027-01-04")
        )


def test_short_notice_at_95_percent_needs_32(ledger) -> None:
    admit(ledger)
    with ledger.write("test") as session:
        settings.set_value(
            session,
            "short_notice_consent_percent",
            "95",
            effective_from=D("2026-01-01"),
            authority="articles",
            today=D("2026-11-23"),
        )
    mid = convene(ledger, "2027-01-05T10:00")
    with ledger.read() as session:
        assert (
            meetings.show(session, meetings.get(session, mid), D("2027-01-01")).consents_required
            == 32
        )


def test_quorum_two_qualifying_persons_of_different_members(ledger) -> None:
    admit(ledger)
    camden_only, two_councils, proxies = convene(ledger), convene(ledger), convene(ledger)
    # CA 2006 s.318(3): two representatives of one corporation are not a quorum
    attend(ledger, camden_only, "camden", "Marcus Reed")
    attend(ledger, camden_only, "camden", "Second Camden Officer")
    attend(ledger, two_councils, "camden", "Marcus Reed")
    attend(ledger, two_councils, "hackney", "Joanna Kaur")
    attend(ledger, proxies, "barnet", proxy="Proxy One")
    attend(ledger, proxies, "barnet", proxy="Proxy Two")
    with ledger.read() as session:
        assert not proceedings.is_quorate(session, meetings.get(session, camden_only))
        assert proceedings.is_quorate(session, meetings.get(session, two_councils))
        assert not proceedings.is_quorate(session, meetings.get(session, proxies))


def _poll(ledger, kind: str, votes_for: int, against: int, abstain: int = 0) -> str:
    slugs = admit(ledger, votes_for + against + abstain)
    rid = propose(ledger, kind)
    mid = convene(ledger, rids=(rid,))
    choices = ["for"] * votes_for + ["against"] * against + ["abstain"] * abstain
    for slug, choice in zip(slugs, choices, strict=True):
        attend(ledger, mid, slug)
        vote(ledger, mid, rid, slug, choice)
    outcome = close(ledger, mid).resolutions[0]
    return outcome.status


def test_ordinary_12_for_11_against_5_abstain_passes(ledger) -> None:
    # CA 2006 s.282(3): abstentions are not votes cast
    assert _poll(ledger, "ordinary", 12, 11, 5) == "passed"


def test_special_18_for_6_against_passes(ledger) -> None:
    assert _poll(ledger, "special", 18, 6) == "passed"  # exactly 75.0%


def test_special_17_for_6_against_fails(ledger) -> None:
    assert _poll(ledger, "special", 17, 6) == "failed"  # 73.9%


def test_tie_fails_without_a_casting_vote(ledger) -> None:
    assert _poll(ledger, "ordinary", 14, 14) == "failed"


def test_nothing_passes_at_an_inquorate_meeting(ledger) -> None:
    admit(ledger, 3)
    rid = propose(ledger)
    mid = convene(ledger, rids=(rid,))
    attend(ledger, mid, "barking-and-dagenham")
    vote(ledger, mid, rid, "barking-and-dagenham", "for")
    result = close(ledger, mid)
    assert (result.quorate, result.resolutions[0].status) == (False, "failed")
    with ledger.read() as session:
        assert (
            resolutions.tally(session, resolutions.get(session, rid), D("2027-01-06")).status
            == "failed"
        )
    with pytest.raises(RuleError, match="closed"):
        attend(ledger, mid, "barnet")


def test_nothing_passes_on_invalid_notice(ledger) -> None:
    slugs = admit(ledger, 3)
    rid = propose(ledger)
    mid = convene(ledger, at="2027-01-05T10:00", rids=(rid,))
    for slug in slugs:
        attend(ledger, mid, slug)
        vote(ledger, mid, rid, slug, "for")
    result = close(ledger, mid)
    assert (result.notice_ok, result.resolutions[0].status) == (False, "failed")


def test_special_resolution_must_be_in_the_notice(ledger) -> None:
    slugs = admit(ledger, 3)
    in_notice, special_late, ordinary_late = (
        propose(ledger, "special"),
        propose(ledger, "special"),
        propose(ledger, "ordinary"),
    )
    mid = convene(ledger, rids=(in_notice,))
    with ledger.write("test") as session:
        meeting = meetings.get(session, mid)
        meetings.add_business(session, meeting, resolutions.get(session, special_late))
    with ledger.write("test") as session:
        meetings.add_business(
            session, meetings.get(session, mid), resolutions.get(session, ordinary_late)
        )
    for slug in slugs:
        attend(ledger, mid, slug)
        for rid in (in_notice, special_late, ordinary_late):
            vote(ledger, mid, rid, slug, "for")
    statuses = {o.id: o.status for o in close(ledger, mid).resolutions}
    # CA 2006 s.283(6): a special resolution's text must be in the notice
    assert statuses == {in_notice: "passed", special_late: "failed", ordinary_late: "passed"}


def test_one_vote_per_member_and_only_when_present(ledger) -> None:
    admit(ledger, 3)
    rid = propose(ledger)
    mid = convene(ledger, rids=(rid,))
    with pytest.raises(RuleError, match="not recorded as present"):
        vote(ledger, mid, rid, "camden", "for")
    attend(ledger, mid, "barnet", "First Officer")
    attend(ledger, mid, "barnet", "Second Officer")
    vote(ledger, mid, rid, "barnet", "for")
    # CA 2006 s.323(4): several representatives of one council count once
    with pytest.raises(RuleError, match="one vote"):
        vote(ledger, mid, rid, "barnet", "for")
    with pytest.raises(RuleError, match="not a member"):
        attend(ledger, mid, "camden")  # Camden is not admitted


def test_deadlines_and_documents(ledger) -> None:
    admit(ledger, 3)
    rid = propose(ledger, "special", "THAT the articles in the form attached be adopted.")
    mid = convene(ledger, rids=(rid,))
    with ledger.read() as session:
        found = {
            (d.kind, d.on) for d in meetings.deadlines(session, D("2026-12-01"), D("2027-01-31"))
        }
        assert ("general_meeting", D("2027-01-06")) in found
        notice_by = [
            d.on
            for d in meetings.deadlines(session, D("2026-12-01"), D("2027-01-31"))
            if d.kind == "meeting_notice_by"
        ]
        assert notice_by and notice_by[0] <= D("2026-12-20")
        notice = papers.notice_document(session, mid)
        assert notice.deemed_served_at == T("2026-12-22T14:00")
        assert notice.earliest_valid_on == D("2027-01-06")
        assert notice.resolutions[0].label == "special resolution"
        assert "proxy" in notice.proxy_statement
        assert "articles in the form attached" in notice.resolutions[0].text
    attend(ledger, mid, "barnet")
    attend(ledger, mid, "barking-and-dagenham")
    vote(ledger, mid, rid, "barnet", "for")
    vote(ledger, mid, rid, "barking-and-dagenham", "for")
    close(ledger, mid)
    with ledger.read() as session:
        minutes = papers.minutes_document(session, mid)
        assert (minutes.present, minutes.quorate, minutes.resolutions[0].status) == (
            2,
            True,
            "passed",
        )
        assert not [
            d
            for d in meetings.deadlines(session, D("2026-12-01"), D("2027-01-31"))
            if d.kind == "meeting_notice_by"
        ]


def test_poll_demands(ledger) -> None:
    admit(ledger)
    mid = convene(ledger)
    # CA 2006 s.321: with 33 members the articles may ask no more than 4 (10% = 3.3) or 5
    assert proceedings.poll_demand_floor(33) == 4
    assert proceedings.poll_demand_floor(10) == 1
    with ledger.read() as session:
        meeting = meetings.get(session, mid)
        # Model Articles art 30: any two persons with a vote, or the chair
        assert proceedings.poll_demand_valid(session, meeting, 2)
        assert not proceedings.poll_demand_valid(session, meeting, 1)
        assert proceedings.poll_demand_valid(session, meeting, 0, by_chair=True)
    with ledger.write("test") as session:
        settings.set_value(
            session,
            "poll_demand_min_persons",
            "5",
            effective_from=D("2026-01-01"),
            authority="articles",
            today=D("2026-11-23"),
        )
    with ledger.read() as session:
        meeting = meetings.get(session, mid)
        assert proceedings.poll_demand_valid(session, meeting, 4)  # s.321 overrides the articles
        assert not proceedings.poll_demand_valid(session, meeting, 3)
