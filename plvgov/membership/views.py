"""What ``member list`` and ``member show`` print: the register as of a date.

Read-only views over :mod:`plvgov.membership.members` (the register) and
:mod:`plvgov.membership.exits` (the exit point each member can reach); the board pack lists
members through them too.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date

from sqlmodel import Session

from plvgov.dates import FinancialYear, uk_date
from plvgov.errors import InputError
from plvgov.membership import einvoicing, exits, members
from plvgov.membership.particulars import details, details_by_member, particulars_from
from plvgov.models.council_acts import Representative
from plvgov.models.members import Member
from plvgov.models.members import MemberDetail as DetailChange
from plvgov.values import dataclass

#: How a status reads in text (JSON keeps the stored words).
STATUS_WORDS = {
    members.PROSPECT: "prospect",
    members.IN_PRINCIPLE: "agreed in principle",
    members.MEMBER: "member",
    members.NOTICE_GIVEN: "notice given",
    members.CEASED: "former member",
    members.DECLINED: "declined",
}
STAGE_WORDS = {"in_principle": "in principle", "final": "final", "declined": "declined"}


@dataclass
class MemberView:
    id: int
    gss_code: str | None
    slug: str
    name: str
    council_name: str
    status: str
    joined_on: date | None
    ceased_on: date | None

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass
class MemberDetail(MemberView):
    address: str | None = None  # in force on the day shown (CA 2006 s.113)
    email: str | None = None
    peppol_id: str | None = None  # where its e-invoices go, SCHEME:ID
    details_since: date | None = None  # the latest change of particulars in force, if any
    detail_changes: list[dict[str, object]] = field(default_factory=list)
    area: str | None = None
    cease_reason: str | None = None
    admission_resolution_id: int | None = None
    decisions: list[dict[str, object]] = field(default_factory=list)
    representative: dict[str, object] | None = None
    representatives: list[dict[str, object]] = field(default_factory=list)
    withdrawal: dict[str, object] | None = None
    next_exit_on: date | None = None
    notice_deadline: date | None = None
    guarantee_until: date | None = None


def _view(member: Member, status: str, legal_name: str | None = None) -> MemberView:
    assert member.id is not None
    return MemberView(
        member.id,
        member.gss_code,
        member.slug,
        member.name,
        legal_name or member.council_name,
        status,
        member.admitted_on,
        member.ceased_on,
    )


def list_members(session: Session, on: date, status: str | None = None) -> list[MemberView]:
    """Members and prospects as of ``on``; ``status`` filters (``notice-given`` or
    ``notice_given``)."""
    wanted = status.replace("-", "_").lower() if status else None
    if wanted is not None and wanted not in members.STATUSES:
        raise InputError(f"unknown status {status!r}; choose from {', '.join(members.STATUSES)}")
    all_decisions = members.decisions_by_member(session)
    notices = members.notices_by_member(session)
    changes = details_by_member(session)
    views = []
    for member in members.everyone(session):
        assert member.id is not None
        view = _view(
            member,
            members.status_on(member, all_decisions.get(member.id, []), notices.get(member.id), on),
            particulars_from(member, changes.get(member.id, []), on).name,
        )
        if wanted is None or view.status == wanted:
            views.append(view)
    return views


def show(session: Session, member: Member, on: date) -> MemberDetail:
    """One member as of ``on``: its status, council decisions, representatives, notice of
    withdrawal, the next exit point it can reach and how long its guarantee lasts."""
    history = members.decisions(session, member)
    withdrawal = members.notice(session, member)
    status = members.status_on(member, history, withdrawal, on)
    changes = details(session, member)
    particulars = particulars_from(member, changes, on)
    base = _view(member, status, particulars.name)
    reps = members.representatives(session, member)
    current = members.representative_from(reps, on)
    upcoming = exits.next_exit(session, member, on)
    return MemberDetail(
        **base.__dict__,
        address=particulars.address,
        email=particulars.email,
        peppol_id=einvoicing.address(member),
        details_since=particulars.since,
        detail_changes=[_change_json(c) for c in changes],
        area=member.area,
        cease_reason=member.cease_reason,
        admission_resolution_id=member.admission_resolution_id,
        decisions=[
            {
                "id": d.id,
                "stage": d.stage,
                "decided_on": d.decided_on,
                "body": d.body,
                "reference": d.reference,
            }
            for d in history
        ],
        representative=None if current is None else _rep_json(current, reps),
        representatives=[_rep_json(r, reps) for r in reps],
        withdrawal=None
        if withdrawal is None
        else {
            "id": withdrawal.id,
            "received_on": withdrawal.received_on,
            "effective_on": withdrawal.exit_on,
            "notice_deadline": withdrawal.notice_deadline,
            "deadline_met": withdrawal.deadline_met,
            "missed_exit_on": withdrawal.missed_exit_on,
        },
        next_exit_on=None if upcoming is None else upcoming.on,
        notice_deadline=None if upcoming is None else upcoming.notice_deadline,
        guarantee_until=members.guarantee_until(session, member),
    )


def _rep_json(rep: Representative, all_reps: list[Representative]) -> dict[str, object]:
    later = [r.from_on for r in all_reps if r.from_on > rep.from_on]
    return {
        "id": rep.id,
        "name": rep.name,
        "from_on": rep.from_on,
        "until": min(later) if later else None,
        "authority": rep.authority,
    }


def _change_json(change: DetailChange) -> dict[str, object]:
    return {
        "id": change.id,
        "effective_from": change.effective_from,
        "name": change.name,
        "address": change.address,
        "email": change.email,
    }


def status_line(d: MemberDetail, on: date) -> str:
    """What a person would say of the member's standing on ``on``: "member since 1 April 2023;
    leaves on 31 March 2028 (notice received 1 October 2025)". Membership ends at the end of
    its last day, so the last day is the day it "leaves on"."""
    decided = [
        x for x in d.decisions if isinstance(x["decided_on"], date) and x["decided_on"] <= on
    ]
    latest = decided[-1] if decided else None
    if d.status == members.PROSPECT:
        return "prospect; no council decision recorded"
    if d.status in (members.IN_PRINCIPLE, members.DECLINED) and latest is not None:
        assert isinstance(latest["decided_on"], date)
        what = {"final": "decided to join", "declined": "declined"}.get(
            str(latest["stage"]), "agreed in principle"
        )
        line = f"{what} on {uk_date(latest['decided_on'])} ({latest['body']})"
        return line + ("; not yet admitted" if d.status == members.IN_PRINCIPLE else "")
    why = _leaving_reason(d)
    if d.status == members.CEASED and d.ceased_on is not None:
        return f"former member; left on {uk_date(d.ceased_on)}{why}"
    line = "member" if d.joined_on is None else f"member since {uk_date(d.joined_on)}"
    if d.ceased_on is not None and (d.withdrawal is None or d.status == members.NOTICE_GIVEN):
        line += f"; leaves on {uk_date(d.ceased_on)}{why}"
    return line


def _leaving_reason(d: MemberDetail) -> str:
    if d.withdrawal is not None:
        received = d.withdrawal["received_on"]
        assert isinstance(received, date)
        return f" (notice received {uk_date(received)})"
    return f" ({d.cease_reason})" if d.cease_reason else ""


def on_register_during(session: Session, fy: FinancialYear) -> list[Member]:
    """Each council on the register for a day of ``fy`` (admitted in it included; a former
    member that ceased before it, or a prospect, not), in name order: who gets the year's
    subscription notice."""
    return [
        m
        for m in members.everyone(session)
        if m.admitted_on is not None
        and m.admitted_on <= fy.ends_on
        and (m.ceased_on is None or m.ceased_on >= fy.starts_on)
    ]
