"""Members' resolutions: proposing, written resolutions (CA 2006 Part 13 Chapter 2), tallies as
of any date, filing with the registrar, and what the calendar, `check`, the board pack and the
documents need to know about them.

Statuses (answered for any date):
- ``draft``: proposed, not yet circulated (written) or not yet in a notice of meeting;
- ``circulated``: a written resolution open for agreement, or a resolution in a notice of a
  meeting that has not closed;
- ``passed``: a written resolution whose agreements reached the threshold (s.296), or one a
  meeting passed;
- ``failed``: a meeting rejected it, or a written resolution can no longer pass because so many
  eligible members objected or abstained (replies cannot be changed) that the rest cannot reach
  the threshold;
- ``lapsed``: a written resolution not passed by the end of its lapse date (s.297).

Voting rights: one member, one vote (s.284); thresholds use integer arithmetic only.
"""

from __future__ import annotations

import re
from dataclasses import field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from plvgov import audit, once, settings
from plvgov.dates import Deadline, require_past
from plvgov.decisions.notice_timing import filing_due_on
from plvgov.errors import InputError, NotFound, RuleError
from plvgov.membership import members
from plvgov.models.meetings import GeneralMeeting
from plvgov.models.members import Member
from plvgov.models.resolutions import Resolution, ResolutionVote
from plvgov.values import dataclass
from plvgov.words import plural

if TYPE_CHECKING:
    # imported where used: reading resolutions (``calendar``, ``check``) builds none of these
    from plvgov.models.circulation import ResolutionEligible

ORDINARY, SPECIAL = "ordinary", "special"
WRITTEN, MEETING = "written", "meeting"
TYPES = (ORDINARY, SPECIAL)
PROCEDURES = (WRITTEN, MEETING)
PURPOSES = ("remove-director", "remove-auditor", "amend-articles", "admit-member", "other")
VOTES = ("for", "against", "abstain")
DRAFT, CIRCULATED, PASSED, FAILED, LAPSED = "draft", "circulated", "passed", "failed", "lapsed"
#: A title is a line on a paper and in a list; the resolution itself is its text.
TITLE_MAX = 200
_BLANK_LINES = re.compile(r"\A(?:[ \t]*\r?\n)+")  # lines holding nothing, at the start
_REMOVAL = re.compile(r"\bremov\w*\b.{0,80}?\b(director|auditor)s?\b", re.IGNORECASE | re.DOTALL)


# -- thresholds -------------------------------------------------------------------------------
def passes(kind: str, votes_for: int, denominator: int) -> bool:
    """CA 2006 s.282: ordinary needs more than half; s.283: special at least 75%."""
    if denominator <= 0:
        return False
    if kind == SPECIAL:
        return votes_for * 100 >= 75 * denominator
    return votes_for * 2 > denominator


def required(kind: str, denominator: int) -> int:
    """The fewest votes for that pass out of ``denominator`` (33 → 17 ordinary, 25 special)."""
    if denominator <= 0:
        return 1
    if kind == SPECIAL:
        return (75 * denominator + 99) // 100
    return denominator // 2 + 1


# -- proposing --------------------------------------------------------------------------------
def choose(value: str, allowed: tuple[str, ...], what: str) -> str:
    normalised = value.strip().lower().replace("_", "-")
    if normalised not in allowed:
        raise InputError(f"unknown {what} {value!r}; choose {', '.join(allowed)}")
    return normalised


def propose(
    session: Session,
    title: str,
    kind: str,
    procedure: str,
    on: date,
    text: str | None = None,
    purpose: str = "other",
) -> Resolution:
    """A new members' resolution with its exact text (the title when no text is given)."""
    kind = choose(kind, TYPES, "type")
    procedure = choose(procedure, PROCEDURES, "procedure")
    purpose = choose(purpose, PURPOSES, "purpose")
    if not title.strip():
        raise InputError("give the resolution a title with --title")
    if len(title.strip()) > TITLE_MAX:
        raise InputError(
            f"the title is over {TITLE_MAX} characters; shorten it (the text goes in --text-file)"
        )
    # as written, but for the blank lines before it and the white space after it: the first
    # line's indent is the text's own (four spaces begin a block in Markdown)
    body = _BLANK_LINES.sub("", (text or "").rstrip()) or title.strip()
    if procedure == WRITTEN:
        plainly = _REMOVAL.search(f"{title}\n{body}")
        if purpose in ("remove-director", "remove-auditor") or plainly:
            what = {"remove-director": "director", "remove-auditor": "auditor"}.get(purpose) or (
                plainly.group(1).lower() if plainly else "director"
            )
            section = "s.168" if what == "director" else "s.510"
            # CA 2006 s.288(2): these can never be written resolutions
            raise RuleError(
                f"removing a {what} ({section}) cannot be a written resolution "
                "(CA 2006 s.288(2)); propose it with --procedure meeting"
            )
    resolution = Resolution(
        title=title.strip(),
        text=body,
        type=kind,
        procedure=procedure,
        purpose=purpose,
        proposed_on=on,
    )
    session.add(resolution)
    audit.record(session, "resolution.propose", f"Resolution: {resolution.title}", [resolution])
    return resolution


def get(session: Session, resolution_id: int) -> Resolution:
    resolution = session.get(Resolution, resolution_id)
    if resolution is None:
        raise NotFound(f"no resolution {resolution_id}; `plvgov resolution list` shows them")
    return resolution


def label(resolution: Resolution) -> str:
    return f"Resolution {resolution.id}: {resolution.title}"


# -- written resolutions ----------------------------------------------------------------------
@dataclass(frozen=True)
class Circulation:
    """A written resolution's circulation: the eligible members, the agreements it needs, and
    the day it lapses (s.297)."""

    eligible: int
    required: int
    lapses_on: date

    def as_json(self) -> dict[str, object]:
        return {"eligible": self.eligible, "required": self.required, "lapses_on": self.lapses_on}


def require_written(resolution: Resolution, doing: str) -> None:
    """Refuse ``doing`` something only a written resolution has to one for a meeting."""
    if resolution.procedure != WRITTEN:
        raise RuleError(
            f"resolution {resolution.id} is for a general meeting; {doing} it "
            "with `plvgov meeting …`"
        )


def circulate(
    session: Session, resolution: Resolution, on: date, *, today: date | None = None
) -> Circulation:
    """Circulate a written resolution on ``on`` (not after ``today``): fixes the eligible
    members (those entitled to vote on the circulation date, s.289) and the lapse date
    (s.297)."""
    require_written(resolution, "put")
    require_past(
        on, today, "the circulation date", "record the circulation once the resolution is sent"
    )
    result, rows = circulate_on(session, resolution, on)
    audit.record(
        session, "resolution.circulate", label(resolution), [resolution, *rows], result.as_json()
    )
    return result


def circulate_on(
    session: Session, resolution: Resolution, on: date
) -> tuple[Circulation, list[ResolutionEligible]]:
    """The circulation's rows, for a caller that records them in its own audit event
    (:func:`circulate`, or the send log's: :mod:`plvgov.decisions.circulation`)."""
    from plvgov.models.circulation import ResolutionEligible

    if resolution.circulated_on is not None:
        raise RuleError(
            f"resolution {resolution.id} was circulated on "
            f"{resolution.circulated_on}; it cannot be circulated again"
        )
    eligible = members.members_on(session, on)
    if not eligible:
        raise RuleError(f"no member is entitled to vote on {on}; admit members first")
    lapse_days = settings.get(session, "written_resolution_lapse_days", on)
    # CA 2006 s.297(1): 28 days beginning with the circulation date (day 1 is that date)
    lapses_on = on + timedelta(days=lapse_days - 1)
    assert resolution.id is not None and all(m.id is not None for m in eligible)
    appointments = members.representatives_by_member(session)  # one query, however many
    rows = []
    for m in eligible:
        rep = members.representative_from(appointments.get(m.id or 0, []), on)
        rows.append(
            ResolutionEligible(
                resolution_id=resolution.id,
                member_id=m.id or 0,
                representative=rep.name if rep else None,
            )
        )
    resolution.circulated_on = on
    resolution.lapses_on = lapses_on
    resolution.eligible_count = len(eligible)
    session.add(resolution)
    session.add_all(rows)
    return Circulation(len(eligible), required(resolution.type, len(eligible)), lapses_on), rows


def eligible_members(session: Session, resolution: Resolution) -> list[tuple[Member, str | None]]:
    from plvgov.models.circulation import ResolutionEligible

    rows = session.exec(
        select(ResolutionEligible, Member)
        .where(ResolutionEligible.resolution_id == resolution.id)
        .where(ResolutionEligible.member_id == Member.id)
        .order_by(col(Member.name))
    )
    return [(m, e.representative) for e, m in rows]


#: every vote or reply, in the order they were cast
_VOTES = select(ResolutionVote).order_by(col(ResolutionVote.voted_on), col(ResolutionVote.id))


def votes(session: Session, resolution: Resolution) -> list[ResolutionVote]:
    """The votes or replies on ``resolution`` in date order (in a :func:`plvgov.once.reading`
    block, every resolution's are read in one statement, once)."""
    if once.active(session):
        every = once.shared(session, "resolution_votes", lambda: _votes_by_resolution(session))
        return list(every.get(resolution.id, []))
    return list(session.exec(_VOTES.where(ResolutionVote.resolution_id == resolution.id)))


def _votes_by_resolution(session: Session) -> dict[int | None, list[ResolutionVote]]:
    found: dict[int | None, list[ResolutionVote]] = {}
    for row in session.exec(_VOTES):
        found.setdefault(row.resolution_id, []).append(row)
    return found


def vote(
    session: Session,
    resolution: Resolution,
    member: Member,
    choice: str,
    on: date,
    representative: str | None = None,
    *,
    today: date | None = None,
) -> ResolutionVote:
    """Record a member's agreement (``for``), objection or abstention received on ``on``
    (s.296), not after ``today``. A reply cannot be withdrawn or changed."""
    require_written(resolution, "vote on")
    choice = choose(choice, VOTES, "vote")
    require_past(on, today, "the reply date", "record a reply once it has been received")
    if resolution.circulated_on is None or resolution.lapses_on is None:
        raise RuleError(
            f"resolution {resolution.id} has not been circulated; "
            f"run `plvgov resolution circulate {resolution.id} --date D` first"
        )
    if on < resolution.circulated_on:
        raise RuleError(
            f"resolution {resolution.id} was circulated on "
            f"{resolution.circulated_on}; a reply cannot be dated before that"
        )
    before = tally(session, resolution, on)
    if before.status in (PASSED, FAILED):
        raise RuleError(
            f"resolution {resolution.id} already {before.status} on "
            f"{before.passed_on or before.decided_on}; no further replies are needed"
        )
    if on > resolution.lapses_on:
        # CA 2006 s.297(2): agreement after the lapse date is ineffective
        raise RuleError(
            f"resolution {resolution.id} lapsed at the end of {resolution.lapses_on}; "
            f"a reply received on {on} does not count (CA 2006 s.297)"
        )
    on_circulation = {m.id: rep for m, rep in eligible_members(session, resolution)}
    if member.id not in on_circulation:
        raise RuleError(
            f"{member.name} was not entitled to vote on the circulation date "
            f"{resolution.circulated_on} (CA 2006 s.289)"
        )
    if any(v.member_id == member.id for v in votes(session, resolution)):
        raise RuleError(
            f"{member.name} has already replied to resolution {resolution.id}; "
            "a reply cannot be withdrawn or changed (CA 2006 s.296(3))"
        )
    assert resolution.id is not None and member.id is not None
    row = ResolutionVote(
        resolution_id=resolution.id,
        member_id=member.id,
        vote=choice,
        voted_on=on,
        representative=(representative or "").strip() or on_circulation[member.id],
    )
    session.add(row)
    audit.record(
        session,
        "resolution.vote",
        label(resolution),
        [row],
        {"member": member.name, "vote": choice},
    )
    return row


# -- tallies ----------------------------------------------------------------------------------
@dataclass
class Tally:
    """A resolution's state on a date: its votes against the threshold, and its status."""

    id: int
    title: str
    type: str
    procedure: str
    status: str
    eligible: int | None
    required: int | None
    votes_for: int
    votes_against: int
    abstentions: int
    passed_on: date | None
    lapses_on: date | None = None
    circulated_on: date | None = None
    decided_on: date | None = None
    meeting_id: int | None = None
    filed_on: date | None = None
    filing_due_on: date | None = None
    votes: list[dict[str, object]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def tally(session: Session, resolution: Resolution, at: date) -> Tally:
    """Status and counts of ``resolution`` as of the end of ``at``."""
    assert resolution.id is not None
    counted = [v for v in votes(session, resolution) if v.voted_on <= at]
    names = {m.id: m.name for m in members.everyone(session)}
    result = Tally(
        resolution.id,
        resolution.title,
        resolution.type,
        resolution.procedure,
        DRAFT,
        None,
        None,
        sum(v.vote == "for" for v in counted),
        sum(v.vote == "against" for v in counted),
        sum(v.vote == "abstain" for v in counted),
        None,
        lapses_on=resolution.lapses_on,
        circulated_on=resolution.circulated_on,
        filed_on=resolution.filed_on,
        votes=[
            {
                "member": names.get(v.member_id),
                "vote": v.vote,
                "on": v.voted_on,
                "representative": v.representative,
            }
            for v in counted
        ],
    )
    if resolution.procedure == WRITTEN:
        _written_status(resolution, counted, at, result)
    else:
        _meeting_status(session, resolution, at, result)
    if result.status == PASSED and result.type == SPECIAL and result.passed_on is not None:
        days = settings.get(session, "special_resolution_filing_days", result.passed_on)
        result.filing_due_on = filing_due_on(result.passed_on, days)
    return result


def standing(session: Session, resolution: Resolution, today: date) -> Tally:
    """The tally as it stands now, after the latest reply or vote: every one recorded so far
    counts, whatever order they were entered in (each is dated within the circulation period,
    or at the meeting, and none after ``today``), and the status is today's."""
    latest = max((v.voted_on for v in votes(session, resolution)), default=today)
    return tally(session, resolution, max(today, latest))


def _written_status(
    resolution: Resolution, counted: list[ResolutionVote], at: date, result: Tally
) -> None:
    if resolution.circulated_on is None or at < resolution.circulated_on:
        return
    assert resolution.eligible_count is not None and resolution.lapses_on is not None
    eligible = resolution.eligible_count
    need = required(resolution.type, eligible)
    result.eligible, result.required, result.status = eligible, need, CIRCULATED
    agreed = refused = 0
    for v in counted:  # s.296(4): passed the moment the required majority is reached
        if v.vote == "for":
            agreed += 1
            if passes(resolution.type, agreed, eligible):
                result.status = PASSED
                result.passed_on = result.decided_on = v.voted_on
                return
        else:
            refused += 1
            if not passes(resolution.type, eligible - refused, eligible):
                result.status = FAILED
                result.decided_on = v.voted_on
                return
    if at > resolution.lapses_on:
        result.status = LAPSED
        result.decided_on = resolution.lapses_on


def _meeting_status(session: Session, resolution: Resolution, at: date, result: Tally) -> None:
    from plvgov.models.proceedings import MeetingBusiness

    business = session.exec(
        select(MeetingBusiness).where(MeetingBusiness.resolution_id == resolution.id)
    ).first()
    if business is None:
        return
    meeting = session.get(GeneralMeeting, business.meeting_id)
    assert meeting is not None
    result.meeting_id = meeting.id
    held_on = meeting.held_at.date()
    if meeting.sent_at is None or at < meeting.sent_at.date():
        return
    result.status = CIRCULATED
    result.eligible = len(members.members_on(session, held_on))
    cast = result.votes_for + result.votes_against
    result.required = required(resolution.type, cast) if cast else None
    if (
        resolution.outcome is not None
        and resolution.decided_on is not None
        and at >= resolution.decided_on
    ):
        result.status = resolution.outcome
        result.decided_on = resolution.decided_on
        if resolution.outcome == PASSED:
            result.passed_on = resolution.decided_on


def list_resolutions(session: Session, at: date) -> list[Tally]:
    rows = session.exec(select(Resolution).order_by(col(Resolution.id)))
    return [tally(session, r, at) for r in rows]


# -- filing -----------------------------------------------------------------------------------
def file(
    session: Session, resolution: Resolution, on: date, *, today: date | None = None
) -> Resolution:
    """Record that a copy of a passed special resolution went to the registrar (s.30) on
    ``on``, not after ``today``."""
    require_past(on, today, "the filing date", "record a filing once it has been delivered")
    state = tally(session, resolution, on)
    if state.status != PASSED:
        raise RuleError(
            f"resolution {resolution.id} is {state.status} on {on}; only a passed "
            "resolution is filed with the registrar"
        )
    if resolution.filed_on is not None:
        raise RuleError(f"resolution {resolution.id} was filed on {resolution.filed_on}")
    resolution.filed_on = on
    session.add(resolution)
    audit.record(
        session, "resolution.file", label(resolution), [resolution], {"due_on": state.filing_due_on}
    )
    return resolution


# -- for the calendar, `check` and the board pack ---------------------------------------------
@dataclass(frozen=True)
class Unfiled:
    """A passed special resolution not yet filed at Companies House, and when it is due
    (s.30)."""

    resolution_id: int
    title: str
    passed_on: date
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class AtRisk:
    """A written resolution short of its threshold as its lapse date nears."""

    resolution_id: int
    title: str
    lapses_on: date
    votes_for: int
    required: int
    days_left: int


@dataclass(frozen=True)
class Decision:
    """A decided resolution, the members' or the board's: what it was and how it ended."""

    kind: str  # "members" or "board"
    id: int
    title: str
    type: str  # "ordinary", "special" or "board"
    procedure: str  # "written" or "meeting"
    status: str  # "passed", "failed" or "lapsed"
    decided_on: date


def deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """Written resolutions' lapse dates (a date to know: the resolution lapses by itself) and
    unfiled special resolutions' filing deadlines (outstanding until filed)."""
    found: list[Deadline] = []
    for resolution in session.exec(select(Resolution)):
        if resolution.procedure == WRITTEN and resolution.lapses_on is not None:
            state = tally(session, resolution, resolution.lapses_on)
            if state.status == CIRCULATED:
                found.append(
                    Deadline(
                        resolution.lapses_on,
                        "written_resolution_lapse",
                        label(resolution),
                        f"last day an agreement counts; it has {state.votes_for} of the "
                        f"{plural(state.required or 0, 'agreement')} it needs",
                        "CA 2006 s.297",
                    )
                )
        if resolution.type == SPECIAL and resolution.filed_on is None:
            state = tally(session, resolution, date.max)
            if state.status == PASSED and state.filing_due_on is not None:
                found.append(
                    Deadline(
                        state.filing_due_on,
                        "filing_special_resolution",
                        label(resolution),
                        f"send a copy to the registrar (passed {state.passed_on})",
                        "CA 2006 s.30",
                        outstanding=True,  # listed only while unfiled
                    )
                )
    return [d for d in found if start <= d.on <= end]


def unfiled_special(session: Session, at: date) -> list[Unfiled]:
    """Special resolutions passed by ``at`` and not filed with the registrar by then (s.30)."""
    found = []
    for resolution in session.exec(select(Resolution).where(Resolution.type == SPECIAL)):
        if resolution.filed_on is not None and resolution.filed_on <= at:
            continue
        state = tally(session, resolution, at)
        if state.status == PASSED and state.passed_on and state.filing_due_on:
            found.append(
                Unfiled(
                    state.id,
                    state.title,
                    state.passed_on,
                    state.filing_due_on,
                    at > state.filing_due_on,
                )
            )
    return found


def at_risk(session: Session, at: date, within_days: int = 7) -> list[AtRisk]:
    """Circulated written resolutions lapsing within ``within_days`` without enough agreements."""
    found = []
    for resolution in session.exec(select(Resolution).where(Resolution.procedure == WRITTEN)):
        state = tally(session, resolution, at)
        if state.status != CIRCULATED or resolution.lapses_on is None:
            continue
        days_left = (resolution.lapses_on - at).days
        if days_left <= within_days and state.required is not None:
            found.append(
                AtRisk(
                    state.id,
                    state.title,
                    resolution.lapses_on,
                    state.votes_for,
                    state.required,
                    days_left,
                )
            )
    return found


def decisions_since(session: Session, since: date, at: date) -> list[Decision]:
    """Members' and board resolutions decided between ``since`` and ``at`` inclusive."""
    from plvgov.models.board import BoardResolution

    found = []
    for resolution in session.exec(select(Resolution)):
        state = tally(session, resolution, at)
        if (
            state.decided_on is not None
            and since <= state.decided_on <= at
            and state.status in (PASSED, FAILED, LAPSED)
        ):
            found.append(
                Decision(
                    "members",
                    state.id,
                    state.title,
                    state.type,
                    state.procedure,
                    state.status,
                    state.decided_on,
                )
            )
    for board in session.exec(select(BoardResolution)):
        if board.decided_on is not None and since <= board.decided_on <= at:
            assert board.id is not None
            found.append(
                Decision(
                    "board",
                    board.id,
                    board.title,
                    "board",
                    board.procedure,
                    board.status,
                    board.decided_on,
                )
            )
    return sorted(found, key=lambda d: (d.decided_on, d.kind, d.id))
