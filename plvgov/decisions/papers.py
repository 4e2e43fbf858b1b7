"""The papers of the members' decisions: what a notice of general meeting, its minutes, a written
resolution sent to members and a certified copy for the registrar say.

Each ``*_document`` function gathers one record's facts into a typed, frozen dataclass;
:mod:`plvgov.documents.records` puts it in a template context and renders it. Nothing here
changes the ledger.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime

from sqlmodel import Session

from plvgov import settings
from plvgov.dates import uk_date
from plvgov.decisions import meetings, proceedings, resolutions
from plvgov.errors import RuleError
from plvgov.membership import members
from plvgov.values import dataclass
from plvgov.words import plural

PROXY_STATEMENT = (
    "A member entitled to attend and vote at this meeting may appoint a proxy to exercise all "
    "or any of its rights to attend, speak and vote at the meeting (Companies Act 2006 s.324). "
    "A member that is a corporation may instead authorise one or more persons to act as its "
    "representative (s.323)."
)


# -- notice of a general meeting --------------------------------------------------------------
@dataclass(frozen=True)
class NoticeItem:
    """A resolution set out in a notice of general meeting.

    ``id``, ``title``: the resolution's; ``text``: its exact text as the notice gave it;
    ``type``: ``"ordinary"`` or ``"special"`` (the notice labels each, s.283(6)); ``label``:
    ``"ordinary resolution"`` or ``"special resolution"``.
    """

    id: int
    title: str
    text: str
    type: str  # "ordinary" or "special": the notice labels each (s.283(6))
    label: str  # "ordinary resolution" / "special resolution"


@dataclass(frozen=True)
class NoticeDocument:
    """What a notice of general meeting says (CA 2006 ss.311, 283(6), 325).

    ``id``: the meeting's; ``held_at``: when it is held, and the same as ``date`` and ``time``
    (``"HH:MM"``); ``place``: where (None when not yet fixed); ``business``: the general nature
    of the business (s.311); ``resolutions``: those set out in the notice, in order;
    ``proxy_statement``: the statement of the right to appoint a proxy (s.325); ``method``:
    ``email``, ``post`` or ``hand``; ``sent_at`` and ``deemed_served_at``: when the notice went
    and when it is deemed given (s.1147); ``earliest_valid_on``: the first day the meeting
    could validly be held on that notice (14 clear days, s.307, s.360); ``notice_ok``: whether
    ``held_at`` is on or after it. The three are None while the notice has not gone (a meeting
    convened for ``plvgov send notice`` to send).
    """

    id: int
    held_at: datetime
    date: dt.date
    time: str
    place: str | None
    business: str  # the general nature of the business (s.311)
    resolutions: list[NoticeItem]
    proxy_statement: str  # s.325
    method: str
    sent_at: datetime | None  # None: not sent yet (plvgov send notice sends it)
    deemed_served_at: datetime | None
    earliest_valid_on: dt.date | None
    notice_ok: bool


def notice_document(session: Session, meeting_id: int) -> NoticeDocument:
    """What the notice of a general meeting must say (ss.311, 283(6), 325)."""
    meeting = meetings.get(session, meeting_id)
    items = [
        NoticeItem(r.id or 0, r.title, b.notice_text or r.text, r.type, f"{r.type} resolution")
        for b, r in meetings.business(session, meeting)
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
        meetings.notice_period_ok(meeting),
    )


# -- minutes of a general meeting -------------------------------------------------------------
@dataclass(frozen=True)
class MinutesAttendee:
    """A member present at a general meeting: ``member`` (its name), by its corporate
    ``representative`` (s.323) or by its ``proxy`` (s.324) — one of the two is set."""

    member: str
    representative: str | None
    proxy: str | None


@dataclass(frozen=True)
class MinutesOfficer:
    """An officer in attendance (not a member): ``name``; ``role``: ``"director"`` or
    ``"secretary"``; ``label``: ``"director"`` or ``"company secretary"``, as the minutes print
    it."""

    name: str
    role: str
    label: str


@dataclass(frozen=True)
class MinutesResolution:
    """A resolution put to the meeting and its outcome.

    ``id``, ``title``, ``type`` (``"ordinary"`` or ``"special"``): the resolution's;
    ``status``: ``"passed"`` or ``"failed"`` once declared, ``"not declared"`` before;
    ``votes_for``, ``votes_against``, ``abstentions``: the votes at the meeting; ``reason``:
    why it passed or failed; ``line``: all of it on one line, as the minutes print it
    ("Resolution 2 (special): Adopt amended articles — passed: 14 for, 1 against,
    0 abstentions."); ``text``: the resolution's text as proposed (Markdown).
    """

    id: int
    title: str
    type: str
    status: str
    votes_for: int
    votes_against: int
    abstentions: int
    reason: str
    line: str
    text: str


@dataclass(frozen=True)
class MinutesDocument:
    """The minutes of a general meeting (CA 2006 s.355): who chaired and attended, the quorum,
    each vote, for the chair to sign.

    ``id``: the meeting's; ``held_at``, ``place``: when and where it was held; ``chair``: who
    chaired it (None when not recorded); ``attendance``: the members present, in the order
    recorded; ``officers``: the directors and company secretary in attendance; ``quorum``: the
    qualifying persons required (s.318, a setting); ``present``: those counted for it (several
    for one member count once); ``quorate``: whether ``present`` reached ``quorum``;
    ``notice_ok``: whether notice was valid or short notice was cured by consents (s.307);
    ``consents``: consents to short notice given by the meeting day; ``closed``: whether the
    outcomes were declared; ``opened_at``, ``closed_at``: when the meeting opened and closed
    (None when not recorded); ``times``: the sentence stating them ("The meeting opened at 10:00
    and closed at 11:15."; None when the opening time is not recorded); ``resolutions``: each
    resolution's votes and outcome — its declared status once the meeting is closed, ``"not
    declared"`` before.
    """

    id: int
    held_at: datetime
    place: str | None
    chair: str | None
    attendance: list[MinutesAttendee]
    officers: list[MinutesOfficer]
    quorum: int
    present: int  # qualifying persons counted for the quorum
    quorate: bool
    notice_ok: bool
    consents: int
    closed: bool
    opened_at: datetime | None
    closed_at: datetime | None
    times: str | None
    resolutions: list[MinutesResolution]


OFFICER_LABELS = {"director": "director", "secretary": "company secretary"}


def _times(opened_at: datetime | None, closed_at: datetime | None) -> str | None:
    if opened_at is None:
        return None
    if closed_at is None:
        return f"The meeting opened at {opened_at:%H:%M}; its closing time was not recorded."
    return f"The meeting opened at {opened_at:%H:%M} and closed at {closed_at:%H:%M}."


def _line(o: proceedings.Outcome, status: str) -> str:
    votes = f"{o.votes_for} for, {o.votes_against} against, {plural(o.abstentions, 'abstention')}"
    counted = f"{o.votes_for} for, {o.votes_against} against"
    why = "" if o.reason == counted or status == "not declared" else f" ({o.reason})"
    return f"Resolution {o.id} ({o.type}): {o.title} — {status}{why}: {votes}."


def minutes_document(session: Session, meeting_id: int) -> MinutesDocument:
    """Minutes of a general meeting: the chair, who attended, the quorum, the times, each vote
    and its outcome."""
    meeting = meetings.get(session, meeting_id)
    held_on = meeting.held_at.date()
    view = meetings.show(session, meeting, held_on)
    quorate = proceedings.is_quorate(session, meeting)
    outcomes = []
    for resolution, outcome in proceedings.outcomes(session, meeting, quorate, view.notice_ok):
        if resolution.outcome is not None:
            status = resolution.outcome
        elif not meeting.closed:
            status = "not declared"
        else:
            status = outcome.status
        outcomes.append(
            MinutesResolution(
                outcome.id,
                outcome.title,
                outcome.type,
                status,
                outcome.votes_for,
                outcome.votes_against,
                outcome.abstentions,
                outcome.reason,
                _line(outcome, status),
                resolution.text,
            )
        )
    return MinutesDocument(
        meeting_id,
        meeting.held_at,
        meeting.place,
        meeting.chair,
        [
            MinutesAttendee(m.name, a.representative, a.proxy)
            for a, m in meetings.attendance(session, meeting)
        ],
        [
            MinutesOfficer(o.name, o.role, OFFICER_LABELS[o.role])
            for o in proceedings.officers(session, meeting)
        ],
        settings.get(session, "general_meeting_quorum", held_on),
        proceedings.quorum_count(session, meeting),
        quorate,
        view.notice_ok,
        view.consents,
        meeting.closed,
        meeting.opened_at,
        meeting.closed_at,
        _times(meeting.opened_at, meeting.closed_at),
        outcomes,
    )


# -- a written resolution ---------------------------------------------------------------------
@dataclass(frozen=True)
class ReplySlip:
    """One eligible member's reply slip on a written resolution: its ``member`` name,
    ``council_name``, ``gss_code`` (None for a body without one) and the ``representative``
    recorded for it on the circulation date (None when it had none)."""

    member: str
    council_name: str
    gss_code: str | None
    representative: str | None


@dataclass(frozen=True)
class WrittenResolutionDocument:
    """A written resolution as sent to the eligible members (CA 2006 ss.291, 296, 297).

    ``id``, ``title``, ``text``: the resolution's, ``text`` exactly as proposed; ``type``:
    ``"ordinary"`` or ``"special"``; ``circulated_on``: the circulation date; ``lapses_on``:
    the last day an agreement counts (s.291(4), s.297); ``eligible``: the members entitled to
    vote on the circulation date (s.289); ``required``: the agreements it needs to pass
    (s.282, s.283); ``how_to_agree``: the guidance on signifying agreement (s.291(4));
    ``replies``: one slip per eligible member, in name order (only the member's own in
    the copy sent to it).
    """

    id: int
    title: str
    text: str
    type: str  # "ordinary" or "special"
    circulated_on: date | None
    lapses_on: date | None  # the last day an agreement counts (s.291(4), s.297)
    eligible: int
    required: int
    how_to_agree: str  # guidance on signifying agreement (s.291(4))
    replies: list[ReplySlip]


def written_resolution_document(
    session: Session,
    resolution_id: int,
    member: str | None = None,
    sending_on: dt.date | None = None,
) -> WrittenResolutionDocument:
    """What a written resolution sent to members shows, with one reply slip per member (only
    ``member``'s, for its own copy). ``sending_on``: the day ``plvgov send`` sends a resolution
    not yet circulated, which circulates it that day (s.290): the paper shows the members
    eligible and the lapse date that day fixes (ss.289, 297)."""
    resolution = resolutions.get(session, resolution_id)
    resolutions.require_written(resolution, "render")
    if resolution.circulated_on is not None and resolution.lapses_on is not None:
        circulated_on, lapses_on = resolution.circulated_on, resolution.lapses_on
        eligible = resolutions.eligible_members(session, resolution)
    elif sending_on is not None:
        circulated_on = sending_on
        days = settings.get(session, "written_resolution_lapse_days", sending_on)
        lapses_on = sending_on + dt.timedelta(days=days - 1)  # s.297(1): day 1 is circulation
        eligible = [
            (m, rep.name if (rep := members.representative_on(session, m, sending_on)) else None)
            for m in sorted(members.members_on(session, sending_on), key=lambda m: m.name)
        ]
    else:
        raise RuleError(
            f"resolution {resolution_id} has not been circulated; circulate it "
            "first so the eligible members and the lapse date are fixed"
        )
    count = len(eligible)
    how = (
        f"To agree, the member's authorised representative signs and dates the reply "
        f"slip and returns it (by hand, post or email) to the company secretary. Once "
        f"received, agreement cannot be revoked. The resolution passes when "
        f"{resolutions.required(resolution.type, count)} of the {count} eligible members have "
        f"agreed. It lapses if not passed by the end of {uk_date(lapses_on)}; "
        "agreement received after that date does not count."
    )
    slips = [ReplySlip(m.name, m.council_name, m.gss_code, rep) for m, rep in eligible]
    if member is not None:
        own = members.find(session, member)
        slips = [slip for slip in slips if slip.member == own.name]
        if not slips:
            raise RuleError(f"{own.name} is not eligible to vote on resolution {resolution_id}")
    return WrittenResolutionDocument(
        resolution_id,
        resolution.title,
        resolution.text,
        resolution.type,
        circulated_on,
        lapses_on,
        count,
        resolutions.required(resolution.type, count),
        how,
        slips,
    )


# -- a certified copy for the registrar -------------------------------------------------------
@dataclass(frozen=True)
class CertifiedCopyDocument:
    """A copy of a passed resolution certified for the registrar (CA 2006 s.30).

    ``company_name``, ``company_number``: the company's facts; ``id``, ``title``, ``text``,
    ``type`` (``"ordinary"`` or ``"special"``), ``procedure`` (``"written"`` or
    ``"meeting"``): the resolution's; ``passed_on``: the day it passed; ``meeting_id``: the
    general meeting that passed it (None for a written resolution).
    """

    company_name: str
    company_number: str
    id: int
    title: str
    text: str
    type: str
    procedure: str
    passed_on: date
    meeting_id: int | None


def certified_copy_document(session: Session, resolution_id: int) -> CertifiedCopyDocument:
    """A certified copy of a passed resolution for the registrar (s.30)."""
    resolution = resolutions.get(session, resolution_id)
    state = resolutions.tally(session, resolution, date.max)
    if state.status != resolutions.PASSED or state.passed_on is None:
        raise RuleError(
            f"resolution {resolution_id} has not passed ({state.status}); only a "
            "passed resolution has a certified copy"
        )
    return CertifiedCopyDocument(
        settings.fact(session, "company_name"),
        settings.fact(session, "company_number"),
        resolution_id,
        resolution.title,
        resolution.text,
        resolution.type,
        resolution.procedure,
        state.passed_on,
        state.meeting_id,
    )
