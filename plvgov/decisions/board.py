"""The board of directors: board meetings and the directors' decisions (Model Articles for CLGs,
arts 7-13); the register of directors (CA 2006 s.162) is :mod:`plvgov.decisions.appointments`.

A directors' decision is a majority decision at a quorate meeting (votes cast; the chair has a
casting vote on a tie when the ``board_chair_casting_vote`` setting says so, art 13 [U]) or a
unanimous decision in writing of all eligible directors (art 8), which is invalid when the
eligible directors would not have made a quorum. A board resolution can approve an admission
(art 21); ``plvgov member admit --resolution ID`` checks it
(:func:`plvgov.membership.members.check_admission_resolution`).
"""

from __future__ import annotations

from dataclasses import field
from datetime import date

from sqlmodel import Session, col, func, select

from plvgov import audit, checkpoints, settings
from plvgov.dates import require_past
from plvgov.decisions.appointments import directors, directors_on, in_office
from plvgov.errors import InputError, NotFound, RuleError
from plvgov.models.board import BoardAttendance, BoardMeeting, BoardResolution, BoardVote
from plvgov.models.directors import Director
from plvgov.models.members import Member
from plvgov.values import dataclass
from plvgov.words import plural

PURPOSES = ("approve-admission", "other")
VOTES = ("for", "against", "abstain")
PROPOSED, PASSED, FAILED = "proposed", "passed", "failed"


# -- board meetings ---------------------------------------------------------------------------
def get_meeting(session: Session, meeting_id: int) -> BoardMeeting:
    meeting = session.get(BoardMeeting, meeting_id)
    if meeting is None:
        raise NotFound(f"no board meeting {meeting_id}; `plvgov board list` shows them")
    return meeting


def get_resolution(session: Session, resolution_id: int) -> BoardResolution:
    resolution = session.get(BoardResolution, resolution_id)
    if resolution is None:
        raise NotFound(
            f"no board resolution {resolution_id}; `plvgov board resolutions` shows them"
        )
    return resolution


def _open(meeting: BoardMeeting) -> None:
    if meeting.closed:
        raise RuleError(f"board meeting {meeting.id} is closed; its record cannot change")


def _held(meeting: BoardMeeting, today: date | None, doing: str) -> None:
    """Refuse to record what happened at ``meeting`` before the day it is held."""
    require_past(
        meeting.held_on, today, f"board meeting {meeting.id}'s date", f"{doing} once it is held"
    )


def convene(
    session: Session, held_on: date, place: str | None = None, chair: Director | None = None
) -> BoardMeeting:
    """A meeting of the directors on ``held_on``, with its chair (art 12). It may be ahead of
    today: convening plans the meeting; what happens at it is recorded once it is held."""
    if chair is not None and not in_office(chair, held_on):
        raise RuleError(f"{chair.name} is not a director on {held_on}")
    meeting = BoardMeeting(
        held_on=held_on,
        place=(place or "").strip() or None,
        chair_director_id=chair.id if chair else None,
    )
    session.add(meeting)
    audit.record(session, "board.meeting", f"Board meeting on {held_on}", [meeting])
    return meeting


def attend(
    session: Session, meeting: BoardMeeting, director: Director, *, today: date | None = None
) -> BoardAttendance:
    _open(meeting)
    _held(meeting, today, "record attendance")
    if not in_office(director, meeting.held_on):
        raise RuleError(f"{director.name} is not a director on {meeting.held_on}")
    if (
        session.exec(
            select(BoardAttendance)
            .where(BoardAttendance.board_meeting_id == meeting.id)
            .where(BoardAttendance.director_id == director.id)
        ).first()
        is not None
    ):
        raise RuleError(f"{director.name} is already recorded as present")
    assert meeting.id is not None and director.id is not None
    row = BoardAttendance(board_meeting_id=meeting.id, director_id=director.id)
    session.add(row)
    audit.record(
        session, "board.attend", f"Board meeting {meeting.id}", [row], {"director": director.name}
    )
    return row


def present(session: Session, meeting: BoardMeeting) -> list[int]:
    return [
        a.director_id
        for a in session.exec(
            select(BoardAttendance).where(BoardAttendance.board_meeting_id == meeting.id)
        )
    ]


def _new_resolution(
    title: str, text: str | None, purpose: str, member: Member | None, procedure: str, on: date
) -> BoardResolution:
    purpose = purpose.strip().lower().replace("_", "-")
    if purpose not in PURPOSES:
        raise InputError(f"unknown purpose {purpose!r}; choose {', '.join(PURPOSES)}")
    if not title.strip():
        raise InputError("give the resolution a title with --title")
    if purpose == "approve-admission" and member is None:
        raise InputError("an admission approval names the applicant with --member")
    return BoardResolution(
        title=title.strip(),
        text=(text or "").strip() or title.strip(),
        purpose=purpose,
        member_id=member.id if member else None,
        procedure=procedure,
        proposed_on=on,
    )


def propose(
    session: Session,
    meeting: BoardMeeting,
    title: str,
    text: str | None = None,
    purpose: str = "other",
    member: Member | None = None,
) -> BoardResolution:
    """A resolution put to a board meeting."""
    _open(meeting)
    resolution = _new_resolution(title, text, purpose, member, "meeting", meeting.held_on)
    resolution.board_meeting_id = meeting.id
    session.add(resolution)
    audit.record(session, "board.propose", f"Board resolution: {resolution.title}", [resolution])
    return resolution


def vote(
    session: Session,
    resolution: BoardResolution,
    director: Director,
    choice: str,
    *,
    today: date | None = None,
) -> BoardVote:
    """A director's vote at the meeting (one each; the director must be present)."""
    choice = choice.strip().lower()
    if choice not in VOTES:
        raise InputError(f"unknown vote {choice!r}; choose for, against or abstain")
    if resolution.procedure != "meeting" or resolution.board_meeting_id is None:
        raise RuleError(
            f"board resolution {resolution.id} is a written resolution; "
            f"directors sign it with `plvgov board sign {resolution.id} DIRECTOR`"
        )
    meeting = get_meeting(session, resolution.board_meeting_id)
    _open(meeting)
    _held(meeting, today, "record votes")
    if director.id not in present(session, meeting):
        raise RuleError(
            f"{director.name} is not recorded as present; "
            f'`plvgov board attend {meeting.id} "{director.name}"` first'
        )
    if _votes(session, resolution, director):
        raise RuleError(f"{director.name} has already voted on board resolution {resolution.id}")
    assert resolution.id is not None and director.id is not None
    row = BoardVote(
        board_resolution_id=resolution.id,
        director_id=director.id,
        vote=choice,
        voted_on=meeting.held_on,
    )
    session.add(row)
    audit.record(
        session,
        "board.vote",
        f"Board resolution {resolution.id}",
        [row],
        {"director": director.name, "vote": choice},
    )
    return row


def _votes(
    session: Session, resolution: BoardResolution, director: Director | None = None
) -> list[BoardVote]:
    stmt = select(BoardVote).where(BoardVote.board_resolution_id == resolution.id)
    if director is not None:
        stmt = stmt.where(BoardVote.director_id == director.id)
    return list(session.exec(stmt.order_by(col(BoardVote.voted_on), col(BoardVote.id))))


def decide(votes_for: int, against: int, chair_for: bool | None, casting_vote: bool) -> bool:
    """Majority of votes cast; on a tie the chair's casting vote decides when allowed (art 13)."""
    if votes_for > against:
        return True
    if votes_for == against and votes_for > 0 and casting_vote and chair_for is not None:
        return chair_for
    return False


@dataclass
class BoardClosing:
    id: int
    quorate: bool
    resolutions: list[dict[str, object]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def close(session: Session, meeting: BoardMeeting, *, today: date | None = None) -> BoardClosing:
    """Declare the board meeting's decisions, once it is held (not after ``today``): nothing
    passes without a quorum (art 11)."""
    _open(meeting)
    _held(meeting, today, "close the meeting")
    assert meeting.id is not None
    quorum = settings.get(session, "board_quorum", meeting.held_on)
    casting = settings.get(session, "board_chair_casting_vote", meeting.held_on)
    quorate = len(present(session, meeting)) >= quorum
    result = BoardClosing(meeting.id, quorate)
    rows: list = [meeting]
    for resolution in session.exec(
        select(BoardResolution)
        .where(BoardResolution.board_meeting_id == meeting.id)
        .order_by(col(BoardResolution.id))
    ):
        votes = _votes(session, resolution)
        votes_for = sum(v.vote == "for" for v in votes)
        against = sum(v.vote == "against" for v in votes)
        chair = next((v.vote for v in votes if v.director_id == meeting.chair_director_id), None)
        chair_for = None if chair in (None, "abstain") else chair == "for"
        passed = quorate and decide(votes_for, against, chair_for, casting)
        resolution.status = PASSED if passed else FAILED
        resolution.decided_on = meeting.held_on
        session.add(resolution)
        rows.append(resolution)
        result.resolutions.append(
            {
                "id": resolution.id,
                "status": resolution.status,
                "votes_for": votes_for,
                "votes_against": against,
            }
        )
    meeting.closed = True
    meeting.quorate = quorate
    session.add(meeting)
    audit.record(session, "board.close", f"Board meeting {meeting.id}", rows, result.as_json())
    checkpoints.take_if_configured(session)  # the board's decisions, signed as declared
    return result


# -- unanimous written decisions ---------------------------------------------------------------
def propose_written(
    session: Session,
    title: str,
    on: date,
    text: str | None = None,
    purpose: str = "other",
    member: Member | None = None,
    *,
    today: date | None = None,
) -> BoardResolution:
    """A directors' written resolution circulated on ``on`` (not after ``today``) to every
    director then in office. It is invalid unless those eligible directors would make a quorum
    (art 8)."""
    require_past(
        on, today, "the circulation date", "record the circulation once the resolution is sent"
    )
    eligible = directors_on(session, on)
    quorum = settings.get(session, "board_quorum", on)
    if len(eligible) < quorum:
        raise RuleError(
            f"only {plural(len(eligible), 'director')} in office on {on}, fewer than the "
            f"quorum of {quorum}; a unanimous decision would be invalid (Model "
            "Articles art 8)"
        )
    resolution = _new_resolution(title, text, purpose, member, "written", on)
    resolution.eligible_count = len(eligible)
    session.add(resolution)
    audit.record(
        session,
        "board.written",
        f"Board resolution: {resolution.title}",
        [resolution],
        {"eligible": [d.name for d in eligible]},
    )
    return resolution


def sign(
    session: Session,
    resolution: BoardResolution,
    director: Director,
    on: date,
    *,
    today: date | None = None,
) -> BoardVote:
    """A director's signature agreeing a written resolution, recorded once signed (not after
    ``today``); it passes on the day the last eligible director signs (art 8: unanimous)."""
    require_past(on, today, "the signature date", "record a signature once it has been given")
    if resolution.procedure != "written":
        raise RuleError(f"board resolution {resolution.id} is for a meeting; vote on it there")
    if resolution.status != PROPOSED:
        raise RuleError(f"board resolution {resolution.id} already {resolution.status}")
    if on < resolution.proposed_on:
        raise RuleError(
            f"board resolution {resolution.id} was circulated on "
            f"{resolution.proposed_on}; a signature cannot come before that"
        )
    eligible = directors_on(session, resolution.proposed_on)
    if director.id not in {d.id for d in eligible}:
        raise RuleError(
            f"{director.name} was not a director on {resolution.proposed_on}, so "
            "is not eligible to sign"
        )
    if _votes(session, resolution, director):
        raise RuleError(f"{director.name} has already signed board resolution {resolution.id}")
    assert resolution.id is not None and director.id is not None
    row = BoardVote(
        board_resolution_id=resolution.id, director_id=director.id, vote="for", voted_on=on
    )
    session.add(row)
    session.flush()
    rows: list = [row]
    if len(_votes(session, resolution)) == len(eligible):
        resolution.status = PASSED
        resolution.decided_on = on
        session.add(resolution)
        rows.append(resolution)
    audit.record(
        session,
        "board.sign",
        f"Board resolution {resolution.id}",
        rows,
        {"director": director.name, "status": resolution.status},
    )
    return row


@dataclass
class BoardResolutionView:
    id: int
    title: str
    purpose: str
    member: str | None
    procedure: str
    board_meeting_id: int | None
    proposed_on: date
    status: str
    decided_on: date | None
    votes: list[dict[str, object]]


def resolution_views(
    session: Session, board_meeting_id: int | None = None
) -> list[BoardResolutionView]:
    """Every board resolution with its votes, in id order; only those put to board meeting
    ``board_meeting_id`` when it is given."""
    names = {m.id: m.name for m in session.exec(select(Member))}
    people = {d.id: d.name for d in directors(session)}
    chosen = select(BoardResolution).order_by(col(BoardResolution.id))
    if board_meeting_id is not None:
        chosen = chosen.where(BoardResolution.board_meeting_id == board_meeting_id)
    return [
        BoardResolutionView(
            r.id or 0,
            r.title,
            r.purpose,
            names.get(r.member_id),
            r.procedure,
            r.board_meeting_id,
            r.proposed_on,
            r.status,
            r.decided_on,
            [
                {"director": people.get(v.director_id), "vote": v.vote, "on": v.voted_on}
                for v in _votes(session, r)
            ],
        )
        for r in session.exec(chosen)
    ]


def meetings(session: Session) -> list[BoardMeeting]:
    return list(session.exec(select(BoardMeeting).order_by(col(BoardMeeting.held_on))))


# -- what `board list` and `board show` print -------------------------------------------------
@dataclass
class BoardMeetingRow:
    """A board meeting in the list: ``present`` counts the directors recorded present."""

    id: int
    held_on: date
    place: str | None
    closed: bool
    quorate: bool | None
    present: int

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def meeting_rows(session: Session) -> list[BoardMeetingRow]:
    """Every board meeting by date, with how many directors were present (two queries,
    however many meetings)."""
    counts = dict(
        session.exec(
            select(BoardAttendance.board_meeting_id, func.count()).group_by(
                col(BoardAttendance.board_meeting_id)
            )
        ).all()
    )
    return [
        BoardMeetingRow(
            m.id or 0, m.held_on, m.place, m.closed, m.quorate, counts.get(m.id or 0, 0)
        )
        for m in meetings(session)
    ]


@dataclass
class BoardMeetingView:
    """One board meeting: its ``chair`` and the directors ``present`` (names, in the order
    recorded), the ``quorum`` in force on the day (art 11), whether it is ``closed`` and was
    ``quorate``, and the ``resolutions`` put to it with their votes."""

    id: int
    held_on: date
    place: str | None
    chair: str | None
    present: list[str | None]
    quorum: int
    closed: bool
    quorate: bool | None
    resolutions: list[BoardResolutionView]

    def as_json(self) -> dict[str, object]:
        return {**self.__dict__, "resolutions": [dict(r.__dict__) for r in self.resolutions]}


def meeting_view(session: Session, meeting: BoardMeeting) -> BoardMeetingView:
    """Board meeting ``meeting``: who was present, the quorum and each resolution's votes."""
    assert meeting.id is not None
    people = {d.id: d.name for d in directors(session)}
    return BoardMeetingView(
        meeting.id,
        meeting.held_on,
        meeting.place,
        people.get(meeting.chair_director_id),
        [people.get(p) for p in present(session, meeting)],
        settings.get(session, "board_quorum", meeting.held_on),
        meeting.closed,
        meeting.quorate,
        resolution_views(session, meeting.id),
    )
