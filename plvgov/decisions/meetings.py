"""General meetings: notice and its deemed service, short-notice consents, attendance and
quorum, votes, and declaring the outcomes (CA 2006 Part 13 Chapter 3).

- Notice: 14 clear days (s.307(1), s.360), counted from the day notice is deemed given
  (s.1147: post and email 48 working hours after sending, by hand at once).
- Short notice is cured by consents of a majority in number holding at least 90% of the voting
  rights (s.307(4)-(6); one member, one vote, so both limbs are counts).
- Quorum: two qualifying persons (s.318(2), a setting); several representatives or proxies of
  the same member count once. A member present by a representative and a proxy also counts
  once: both act for one member.
- Votes are on votes cast (abstentions are not votes cast); a tie fails (no casting vote at a
  general meeting). Several representatives of one council give it one vote (s.323(4)).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from plvgov import audit, checkpoints, settings
from plvgov.dates import Deadline, require_past
from plvgov.decisions import resolutions
from plvgov.decisions.notice_timing import (
    METHODS,
    Calendar,
    deemed_served,
    earliest_meeting_on,
    latest_sending_on,
    london_naive,
    proxy_cutoff,
)
from plvgov.errors import InputError, NotFound, RuleError
from plvgov.membership import members
from plvgov.models.decisions import (
    GeneralMeeting,
    MeetingAttendance,
    MeetingBusiness,
    MeetingConsent,
    Resolution,
    ResolutionVote,
)
from plvgov.models.members import Member

PROXY_STATEMENT = (
    "A member entitled to attend and vote at this meeting may appoint a proxy to exercise all "
    "or any of its rights to attend, speak and vote at the meeting (Companies Act 2006 s.324). "
    "A member that is a corporation may instead authorise one or more persons to act as its "
    "representative (s.323)."
)


def get(session: Session, meeting_id: int) -> GeneralMeeting:
    meeting = session.get(GeneralMeeting, meeting_id)
    if meeting is None:
        raise NotFound(f"no meeting {meeting_id}; `plvgov meeting list` shows them")
    return meeting


def label(meeting: GeneralMeeting) -> str:
    return f"General meeting {meeting.id} on {meeting.held_at:%Y-%m-%d %H:%M}"


# -- notice -----------------------------------------------------------------------------------
def consents_required(session: Session, entitled: int, on: date) -> int:
    """Fewest consents that cure short notice: a majority in number holding at least the
    setting's % of voting rights (CA 2006 s.307(5)-(6)); 33 members → 30 (32 at 95%)."""
    percent = settings.get(session, "short_notice_consent_percent", on)
    by_rights = (percent * entitled + 99) // 100
    return max(entitled // 2 + 1, by_rights)


def convene(
    session: Session,
    held_at: datetime,
    sent_at: datetime,
    method: str = "email",
    place: str | None = None,
    resolution_ids: list[int] | None = None,
) -> GeneralMeeting:
    """A general meeting and its notice: when the notice is deemed given (s.1147) and the
    earliest date it allows (s.307, s.360). Resolutions named go in the notice with their text."""
    method = method.strip().lower()
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; choose email, post or hand")
    held_at, sent_at = london_naive(held_at), london_naive(sent_at)
    if sent_at >= held_at:
        raise RuleError("the notice must be sent before the meeting; check --sent and --at")
    sent_on = sent_at.date()
    hours = settings.get(session, "deemed_service_hours", sent_on)
    notice_days = settings.get(session, "general_meeting_notice_days", sent_on)
    calendar = Calendar.of(session, sent_on)
    deemed = deemed_served(calendar, sent_at, method, hours)
    meeting = GeneralMeeting(
        held_at=held_at,
        place=(place or "").strip() or None,
        method=method,
        sent_at=sent_at,
        deemed_served_at=deemed,
        earliest_valid_on=earliest_meeting_on(deemed.date(), notice_days),
        notice_days=notice_days,
    )
    session.add(meeting)
    session.flush()
    rows: list = [meeting]
    for rid in resolution_ids or []:
        rows.append(_attach(session, meeting, resolutions.get(session, rid), in_notice=True))
    audit.record(
        session, "meeting.convene", label(meeting), rows, {"notice_ok": notice_period_ok(meeting)}
    )
    return meeting


def _attach(
    session: Session, meeting: GeneralMeeting, resolution: Resolution, in_notice: bool
) -> MeetingBusiness:
    if resolution.procedure != resolutions.MEETING:
        raise RuleError(
            f"resolution {resolution.id} is a written resolution; propose one "
            "with --procedure meeting for a general meeting"
        )
    taken = session.exec(
        select(MeetingBusiness).where(MeetingBusiness.resolution_id == resolution.id)
    ).first()
    if taken is not None:
        raise RuleError(
            f"resolution {resolution.id} is already business of meeting {taken.meeting_id}"
        )
    assert meeting.id is not None and resolution.id is not None
    row = MeetingBusiness(
        meeting_id=meeting.id,
        resolution_id=resolution.id,
        in_notice=in_notice,
        notice_text=resolution.text if in_notice else None,
    )
    session.add(row)
    return row


def add_business(
    session: Session, meeting: GeneralMeeting, resolution: Resolution
) -> MeetingBusiness:
    """Put a resolution to a meeting after its notice went out. Its text was not in the
    notice, so it cannot pass as a special resolution (s.283(6))."""
    _open(meeting)
    row = _attach(session, meeting, resolution, in_notice=False)
    audit.record(
        session,
        "meeting.business",
        label(meeting),
        [row],
        {"resolution_id": resolution.id, "in_notice": False},
    )
    return row


def notice_period_ok(meeting: GeneralMeeting) -> bool:
    return meeting.held_at.date() >= meeting.earliest_valid_on


def business(session: Session, meeting: GeneralMeeting) -> list[tuple[MeetingBusiness, Resolution]]:
    rows = session.exec(
        select(MeetingBusiness, Resolution)
        .where(MeetingBusiness.meeting_id == meeting.id)
        .where(MeetingBusiness.resolution_id == Resolution.id)
        .order_by(col(MeetingBusiness.id))
    )
    return list(rows)


# -- consents ---------------------------------------------------------------------------------
def _open(meeting: GeneralMeeting) -> None:
    if meeting.closed:
        raise RuleError(f"meeting {meeting.id} is closed; its record cannot change")


def _held(meeting: GeneralMeeting, today: date | None, doing: str) -> None:
    """Refuse to record what happened at ``meeting`` before the day it is held."""
    require_past(
        meeting.held_at.date(), today, f"meeting {meeting.id}'s date", f"{doing} once it is held"
    )


def _entitled(member: Member, meeting: GeneralMeeting, doing: str) -> None:
    if not members.is_member_on(member, meeting.held_at.date()):
        raise RuleError(
            f"{member.name} is not a member on {meeting.held_at.date()}, so it cannot {doing}"
        )


def consent(
    session: Session,
    meeting: GeneralMeeting,
    member: Member,
    on: date,
    *,
    today: date | None = None,
) -> MeetingConsent:
    """A member's consent to short notice (s.307(4)), given on or before the meeting and
    recorded once given (not after ``today``)."""
    _open(meeting)
    require_past(on, today, "the consent date", "record a consent once it has been given")
    _entitled(member, meeting, "consent to short notice")
    if on > meeting.held_at.date():
        raise RuleError(
            f"consent to short notice must be given by the meeting on "
            f"{meeting.held_at.date()}, not on {on}"
        )
    if (
        session.exec(
            select(MeetingConsent)
            .where(MeetingConsent.meeting_id == meeting.id)
            .where(MeetingConsent.member_id == member.id)
        ).first()
        is not None
    ):
        raise RuleError(
            f"{member.name} has already consented to short notice of meeting {meeting.id}"
        )
    assert meeting.id is not None and member.id is not None
    row = MeetingConsent(meeting_id=meeting.id, member_id=member.id, consented_on=on)
    session.add(row)
    audit.record(session, "meeting.consent", label(meeting), [row], {"member": member.name})
    return row


def consents(session: Session, meeting: GeneralMeeting, at: date) -> int:
    held_on = meeting.held_at.date()
    rows = session.exec(
        select(MeetingConsent, Member)
        .where(MeetingConsent.meeting_id == meeting.id)
        .where(MeetingConsent.member_id == Member.id)
    )
    return sum(1 for c, m in rows if c.consented_on <= at and members.is_member_on(m, held_on))


@dataclass
class MeetingView:
    id: int
    at: datetime
    place: str | None
    method: str
    sent_at: datetime
    deemed_served_at: datetime
    earliest_valid_on: date
    notice_period_ok: bool
    notice_ok: bool  # the period was met, or consents cured short notice
    consents: int
    consents_required: int
    entitled: int
    proxy_cutoff: datetime
    closed: bool
    quorate: bool | None
    resolutions: list[dict[str, object]] = field(default_factory=list)
    attendance: list[dict[str, object]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def show(session: Session, meeting: GeneralMeeting, at: date) -> MeetingView:
    """The meeting as of ``at``: notice, consents and business."""
    assert meeting.id is not None
    held_on = meeting.held_at.date()
    entitled = len(members.members_on(session, held_on))
    given = consents(session, meeting, at)
    need = consents_required(session, entitled, held_on)
    period_ok = notice_period_ok(meeting)
    hours = settings.get(session, "deemed_service_hours", held_on)
    return MeetingView(
        meeting.id,
        meeting.held_at,
        meeting.place,
        meeting.method,
        meeting.sent_at,
        meeting.deemed_served_at,
        meeting.earliest_valid_on,
        period_ok,
        period_ok or given >= need,
        given,
        need,
        entitled,
        proxy_cutoff(Calendar.of(session, held_on), meeting.held_at, hours),
        meeting.closed,
        meeting.quorate,
        [
            {
                "id": r.id,
                "title": r.title,
                "type": r.type,
                "in_notice": b.in_notice,
                "status": resolutions.tally(session, r, at).status,
            }
            for b, r in business(session, meeting)
        ],
        [
            {"member": m.name, "representative": a.representative, "proxy": a.proxy}
            for a, m in attendance(session, meeting)
        ],
    )


def list_meetings(session: Session, at: date) -> list[MeetingView]:
    return [
        show(session, m, at)
        for m in session.exec(select(GeneralMeeting).order_by(col(GeneralMeeting.held_at)))
    ]


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
    _open(meeting)
    _held(meeting, today, "record attendance")
    _entitled(member, meeting, "attend and vote")
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
    for a, _ in attendance(session, meeting):
        if a.member_id == member.id and (a.representative, a.proxy) == (representative, proxy):
            raise RuleError(
                f"{representative or proxy} is already recorded as present for {member.name}"
            )
    assert meeting.id is not None and member.id is not None
    row = MeetingAttendance(
        meeting_id=meeting.id, member_id=member.id, representative=representative, proxy=proxy
    )
    session.add(row)
    audit.record(session, "meeting.attend", label(meeting), [row], {"member": member.name})
    return row


def attendance(session: Session, meeting: GeneralMeeting) -> list[tuple[MeetingAttendance, Member]]:
    rows = session.exec(
        select(MeetingAttendance, Member)
        .where(MeetingAttendance.meeting_id == meeting.id)
        .where(MeetingAttendance.member_id == Member.id)
        .order_by(col(MeetingAttendance.id))
    )
    return list(rows)


def quorum_count(session: Session, meeting: GeneralMeeting) -> int:
    """Qualifying persons for the quorum: several representatives or proxies of the same
    member count once (CA 2006 s.318(3))."""
    return len({a.member_id for a, _ in attendance(session, meeting)})


def is_quorate(session: Session, meeting: GeneralMeeting) -> bool:
    quorum = settings.get(session, "general_meeting_quorum", meeting.held_at.date())
    return quorum_count(session, meeting) >= quorum


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
    _open(meeting)
    _held(meeting, today, "record votes")
    choice = resolutions.choose(choice, resolutions.VOTES, "vote")
    if resolution.id not in {r.id for _, r in business(session, meeting)}:
        raise RuleError(f"resolution {resolution.id} is not business of meeting {meeting.id}")
    if member.id not in {a.member_id for a, _ in attendance(session, meeting)}:
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
        for a, _ in attendance(session, meeting)
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
        label(meeting),
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


def close(session: Session, meeting: GeneralMeeting, *, today: date | None = None) -> Closing:
    """Declare the outcome of every resolution put to the meeting and close its record, once
    the meeting has been held (its day is not after ``today``)."""
    _open(meeting)
    _held(meeting, today, "close the meeting")
    assert meeting.id is not None
    held_on = meeting.held_at.date()
    quorate = is_quorate(session, meeting)
    view = show(session, meeting, held_on)
    outcomes = []
    rows: list = [meeting]
    for item, resolution in business(session, meeting):
        counted = list(
            session.exec(
                select(ResolutionVote).where(ResolutionVote.resolution_id == resolution.id)
            )
        )
        outcome = _outcome(resolution, item, counted, quorate, view.notice_ok)
        resolution.outcome = outcome.status
        resolution.decided_on = held_on
        session.add(resolution)
        rows.append(resolution)
        outcomes.append(outcome)
    meeting.closed = True
    meeting.quorate = quorate
    session.add(meeting)
    result = Closing(meeting.id, quorate, view.notice_ok, outcomes)
    audit.record(session, "meeting.close", label(meeting), rows, result.as_json())
    checkpoints.take_if_configured(session)  # the members' decisions, signed as declared
    return result


# -- for the calendar and `check` -------------------------------------------------------------
@dataclass(frozen=True)
class ShortNotice:
    meeting_id: int
    held_at: datetime
    earliest_valid_on: date
    consents: int
    consents_required: int


def deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """Meeting dates, and for meetings not yet held the latest day to send valid notice."""
    found = []
    for meeting in session.exec(select(GeneralMeeting)):
        held_on = meeting.held_at.date()
        found.append(
            Deadline(
                held_on,
                "general_meeting",
                label(meeting),
                f"{meeting.held_at:%H:%M} at {meeting.place or 'a place to confirm'}",
                "CA 2006 s.307",
            )
        )
        if not meeting.closed:
            calendar = Calendar.of(session, held_on)
            hours = settings.get(session, "deemed_service_hours", held_on)
            days = settings.get(session, "general_meeting_notice_days", held_on)
            by = latest_sending_on(calendar, held_on, days, meeting.method, hours)
            found.append(
                Deadline(
                    by,
                    "meeting_notice_by",
                    label(meeting),
                    f"last day to send notice by {meeting.method} for {days} clear days",
                    "CA 2006 s.307, s.360, s.1147",
                )
            )
    return [d for d in found if start <= d.on <= end]


def short_notice(session: Session, at: date) -> list[ShortNotice]:
    """Meetings not yet closed whose notice is short and not cured by consents as of ``at``."""
    found = []
    open_meetings = select(GeneralMeeting).where(col(GeneralMeeting.closed).is_(False))
    for meeting in session.exec(open_meetings):
        view = show(session, meeting, at)
        if not view.notice_ok:
            found.append(
                ShortNotice(
                    view.id,
                    meeting.held_at,
                    meeting.earliest_valid_on,
                    view.consents,
                    view.consents_required,
                )
            )
    return found


# -- documents (templates are rendered elsewhere) ---------------------------------------------
@dataclass(frozen=True)
class NoticeItem:
    id: int
    title: str
    text: str
    type: str  # "ordinary" or "special": the notice labels each (s.283(6))
    label: str  # "ordinary resolution" / "special resolution"


@dataclass(frozen=True)
class NoticeDocument:
    id: int
    held_at: datetime
    date: dt.date
    time: str
    place: str | None
    business: str  # the general nature of the business (s.311)
    resolutions: list[NoticeItem]
    proxy_statement: str  # s.325
    method: str
    sent_at: datetime
    deemed_served_at: datetime
    earliest_valid_on: dt.date
    notice_ok: bool


def notice_document(session: Session, meeting_id: int) -> NoticeDocument:
    """What the notice of a general meeting must say (ss.311, 283(6), 325)."""
    meeting = get(session, meeting_id)
    items = [
        NoticeItem(r.id or 0, r.title, b.notice_text or r.text, r.type, f"{r.type} resolution")
        for b, r in business(session, meeting)
        if b.in_notice
    ]
    nature = (
        "; ".join(
            f"to consider and, if thought fit, pass as {i.label} resolution {i.id}: {i.title}"
            for i in items
        )
        or "general business"
    )
    return NoticeDocument(
        meeting_id,
        meeting.held_at,
        meeting.held_at.date(),
        f"{meeting.held_at:%H:%M}",
        meeting.place,
        nature,
        items,
        PROXY_STATEMENT,
        meeting.method,
        meeting.sent_at,
        meeting.deemed_served_at,
        meeting.earliest_valid_on,
        notice_period_ok(meeting),
    )


@dataclass(frozen=True)
class MinutesAttendee:
    member: str
    representative: str | None
    proxy: str | None


@dataclass(frozen=True)
class MinutesDocument:
    id: int
    held_at: datetime
    place: str | None
    attendance: list[MinutesAttendee]
    quorum: int
    present: int  # qualifying persons counted for the quorum
    quorate: bool
    notice_ok: bool
    consents: int
    closed: bool
    resolutions: list[Outcome]


def minutes_document(session: Session, meeting_id: int) -> MinutesDocument:
    """Minutes of a general meeting: who attended, the quorum, each vote and its outcome."""
    meeting = get(session, meeting_id)
    held_on = meeting.held_at.date()
    view = show(session, meeting, held_on)
    quorate = is_quorate(session, meeting)
    outcomes = []
    for item, resolution in business(session, meeting):
        counted = list(
            session.exec(
                select(ResolutionVote).where(ResolutionVote.resolution_id == resolution.id)
            )
        )
        outcome = _outcome(resolution, item, counted, quorate, view.notice_ok)
        if resolution.outcome is not None:
            outcome.status = resolution.outcome
        elif not meeting.closed:
            outcome.status = "not declared"
        outcomes.append(outcome)
    return MinutesDocument(
        meeting_id,
        meeting.held_at,
        meeting.place,
        [
            MinutesAttendee(m.name, a.representative, a.proxy)
            for a, m in attendance(session, meeting)
        ],
        settings.get(session, "general_meeting_quorum", held_on),
        quorum_count(session, meeting),
        quorate,
        view.notice_ok,
        view.consents,
        meeting.closed,
        outcomes,
    )
