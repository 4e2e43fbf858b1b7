"""The register of people with significant control (CA 2006 Part 21A, Sch. 1A), derived from
the register of members and the articles (plvgov/registers/psc.py)."""

from __future__ import annotations

from datetime import date

import pytest

from plvgov import settings
from plvgov.membership import members
from plvgov.oversight import checks
from plvgov.registers import psc
from tests.conftest import TODAY
from tests.stories import admit

D = date.fromisoformat
SLUGS = ["barnet", "camden", "hackney", "bromley"]


def put(ledger, key: str, raw: str, start: str | None = None) -> None:
    with ledger.write("test: settings") as s:
        settings.set_value(
            s, key, raw, effective_from=D(start) if start else None, authority=None, today=TODAY
        )


def cease(ledger, slug: str, last_day: str) -> None:
    with ledger.write("test: cease") as s:
        members.cease(s, members.find(s, slug), D(last_day), "withdrawal")


def shown(ledger, on: str) -> psc.Register:
    with ledger.read() as s:
        return psc.register(s, D(on))


@pytest.mark.parametrize(
    ("count", "nature"),
    [
        (1, psc.VOTES_75),  # a sole member holds 100%
        (2, psc.VOTES_25),  # 50% is not more than 50%
        (3, psc.VOTES_25),  # 33 1/3% each
    ],
)
def test_one_two_or_three_equal_members_are_each_registrable(ledger, count, nature) -> None:
    for slug in SLUGS[:count]:
        admit(ledger, slug, "2023-04-01")
    reg = shown(ledger, "2026-11-23")
    assert reg.statement is None and reg.statement_from is None
    names = {"barnet": "Barnet", "camden": "Camden", "hackney": "Hackney"}
    assert [(e.member, e.nature, e.from_on, e.to_on) for e in reg.entries] == [
        (f"London Borough of {names[s]}", nature, D("2023-04-01"), None)
        for s in sorted(SLUGS[:count])
    ]
    assert len(reg.entries) == count
    assert {e.nature for e in reg.entries} == {nature}
    assert all(e.kind.startswith("other registrable person") for e in reg.entries)
    assert {e.gss_code for e in reg.entries} == {
        {"barnet": "E09000003", "camden": "E09000007", "hackney": "E09000012"}.get(s, None)
        for s in SLUGS[:count]
    }


@pytest.mark.parametrize("count", [4, 33])
def test_four_or_more_equal_members_give_the_prescribed_statement(ledger, count) -> None:
    with ledger.read() as s:
        slugs = [m.slug for m in members.everyone(s)][:count]
    assert len(slugs) == count
    with ledger.write("test: admit") as s:
        for slug in slugs:
            members.admit(s, members.find(s, slug), D("2023-04-01"))
    reg = shown(ledger, "2026-11-23")
    assert reg.entries == []
    assert reg.statement == psc.NO_PSC
    assert "no registrable person or registrable relevant legal entity" in reg.statement
    assert reg.statement_from == D("2023-04-01")


def test_no_members_no_entries(ledger) -> None:
    reg = shown(ledger, "2026-11-23")
    assert reg.entries == [] and reg.statement == psc.NO_PSC and reg.changes == []


def test_admissions_and_withdrawals_change_the_position_on_their_dates(ledger) -> None:
    for slug in SLUGS[:3]:
        admit(ledger, slug, "2023-04-01")
    admit(ledger, "bromley", "2024-02-29")  # a leap day: four members, nobody over 25%
    cease(ledger, "hackney", "2025-03-31")  # back to three from 1 April 2025

    on_eve = shown(ledger, "2024-02-28")
    assert len(on_eve.current) == 3 and on_eve.statement is None

    leap = shown(ledger, "2024-02-29")
    assert leap.current == [] and leap.statement == psc.NO_PSC
    assert leap.statement_from == D("2024-02-29")
    assert {e.to_on for e in leap.entries} == {D("2024-02-28")}  # kept, with the day they ended

    last_day = shown(ledger, "2025-03-31")  # Hackney is a member to the end of its last day
    assert last_day.current == [] and last_day.statement == psc.NO_PSC

    after = shown(ledger, "2025-04-01")
    assert after.statement is None
    assert sorted(e.member for e in after.current) == [
        "London Borough of Barnet",
        "London Borough of Bromley",
        "London Borough of Camden",
    ]
    assert {e.from_on for e in after.current} == {D("2025-04-01")}
    assert len(after.entries) == 6  # three ended, three begun: nothing is deleted
    assert after.changes == [D("2023-04-01"), D("2024-02-29"), D("2025-04-01")]


@pytest.mark.parametrize(
    ("votes", "nature"),
    [
        ("barnet=2", psc.VOTES_25),  # 2 of 5: 40%
        ("barnet=3", psc.VOTES_25),  # 3 of 6: exactly 50% is "not more than 50%"
        ("barnet=4", psc.VOTES_50),  # 4 of 7: 57%
        ("E09000003=9", psc.VOTES_75),  # 9 of 12: exactly 75% is "75% or more"
        ("barnet=8", psc.VOTES_50),  # 8 of 11: 72.7%
    ],
)
def test_weighted_votes_in_the_articles_give_each_band(ledger, votes, nature) -> None:
    for slug in SLUGS:
        admit(ledger, slug, "2023-04-01")
    put(ledger, "articles_member_votes", votes, "2026-01-01")
    assert shown(ledger, "2025-12-31").statement == psc.NO_PSC
    reg = shown(ledger, "2026-01-01")
    assert [(e.member, e.nature, e.from_on) for e in reg.current] == [
        ("London Borough of Barnet", nature, D("2026-01-01"))
    ]


def test_exactly_a_quarter_is_not_more_than_25_percent(ledger) -> None:
    for slug in SLUGS:
        admit(ledger, slug, "2023-04-01")
    # Barnet 2 of 8 (25%) is not registrable; Camden 3 of 8 (37.5%) is.
    put(ledger, "articles_member_votes", "barnet=2,camden=3,hackney=2,bromley=1", "2026-01-01")
    reg = shown(ledger, "2026-01-01")
    assert [(e.member, e.nature) for e in reg.current] == [
        ("London Borough of Camden", psc.VOTES_25)
    ]


def test_the_right_to_appoint_most_directors_makes_a_member_registrable(ledger) -> None:
    with ledger.write("test: admit") as s:
        for m in members.everyone(s):
            members.admit(s, m, D("2023-04-01"))
    put(ledger, "articles_director_appointer", "camden", "2026-06-01")
    assert shown(ledger, "2026-05-31").statement == psc.NO_PSC
    reg = shown(ledger, "2026-06-01")
    assert [(e.member, e.nature) for e in reg.current] == [
        ("London Borough of Camden", psc.APPOINTS)
    ]


def test_both_natures_are_entered_together(ledger) -> None:
    admit(ledger, "camden", "2023-04-01")
    admit(ledger, "barnet", "2023-04-01")
    put(ledger, "articles_director_appointer", "camden", "2026-06-01")
    reg = shown(ledger, "2026-06-01")
    camden = [e for e in reg.current if e.member == "London Borough of Camden"]
    assert [e.nature for e in camden] == [f"{psc.VOTES_25}; {psc.APPOINTS}"]
    assert [e.to_on for e in reg.entries if e.member == "London Borough of Camden"] == [
        D("2026-05-31"),
        None,
    ]


def test_a_change_starts_the_register_and_registrar_clocks(ledger) -> None:
    with ledger.write("test: incorporation") as s:
        settings.stage_fact(s, "incorporation_date", D("2023-02-14"))
    for slug in SLUGS[:3]:
        admit(ledger, slug, "2023-04-01")
    admit(ledger, "bromley", "2026-10-30")
    with ledger.read() as s:
        found = psc.deadlines(s, D("2023-01-01"), D("2027-12-31"))
        soon = list(checks.psc_registrar_notice(s, TODAY))
        late = list(checks.psc_registrar_notice(s, D("2026-11-28")))
        passed = [f for f in checks.passed_deadlines(s, D("2026-11-28")) if "PSC" in f.subject]
    # 2026-10-30 starts both clocks; the first position (2023-04-01) starts none
    assert [(d.on, d.kind, d.outstanding) for d in found] == [
        (D("2026-11-13"), "psc_register_update", False),  # 14 days
        (D("2026-11-27"), "psc_notify_registrar", True),  # 14 days after that
    ]
    assert [(f.severity, f.subject) for f in soon] == [
        ("warning", "PSC register: change on 30 October 2026")
    ]
    assert "by 2026-11-27 (in 4 days; CA 2006 s.790VA)" in soon[0].message
    assert "`plvgov settings set psc_notified_to 2026-10-30`" in soon[0].message
    assert [(f.severity, f.subject) for f in late] == [
        ("error", "PSC register: change on 30 October 2026")
    ]
    assert passed == []  # reported once, by its own check
    with ledger.write("test: notified") as s:
        settings.stage_fact(s, "psc_notified_to", D("2026-10-30"))
    with ledger.read() as s:
        found = psc.deadlines(s, D("2023-01-01"), D("2027-12-31"))
        assert not [d for d in found if d.outstanding]
        assert list(checks.psc_registrar_notice(s, D("2026-11-28"))) == []


def test_the_position_at_incorporation_starts_no_clock(ledger) -> None:
    with ledger.write("test: incorporation") as s:
        settings.stage_fact(s, "incorporation_date", D("2023-04-01"))
    admit(ledger, "camden", "2023-04-01")
    with ledger.read() as s:
        assert psc.deadlines(s, D("2023-01-01"), D("2027-12-31")) == []
