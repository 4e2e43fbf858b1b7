"""Demo chapter: decisions — the articles adopted at incorporation, the first directors, a
written resolution approving the pricing strategy, a general meeting on proper notice that
amends the articles by special resolution (and the amended articles adopted and filed), a board
meeting approving Westminster's application, and a written resolution still open.

Directors' names, dates and vote counts are illustrative.
"""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

from plvgov.dates import parse_datetime, uk_date
from plvgov.decisions import appointments, articles, board, meetings, proceedings, resolutions
from plvgov.membership import members
from plvgov.words import plural

if TYPE_CHECKING:
    from sqlmodel import Session

    from plvgov.demo.story import Story

D = date.fromisoformat

ARTICLES_V1 = """# Articles of Association of Pan-London Vehicle Limited

A private company limited by guarantee. The Model Articles for private companies limited by
guarantee apply except where these articles say otherwise.

1. **Objects.** To develop, commission and oversee secure children's home provision for London
   and other joint commissioning for its members.
2. **Members.** Only London local authorities may be members. The directors approve each
   application for membership.
3. **Voting.** Each member has one vote.
4. **Withdrawal.** A member may withdraw at an exit point by giving at least six months'
   written notice.
5. **Guarantee.** Each member undertakes to contribute up to £1 if the company is wound up
   while it is a member or within one year after it ceases to be one.
"""

ARTICLES_V2 = (
    ARTICLES_V1
    + """6. **Subscriptions.** Each member pays the annual subscription set by
   the members by ordinary resolution, payable only once the provision has launched.
7. **Host council.** The company may be hosted by a member council, which provides its
   registered office and secretariat.
"""
)

SECRETARY = "Priya Natarajan"  # the company secretary, from the host council
DIRECTORS = [  # (name, nominating member)
    ("Helen Brooks", "barnet"),
    ("Marcus Reed", "camden"),
    ("Joanna Kaur", "hackney"),
]
PRICING = (
    "Approve the pricing strategy",
    "THAT the pricing strategy presented to members on 29 September 2025 — an annual "
    "subscription of £20,000 per member, uprated each April by CPI to the preceding "
    "September and payable only once the provision has launched — be approved.",
)
AMENDMENT = (
    "Adopt amended articles of association",
    "THAT the articles of association in the form produced to the meeting be adopted "
    "as the articles of association of the company in substitution for, and to the "
    "exclusion of, the existing articles.",
)
BUDGET = (
    "Approve the 2027/28 budget",
    "THAT the budget for the financial year 2027/28 circulated with this resolution be approved.",
)


def _member(session: Session, slug: str) -> members.Member:
    return members.find(session, slug)


def _id(row: object) -> int:
    """A flushed row's id (the demo only passes rows it has just written)."""
    value = getattr(row, "id", None)
    assert isinstance(value, int)
    return value


def build(story: Story) -> list[str]:
    ledger = story.ledger
    with ledger.write("plvgov articles adopt articles-v1.md --date 2023-02-14") as s:
        articles.adopt(s, ARTICLES_V1, D("2023-02-14"), None, "articles-v1.md")
    for name, slug in DIRECTORS:
        with ledger.write(f"plvgov director appoint {name!r} --date 2023-04-01") as s:
            appointments.appoint(s, name, D("2023-04-01"), _member(s, slug))

    # A written resolution, circulated Mon 6 Oct 2025, passed by members' agreements (s.296).
    with ledger.write("plvgov resolution propose --procedure written") as s:
        pricing = resolutions.propose(
            s, PRICING[0], resolutions.ORDINARY, resolutions.WRITTEN, D("2025-10-06"), PRICING[1]
        )
    with ledger.write(f"plvgov resolution circulate {pricing.id} --date 2025-10-06") as s:
        circulation = resolutions.circulate(s, resolutions.get(s, _id(pricing)), D("2025-10-06"))
    with ledger.read() as s:
        eligible = [m.slug for m, _ in resolutions.eligible_members(s, pricing)]
    for n, slug in enumerate(eligible[: circulation.required]):
        on = D("2025-10-07") if n < 8 else D("2025-10-14")
        with ledger.write(f"plvgov resolution vote {pricing.id} {slug} --vote for") as s:
            member = _member(s, slug)
            rep = members.representative_on(s, member, on)
            resolutions.vote(
                s, resolutions.get(s, _id(pricing)), member, "for", on, rep.name if rep else None
            )

    # A general meeting on proper notice passes a special resolution amending the articles.
    with ledger.write("plvgov resolution propose --type special --procedure meeting") as s:
        amendment = resolutions.propose(
            s,
            AMENDMENT[0],
            resolutions.SPECIAL,
            resolutions.MEETING,
            D("2026-09-14"),
            AMENDMENT[1],
            "amend-articles",
        )
    with ledger.write(
        f"plvgov meeting convene --at 2026-10-14T10:00 --chair {DIRECTORS[0][0]!r}"
    ) as s:
        meeting = meetings.convene(
            s,
            parse_datetime("2026-10-14T10:00"),
            parse_datetime("2026-09-21T09:00"),
            "email",
            "Barnet House, 2 Bristol Avenue, Colindale, London NW9 4EW",
            [amendment.id or 0],
            DIRECTORS[0][0],
        )
    officers = [name for name, _ in DIRECTORS[:2]]
    with ledger.write(
        f"plvgov meeting officers {meeting.id} "
        + " ".join(f"--director {name!r}" for name in officers)
        + f" --secretary {SECRETARY!r}"
    ) as s:
        proceedings.attend_officers(s, meetings.get(s, _id(meeting)), officers, SECRETARY)
    with ledger.read() as s:
        present = [m.slug for m in members.members_on(s, D("2026-10-14"))][:15]
    for n, slug in enumerate(present):
        with ledger.write(f"plvgov meeting attend {meeting.id} {slug}") as s:
            proceedings.attend(s, meetings.get(s, _id(meeting)), _member(s, slug))
        with ledger.write(f"plvgov meeting vote {meeting.id} {amendment.id} {slug}") as s:
            proceedings.vote(
                s,
                meetings.get(s, _id(meeting)),
                resolutions.get(s, _id(amendment)),
                _member(s, slug),
                "against" if n == 3 else "for",
            )
    with ledger.write(f"plvgov meeting close {meeting.id} --opened 10:00 --closed 11:15") as s:
        closing = proceedings.close(
            s, meetings.get(s, _id(meeting)), opened=time(10, 0), closed=time(11, 15)
        )
    with ledger.write(f"plvgov articles adopt articles-v2.md --resolution {amendment.id}") as s:
        articles.adopt(s, ARTICLES_V2, D("2026-10-14"), amendment.id, "articles-v2.md")
    with ledger.write(f"plvgov resolution file {amendment.id} --date 2026-10-20") as s:
        resolutions.file(s, resolutions.get(s, _id(amendment)), D("2026-10-20"))
    with ledger.write("plvgov articles file 2 --date 2026-10-20") as s:
        articles.file(s, articles.get(s, 2), D("2026-10-20"))

    # The board approves Westminster's application (Model Articles art 21).
    with ledger.write("plvgov board meeting --date 2026-11-18") as s:
        chair = appointments.find_director(s, DIRECTORS[0][0])
        board_meeting = board.convene(s, D("2026-11-18"), "Barnet House", chair)
    for name, _ in DIRECTORS:
        with ledger.write(f"plvgov board attend {board_meeting.id} {name!r}") as s:
            board.attend(
                s, board.get_meeting(s, _id(board_meeting)), appointments.find_director(s, name)
            )
    with ledger.write(f"plvgov board propose {board_meeting.id} --purpose approve-admission") as s:
        approval = board.propose(
            s,
            board.get_meeting(s, _id(board_meeting)),
            "Approve Westminster's application for membership",
            None,
            "approve-admission",
            _member(s, "westminster"),
        )
    for name, _ in DIRECTORS:
        with ledger.write(f"plvgov board vote {approval.id} {name!r} --vote for") as s:
            board.vote(
                s,
                board.get_resolution(s, _id(approval)),
                appointments.find_director(s, name),
                "for",
            )
    with ledger.write(f"plvgov board close {board_meeting.id}") as s:
        board.close(s, board.get_meeting(s, _id(board_meeting)))

    # A written resolution still open on the demo's date.
    with ledger.write("plvgov resolution propose --procedure written") as s:
        budget = resolutions.propose(
            s, BUDGET[0], resolutions.ORDINARY, resolutions.WRITTEN, D("2026-11-16"), BUDGET[1]
        )
    with ledger.write(f"plvgov resolution circulate {budget.id} --date 2026-11-16") as s:
        open_circulation = resolutions.circulate(
            s, resolutions.get(s, _id(budget)), D("2026-11-16")
        )
    with ledger.read() as s:
        voters = [m.slug for m, _ in resolutions.eligible_members(s, budget)][:6]
    for slug in voters:
        with ledger.write(f"plvgov resolution vote {budget.id} {slug} --vote for") as s:
            resolutions.vote(
                s, resolutions.get(s, _id(budget)), _member(s, slug), "for", D("2026-11-18")
            )

    outcome = closing.resolutions[0]
    served = meeting.deemed_served_at
    assert served is not None  # convened with the time its notice was sent
    return [
        "Articles v1 adopted at incorporation (14 February 2023); "
        f"{len(DIRECTORS)} directors appointed",
        f"Written resolution {pricing.id} (pricing strategy) passed on 14 October 2025: "
        f"{circulation.required} of its {circulation.eligible} eligible members had to agree",
        f"General meeting {meeting.id} on 14 October 2026 (notice deemed served "
        f"{uk_date(served.date())}): "
        f"special resolution {amendment.id} {outcome.status} "
        f"{outcome.votes_for}–{outcome.votes_against}; articles v2 adopted and filed",
        f"Board resolution {approval.id} approved Westminster's application (18 November 2026)",
        f"Written resolution {budget.id} (2027/28 budget) open until "
        f"{uk_date(open_circulation.lapses_on)}: it has {len(voters)} of the "
        f"{plural(open_circulation.required, 'agreement')} it needs",
    ]
