"""The articles: versions adopted by special resolution (CA 2006 s.21), filing (s.26), diff."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from plvgov.decisions import articles, resolutions
from plvgov.errors import RuleError
from plvgov.membership import members
from plvgov.models.members import Member

D = date.fromisoformat
V1 = "# Articles\n\n1. Members: London councils.\n2. Notice: 14 clear days.\n"
V2 = "# Articles\n\n1. Members: London councils.\n2. Notice: 21 clear days.\n"


def passed_written(ledger, kind: str, on: str = "2027-01-06") -> int:
    with ledger.write("test") as session:
        rows = list(session.exec(select(Member).order_by(Member.name)))[:4]
        for m in rows:
            if m.admitted_on is None:
                members.admit(session, m, D("2023-04-01"))
    with ledger.write("test") as session:
        r = resolutions.propose(
            session,
            "Amend the articles",
            kind,
            "written",
            D(on),
            "THAT the articles be amended.",
            "amend-articles",
        )
        resolutions.circulate(session, r, D(on))
    for m in rows[:3]:
        with ledger.write("test") as session:
            resolutions.vote(
                session, resolutions.get(session, r.id), members.find(session, m.slug), "for", D(on)
            )
    return r.id


def adopt(ledger, text: str, on: str, rid: int | None = None) -> int:
    with ledger.write("test") as session:
        return articles.adopt(session, text, D(on), rid).version


def test_first_version_needs_no_resolution_later_ones_a_passed_special(ledger) -> None:
    assert adopt(ledger, V1, "2023-02-14") == 1
    # CA 2006 s.21: the articles are amended by special resolution
    with pytest.raises(RuleError, match="s.21"):
        adopt(ledger, V2, "2027-01-06")
    ordinary = passed_written(ledger, "ordinary")
    with pytest.raises(RuleError, match="ordinary"):
        adopt(ledger, V2, "2027-01-06", ordinary)
    special = passed_written(ledger, "special", "2027-01-06")
    with pytest.raises(RuleError, match="circulated|draft"):
        adopt(ledger, V2, "2027-01-05", special)  # not yet passed on that date
    assert adopt(ledger, V2, "2027-01-06", special) == 2
    with pytest.raises(RuleError, match="already adopted"):
        adopt(ledger, V2, "2027-01-07", special)
    with ledger.read() as session:
        assert articles.in_force(session, D("2027-01-05")).version == 1
        assert articles.in_force(session, D("2027-01-06")).version == 2
        assert articles.in_force(session, D("2023-01-01")) is None
        patch = articles.diff(session, 1, 2)
        assert "-2. Notice: 14 clear days." in patch and "+2. Notice: 21 clear days." in patch


def test_amended_articles_filing_deadline(ledger) -> None:
    adopt(ledger, V1, "2023-02-14")
    special = passed_written(ledger, "special")
    adopt(ledger, V2, "2027-01-06", special)
    with ledger.read() as session:
        # CA 2006 s.26: within 15 days after taking effect → Thu 21 Jan 2027
        found = articles.deadlines(session, D("2023-01-01"), D("2027-12-31"))
        assert [(d.kind, d.on) for d in found] == [("filing_articles", D("2027-01-21"))]
        assert [v.filing_due_on for v in articles.history(session, D("2027-02-01"))] == [
            None,
            D("2027-01-21"),
        ]
    with ledger.write("test") as session:
        articles.file(session, articles.get(session, 2), D("2027-01-20"))
    with ledger.read() as session:
        assert articles.deadlines(session, D("2023-01-01"), D("2027-12-31")) == []
