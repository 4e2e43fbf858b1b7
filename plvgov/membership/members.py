"""Members: London councils' path from prospect to member and, one day, out again.

States (PRODUCT.md): ``prospect`` → ``in_principle`` → ``member`` → (``notice_given``) →
``ceased``; or ``declined``. A status is never stored: it is worked out for any date from the
facts recorded — council decisions, the date of entry in the register of members (CA 2006
s.112(2), s.113), the withdrawal notice and the last day of membership — so ``--at`` can answer
as of any day. Nothing is ever deleted; former members stay on the register (s.121).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from sqlmodel import Session, col, select

from plvgov import audit, settings, typed
from plvgov.dates import COMPANIES_ACT_2006_FORMATION, add_years, require_not_before, require_past
from plvgov.errors import InputError, NotFound, RuleError, nearest
from plvgov.membership import exits as terms
from plvgov.models.members import Member, MemberDecision, Representative, WithdrawalNotice

if TYPE_CHECKING:
    from plvgov.dates import Deadline

PROSPECT, IN_PRINCIPLE, MEMBER, NOTICE_GIVEN, CEASED, DECLINED = (
    "prospect",
    "in_principle",
    "member",
    "notice_given",
    "ceased",
    "declined",
)
STATUSES = (PROSPECT, IN_PRINCIPLE, MEMBER, NOTICE_GIVEN, CEASED, DECLINED)
STAGES = {
    "in-principle": "in_principle",
    "in_principle": "in_principle",
    "final": "final",
    "declined": "declined",
}
MAX_IMPORT_BYTES = 5 * 1024 * 1024
_GSS = re.compile(r"[EWSN][0-9]{8}\Z")  # ASCII digits only


# -- reference data ---------------------------------------------------------------------------
def london_authorities() -> list[dict[str, str]]:
    """The 33 London local authorities shipped with plvgov (see ``data/SOURCES.md``)."""
    text = resources.files("plvgov").joinpath("data/london_authorities.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", " and ")).strip("-")
    return slug or "member"


def stage_london_authorities(session: Session) -> list[Member]:
    """Add the 33 London authorities as prospects (``plvgov init``); no audit event of its own."""
    rows = [
        Member(
            gss_code=a["gss_code"],
            slug=slugify(a["name"]),
            name=a["name"],
            council_name=a["council_name"],
            area=a["inner_outer"],
        )
        for a in london_authorities()
    ]
    session.add_all(rows)
    return rows


# -- finding a member -------------------------------------------------------------------------
def find(session: Session, text: str) -> Member:
    """The member named by GSS code, slug or name (ONS or council), case-insensitively."""
    wanted = text.strip().lower()
    if not wanted:
        raise InputError("name a member by GSS code (E09000002), slug or name")
    members = list(session.exec(select(Member)))
    for attribute in ("gss_code", "slug"):
        hits = [m for m in members if (getattr(m, attribute) or "").lower() == wanted]
        if len(hits) == 1:
            return hits[0]
    hits = [m for m in members if wanted in (m.name.lower(), m.council_name.lower())]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise InputError(
            f"{text!r} names {len(hits)} members: "
            f"{', '.join(f'{m.name} ({m.gss_code or m.slug})' for m in hits)}; "
            "use the GSS code or slug"
        )
    by_label = {m.slug: m for m in members} | {m.name: m for m in members}
    hint = list(
        dict.fromkeys(
            f"{by_label[h].name} ({by_label[h].gss_code or by_label[h].slug})"
            for h in nearest(text, by_label)
        )
    )
    did_you_mean = (
        f"; did you mean {', '.join(hint)}?"
        if hint
        else "; `plvgov member list` shows every member"
    )
    raise NotFound(f"no member {text!r}{did_you_mean}")


def _member_id(member: Member) -> int:
    assert member.id is not None, "a member is flushed before rows refer to it"
    return member.id


def get(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound(f"no member with id {member_id}")
    return member


# -- status -----------------------------------------------------------------------------------
# Each fact about a member comes two ways: for one member, and for every member at once in one
# query (``*_by_member``), so that papers listing thousands of members cost the same few queries
# as papers listing three. Both share the ordering and the rules below.
_DECISION_ORDER = (col(MemberDecision.decided_on), col(MemberDecision.id))
_REPRESENTATIVE_ORDER = (col(Representative.from_on), col(Representative.id))


def decisions(session: Session, member: Member) -> list[MemberDecision]:
    stmt = (
        select(MemberDecision)
        .where(MemberDecision.member_id == member.id)
        .order_by(*_DECISION_ORDER)
    )
    return list(session.exec(stmt))


def decisions_by_member(session: Session) -> dict[int, list[MemberDecision]]:
    """Every member's council decisions, ordered as :func:`decisions` orders them; a member
    with none is absent."""
    return _by_member(session.exec(select(MemberDecision).order_by(*_DECISION_ORDER)))


def notice(session: Session, member: Member) -> WithdrawalNotice | None:
    stmt = select(WithdrawalNotice).where(WithdrawalNotice.member_id == member.id)
    return session.exec(stmt).first()


def notices_by_member(session: Session) -> dict[int, WithdrawalNotice]:
    """Every notice of withdrawal lodged, by member (a member gives at most one)."""
    return {n.member_id: n for n in session.exec(select(WithdrawalNotice))}


def representatives(session: Session, member: Member) -> list[Representative]:
    stmt = (
        select(Representative)
        .where(Representative.member_id == member.id)
        .order_by(*_REPRESENTATIVE_ORDER)
    )
    return list(session.exec(stmt))


def representatives_by_member(session: Session) -> dict[int, list[Representative]]:
    """Every member's appointments, ordered as :func:`representatives` orders them; a member
    with none is absent."""
    return _by_member(session.exec(select(Representative).order_by(*_REPRESENTATIVE_ORDER)))


class _OfAMember(Protocol):
    member_id: int


_Row = TypeVar("_Row", bound=_OfAMember)


def _by_member(rows: Iterable[_Row]) -> dict[int, list[_Row]]:
    """``rows`` grouped by their member, each group in the order the rows came."""
    found: dict[int, list[_Row]] = {}
    for row in rows:
        found.setdefault(row.member_id, []).append(row)
    return found


def representative_from(appointments: list[Representative], on: date) -> Representative | None:
    """The representative acting on ``on``: the latest appointed from that day or before (a new
    appointment ends the previous one). ``appointments`` are in :func:`representatives` order."""
    current = [r for r in appointments if r.from_on <= on]
    return current[-1] if current else None


def representative_on(session: Session, member: Member, on: date) -> Representative | None:
    return representative_from(representatives(session, member), on)


def status_on(
    member: Member, history: list[MemberDecision], withdrawal: WithdrawalNotice | None, on: date
) -> str:
    """The member's status at the end of ``on``'s business (membership ends at the end of
    its last day, so a member is still ``notice_given`` on its exit date)."""
    if member.ceased_on is not None and on > member.ceased_on:
        return CEASED
    if member.admitted_on is not None and member.admitted_on <= on:
        if withdrawal is not None and withdrawal.received_on <= on:
            return NOTICE_GIVEN
        return MEMBER
    earlier = [d for d in history if d.decided_on <= on]
    if not earlier:
        return PROSPECT
    return DECLINED if earlier[-1].stage == "declined" else IN_PRINCIPLE


class Tenure(Protocol):
    """What being on the register depends on: the day a member entered it and its last day.
    A :class:`Member` has it; so do the light rows bulk work loads instead of whole members."""

    @property
    def admitted_on(self) -> date | None: ...

    @property
    def ceased_on(self) -> date | None: ...


def is_member_on(member: Tenure, on: date) -> bool:
    """True when ``member`` is on the register on ``on`` (entitled to vote, liable to pay)."""
    return (
        member.admitted_on is not None
        and member.admitted_on <= on
        and (member.ceased_on is None or on <= member.ceased_on)
    )


def everyone(session: Session) -> list[Member]:
    """Every member, prospect and former member ever recorded, in name order."""
    return list(session.exec(select(Member).order_by(col(Member.name))))


def members_on(session: Session, on: date) -> list[Member]:
    """Everyone on the register on ``on``, in name order."""
    return [m for m in everyone(session) if is_member_on(m, on)]


def status_of(session: Session, member: Member, on: date) -> str:
    return status_on(member, decisions(session, member), notice(session, member), on)


# -- views ------------------------------------------------------------------------------------
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
    address: str | None = None
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


def _view(member: Member, status: str) -> MemberView:
    assert member.id is not None
    return MemberView(
        member.id,
        member.gss_code,
        member.slug,
        member.name,
        member.council_name,
        status,
        member.admitted_on,
        member.ceased_on,
    )


def list_members(session: Session, on: date, status: str | None = None) -> list[MemberView]:
    """Members and prospects as of ``on``; ``status`` filters (``notice-given`` or
    ``notice_given``)."""
    wanted = status.replace("-", "_").lower() if status else None
    if wanted is not None and wanted not in STATUSES:
        raise InputError(f"unknown status {status!r}; choose from {', '.join(STATUSES)}")
    all_decisions = decisions_by_member(session)
    notices = notices_by_member(session)
    views = []
    for member in everyone(session):
        assert member.id is not None
        view = _view(
            member, status_on(member, all_decisions.get(member.id, []), notices.get(member.id), on)
        )
        if wanted is None or view.status == wanted:
            views.append(view)
    return views


def guarantee_until(session: Session, member: Member) -> date | None:
    """The last day a past member can be called on (IA 1986 s.74(2)(a): one year after ceasing)."""
    if member.ceased_on is None:
        return None
    tail = settings.get(session, "guarantee_tail_years", member.ceased_on)
    return add_years(member.ceased_on, tail)


def next_exit(session: Session, member: Member, on: date) -> terms.ExitPoint | None:
    """For a member: the exit point it is leaving at, or the earliest one a notice given on
    ``on`` would still reach. None for a former member or one not yet admitted."""
    rules, months = terms.in_force(session, on)
    return exit_ahead(member, notice(session, member), rules, months, on)


def exit_ahead(
    member: Tenure,
    withdrawal: WithdrawalNotice | None,
    rules: terms.TermRules,
    months: int,
    on: date,
) -> terms.ExitPoint | None:
    """:func:`next_exit` from facts already loaded: the member's notice (if any) and the terms
    in force on ``on`` — so a paper for every member reads the terms once."""
    if member.ceased_on is not None and on > member.ceased_on:
        return None  # a former member (ceased by withdrawal or otherwise) has no exit ahead
    if withdrawal is not None:
        return terms.ExitPoint(
            withdrawal.exit_on,
            _kind_of(rules, months, withdrawal.exit_on),
            withdrawal.notice_deadline,
            0,
        )
    if member.admitted_on is None:
        return None
    return terms.first_exit_for_notice(rules, months, on)


def _kind_of(rules: terms.TermRules, months: int, exit_on: date) -> str:
    for point in terms.exit_points(rules, months, exit_on):
        if point.on == exit_on:
            return point.kind
    return terms.CYCLE_END


def show(session: Session, member: Member, on: date) -> MemberDetail:
    history = decisions(session, member)
    withdrawal = notice(session, member)
    status = status_on(member, history, withdrawal, on)
    base = _view(member, status)
    reps = representatives(session, member)
    current = representative_from(reps, on)
    upcoming = next_exit(session, member, on)
    return MemberDetail(
        **base.__dict__,
        address=member.address,
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
        guarantee_until=guarantee_until(session, member),
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


# -- changes ----------------------------------------------------------------------------------
@dataclass
class _Directory:
    """Every member by code, name and slug, loaded once: ``member import`` checks thousands of
    rows against it without a query per row."""

    by_code: dict[str, Member]
    by_name: dict[str, Member]
    slugs: set[str]

    @classmethod
    def load(cls, session: Session) -> _Directory:
        directory = cls({}, {}, set())
        for member in session.exec(select(Member)):
            directory.note(member)
        return directory

    def note(self, member: Member) -> None:
        if member.gss_code:
            self.by_code[member.gss_code] = member
        self.by_name.setdefault(member.name.lower(), member)
        self.by_name.setdefault(member.council_name.lower(), member)
        self.slugs.add(member.slug)

    def unique_slug(self, name: str) -> str:
        base = slugify(name)
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        return slug


def _check_code(directory: _Directory, code: str | None) -> str | None:
    if code is None or not code.strip():
        return None
    code = code.strip().upper()
    if not _GSS.match(code):
        raise InputError(f"code {code!r} is not a GSS code; it reads like E09000002")
    if code in directory.by_code:
        raise RuleError(f"a member with code {code} already exists")
    return code


def _new_member(
    session: Session, directory: _Directory, name: str, code: str | None, address: str | None
) -> Member:
    name = name.strip()
    if not name:
        raise InputError("a member needs a name; pass --name")
    clash = directory.by_name.get(name.lower())
    if clash is not None:
        raise RuleError(f"{name} is already in the ledger as {clash.slug}")
    member = Member(
        gss_code=_check_code(directory, code),
        slug=directory.unique_slug(name),
        name=name,
        council_name=name,
        address=(address or "").strip() or None,
    )
    session.add(member)
    directory.note(member)
    return member


def add(session: Session, name: str, code: str | None = None, address: str | None = None) -> Member:
    """A prospect outside the 33 London authorities."""
    member = _new_member(session, _Directory.load(session), name, code, address)
    audit.record(session, "member.add", member.name, [member])
    return member


def decide(
    session: Session,
    member: Member,
    stage: str,
    decided_on: date,
    body: str,
    reference: str | None = None,
    *,
    today: date | None = None,
) -> MemberDecision:
    """Record a council's own decision: in principle, final determination, or declined. A
    decision is recorded once taken: one dated after ``today`` is refused."""
    normalised = STAGES.get(stage.strip().lower())
    if normalised is None:
        raise InputError(f"unknown stage {stage!r}; choose in-principle, final or declined")
    if not body.strip():
        raise InputError("name the deciding body with --body (e.g. Cabinet, Portfolio Holder)")
    require_past(decided_on, today, "the decision date", "record a decision once it is taken")
    require_not_before(
        decided_on,
        COMPANIES_ACT_2006_FORMATION,
        "the decision date",
        f"{COMPANIES_ACT_2006_FORMATION}, when the Companies Act 2006 began forming companies",
    )
    if member.admitted_on is not None and decided_on >= member.admitted_on:
        raise RuleError(
            f"{member.name} was admitted on {member.admitted_on}; a council decision "
            "after admission is not an opt-in decision"
        )
    history = decisions(session, member)
    if any(d.stage == normalised and d.decided_on == decided_on for d in history):
        raise RuleError(f"{member.name}'s {stage} decision of {decided_on} is already recorded")
    if normalised == "final" and not any(
        d.stage == "in_principle" and d.decided_on <= decided_on for d in history
    ):
        raise RuleError(
            f"{member.name} has no in-principle decision on or before {decided_on}; "
            "record it first with --stage in-principle"
        )
    decision = MemberDecision(
        member_id=_member_id(member),
        stage=normalised,
        decided_on=decided_on,
        body=body.strip(),
        reference=(reference or "").strip() or None,
    )
    session.add(decision)
    audit.record(session, f"member.decide.{normalised}", member.name, [decision])
    return decision


def _admit(session: Session, member: Member, admitted_on: date, resolution_id: int | None) -> None:
    if member.admitted_on is not None:
        raise RuleError(f"{member.name} has been a member since {member.admitted_on}")
    if member.ceased_on is not None:
        raise RuleError(f"{member.name} ceased to be a member on {member.ceased_on}")
    from plvgov.company import filings as company

    company.require_existed(session, admitted_on, "the admission date")
    history = decisions(session, member)
    earlier = [d for d in history if d.decided_on <= admitted_on]
    if earlier and earlier[-1].stage == "declined":
        raise RuleError(
            f"{member.name} declined on {earlier[-1].decided_on}; record its new "
            "decision with `plvgov member decide` before admitting it"
        )
    later = [d for d in history if d.decided_on > admitted_on]
    if later:
        raise RuleError(
            f"{member.name} has a council decision dated {later[0].decided_on}, "
            f"after {admitted_on}; admission comes after the council's decisions"
        )
    if resolution_id is not None:
        from plvgov.decisions import board

        board.check_admission_resolution(session, resolution_id, admitted_on)
    member.admitted_on = admitted_on
    member.admission_resolution_id = resolution_id
    session.add(member)


def admit(
    session: Session,
    member: Member,
    admitted_on: date,
    resolution_id: int | None = None,
    *,
    today: date | None = None,
) -> Member:
    """Enter ``member`` in the register of members from ``admitted_on`` (CA 2006 s.112(2)): on
    or after the company's incorporation, and not after ``today``."""
    require_past(admitted_on, today, "the admission date", "admit a member once it has joined")
    _admit(session, member, admitted_on, resolution_id)
    audit.record(session, "member.admit", member.name, [member], {"resolution_id": resolution_id})
    return member


@dataclass(frozen=True)
class WithdrawalOutcome:
    member: Member
    effective_on: date
    kind: str
    notice_deadline: date
    deadline_met: bool
    missed_exit_on: date | None
    missed_deadline: date | None

    def as_json(self) -> dict[str, object]:
        return {
            "member": self.member.name,
            "gss_code": self.member.gss_code,
            "effective_on": self.effective_on,
            "kind": self.kind,
            "notice_deadline": self.notice_deadline,
            "deadline_met": self.deadline_met,
            "missed_exit_on": self.missed_exit_on,
            "missed_deadline": self.missed_deadline,
        }

    @property
    def message(self) -> str:
        name = self.member.name
        if self.deadline_met:
            return (
                f"{name}'s notice meets the deadline of {self.notice_deadline:%d %B %Y}; "
                f"its membership ends at the end of {self.effective_on:%d %B %Y}."
            )
        return (
            f"{name}'s notice is too late for the exit point on "
            f"{self.missed_exit_on:%d %B %Y} (deadline {self.missed_deadline:%d %B %Y}); "
            f"it takes effect at the next exit point, {self.effective_on:%d %B %Y}."
        )


def withdraw(
    session: Session, member: Member, received_on: date, *, today: date | None = None
) -> WithdrawalOutcome:
    """Lodge a notice of withdrawal received on ``received_on`` (not after ``today``); the
    notice period in force on that date decides which exit point it reaches."""
    require_past(received_on, today, "the notice date", "lodge a notice once it has been received")
    if not is_member_on(member, received_on):
        raise RuleError(
            f"{member.name} is not a member on {received_on}; only a member can "
            "give notice of withdrawal"
        )
    existing = notice(session, member)
    if existing is not None:
        raise RuleError(
            f"{member.name} already gave notice on {existing.received_on}, "
            f"effective {existing.exit_on}"
        )
    if member.ceased_on is not None:
        raise RuleError(f"{member.name} already ceases on {member.ceased_on}")
    rules, months = terms.in_force(session, received_on)
    outcome = terms.judge_notice(rules, months, received_on)
    point = outcome.exit_point
    row = WithdrawalNotice(
        member_id=_member_id(member),
        received_on=received_on,
        exit_on=point.on,
        notice_deadline=point.notice_deadline,
        deadline_met=outcome.deadline_met,
        missed_exit_on=outcome.missed.on if outcome.missed else None,
        notice_months=months,
    )
    member.ceased_on = point.on
    member.cease_reason = "withdrawal"
    session.add_all([row, member])
    result = WithdrawalOutcome(
        member,
        point.on,
        point.kind,
        point.notice_deadline,
        outcome.deadline_met,
        outcome.missed.on if outcome.missed else None,
        outcome.missed.notice_deadline if outcome.missed else None,
    )
    audit.record(
        session, "member.withdraw", member.name, [row, member], {"message": result.message}
    )
    return result


def cease(session: Session, member: Member, ceased_on: date, reason: str) -> Member:
    """End a membership other than by withdrawal (dissolution, expulsion); the member is on the
    register to the end of ``ceased_on``."""
    if not reason.strip():
        raise InputError("say why the membership ends with --reason")
    if not is_member_on(member, ceased_on):
        raise RuleError(f"{member.name} is not a member on {ceased_on}")
    member.ceased_on = ceased_on
    member.cease_reason = reason.strip()
    session.add(member)
    audit.record(session, "member.cease", member.name, [member])
    return member


def appoint_representative(
    session: Session,
    member: Member,
    name: str,
    from_on: date,
    authority: str | None = None,
    *,
    today: date | None = None,
) -> Representative:
    """Appoint the member's corporate representative from ``from_on`` (CA 2006 s.323), not
    before its admission nor after ``today``; the previous appointment ends the day before.
    ``authority`` cites the council's resolution."""
    if not name.strip():
        raise InputError("give the representative's name with --name")
    require_past(
        from_on, today, "the appointment date", "record an appointment once it has been made"
    )
    if member.admitted_on is None:
        raise RuleError(
            f"{member.name} is not a member; admit it before appointing its representative"
        )
    if from_on < member.admitted_on:
        raise RuleError(
            f"{member.name} was admitted on {member.admitted_on}; its representative "
            f"cannot act for it from {from_on}, before that — check --from"
        )
    if member.ceased_on is not None and from_on > member.ceased_on:
        raise RuleError(f"{member.name} ceased to be a member on {member.ceased_on}")
    if any(r.from_on == from_on for r in representatives(session, member)):
        raise RuleError(f"{member.name} already has a representative appointed from {from_on}")
    rep = Representative(
        member_id=_member_id(member),
        name=name.strip(),
        from_on=from_on,
        authority=(authority or "").strip() or None,
    )
    session.add(rep)
    audit.record(session, "member.representative", member.name, [rep])
    return rep


# -- import -----------------------------------------------------------------------------------
def read_import_file(path: Path) -> str:
    if not path.is_file():
        raise InputError(f"no file {path}")
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise InputError(
            f"{path} is over {MAX_IMPORT_BYTES // (1024 * 1024)} MB; "
            "a member list is far smaller — check the file"
        )
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; save it as CSV UTF-8 and try again") from None


IMPORT_COLUMNS = ("name", "code", "address", "admitted_on")
_IMPORT_LIMITS = {"name": 200, "code": 9, "address": 1000, "admitted_on": 10}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _import_rows(text: str, errors: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """The data rows of a member CSV as ``(row number, {column: text})``, the header being
    row 1. A file whose header is not exactly the four columns (any order), or whose quoting
    is broken, is refused at once; a malformed row (wrong number of fields, a line break or
    control character, an over-long value) is added to ``errors`` naming its row."""
    header_hint = "the header row reads name,code,address,admitted_on"
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            records.append((start, record))
    except csv.Error as exc:
        raise InputError(
            f"row {start}: the CSV is malformed ({exc}; a quote left open?); "
            "fix the quoting and import it again"
        ) from None
    filled = [(n, r) for n, r in records if any(c.strip() for c in r)]
    if not filled:
        raise InputError(f"the CSV is empty; {header_hint}")
    first, header = filled[0]
    columns = [c.strip().lower() for c in header]
    if not set(columns) & set(IMPORT_COLUMNS):
        raise InputError(
            f"row {first}: the CSV needs a header row first; {header_hint}, "
            f"not {','.join(header)[:60]!r}"
        )
    for column in columns:
        if column not in IMPORT_COLUMNS:
            hint = nearest(column, IMPORT_COLUMNS, limit=1) if column else []
            meant = f" (did you mean {hint[0]}?)" if hint else ""
            raise InputError(f"row {first}: unknown column {column!r}{meant}; {header_hint}")
        if columns.count(column) > 1:
            raise InputError(f"row {first}: column {column} appears twice; {header_hint}")
    missing = [c for c in IMPORT_COLUMNS if c not in columns]
    if missing:
        raise InputError(
            f"row {first}: the header has no {', '.join(missing)} column; {header_hint} "
            "(leave admitted_on empty for a prospect)"
        )
    for number, record in filled[1:]:
        if len(record) != len(columns):
            errors.append(
                f"row {number}: {len(record)} fields where the header has {len(columns)} "
                f"({','.join(columns)}); quote a value that contains a comma"
            )
            continue
        row = {c: v.strip() for c, v in zip(columns, record, strict=True)}
        bad = next((c for c in columns if _CONTROL.search(row[c])), None)
        if bad is not None:
            errors.append(
                f"row {number}: {bad} holds a line break or control character; "
                "put the value on one line"
            )
            continue
        long = next((c for c in columns if len(row[c]) > _IMPORT_LIMITS[c]), None)
        if long is not None:
            errors.append(
                f"row {number}: {long} is over {_IMPORT_LIMITS[long]} characters; shorten it"
            )
            continue
        yield number, row


def import_members(session: Session, text: str) -> int:
    """Load ``name,code,address,admitted_on`` rows, all or nothing; returns rows that changed
    the ledger. A row naming an existing prospect admits it; one naming an existing member
    must agree with it."""
    errors: list[str] = []
    changed: list[Member] = []
    seen: set[str] = set()
    directory = _Directory.load(session)
    for number, row in _import_rows(text, errors):
        name, code = row["name"], row["code"].upper()
        address, admitted_text = row["address"], row["admitted_on"]
        try:
            admitted = typed.iso_date(admitted_text) if admitted_text else None
        except typed.BadValue as wanted:
            errors.append(f"row {number}: admitted_on {admitted_text!r} is not {wanted}")
            continue
        # A name or a code once per file: a second row with the same name (even under another
        # code) would otherwise be refused as "already in the ledger" by the first row's member.
        keys = {k.lower() for k in (code, name.strip()) if k}
        repeated = sorted(keys & seen)
        if repeated:
            again = code if code and code.lower() in repeated else name
            errors.append(f"row {number}: {again} appears twice in the file")
            continue
        seen.update(keys)
        if not name:
            errors.append(f"row {number}: name is empty")
            continue
        try:
            member = _import_row(session, directory, name, code or None, address or None, admitted)
        except (InputError, RuleError) as exc:
            errors.append(f"row {number}: {exc.message}")
            continue
        if member is not None:
            changed.append(member)
    if errors:
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise InputError("nothing imported: " + "; ".join(errors[:3]) + more)
    if changed:
        audit.record(
            session, "member.import", f"{len(changed)} members", changed, {"rows": len(changed)}
        )
    return len(changed)


def _import_row(
    session: Session,
    directory: _Directory,
    name: str,
    code: str | None,
    address: str | None,
    admitted: date | None,
) -> Member | None:
    existing = None
    if code:
        existing = directory.by_code.get(code)
        if existing is not None and name.lower() not in (
            existing.name.lower(),
            existing.council_name.lower(),
            existing.slug,
        ):
            raise RuleError(f"code {code} is {existing.name}, not {name!r}")
    else:
        existing = directory.by_name.get(name.lower())
    if existing is None:
        member = _new_member(session, directory, name, code, address)
        member.admitted_on = admitted  # a new member has no council decisions to check
        return member
    if address and existing.address and address != existing.address:
        raise RuleError(
            f"{existing.name}'s address is {existing.address!r} in the ledger, not {address!r}"
        )
    if existing.admitted_on is not None:
        if admitted != existing.admitted_on:
            said = f"admitted_on {admitted}" if admitted else "an empty admitted_on (a prospect)"
            raise RuleError(
                f"{existing.name} has been a member since {existing.admitted_on}, "
                f"but the row says {said}"
            )
        if address and not existing.address:
            existing.address = address
            session.add(existing)
            return existing
        return None
    changed = False
    if address and not existing.address:
        existing.address = address
        changed = True
    if admitted is not None:
        _admit(session, existing, admitted, None)
        changed = True
    session.add(existing)
    return existing if changed else None


def withdrawal_deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """The day each lodged notice of withdrawal takes effect, between ``start`` and ``end``:
    the member leaves at the end of that day."""
    from plvgov.dates import Deadline

    found = []
    for row, member in session.exec(
        select(WithdrawalNotice, Member).where(WithdrawalNotice.member_id == Member.id)
    ):
        if start <= row.exit_on <= end:
            found.append(
                Deadline(
                    row.exit_on,
                    "withdrawal_effective",
                    member.name,
                    f"{member.name}'s membership ends at the end of this day (notice received "
                    f"{row.received_on.isoformat()}).",
                    "terms: notice of withdrawal",
                )
            )
    return found
