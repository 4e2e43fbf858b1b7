"""The board pack: the paper the directors receive before each board meeting.

Membership and opt-in progress, exit points and the notices lodged (the next notice deadline
highlighted), money for the current financial year with arrears and the subscription against
CPI, decisions since the last pack, the next six months' deadlines, the articles in force,
what ``plvgov check`` finds, and the home's financial model with the latest outturn.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup
from sqlmodel import Session

from plvgov import once, settings
from plvgov.billing.accounts import arrears, year_summary
from plvgov.billing.schemes import amounts_by_year
from plvgov.dates import FinancialYear, add_months, add_years, uk_date
from plvgov.decisions import articles
from plvgov.decisions.resolutions import decisions_since
from plvgov.documents import home as home_section
from plvgov.documents.contexts import DocumentContext, base
from plvgov.documents.home import HomeFinance
from plvgov.documents.statutory import PscRegisterContext, psc_register
from plvgov.errors import InputError
from plvgov.membership import exits, members
from plvgov.membership import views as member_views
from plvgov.oversight import checks, deadlines, plain
from plvgov.values import dataclass
from plvgov.words import plural

STATUS_LABELS = {
    members.MEMBER: "Member",
    members.NOTICE_GIVEN: "Member, notice given",
    members.IN_PRINCIPLE: "Agreed in principle",
    members.PROSPECT: "Prospect",
    members.DECLINED: "Declined",
    members.CEASED: "Former member",
}
DEADLINE_MONTHS = 6  # the pack lists the next six months' deadlines
DEFAULT_SINCE_MONTHS = 3  # without --since, decisions of the last three months


@dataclass(frozen=True)
class StatusCount:
    status: str  # member, notice_given, in_principle, prospect, declined, ceased
    label: str  # "Agreed in principle"
    count: int


@dataclass(frozen=True)
class OptIn:
    target: int  # setting opt_in_target
    on_register: int  # members, including those that have given notice
    in_principle: int  # agreed in principle, not yet admitted
    remaining: int  # councils still needed to reach the target
    percent: int  # on_register as a whole percentage of the target, half up (capped at 100)
    summary: str  # the sentence a director reads: "9 of the 17 councils needed are members…"


@dataclass(frozen=True)
class MemberRow:
    name: str
    gss_code: str | None
    status: str  # the label, e.g. "Member, notice given"
    in_principle: str  # "21 March 2023, Cabinet (Item 94)" or ""
    final: str  # "28 March 2023" or ""
    joined_on: date | None
    representative: str | None
    leaving: str  # "leaves 31 March 2028" / "left 31 March 2026" / ""


@dataclass(frozen=True)
class ExitRow:
    on: date
    kind: str  # "Break point" or "End of cycle"
    notice_deadline: date
    deadline_passed: bool
    is_next: bool  # the next notice deadline: highlighted
    leaving: list[str]  # members that leave at this exit point


@dataclass(frozen=True)
class NoticeRow:
    member: str
    received_on: date
    exit_on: date
    deadline_met: bool
    missed_exit_on: date | None


@dataclass(frozen=True)
class ArrearsRow:
    member: str
    invoice: str
    due_on: date | None
    balance: Decimal
    days_overdue: int | None


@dataclass(frozen=True)
class Money:
    year: str  # "2026/27"
    invoices: int
    invoiced: Decimal
    paid: Decimal
    credited: Decimal
    outstanding: Decimal
    arrears: list[ArrearsRow]
    arrears_total: Decimal
    by_year: list[tuple[str, Decimal | None, Decimal | None]]  # (FY, subscription, CPI line)


@dataclass(frozen=True)
class DecisionRow:
    on: date | None
    reference: str  # "Resolution 3", "Board 2026-05"
    title: str
    kind: str  # "special written resolution"
    outcome: str  # "passed", "failed", "lapsed"


@dataclass(frozen=True)
class DeadlineRow:
    on: date
    subject: str
    detail: str
    source: str


@dataclass(frozen=True)
class FindingRow:
    severity: str  # error, warning, info
    subject: str
    message: str


@dataclass(frozen=True)
class Articles:
    version: str
    adopted_on: date | None
    resolution: str  # "" for the articles on incorporation


@dataclass(kw_only=True)
class BoardPackContext(DocumentContext):
    at: date  # the pack is as at this date
    since: date  # decisions since this date
    deadlines_until: date
    counts: list[StatusCount]
    opt_in: OptIn
    members: list[MemberRow]
    exit_points: list[ExitRow]
    next_exit: ExitRow | None  # the exit point with the next notice deadline
    notices: list[NoticeRow]
    money: Money
    # inline SVG (HTML only), its data in words in <title> (a tagged PDF's alternative text)
    # and aria-label; None when no year has an amount
    chart_svg: Markup | None
    decisions: list[DecisionRow]
    deadlines: list[DeadlineRow]
    articles: Articles | None  # None: no version of the articles is recorded
    findings: list[FindingRow]
    home: HomeFinance  # the home's financial model and latest outturn (documents.home)
    psc: PscRegisterContext  # the PSC register on ``at`` (templates/board_pack/_psc.*)


# -- membership -------------------------------------------------------------------------------
def _membership(
    session: Session, at: date, views: list[member_views.MemberView]
) -> tuple[list[StatusCount], OptIn, list[MemberRow]]:
    counts = [
        StatusCount(s, STATUS_LABELS[s], sum(1 for v in views if v.status == s))
        for s in (
            members.MEMBER,
            members.NOTICE_GIVEN,
            members.IN_PRINCIPLE,
            members.PROSPECT,
            members.DECLINED,
            members.CEASED,
        )
    ]
    by = {c.status: c.count for c in counts}
    target = settings.get(session, "opt_in_target", at)
    on_register = by[members.MEMBER] + by[members.NOTICE_GIVEN]
    percent = opt_in_percent(on_register, target)
    opt_in = OptIn(
        target,
        on_register,
        by[members.IN_PRINCIPLE],
        max(0, target - on_register),
        percent,
        opt_in_summary(on_register, target, by[members.IN_PRINCIPLE], percent),
    )
    # Loaded once for every member: a query per member is thousands at scale.
    all_decisions = members.decisions_by_member(session)
    appointments = members.representatives_by_member(session)
    rows = []
    for view in views:
        if view.status == members.PROSPECT:
            continue  # counted above; a board does not need 13 rows saying "no decision yet"
        history = [d for d in all_decisions.get(view.id, []) if d.decided_on <= at]
        principle = [d for d in history if d.stage == "in_principle"]
        final = [d for d in history if d.stage == "final"]
        declined = [d for d in history if d.stage == "declined"]
        first = principle[0] if principle else (declined[-1] if declined else None)
        rep = members.representative_from(appointments.get(view.id, []), at)
        rows.append(
            MemberRow(
                name=view.name,
                gss_code=view.gss_code,
                status=STATUS_LABELS[view.status],
                in_principle=""
                if first is None
                else f"{uk_date(first.decided_on)}, {first.body}"
                + (f" ({first.reference})" if first.reference else ""),
                final="" if not final else uk_date(final[-1].decided_on),
                joined_on=view.joined_on if view.joined_on and view.joined_on <= at else None,
                representative=rep.name if rep and view.status != members.CEASED else None,
                leaving=_leaving(view.ceased_on, at),
            )
        )
    order = [
        members.MEMBER,
        members.NOTICE_GIVEN,
        members.IN_PRINCIPLE,
        members.DECLINED,
        members.CEASED,
    ]
    label_rank = {STATUS_LABELS[s]: i for i, s in enumerate(order)}
    rows.sort(key=lambda r: (label_rank.get(r.status, 9), r.name))
    return counts, opt_in, rows


def opt_in_percent(on_register: int, target: int) -> int:
    """``on_register`` as a whole percentage of ``target``, rounded half up from the exact
    fraction (9 of 17 is 52.94…, so 53), capped at 100; short of the target it stays below 100."""
    if target <= 0 or on_register >= target:
        return 100
    exact = Decimal(on_register * 100) / Decimal(target)
    return min(99, int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def opt_in_summary(on_register: int, target: int, in_principle: int, percent: int) -> str:
    """Opt-in progress as a person writes it: "9 of the 17 councils needed are members (53%);
    8 more are needed." and, at or past the target, "19 councils are members; 17 were needed:
    the target is met." (never "19 of the 17 councils needed")."""
    are = "is a member" if on_register == 1 else "are members"
    if on_register >= target:
        were = "was" if target == 1 else "were"
        text = f"{plural(on_register, 'council')} {are}; {target} {were} needed: the target is met."
    else:
        remaining = target - on_register
        text = (
            f"{on_register} of the {plural(target, 'council')} needed {are} ({percent}%); "
            f"{remaining} more {'is' if remaining == 1 else 'are'} needed."
        )
    if in_principle == 0:
        return f"{text} No other council has agreed in principle."
    verb = "has" if in_principle == 1 else "have"
    return f"{text} {in_principle} more {verb} agreed in principle."


def _leaving(ceased_on: date | None, at: date) -> str:
    if ceased_on is None:
        return ""
    # Membership ends at the end of its last day.
    verb = "left" if ceased_on < at else "leaves"
    return f"{verb} {uk_date(ceased_on)}"


def _exits(
    session: Session, at: date, views: list[member_views.MemberView]
) -> tuple[list[ExitRow], ExitRow | None, list[NoticeRow]]:
    rules, periods = exits.in_force(session, at)
    notices = []
    leaving: dict[date, list[str]] = {}
    lodged = members.notices_by_member(session)
    for view in views:
        notice = lodged.get(view.id)
        if notice is None or notice.received_on > at:
            continue
        notices.append(
            NoticeRow(
                view.name,
                notice.received_on,
                notice.exit_on,
                notice.deadline_met,
                notice.missed_exit_on,
            )
        )
        leaving.setdefault(notice.exit_on, []).append(view.name)
    notices.sort(key=lambda n: (n.received_on, n.member))
    # The last exit point passed (members may have just left at it) and the next three.
    points = exits.exit_points(rules, periods, add_years(at, 16))
    past = [p for p in points if p.on < at][-1:]
    coming = [p for p in points if p.on >= at][:3]
    upcoming_deadline = next((p for p in coming if p.notice_deadline >= at), None)
    rows = [
        ExitRow(
            p.on,
            "Break point" if p.kind == exits.BREAK else "End of cycle",
            p.notice_deadline,
            p.notice_deadline < at,
            p == upcoming_deadline,
            sorted(leaving.get(p.on, [])),
        )
        for p in [*past, *coming]
    ]
    return rows, next((r for r in rows if r.is_next), None), notices


# -- money ------------------------------------------------------------------------------------
def _money(session: Session, at: date) -> Money:
    fy = FinancialYear.containing(at)
    totals = year_summary(session, fy, at)
    late = arrears(session, at)
    overdue = [ArrearsRow(a.member, a.number, a.due_on, a.balance, a.days_overdue) for a in late]
    first = FinancialYear.containing(settings.get(session, "term_start", at))
    series = [
        (item.fy, item.amount, item.cpi_only) for item in amounts_by_year(session, first, fy.next())
    ]
    return Money(
        year=fy.label,
        invoices=totals.invoices,
        invoiced=totals.invoiced,
        paid=totals.paid,
        credited=totals.credited,
        outstanding=totals.outstanding,
        arrears=overdue,
        arrears_total=late.total,
        by_year=series,
    )


# -- decisions, deadlines, articles, check ----------------------------------------------------
def _decisions(session: Session, since: date, at: date) -> list[DecisionRow]:
    rows = []
    for d in decisions_since(session, since, at):
        board = d.kind == "board"
        rows.append(
            DecisionRow(
                on=d.decided_on,
                reference=f"{'Board resolution' if board else 'Resolution'} {d.id}",
                title=d.title,
                kind=f"board ({d.procedure})" if board else f"{d.type} {d.procedure} resolution",
                outcome=d.status,
            )
        )
    return rows


def _articles(session: Session, at: date) -> Articles | None:
    version = articles.in_force(session, at)
    if version is None:
        return None
    return Articles(
        str(version.version),
        version.adopted_on,
        f"special resolution {version.resolution_id}" if version.resolution_id else "",
    )


def _findings(session: Session, at: date) -> list[FindingRow]:
    # The secretary's findings name commands and settings; the directors read them in words.
    board = [f.for_board() for f in checks.run(session, at)]
    return [FindingRow(f.severity, f.subject, f.message) for f in board]


def build(session: Session, at: date, since: date | None, generated_on: date) -> BoardPackContext:
    """The board pack as at ``at``, with decisions since ``since`` (default three months),
    read in one :func:`plvgov.once.reading` block (what its sections all ask for, read once)."""
    with once.reading(session):
        return _build(session, at, since, generated_on)


def _build(session: Session, at: date, since: date | None, generated_on: date) -> BoardPackContext:
    since = since or add_months(at, -DEFAULT_SINCE_MONTHS)
    if since > at:
        raise InputError(f"--since {since} is after the pack's date {at}; give an earlier date")
    views = member_views.list_members(session, at)  # once: both sections list every member
    counts, opt_in, member_rows = _membership(session, at, views)
    exit_rows, next_exit, notices = _exits(session, at, views)
    money = _money(session, at)
    chart = None
    if any(a is not None for _, a, _c in money.by_year):
        from plvgov.documents.charts import subscription_chart

        chart = Markup(
            subscription_chart(
                [y for y, _, _c in money.by_year],
                [a for _, a, _c in money.by_year],
                [c for _, _a, c in money.by_year],
            )
        )
    until = add_months(at, DEADLINE_MONTHS)
    return BoardPackContext(
        **base(session, generated_on, "Board pack"),
        at=at,
        since=since,
        deadlines_until=until,
        counts=counts,
        opt_in=opt_in,
        members=member_rows,
        exit_points=exit_rows,
        next_exit=next_exit,
        notices=notices,
        money=money,
        chart_svg=chart,
        decisions=_decisions(session, since, at),
        deadlines=[
            DeadlineRow(
                d.on, plain.sentence(d.subject), plain.sentence(d.detail), plain.source(d.source)
            )
            for d in deadlines.collect(session, at, until)
        ],
        articles=_articles(session, at),
        findings=_findings(session, at),
        home=home_section.build(session, at),
        psc=psc_register(session, at, generated_on),
    )
