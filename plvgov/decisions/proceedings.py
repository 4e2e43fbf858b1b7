"""Proceedings at a general meeting (CA 2006 Part 13 Chapter 3; Model Articles Part 4): who is
present and whether they make a quorum, polls, votes, and declaring the outcomes.

- Quorum: two qualifying persons (s.318(2), a setting); several representatives or proxies of
  the same member count once. A member present by a representative and a proxy also counts
  once: both act for one member.
- The chair is named at convening or at the meeting (Model Articles art 12 [U]); directors and
  the company secretary in attendance are recorded for the minutes, never for the quorum.
- Votes are on votes cast (abstentions are not votes cast); a tie fails (no casting vote at a
  general meeting). Several representatives of one council give it one vote (s.323(4)).

The meeting itself — its notice, consents to short notice and business — is
:mod:`plvgov.decisions.meetings`; everything here is recorded once the meeting is held.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlmodel import Session, col, select

from plvgov import audit, checkpoints, settings
from plvgov.decisions import meetings, resolutions
from plvgov.errors import InputError, RuleError
from plvgov.membership import members
from plvgov.models.directors import Director
from plvgov.models.meetings import GeneralMeeting
from plvgov.models.members import Member
from plvgov.models.proceedings import MeetingAttendance, MeetingBusiness, MeetingOfficer
from plvgov.models.resolutions import Resolution, ResolutionVote
from plvgov.values import dataclass


# -- attendance and quorum --------------------------------------------------------------------
def attend(
    session: Session,
    meeting: GeneralMeeting,
    member: Member,
    representative: str | None = None,
    proxy: str | None = None,
    *,
    today: date | None = None,
) -> MeetingAttendance:
    """A qualifying person present for ``member``: its corporate representative (s.323) or
    its proxy (s.324). Without either, the member's current representative is recorded.
    Attendance is recorded once the meeting is held (not before ``today`` reaches it)."""
    meetings.require_open(meeting)
    meetings.require_held(meeting, today, "record attendance")
    meetings.require_entitled(member, meeting, "attend and vote")
    representative = (representative or "").strip() or None
    proxy = (proxy or "").strip() or None
    if representative and proxy:
        raise InputError("a person attends either as representative or as proxy, not both")
    if not representative and not proxy:
        current = members.representative_on(session, member, meeting.held_at.date())
        if current is None:
            raise RuleError(
                f"{member.name} has no corporate representative on "
                f"{meeting.held_at.date()}; pass --representative NAME or --proxy NAME"
            )
        representative = current.name
    for a, _ in meetings.attendance(session, meeting):
        if a.member_id == member.id and (a.representative, a.proxy) == (representative, proxy):
            raise RuleError(
                f"{representative or proxy} is already recorded as present for {member.name}"
            )
    assert meeting.id is not None and member.id is not None
    row = MeetingAttendance(
        meeting_id=meeting.id, member_id=member.id, representative=representative, proxy=proxy
    )
    session.add(row)
    audit.record(session, "meeting.attend", meetings.label(meeting), [row], {"member": member.name})
    return row


def quorum_count(session: Session, meeting: GeneralMeeting) -> int:
    """Qualifying persons for the quorum: several representatives or proxies of the same
    member count once (CA 2006 s.318(3))."""
    return len({a.member_id for a, _ in meetings.attendance(session, meeting)})


def is_quorate(session: Session, meeting: GeneralMeeting) -> bool:
    quorum = settings.get(session, "general_meeting_quorum", meeting.held_at.date())
    return quorum_count(session, meeting) >= quorum


# -- the chair and officers in attendance ------------------------------------------------------
OFFICER_ROLES = ("director", "secretary")


def set_chair(session: Session, meeting: GeneralMeeting, name: str) -> GeneralMeeting:
    """Name (or change) who chairs ``meeting``: allowed until the meeting is closed, so the
    minutes name whoever actually took the chair (Model Articles art 12 [U])."""
    meetings.require_open(meeting)
    name = meetings.person_name(name, "--name")
    if meeting.chair == name:
        raise RuleError(f"{name} is already the chair of meeting {meeting.id}")
    before = meeting.chair
    meeting.chair = name
    session.add(meeting)
    audit.record(
        session, "meeting.chair", meetings.label(meeting), [meeting], {"from": before, "to": name}
    )
    return meeting


def officers(session: Session, meeting: GeneralMeeting) -> list[MeetingOfficer]:
    """The directors and the secretary in attendance, in the order recorded."""
    return list(
        session.exec(
            select(MeetingOfficer)
            .where(MeetingOfficer.meeting_id == meeting.id)
            .order_by(col(MeetingOfficer.id))
        )
    )


def attend_officers(
    session: Session,
    meeting: GeneralMeeting,
    directors: list[str],
    secretary: str | None = None,
    *,
    today: date | None = None,
) -> list[MeetingOfficer]:
    """Directors (each in office on the meeting day, s.162) and the company secretary in
    attendance at ``meeting``, for its minutes; recorded once the meeting is held."""
    meetings.require_open(meeting)
    meetings.require_held(meeting, today, "record officers in attendance")
    held_on = meeting.held_at.date()
    wanted = [(meetings.person_name(n, "--director"), "director") for n in directors]
    if secretary is not None:
        wanted.append((meetings.person_name(secretary, "--secretary"), "secretary"))
    if not wanted:
        raise InputError("name someone: --director NAME (repeat for more) or --secretary NAME")
    recorded = officers(session, meeting)
    present = {o.name for o in recorded}
    if secretary is not None and any(o.role == "secretary" for o in recorded):
        raise RuleError(f"the company secretary is already recorded at meeting {meeting.id}")
    rows = []
    for name, role in wanted:
        if name in present:
            raise RuleError(f"{name} is already recorded in attendance at meeting {meeting.id}")
        present.add(name)
        if role == "director":
            in_office = session.exec(
                select(Director)
                .where(Director.name == name)
                .where(Director.appointed_on <= held_on)
            ).all()
            if not any(d.resigned_on is None or d.resigned_on >= held_on for d in in_office):
                raise RuleError(
                    f"{name} is not a director on {held_on}; `plvgov director list` shows the "
                    "register (record anyone else as a member's representative or proxy)"
                )
        assert meeting.id is not None
        rows.append(MeetingOfficer(meeting_id=meeting.id, name=name, role=role))
    session.add_all(rows)
    audit.record(
        session,
        "meeting.officers",
        meetings.label(meeting),
        rows,
        {"officers": [{"name": r.name, "role": r.role} for r in rows]},
    )
    return rows


# -- polls ------------------------------------------------------------------------------------
def poll_demand_floor(entitled: int) -> int:
    """The most demanders the articles may require for a poll: 5 members, or fewer when
    fewer hold 10% of the voting rights (CA 2006 s.321(2)); 33 members → 4."""
    return min(5, max(1, (10 * entitled + 99) // 100))


def poll_demand_valid(
    session: Session, meeting: GeneralMeeting, demanders: int, by_chair: bool = False
) -> bool:
    """Whether a poll is validly demanded: by the chair, or by at least the articles' number
    of persons with a vote (Model Articles art 30 [U]: 2, the ``poll_demand_min_persons``
    setting), never more than the s.321 floor."""
    if by_chair:
        return True
    held_on = meeting.held_at.date()
    entitled = len(members.members_on(session, held_on))
    articles_minimum = settings.get(session, "poll_demand_min_persons", held_on)
    return demanders >= min(articles_minimum, poll_demand_floor(entitled))


# -- votes and outcomes -----------------------------------------------------------------------
def vote(
    session: Session,
    meeting: GeneralMeeting,
    resolution: Resolution,
    member: Member,
    choice: str,
    *,
    today: date | None = None,
) -> ResolutionVote:
    """A member's vote at the meeting; one per member whatever the number of representatives
    (s.323(4), s.284). Recorded once the meeting is held (not before ``today`` reaches it)."""
    meetings.require_open(meeting)
    meetings.require_held(meeting, today, "record votes")
    choice = resolutions.choose(choice, resolutions.VOTES, "vote")
    if resolution.id not in {r.id for _, r in meetings.business(session, meeting)}:
        raise RuleError(f"resolution {resolution.id} is not business of meeting {meeting.id}")
    if member.id not in {a.member_id for a, _ in meetings.attendance(session, meeting)}:
        raise RuleError(
            f"{member.name} is not recorded as present; record it with "
            f"`plvgov meeting attend {meeting.id} {member.slug}` first"
        )
    if (
        session.exec(
            select(ResolutionVote)
            .where(ResolutionVote.resolution_id == resolution.id)
            .where(ResolutionVote.member_id == member.id)
        ).first()
        is not None
    ):
        raise RuleError(
            f"{member.name} has already voted on resolution {resolution.id}; "
            "a member has one vote (CA 2006 s.284)"
        )
    reps = [
        a.representative or a.proxy
        for a, _ in meetings.attendance(session, meeting)
        if a.member_id == member.id
    ]
    assert resolution.id is not None and member.id is not None
    row = ResolutionVote(
        resolution_id=resolution.id,
        member_id=member.id,
        vote=choice,
        voted_on=meeting.held_at.date(),
        representative=reps[0],
        meeting_id=meeting.id,
    )
    session.add(row)
    audit.record(
        session,
        "meeting.vote",
        meetings.label(meeting),
        [row],
        {"member": member.name, "resolution_id": resolution.id, "vote": choice},
    )
    return row


@dataclass
class Outcome:
    id: int
    title: str
    type: str
    status: str
    votes_for: int
    votes_against: int
    abstentions: int
    reason: str


@dataclass
class Closing:
    id: int
    quorate: bool
    notice_ok: bool
    resolutions: list[Outcome]

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "quorate": self.quorate,
            "notice_ok": self.notice_ok,
            "resolutions": [o.__dict__ for o in self.resolutions],
        }


def _outcome(
    resolution: Resolution,
    item: MeetingBusiness,
    counted: list[ResolutionVote],
    quorate: bool,
    notice_ok: bool,
) -> Outcome:
    assert resolution.id is not None
    votes_for = sum(v.vote == "for" for v in counted)
    against = sum(v.vote == "against" for v in counted)
    abstain = sum(v.vote == "abstain" for v in counted)
    cast = votes_for + against  # abstentions are not votes cast (s.282(3)-(4), s.283(4)-(5))
    if not quorate:
        status, reason = resolutions.FAILED, "the meeting was not quorate (s.318)"
    elif not notice_ok:
        status, reason = resolutions.FAILED, "notice was short and not cured by consents (s.307)"
    elif resolution.type == resolutions.SPECIAL and (
        not item.in_notice or item.notice_text != resolution.text
    ):
        status, reason = (
            resolutions.FAILED,
            "a special resolution's text must be in the notice (s.283(6))",
        )
    elif resolutions.passes(resolution.type, votes_for, cast):
        status, reason = resolutions.PASSED, f"{votes_for} for, {against} against"
    else:
        status, reason = resolutions.FAILED, f"{votes_for} for, {against} against"
    return Outcome(
        resolution.id,
        resolution.title,
        resolution.type,
        status,
        votes_for,
        against,
        abstain,
        reason,
    )


def outcomes(
    session: Session, meeting: GeneralMeeting, quorate: bool, notice_ok: bool
) -> list[tuple[Resolution, Outcome]]:
    """Each resolution put to ``meeting``, in the order of business, with the outcome its votes
    give at a meeting that was (or was not) quorate with valid notice: what :func:`close`
    declares and the minutes record."""
    found = []
    for item, resolution in meetings.business(session, meeting):
        counted = list(
            session.exec(
                select(ResolutionVote).where(ResolutionVote.resolution_id == resolution.id)
            )
        )
        found.append((resolution, _outcome(resolution, item, counted, quorate, notice_ok)))
    return found


def close(
    session: Session,
    meeting: GeneralMeeting,
    *,
    today: date | None = None,
    opened: time | None = None,
    closed: time | None = None,
) -> Closing:
    """Declare the outcome of every resolution put to the meeting and close its record, once
    the meeting has been held (its day is not after ``today``). ``opened`` (default: the time
    in the notice, never earlier) and ``closed`` (optional, after ``opened``) are the times on
    the meeting day the minutes record."""
    meetings.require_open(meeting)
    meetings.require_held(meeting, today, "close the meeting")
    assert meeting.id is not None
    held_on = meeting.held_at.date()
    opened_at = datetime.combine(held_on, opened) if opened is not None else meeting.held_at
    if opened_at < meeting.held_at:
        raise RuleError(
            f"the meeting cannot open before the time in its notice "
            f"({meeting.held_at:%H:%M}); check --opened"
        )
    closed_at = datetime.combine(held_on, closed) if closed is not None else None
    if closed_at is not None and closed_at <= opened_at:
        raise RuleError(
            f"the meeting must close after it opened at {opened_at:%H:%M}; check --closed"
        )
    meeting.opened_at, meeting.closed_at = opened_at, closed_at
    quorate = is_quorate(session, meeting)
    view = meetings.show(session, meeting, held_on)
    declared = []
    rows: list = [meeting]
    for resolution, outcome in outcomes(session, meeting, quorate, view.notice_ok):
        resolution.outcome = outcome.status
        resolution.decided_on = held_on
        session.add(resolution)
        rows.append(resolution)
        declared.append(outcome)
    meeting.closed = True
    meeting.quorate = quorate
    session.add(meeting)
    result = Closing(meeting.id, quorate, view.notice_ok, declared)
    audit.record(session, "meeting.close", meetings.label(meeting), rows, result.as_json())
    checkpoints.take_if_configured(session)  # the members' decisions, signed as declared
    return result
