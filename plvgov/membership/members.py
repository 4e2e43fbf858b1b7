"""Members: the register of members (CA 2006 s.113) and London councils' path onto it.

States (PRODUCT.md): ``prospect`` → ``in_principle`` → ``member`` → (``notice_given``) →
``ceased``; or ``declined``. A status is never stored: it is worked out for any date from the
facts recorded — council decisions, the date of entry in the register of members (CA 2006
s.112(2), s.113), the withdrawal notice and the last day of membership — so ``--at`` can answer
as of any day. Nothing is ever deleted; former members stay on the register (s.121).

This module records the way in (decisions, admission, representatives) and the plain end of a
membership (cessation); how a member leaves by notice is in :mod:`plvgov.membership.exits`, the
CSV import in :mod:`plvgov.membership.importing`, and what ``member list``/``show`` print in
:mod:`plvgov.membership.views` — each of them builds on this one, never the reverse.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import field
from datetime import date
from importlib import resources
from typing import Protocol, TypeVar

from sqlmodel import Session, col, select

from plvgov import audit, once, settings, typed
from plvgov.company import filings as company
from plvgov.dates import COMPANIES_ACT_2006_FORMATION, add_years, require_not_before, require_past
from plvgov.errors import InputError, NotFound, RuleError, nearest
from plvgov.membership.particulars import (
    Particulars,
    details_by_member,
    particulars_from,
    particulars_on,
)
from plvgov.models.council_acts import MemberDecision, Representative, WithdrawalNotice
from plvgov.models.members import Member, MemberDetail
from plvgov.values import dataclass

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
_GSS = re.compile(r"[EWSN][0-9]{8}\Z")  # ASCII digits only
#: The longest register particulars accepted (the CSV import's limits, RFC 5321 for email).
DETAIL_LIMITS = {"name": 200, "address": 1000, "email": 254}


# -- reference data ---------------------------------------------------------------------------
def london_authorities() -> list[dict[str, str]]:
    """The 33 London local authorities shipped with plvgov (see ``data/SOURCES.md``)."""
    text = resources.files("plvgov").joinpath("data/london_authorities.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


#: Latin letters that Unicode does not decompose into a letter and its accent.
_WHOLE_LETTERS = str.maketrans(
    {"Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "ß": "ss", "Ø": "O", "ø": "o", "Ł": "L",
     "ł": "l", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "Th", "þ": "th"}
)  # fmt: skip


def slugify(name: str) -> str:
    """The short name a member is typed by: ASCII letters and digits joined by hyphens, its
    accents folded ("Hämmersmith & Fülham" → ``hammersmith-and-fulham``); "member" for a
    name with no Latin letter or digit at all."""
    folded = unicodedata.normalize("NFKD", name.replace("&", " and ").translate(_WHOLE_LETTERS))
    plain = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
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
    renamed = {
        d.member_id
        for d in session.exec(select(MemberDetail).where(col(MemberDetail.name).is_not(None)))
        if (d.name or "").lower() == wanted
    }
    hits = [
        m for m in members if wanted in (m.name.lower(), m.council_name.lower()) or m.id in renamed
    ]
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


def id_of(member: Member) -> int:
    """The id of a member already flushed (rows that refer to it need one)."""
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
    """Every member, prospect and former member ever recorded, in name order (read once in a
    :func:`plvgov.once.reading` block)."""
    return list(
        once.shared(
            session,
            "members",
            lambda: list(session.exec(select(Member).order_by(col(Member.name)))),
        )
    )


def members_on(session: Session, on: date) -> list[Member]:
    """Everyone on the register on ``on``, in name order."""
    return [m for m in everyone(session) if is_member_on(m, on)]


def status_of(session: Session, member: Member, on: date) -> str:
    return status_on(member, decisions(session, member), notice(session, member), on)


def guarantee_until(session: Session, member: Member) -> date | None:
    """The last day a past member can be called on (IA 1986 s.74(2)(a): one year after ceasing)."""
    if member.ceased_on is None:
        return None
    tail = settings.get(session, "guarantee_tail_years", member.ceased_on)
    return add_years(member.ceased_on, tail)


# -- changes ----------------------------------------------------------------------------------
@dataclass
class Directory:
    """Every member by code, name and slug, loaded once: ``member import`` checks thousands of
    rows against it without a query per row."""

    by_code: dict[str, Member]
    by_name: dict[str, Member]
    slugs: set[str]
    changes: dict[int, list[MemberDetail]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> Directory:
        directory = cls({}, {}, set(), details_by_member(session))
        for member in session.exec(select(Member)):
            directory.note(member)
        return directory

    def latest(self, member: Member) -> Particulars:
        """``member``'s particulars as last recorded, whatever the date they take effect."""
        changes = [] if member.id is None else self.changes.get(member.id, [])
        return particulars_from(member, changes, None)

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


def _check_code(directory: Directory, code: str | None) -> str | None:
    if code is None or not code.strip():
        return None
    code = code.strip().upper()
    if not _GSS.match(code):
        raise InputError(f"code {code!r} is not a GSS code; it reads like E09000002")
    if code in directory.by_code:
        raise RuleError(f"a member with code {code} already exists")
    return code


def _refuse_identifier(directory: Directory, name: str, member: Member | None = None) -> None:
    """A name commands would read as a member's GSS code or slug (``member show E09000007``)
    names another member, or none: the body could not be reached by it."""
    own = {member.slug, (member.gss_code or "").lower()} if member is not None else set()
    taken = (directory.slugs | {code.lower() for code in directory.by_code}) - own
    if _GSS.match(name.upper()) or name.lower() in taken:
        raise InputError(
            f"{name!r} reads as a member's GSS code or slug, which commands take to name a "
            "member (`member show E09000007`); give the body's name as it is written"
        )


def new_member(
    session: Session, directory: Directory, name: str, code: str | None, address: str | None
) -> Member:
    name = name.strip()
    if not name:
        raise InputError("a member needs a name; pass --name")
    for particular, value in (("name", name), ("address", (address or "").strip())):
        limit = DETAIL_LIMITS[particular]  # as `member update` holds them
        if len(value) > limit:
            raise InputError(f"the {particular} is over {limit} characters; shorten it")
    clash = directory.by_name.get(name.lower())
    if clash is not None:
        raise RuleError(f"{name} is already in the ledger as {clash.slug}")
    _refuse_identifier(directory, name)
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
    member = new_member(session, Directory.load(session), name, code, address)
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
        member_id=id_of(member),
        stage=normalised,
        decided_on=decided_on,
        body=body.strip(),
        reference=(reference or "").strip() or None,
    )
    session.add(decision)
    audit.record(session, f"member.decide.{normalised}", member.name, [decision])
    return decision


def enter_in_register(
    session: Session, member: Member, admitted_on: date, resolution_id: int | None
) -> None:
    """The checks and the change of :func:`admit` without its audit event: the CSV import
    admits many members under one event."""
    if member.admitted_on is not None:
        raise RuleError(f"{member.name} has been a member since {member.admitted_on}")
    if member.ceased_on is not None:
        raise RuleError(f"{member.name} ceased to be a member on {member.ceased_on}")
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
        check_admission_resolution(session, resolution_id, admitted_on)
    member.admitted_on = admitted_on
    member.admission_resolution_id = resolution_id
    session.add(member)


def check_admission_resolution(session: Session, resolution_id: int, on: date) -> None:
    """Refuse unless board resolution ``resolution_id`` approved an admission on or before
    ``on`` (Model Articles art 21). The board records its resolutions
    (:mod:`plvgov.decisions.board`); admission only reads the row it cites."""
    from plvgov.models.board import BoardResolution  # only here: not every use needs it

    resolution = session.get(BoardResolution, resolution_id)
    if resolution is None:
        raise NotFound(
            f"no board resolution {resolution_id}; `plvgov board resolutions` lists them"
        )
    if resolution.purpose != "approve-admission":
        raise RuleError(
            f"board resolution {resolution_id} does not approve an admission "
            "(Model Articles art 21); cite the one that does"
        )
    if resolution.status != "passed" or resolution.decided_on is None or resolution.decided_on > on:
        when = f" on {resolution.decided_on}" if resolution.decided_on else ""
        raise RuleError(
            f"board resolution {resolution_id} had not passed by {on} "
            f"(it is {resolution.status}{when}); admit on or after the day it passed"
        )


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
    enter_in_register(session, member, admitted_on, resolution_id)
    audit.record(session, "member.admit", member.name, [member], {"resolution_id": resolution_id})
    return member


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
        member_id=id_of(member),
        name=name.strip(),
        from_on=from_on,
        authority=(authority or "").strip() or None,
    )
    session.add(rep)
    audit.record(session, "member.representative", member.name, [rep])
    return rep


def _detail(value: str | None, field: str, option: str) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value:
        raise InputError(f"{option} is empty; give the new {field} or leave {option} out")
    if len(value) > DETAIL_LIMITS[field]:
        raise InputError(f"the {field} is over {DETAIL_LIMITS[field]} characters; shorten it")
    if field == "email":
        try:
            value = typed.email(value)
        except typed.BadValue:
            raise InputError(
                f"{value!r} is not an email address; give one in plain ASCII, like "
                "clerk@council.gov.uk"
            ) from None
    return value


def update(
    session: Session,
    member: Member,
    effective_from: date,
    *,
    name: str | None = None,
    address: str | None = None,
    email: str | None = None,
    today: date | None = None,
) -> MemberDetail:
    """Change ``member``'s particulars in the register from ``effective_from`` (CA 2006 s.113:
    its name and address; and its email). The values before stay in the history: the register
    for an earlier day shows them. A change is recorded once made: one dated after ``today``
    or before the company existed is refused."""
    wanted = {
        "name": _detail(name, "name", "--name"),
        "address": _detail(address, "address", "--address"),
        "email": _detail(email, "email", "--email"),
    }
    if all(v is None for v in wanted.values()):
        raise InputError("nothing to change; pass --address, --name or --email")
    require_past(effective_from, today, "the date of the change", "record a change once made")
    company.require_existed(session, effective_from, "the date of the change")
    if wanted["name"] is not None:
        directory = Directory.load(session)
        clash = directory.by_name.get(wanted["name"].lower())
        if clash is not None and clash.id != member.id:
            raise RuleError(f"{wanted['name']} is already in the ledger as {clash.slug}")
        _refuse_identifier(directory, wanted["name"], member)
    before = particulars_on(session, member, effective_from)
    changed = {k: v for k, v in wanted.items() if v is not None and v != getattr(before, k)}
    if not changed:
        raise RuleError(
            f"{member.name}'s register already shows that on {effective_from}; nothing to change"
        )
    detail = MemberDetail(
        member_id=id_of(member),
        effective_from=effective_from,
        name=changed.get("name"),
        address=changed.get("address"),
        email=changed.get("email"),
    )
    session.add(detail)
    audit.record(session, "member.update", member.name, [detail])
    return detail
