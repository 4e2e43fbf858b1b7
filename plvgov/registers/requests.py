"""Requests the company must answer by a statutory deadline, and whether they bind it.

- ``written-resolution`` (CA 2006 s.292-293): members holding the ``member_request_percent``
  (5%) of the voting rights may require the company to circulate a written resolution; it
  circulates it within 21 days.
- ``meeting`` (s.303-304): members holding 5% may require a general meeting; the directors call
  it within 21 days, for a date not more than 28 days after the notice (or the members may call
  it themselves, s.305).
- ``inspection`` (s.116-117): anyone may ask to inspect or copy the register of members, giving
  their name and address, the purpose, and whether the information will be disclosed to others
  (s.116(4)); the company complies or applies to the court within 5 working days (s.1173).
- ``foi`` (Freedom of Information Act 2000): a company wholly owned by public authorities is
  itself one (s.6); it answers within 20 working days following receipt, a working day leaving
  out bank holidays in any part of the United Kingdom (s.10(1), (6)).

Whether members reach the threshold is worked out from the votes on the day the request is
received (:mod:`plvgov.registers.votes`); a request that does not reach it is recorded as not
binding the company, with no deadline.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from sqlmodel import Session, col, select

from plvgov import audit, settings
from plvgov.company import filings as company
from plvgov.dates import Deadline, require_not_before, require_past, uk_date
from plvgov.decisions.notice_timing import Calendar
from plvgov.errors import InputError, NotFound, RuleError
from plvgov.membership.members import id_of, is_member_on
from plvgov.models.members import Member
from plvgov.models.registers import Request
from plvgov.registers import votes, workdays
from plvgov.values import dataclass

WRITTEN_RESOLUTION, MEETING, INSPECTION, FOI = "written-resolution", "meeting", "inspection", "foi"
KINDS = (WRITTEN_RESOLUTION, MEETING, INSPECTION, FOI)
SOURCE = {
    WRITTEN_RESOLUTION: "CA 2006 s.293(3)",
    MEETING: "CA 2006 s.304(1)",
    INSPECTION: "CA 2006 s.117(1)",
    FOI: "FOIA 2000 s.10(1)",
}
WHAT = {
    WRITTEN_RESOLUTION: "circulate the written resolution",
    MEETING: "call the general meeting, for a date not more than 28 days after the notice",
    INSPECTION: "let the requester inspect or copy the register, or apply to the court",
    FOI: "answer the request for information",
}
CIRCULATE_DAYS = 21  # s.293(3)
CALL_DAYS = 21  # s.304(1)(a)
HOLD_WITHIN_DAYS = 28  # s.304(1)(b): the meeting not more than 28 days after the notice
INSPECTION_WORKING_DAYS = 5  # s.117(1)
FOI_WORKING_DAYS = 20  # FOIA 2000 s.10(1)
LABEL = {
    WRITTEN_RESOLUTION: "members' written resolution",
    MEETING: "members' requisition of a general meeting",
    INSPECTION: "inspection of the register of members",
    FOI: "freedom of information request",
}
OPEN, OVERDUE, CLOSED, NOT_BINDING = "open", "overdue", "closed", "not binding"


@dataclass(frozen=True)
class Logged:
    """A request just logged: its deadline, and why it binds the company or does not."""

    request: Request
    members: list[Member]
    reason: str


def _members_need(session: Session, kind: str, on: date, requesters: list[Member]) -> str:
    """Why the members' request binds the company; RuleError-free: a short reason either way."""
    wanted = settings.get(session, "member_request_percent", on)
    share = votes.share_of(session, requesters, on)
    names = ", ".join(m.name for m in requesters)
    section = "s.292" if kind == WRITTEN_RESOLUTION else "s.303"
    held = f"{names} {'hold' if len(requesters) > 1 else 'holds'} {votes.percent(share)}"
    if share >= Fraction(wanted, 100):
        return f"{held} of the voting rights on {on}; {section} needs {wanted}%"
    return (
        f"does not bind the company: {held} of the voting rights on {on}; {section} needs {wanted}%"
    )


def due_on(session: Session, kind: str, received: date) -> date:
    """The day by which the company must act on a binding request received on ``received``."""
    if kind in (WRITTEN_RESOLUTION, MEETING):
        return received + timedelta(
            days=CIRCULATE_DAYS if kind == WRITTEN_RESOLUTION else CALL_DAYS
        )
    calendar = Calendar.of(session, received)
    if kind == INSPECTION:
        return workdays.nth_working_day_after(calendar, received, INSPECTION_WORKING_DAYS)
    return workdays.nth_uk_working_day_after(received, FOI_WORKING_DAYS, calendar.extra)


def _clean(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def log(
    session: Session,
    kind: str,
    received: date,
    requesters: list[Member],
    *,
    text: str | None = None,
    requester: str | None = None,
    address: str | None = None,
    purpose: str | None = None,
    disclosed: bool | None = None,
    today: date | None = None,
) -> Logged:
    """Record a request received on ``received`` and its deadline."""
    from plvgov.models.requesters import RequestMember  # here only: the deadlines do not need it

    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; choose {', '.join(KINDS)}")
    require_past(received, today, "the date received", "log a request once it has arrived")
    company.require_existed(session, received, "the date received")
    if len({m.id for m in requesters}) != len(requesters):
        raise InputError("a member is named twice; name each requesting member once")
    for m in requesters:
        if not is_member_on(m, received):
            raise RuleError(
                f"{m.name} is not a member on {received}; only members may make this request"
                if kind in (WRITTEN_RESOLUTION, MEETING)
                else f"{m.name} is not a member on {received}; give the requester with --name"
            )
    requester, address = _clean(requester), _clean(address)
    if kind in (WRITTEN_RESOLUTION, MEETING):
        if not requesters:
            raise InputError(f"name the requesting members with --member (a {kind} request)")
        reason = _members_need(session, kind, received, requesters)
        binding = not reason.startswith("does not bind")
    else:
        if len(requesters) == 1:
            one = requesters[0]
            requester = requester or one.council_name or one.name
            address = address or one.address
        if kind == INSPECTION:
            missing = [
                option
                for option, value in (
                    ("--name", requester),
                    ("--address", address),
                    ("--purpose", _clean(purpose)),
                    ("--disclose or --no-disclose", disclosed),
                )
                if value is None
            ]
            if missing:
                raise InputError(
                    "an inspection request must give the requester's name and address, the "
                    "purpose and whether the information will be disclosed to others "
                    f"(CA 2006 s.116(4)); add {', '.join(missing)}"
                )
        elif requester is None:
            raise InputError("give who asks with --name (FOIA 2000 s.8(1)(b))")
        binding, reason = True, ""
    request = Request(
        kind=kind,
        received_on=received,
        due_on=due_on(session, kind, received) if binding else None,
        binding=binding,
        text=_clean(text),
        requester=requester,
        address=address,
        purpose=_clean(purpose),
        disclosed=disclosed,
    )
    session.add(request)
    session.flush()
    assert request.id is not None  # flushed
    links = [RequestMember(request_id=request.id, member_id=id_of(m)) for m in requesters]
    session.add_all(links)
    audit.record(
        session,
        "request.log",
        f"{kind} request received {received}",
        [request, *links],
        {"members": [m.name for m in requesters], "reason": reason},
    )
    return Logged(request, requesters, reason)


def get(session: Session, request_id: int) -> Request:
    request = session.get(Request, request_id)
    if request is None:
        raise NotFound(f"no request {request_id}; `plvgov request list` shows them")
    return request


def close(
    session: Session, request: Request, on: date, outcome: str, *, today: date | None = None
) -> Request:
    """Record what was done about ``request`` and when."""
    if request.closed_on is not None:
        raise RuleError(f"request {request.id} was closed on {request.closed_on}")
    if not outcome.strip():
        raise InputError("say what was done with --outcome")
    require_past(on, today, "the date closed", "close a request once it has been dealt with")
    require_not_before(
        on,
        request.received_on,
        "the date closed",
        f"the request was received on {request.received_on}",
    )
    request.closed_on, request.outcome = on, outcome.strip()
    session.add(request)
    audit.record(session, "request.close", f"request {request.id}", [request])
    return request


def status(request: Request, on: date) -> str:
    if not request.binding:
        return NOT_BINDING
    if request.closed_on is not None:
        return CLOSED
    assert request.due_on is not None
    return OVERDUE if on > request.due_on else OPEN


@dataclass(frozen=True)
class RequestRow:
    """A request as ``request list`` shows it: its kind, dates, status, who made it and what
    they asked (with, for an inspection, the address and purpose s.116(4) requires)."""

    id: int
    kind: str
    received_on: date
    due_on: date | None
    status: str
    requested_by: str
    closed_on: date | None
    outcome: str | None
    text: str | None = None
    address: str | None = None
    purpose: str | None = None
    disclosed: bool | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "received_on": self.received_on,
            "due_on": self.due_on,
            "status": self.status,
            "requested_by": self.requested_by,
            "closed_on": self.closed_on,
            "outcome": self.outcome,
            "text": self.text,
            "address": self.address,
            "purpose": self.purpose,
            "disclosed": self.disclosed,
        }


def _requesters(session: Session) -> dict[int, list[str]]:
    from plvgov.models.requesters import RequestMember

    found: dict[int, list[str]] = {}
    rows = session.exec(
        select(RequestMember.request_id, Member.name)
        .join(Member, col(Member.id) == col(RequestMember.member_id))
        .order_by(col(Member.name))
    )
    for request_id, name in rows:
        found.setdefault(request_id, []).append(name)
    return found


def all_requests(session: Session) -> list[Request]:
    return list(session.exec(select(Request).order_by(col(Request.received_on), col(Request.id))))


def rows(session: Session, on: date) -> list[RequestRow]:
    """Every request with its state on ``on``, oldest first."""
    names = _requesters(session)
    return [
        RequestRow(
            r.id or 0,
            r.kind,
            r.received_on,
            r.due_on,
            status(r, on),
            ", ".join(names.get(r.id or 0, [])) or (r.requester or ""),
            r.closed_on,
            r.outcome,
            r.text,
            r.address,
            r.purpose,
            r.disclosed,
        )
        for r in all_requests(session)
    ]


def deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """Each binding request's deadline (cancelled once closed); for a meeting request, also
    the latest day the meeting can be held if called on its last day."""
    found: list[Deadline] = []
    for r in all_requests(session):
        if r.due_on is None:
            continue
        subject = f"Request {r.id}: {LABEL[r.kind]}, received {uk_date(r.received_on)}"
        found.append(
            Deadline(
                r.due_on,
                f"request_{r.kind.replace('-', '_')}",
                subject,
                WHAT[r.kind],
                SOURCE[r.kind],
                outstanding=r.closed_on is None,
                cancelled=r.closed_on is not None,
            )
        )
        if r.kind == MEETING and r.closed_on is None:
            found.append(
                Deadline(
                    r.due_on + timedelta(days=HOLD_WITHIN_DAYS),
                    "request_meeting_held",
                    subject,
                    "the latest day for the meeting if it is called on the last day; if the "
                    "directors do not call it, the members may (s.305)",
                    "CA 2006 s.304(1)(b)",
                )
            )
    return [d for d in found if start <= d.on <= end]
