"""General meetings: convening them — notice and its deemed service, short-notice consents,
the business in the notice — and what a meeting looks like on any date (CA 2006 Part 13
Chapter 3).

- Notice: 14 clear days (s.307(1), s.360), counted from the day notice is deemed given
  (s.1147: post and email 48 working hours after sending, by hand at once).
- Short notice is cured by consents of a majority in number holding at least 90% of the voting
  rights (s.307(4)-(6); one member, one vote, so both limbs are counts).

What happens at the meeting — attendance, quorum, polls, votes, the close — is
:mod:`plvgov.decisions.proceedings`; the notice and minutes are :mod:`plvgov.decisions.papers`.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from plvgov import audit, settings
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
from plvgov.models.meetings import GeneralMeeting
from plvgov.models.members import Member
from plvgov.models.resolutions import Resolution
from plvgov.values import dataclass

if TYPE_CHECKING:
    # imported where used: a meeting's deadlines (``calendar``, ``check``) build none of these
    from plvgov.models.correspondence import Dispatch
    from plvgov.models.proceedings import MeetingAttendance, MeetingBusiness, MeetingConsent


def get(session: Session, meeting_id: int) -> GeneralMeeting:
    meeting = session.get(GeneralMeeting, meeting_id)
    if meeting is None:
        raise NotFound(f"no meeting {meeting_id}; `plvgov meeting list` shows them")
    return meeting


def person_name(name: str, option: str = "--chair") -> str:
    """A person's name as the minutes print it: trimmed, on one line, not empty."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InputError(
            f"{option} cannot be empty; give the person's name, e.g. {option} 'Jane Doe'"
        )
    return cleaned


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
    sent_at: datetime | None,
    method: str = "email",
    place: str | None = None,
    resolution_ids: list[int] | None = None,
    chair: str | None = None,
) -> GeneralMeeting:
    """A general meeting and its notice: when the notice is deemed given (s.1147) and the
    earliest date it allows (s.307, s.360). Resolutions named go in the notice with their text;
    ``chair`` is who is to chair it (changeable at the meeting, :func:`proceedings.set_chair`).
    Without ``sent_at`` the notice is yet to go: ``plvgov send notice`` sends it and the send
    log fixes its deemed service (:func:`notice_from_log`)."""
    method = method.strip().lower()
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; choose email, post or hand")
    held_at = london_naive(held_at)
    meeting = GeneralMeeting(
        held_at=held_at,
        place=(place or "").strip() or None,
        method=method,
        notice_days=settings.get(session, "general_meeting_notice_days", held_at.date()),
        notice_from_log=sent_at is None,
        chair=person_name(chair) if chair is not None else None,
    )
    if sent_at is not None:
        _fix_notice(session, meeting, london_naive(sent_at), method)
    session.add(meeting)
    session.flush()
    rows: list = [meeting]
    for rid in resolution_ids or []:
        rows.append(_attach(session, meeting, resolutions.get(session, rid), in_notice=True))
    audit.record(
        session, "meeting.convene", label(meeting), rows, {"notice_ok": notice_period_ok(meeting)}
    )
    return meeting


def _fix_notice(session: Session, meeting: GeneralMeeting, sent_at: datetime, method: str) -> None:
    if sent_at >= meeting.held_at:
        raise RuleError("the notice must be sent before the meeting; check --sent and --at")
    sent_on = sent_at.date()
    hours = settings.get(session, "deemed_service_hours", sent_on)
    notice_days = settings.get(session, "general_meeting_notice_days", sent_on)
    deemed = deemed_served(Calendar.of(session, sent_on), sent_at, method, hours)
    meeting.method = method
    meeting.sent_at = sent_at
    meeting.deemed_served_at = deemed
    meeting.earliest_valid_on = earliest_meeting_on(deemed.date(), notice_days)
    meeting.notice_days = notice_days


def notice_document_key(meeting_id: int) -> str:
    """The name the send log knows the meeting's notice by."""
    return f"notice:{meeting_id}"


@dataclass(frozen=True)
class NoticeSends:
    """What the send log says of a meeting's notice: ``last`` is the delivery that fixed the
    deemed service (None until every member entitled has its copy); ``waiting``: members
    entitled whose copy has not gone."""

    last: Dispatch | None
    last_member: str | None
    delivered: int
    waiting: list[str]


def notice_sends(session: Session, meeting: GeneralMeeting) -> NoticeSends:
    """The send log of ``meeting``'s notice: who has had a copy and which send was last. Members
    entitled to notice are those on the register on the day of the latest delivery (today's
    register before any went)."""
    from plvgov.correspondence import log

    assert meeting.id is not None
    rows = log.rows_for(session, notice_document_key(meeting.id))
    done = log.delivered(rows.values())
    last = max(done, key=lambda r: (r.sent_at, r.id or 0)) if done else None
    on = last.sent_at.date() if last is not None and last.sent_at else meeting.held_at.date()
    entitled = members.members_on(session, min(on, meeting.held_at.date()))
    given = {r.member_id for r in done}
    waiting = [m.name for m in entitled if m.id not in given]
    last_member = session.get(Member, last.member_id).name if last else None  # type: ignore[union-attr]
    return NoticeSends(last if not waiting else None, last_member, len(done), waiting)


def notice_from_log(session: Session, meeting: GeneralMeeting) -> list[GeneralMeeting]:
    """For a meeting convened without ``--sent``: once every member entitled to notice has its
    copy, the notice was sent when the last went (by email or post, both deemed given 48
    working hours later, s.1147(2)-(3)). Returns the meeting when it changed."""
    if not meeting.notice_from_log or meeting.closed:
        return []
    sends = notice_sends(session, meeting)
    if sends.last is None or sends.last.sent_at is None:
        return []
    method = "post" if sends.last.method == "post" else "email"
    if meeting.sent_at == sends.last.sent_at and meeting.method == method:
        return []
    _fix_notice(session, meeting, sends.last.sent_at, method)
    session.add(meeting)
    return [meeting]


def _attach(
    session: Session, meeting: GeneralMeeting, resolution: Resolution, in_notice: bool
) -> MeetingBusiness:
    from plvgov.models.proceedings import MeetingBusiness

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
    require_open(meeting)
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
    """Whether the notice gave the clear days the law asks; False while it has not gone."""
    return (
        meeting.earliest_valid_on is not None
        and meeting.held_at.date() >= meeting.earliest_valid_on
    )


def business(session: Session, meeting: GeneralMeeting) -> list[tuple[MeetingBusiness, Resolution]]:
    from plvgov.models.proceedings import MeetingBusiness

    rows = session.exec(
        select(MeetingBusiness, Resolution)
        .where(MeetingBusiness.meeting_id == meeting.id)
        .where(MeetingBusiness.resolution_id == Resolution.id)
        .order_by(col(MeetingBusiness.id))
    )
    return list(rows)


# -- consents ---------------------------------------------------------------------------------
def require_open(meeting: GeneralMeeting) -> None:
    if meeting.closed:
        raise RuleError(f"meeting {meeting.id} is closed; its record cannot change")


def require_held(meeting: GeneralMeeting, today: date | None, doing: str) -> None:
    """Refuse to record what happened at ``meeting`` before the day it is held."""
    require_past(
        meeting.held_at.date(), today, f"meeting {meeting.id}'s date", f"{doing} once it is held"
    )


def require_entitled(member: Member, meeting: GeneralMeeting, doing: str) -> None:
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
    from plvgov.models.proceedings import MeetingConsent

    require_open(meeting)
    require_past(on, today, "the consent date", "record a consent once it has been given")
    require_entitled(member, meeting, "consent to short notice")
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
    from plvgov.models.proceedings import MeetingConsent

    held_on = meeting.held_at.date()
    rows = session.exec(
        select(MeetingConsent, Member)
        .where(MeetingConsent.meeting_id == meeting.id)
        .where(MeetingConsent.member_id == Member.id)
    )
    return sum(1 for c, m in rows if c.consented_on <= at and members.is_member_on(m, held_on))


@dataclass
class MeetingView:
    """A general meeting as ``meeting show`` draws it: its notice, business, consents and
    record."""

    id: int
    at: datetime
    place: str | None
    method: str
    sent_at: datetime | None
    deemed_served_at: datetime | None
    earliest_valid_on: date | None
    notice_period_ok: bool
    notice_ok: bool  # the period was met, or consents cured short notice
    consents: int
    consents_required: int
    entitled: int
    proxy_cutoff: datetime
    closed: bool
    quorate: bool | None
    chair: str | None = None
    resolutions: list[dict[str, object]] = field(default_factory=list)
    attendance: list[dict[str, object]] = field(default_factory=list)
    # From the send log, for a meeting convened without --sent: the send that fixed the deemed
    # service ({member, address, sent_at, message_id}) and the members still waiting.
    notice_fixed_by: dict[str, object] | None = None
    notice_waiting: list[str] = field(default_factory=list)

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
        meeting.chair,
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
        *_fixed_by(session, meeting),
    )


def _fixed_by(
    session: Session, meeting: GeneralMeeting
) -> tuple[dict[str, object] | None, list[str]]:
    if not meeting.notice_from_log:
        return None, []
    sends = notice_sends(session, meeting)
    if sends.last is None:
        return None, sends.waiting
    return {
        "id": sends.last.id,
        "member": sends.last_member,
        "method": sends.last.method,
        "address": sends.last.address,
        "sent_at": sends.last.sent_at,
        "message_id": sends.last.message_id,
    }, []


def list_meetings(session: Session, at: date) -> list[MeetingView]:
    return [
        show(session, m, at)
        for m in session.exec(select(GeneralMeeting).order_by(col(GeneralMeeting.held_at)))
    ]


# -- attendance -------------------------------------------------------------------------------
def attendance(session: Session, meeting: GeneralMeeting) -> list[tuple[MeetingAttendance, Member]]:
    from plvgov.models.proceedings import MeetingAttendance

    rows = session.exec(
        select(MeetingAttendance, Member)
        .where(MeetingAttendance.meeting_id == meeting.id)
        .where(MeetingAttendance.member_id == Member.id)
        .order_by(col(MeetingAttendance.id))
    )
    return list(rows)


# -- for the calendar and `check` -------------------------------------------------------------
@dataclass(frozen=True)
class ShortNotice:
    """A meeting held before its notice ran out, and the consents to short notice it has and
    needs (s.307)."""

    meeting_id: int
    held_at: datetime
    earliest_valid_on: date
    consents: int
    consents_required: int


def deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """Meeting dates, and for meetings not yet held the latest day to send valid notice. Both
    are dates to know, not outstanding: a meeting's notice is recorded when it is convened, and
    notice sent too late is the short-notice check's (CA 2006 s.307)."""
    found = []
    for meeting in session.exec(select(GeneralMeeting)):
        held_on = meeting.held_at.date()
        found.append(
            Deadline(
                held_on,
                "general_meeting",
                label(meeting),
                f"The members meet at {meeting.place}, starting at {meeting.held_at:%H:%M}."
                if meeting.place
                else f"The members meet at {meeting.held_at:%H:%M}; the place is to be confirmed.",
                "CA 2006 s.307",
                starts_at=meeting.held_at,
                location=meeting.place or "",
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
                    # a notice plvgov is to send and has not yet sent is a thing to do
                    outstanding=meeting.sent_at is None,
                )
            )
    return [d for d in found if start <= d.on <= end]


def short_notice(session: Session, at: date) -> list[ShortNotice]:
    """Meetings not yet closed whose notice is short and not cured by consents as of ``at``."""
    found = []
    open_meetings = select(GeneralMeeting).where(col(GeneralMeeting.closed).is_(False))
    for meeting in session.exec(open_meetings):
        if meeting.earliest_valid_on is None:
            continue  # not sent yet: the calendar's meeting_notice_by says by when
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
