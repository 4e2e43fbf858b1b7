"""The annual subscription notice (:mod:`plvgov.billing.papers`): the reason for a part year
names its real cause (the launch, the council's admission, its cessation), and a former member
gets no notice (issue 12.7)."""

from __future__ import annotations

from datetime import date

import pytest

from plvgov import settings
from plvgov.billing import papers
from plvgov.errors import RuleError
from plvgov.membership import members
from tests.conftest import TODAY

LAUNCH = "the launch on 1 October 2025"


@pytest.fixture
def register(ledger):
    """Launched 1 October 2025. Bromley joined in 2023; Camden on 1 September 2025 (before the
    launch); Hackney on 1 September 2026; Sutton left on 30 June 2026; Barnet on 31 March
    2026, the break point."""
    with ledger.write("test") as session:
        settings.set_value(
            session, "launch_date", "2025-10-01", effective_from=None, authority=None, today=TODAY
        )
    with ledger.write("test") as session:
        for slug, on in (
            ("bromley", date(2023, 4, 1)),
            ("camden", date(2025, 9, 1)),
            ("hackney", date(2026, 9, 1)),
            ("sutton", date(2023, 4, 1)),
            ("barnet", date(2023, 4, 1)),
        ):
            members.admit(session, members.find(session, slug), on, None)
    with ledger.write("test") as session:
        members.cease(session, members.find(session, "sutton"), date(2026, 6, 30), "dissolution")
        members.cease(session, members.find(session, "barnet"), date(2026, 3, 31), "withdrew")
    return ledger


def _notice(ledger, year: str, slug: str) -> papers.SubscriptionNotice:
    with ledger.read() as session:
        return papers.subscription_notice_document(session, year, slug)


def test_a_council_admitted_mid_year_is_told_it_joined_not_about_the_launch(register):
    n = _notice(register, "2026/27", "hackney")
    assert (n.days, n.part_year) == (212, True)  # 1 September 2026 – 31 March 2027
    assert n.reason == "it is a member from its admission on 1 September 2026"


def test_the_launch_is_the_reason_only_when_it_is_the_cause(register):
    # Bromley was a member all year: only the launch cut 2025/26 short
    assert _notice(register, "2025/26", "bromley").reason == (f"nothing is payable before {LAUNCH}")
    # Camden joined on 1 September 2025, before the launch: the launch is still the cause
    camden = _notice(register, "2025/26", "camden")
    assert camden.days == 182 and camden.reason == f"nothing is payable before {LAUNCH}"
    assert _notice(register, "2026/27", "bromley").reason is None  # a whole year


def test_a_council_leaving_mid_year_is_told_its_membership_ends(register):
    n = _notice(register, "2026/27", "sutton")
    assert n.days == 91  # 1 April – 30 June 2026, its last day
    assert n.reason == "its membership ends on 30 June 2026"
    both = _notice(register, "2025/26", "sutton")  # a full member, but launched mid-year
    assert both.reason == f"nothing is payable before {LAUNCH}"


def test_a_former_member_gets_no_notice(register):
    with register.read() as session, pytest.raises(RuleError) as caught:
        papers.subscription_notice_document(session, "2026/27", "barnet")
    assert caught.value.message == (
        "Barnet ceased to be a member on 31 March 2026, before 2026/27; "
        "a former member gets no subscription notice"
    )
    assert _notice(register, "2025/26", "barnet").reason == f"nothing is payable before {LAUNCH}"


def test_the_years_notices_go_to_each_member_of_the_year_with_its_own_reason(register, run):
    result = run("render", "subscription-notice", "--year", "2026/27")
    assert result.code == 0, result.err
    text = result.out
    assert "Barnet" not in text  # left on 31 March 2026
    letters = text.split("* * *")
    assert [
        next(n for n in ("Bromley", "Camden", "Hackney", "Sutton") if n in x) for x in letters
    ] == [
        "Bromley",
        "Camden",
        "Hackney",  # admitted in the year: told now, invoiced from its admission
        "Sutton",
    ]
    assert (
        "it is liable for 212 of the 365 days of the year "
        "(it is a member from its admission on 1 September 2026)." in text
    )
    assert "(its membership ends on 30 June 2026)." in text
    assert "nothing is payable before the launch" not in text


@pytest.mark.parametrize(
    ("generated", "says", "never"),
    [
        (
            date(2025, 10, 31),
            "in time for its budget setting (notice due by 31 October 2025)",
            "late",
        ),
        (date(2025, 11, 1), "This notice was due by 31 October 2025", "in time"),
    ],
)
def test_a_notice_sent_after_its_due_day_says_it_is_late(register, generated, says, never):
    """A notice for 2026/27 is due by 31 October 2025; one dated after that must not claim to be
    in time for the council's budget setting."""
    from plvgov.documents import Request, render

    with register.read() as session:
        text = render(
            session, "subscription-notice", "bromley", "md", Request(generated, year="2026")
        )
    text = " ".join(text.decode("utf-8").split())
    assert says in text
    assert never not in text.split("How the amount is worked out")[0]
