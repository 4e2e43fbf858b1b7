"""Members' resolutions: thresholds (CA 2006 ss.282-283), written resolutions (ss.288-297),
filing (s.30) and what the calendar, `check` and the board pack read."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from plvgov import audit
from plvgov.decisions import papers, resolutions
from plvgov.errors import RuleError
from plvgov.membership import exits, members
from plvgov.models.members import Member

D = date.fromisoformat
FOUNDED = D("2023-04-01")


def admit(ledger, count: int = 33, on: date = FOUNDED) -> list[str]:
    """Admit the first ``count`` London authorities (by name) from ``on``; returns slugs."""
    with ledger.write("test admit") as session:
        rows = list(session.exec(select(Member).order_by(Member.name)))[:count]
        for m in rows:
            members.admit(session, m, on)
        return [m.slug for m in rows]


def propose(
    ledger,
    kind: str = "ordinary",
    procedure: str = "written",
    title: str = "Approve the pricing strategy",
    purpose: str = "other",
) -> int:
    with ledger.write("test propose") as session:
        return resolutions.propose(
            session,
            title,
            kind,
            procedure,
            D("2026-02-20"),
            "THAT the pricing strategy be approved.",
            purpose,
        ).id


def circulate(ledger, rid: int, on: str = "2026-03-02") -> resolutions.Circulation:
    with ledger.write("test circulate") as session:
        return resolutions.circulate(session, resolutions.get(session, rid), D(on))


def vote(ledger, rid: int, slug: str, choice: str, on: str) -> None:
    with ledger.write("test vote") as session:
        resolutions.vote(
            session,
            resolutions.get(session, rid),
            members.find(session, slug),
            choice,
            D(on),
            "Representative",
        )


def show(ledger, rid: int, at: str) -> resolutions.Tally:
    with ledger.read() as session:
        return resolutions.tally(session, resolutions.get(session, rid), D(at))


def test_thresholds_use_integer_arithmetic() -> None:
    # CA 2006 s.282: more than half; s.283: at least 75%
    assert resolutions.required("ordinary", 33) == 17
    assert resolutions.required("special", 33) == 25  # 24.75 rounded up
    assert resolutions.required("ordinary", 30) == 16
    assert resolutions.required("special", 30) == 23  # 22.5 rounded up
    assert resolutions.required("special", 28) == 21  # exactly 75%
    assert resolutions.passes("ordinary", 12, 23)  # 12 for, 11 against
    assert not resolutions.passes("ordinary", 14, 28)  # a tie fails
    assert resolutions.passes("special", 18, 24)  # 75.0%
    assert not resolutions.passes("special", 17, 23)  # 73.9%
    assert resolutions.passes("special", 21, 28) and not resolutions.passes("special", 20, 28)
    assert not resolutions.passes("ordinary", 0, 0)


def test_written_ordinary_passes_on_the_17th_agreement(ledger) -> None:
    slugs = admit(ledger)
    rid = propose(ledger)
    result = circulate(ledger, rid)
    assert (result.eligible, result.required) == (33, 17)
    for n, slug in enumerate(slugs[:16]):
        vote(ledger, rid, slug, "for", f"2026-03-{3 + n % 10:02d}")
    assert show(ledger, rid, "2026-03-20").status == "circulated"
    vote(ledger, rid, slugs[16], "for", "2026-03-20")
    # CA 2006 s.296(4): passed when the 17th agreement is received
    state = show(ledger, rid, "2026-03-20")
    assert (state.status, state.passed_on, state.votes_for) == ("passed", D("2026-03-20"), 17)
    assert show(ledger, rid, "2026-03-19").status == "circulated"  # as of the day before
    with pytest.raises(RuleError, match="already passed"):
        vote(ledger, rid, slugs[17], "for", "2026-03-21")


def test_written_special_needs_25_of_33(ledger) -> None:
    slugs = admit(ledger)
    rid = propose(ledger, "special")
    assert circulate(ledger, rid).required == 25
    for slug in slugs[:24]:
        vote(ledger, rid, slug, "for", "2026-03-10")
    assert show(ledger, rid, "2026-03-10").status == "circulated"
    vote(ledger, rid, slugs[24], "for", "2026-03-11")
    assert show(ledger, rid, "2026-03-11").passed_on == D("2026-03-11")


def test_written_with_30_eligible(ledger) -> None:
    slugs = admit(ledger, 30)
    rid = propose(ledger, "special")
    assert circulate(ledger, rid).required == 23
    for slug in slugs[:23]:
        vote(ledger, rid, slug, "for", "2026-03-10")
    assert show(ledger, rid, "2026-03-10").status == "passed"


def test_lapse_28_days_beginning_with_circulation(ledger) -> None:
    slugs = admit(ledger)
    rid = propose(ledger)
    # CA 2006 s.297: circulated Mon 2 Mar 2026 → last day Sun 29 Mar 2026
    assert circulate(ledger, rid, "2026-03-02").lapses_on == D("2026-03-29")
    vote(ledger, rid, slugs[0], "for", "2026-03-29")  # the last day still counts
    with ledger.read() as session:
        events = audit.head(session)[0]
    with pytest.raises(RuleError, match="does not count"):
        vote(ledger, rid, slugs[1], "for", "2026-03-30")
    with ledger.read() as session:
        assert audit.head(session)[0] == events  # nothing written
    assert show(ledger, rid, "2026-03-29").status == "circulated"
    state = show(ledger, rid, "2026-03-30")
    assert (state.status, state.votes_for) == ("lapsed", 1)


def test_lapse_over_month_ends_and_leap_years(ledger) -> None:
    admit(ledger, 3)
    for on, lapses in (
        ("2026-01-31", "2026-02-27"),
        ("2028-02-15", "2028-03-13"),
        ("2027-02-15", "2027-03-14"),
    ):
        assert circulate(ledger, propose(ledger), on).lapses_on == D(lapses)


def test_eligibility_fixed_on_circulation_date(ledger) -> None:
    slugs = admit(ledger, 3)
    with ledger.write("test") as session:  # admitted after circulation: not eligible (s.289)
        late = list(session.exec(select(Member).order_by(Member.name)))[5]
        members.admit(session, late, D("2026-03-05"))
        exits.withdraw(session, members.find(session, slugs[2]), D("2026-03-01"))
    rid = propose(ledger)
    assert circulate(ledger, rid).eligible == 3  # a member under notice still votes
    with pytest.raises(RuleError, match="not entitled"):
        vote(ledger, rid, late.slug, "for", "2026-03-06")
    vote(ledger, rid, slugs[0], "for", "2026-03-03")
    with pytest.raises(RuleError, match="already replied"):
        vote(ledger, rid, slugs[0], "against", "2026-03-04")


def test_written_resolution_fails_when_it_can_no_longer_pass(ledger) -> None:
    slugs = admit(ledger)
    rid = propose(ledger, "special")
    circulate(ledger, rid)
    for slug in slugs[:8]:
        vote(ledger, rid, slug, "against", "2026-03-05")
    assert show(ledger, rid, "2026-03-05").status == "circulated"  # 25 could still agree
    vote(ledger, rid, slugs[8], "abstain", "2026-03-06")
    state = show(ledger, rid, "2026-03-06")
    assert (state.status, state.votes_against, state.abstentions) == ("failed", 8, 1)


def test_removing_a_director_or_auditor_is_never_written(ledger) -> None:
    # CA 2006 s.288(2)
    with pytest.raises(RuleError, match="s.288"):
        propose(ledger, purpose="remove-director")
    with pytest.raises(RuleError, match="auditor"):
        propose(ledger, purpose="remove-auditor")
    with pytest.raises(RuleError, match="director"):
        propose(ledger, title="Remove Jane Doe from office as a director")
    assert propose(ledger, procedure="meeting", purpose="remove-director")


def test_filing_special_resolution_and_deadlines(ledger) -> None:
    slugs = admit(ledger, 4)
    rid = propose(ledger, "special")
    circulate(ledger, rid, "2026-12-28")
    for slug in slugs[:3]:
        vote(ledger, rid, slug, "for", "2027-01-06")
    with ledger.read() as session:
        # CA 2006 s.30: passed Wed 6 Jan 2027 → file by Thu 21 Jan 2027
        kinds = {
            (d.kind, d.on) for d in resolutions.deadlines(session, D("2027-01-01"), D("2027-12-31"))
        }
        assert ("filing_special_resolution", D("2027-01-21")) in kinds
        unfiled = resolutions.unfiled_special(session, D("2027-01-22"))
        assert [(u.resolution_id, u.due_on, u.overdue) for u in unfiled] == [
            (rid, D("2027-01-21"), True)
        ]
        decided = resolutions.decisions_since(session, D("2027-01-01"), D("2027-01-31"))
        assert [(d.id, d.status, d.decided_on) for d in decided] == [
            (rid, "passed", D("2027-01-06"))
        ]
        copy = papers.certified_copy_document(session, rid)
        assert (copy.company_number, copy.passed_on, copy.type) == (
            "14712345",
            D("2027-01-06"),
            "special",
        )
    with ledger.write("test file") as session:
        resolutions.file(session, resolutions.get(session, rid), D("2027-01-12"))
    with ledger.read() as session:
        assert resolutions.unfiled_special(session, D("2027-01-22")) == []
        assert not [
            d
            for d in resolutions.deadlines(session, D("2027-01-01"), D("2027-12-31"))
            if d.kind == "filing_special_resolution"
        ]


def test_lapse_deadline_and_at_risk(ledger) -> None:
    slugs = admit(ledger, 5)
    rid = propose(ledger)
    circulate(ledger, rid, "2026-03-02")
    vote(ledger, rid, slugs[0], "for", "2026-03-03")
    with ledger.read() as session:
        lapse = resolutions.deadlines(session, D("2026-03-01"), D("2026-03-31"))
        assert [(d.kind, d.on) for d in lapse] == [("written_resolution_lapse", D("2026-03-29"))]
        assert resolutions.at_risk(session, D("2026-03-15")) == []
        risky = resolutions.at_risk(session, D("2026-03-23"))
        assert [(r.resolution_id, r.votes_for, r.required, r.days_left) for r in risky] == [
            (rid, 1, 3, 6)
        ]
        document = papers.written_resolution_document(session, rid)
        assert (len(document.replies), document.lapses_on, document.required) == (
            5,
            D("2026-03-29"),
            3,
        )
        with pytest.raises(RuleError):
            papers.certified_copy_document(session, rid)
