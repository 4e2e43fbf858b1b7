"""What needs the company secretary's attention today: ``plvgov check``.

Beancount-style: each check is a small function ``(session, at) -> Iterable[Finding]`` listed
in :data:`CHECKS`; :func:`run` calls them all and sorts what they find, errors first. Checks
read the domains' own typed views (``resolutions.unfiled_special``, ``accounts.arrears``, …):
oversight reads every domain and is written by none. Every deadline the one registry lists
(:mod:`plvgov.oversight.deadlines`, what ``calendar`` shows) that is outstanding once its day
has passed is a finding (:func:`passed_deadlines`), so a new kind of deadline needs no check of
its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta

from sqlmodel import Session, col, select

from plvgov import once, settings
from plvgov.billing import accounts, reminders, schemes
from plvgov.dates import COMPANIES_ACT_2006_FORMATION, add_months, add_years
from plvgov.decisions import meetings, resolutions
from plvgov.membership.particulars import details_by_member, particulars_from
from plvgov.money import format_gbp
from plvgov.oversight import deadlines as registry
from plvgov.oversight import plain
from plvgov.values import dataclass
from plvgov.words import plural

ERROR, WARNING, INFO = "error", "warning", "info"
_RANK = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One thing ``check`` found: how serious, about what, in words, and which check found
    it."""

    severity: str  # "error" | "warning" | "info"
    subject: str
    message: str
    check: str = ""  # the check that found it

    def as_json(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "subject": self.subject,
            "message": self.message,
            "check": self.check,
        }

    def for_board(self) -> Finding:
        """The finding in words for directors (the board pack): no command line, no setting's
        key, dates written the UK way. ``plvgov check`` shows the secretary the original."""
        return Finding(
            self.severity, plain.subject(self.subject), plain.message(self.message), self.check
        )


Check = Callable[[Session, date], Iterable[Finding]]


# -- membership ------------------------------------------------------------------------------
def notice_deadline_soon(session: Session, at: date) -> Iterator[Finding]:
    """A withdrawal-notice deadline within ``notice_deadline_warning_days`` while members that
    have not given notice could still use it."""
    from plvgov.membership import exits, members

    window = settings.get(session, "notice_deadline_warning_days", at)
    lodged = members.notices_by_member(session)
    staying = [m for m in members.members_on(session, at) if m.id not in lodged]
    if not staying:
        return
    rules, periods = exits.in_force(session, at)
    horizon = at + timedelta(days=window)
    for point in exits.exit_points(rules, periods, add_months(horizon, periods.longest + 1)):
        if at <= point.notice_deadline <= horizon:
            days = (point.notice_deadline - at).days
            yield Finding(
                WARNING,
                "All members",
                f"the withdrawal-notice deadline for the exit point on "
                f"{point.on.isoformat()} is {point.notice_deadline.isoformat()} "
                f"(in {plural(days, 'day')}); a member that wants to leave then must give "
                "notice by that day",
                "notice_deadline_soon",
            )


def member_without_representative(session: Session, at: date) -> Iterator[Finding]:
    """CA 2006 s.323: a member acts at meetings through a corporate representative."""
    from plvgov.membership import members

    appointments = members.representatives_by_member(session)
    for member in members.members_on(session, at):
        assert member.id is not None  # read from the ledger
        if members.representative_from(appointments.get(member.id, []), at) is None:
            yield Finding(
                WARNING,
                member.name,
                f"{member.name} has no corporate representative on {at.isoformat()}; "
                f"appoint one with `plvgov member representative {member.slug} "
                "--name NAME --from DATE`",
                "member_without_representative",
            )


def member_without_address(session: Session, at: date) -> Iterator[Finding]:
    """CA 2006 s.113(2): the register of members gives each member's name and address."""
    from plvgov.membership import members

    changes = details_by_member(session)
    for member in members.members_on(session, at):
        assert member.id is not None  # read from the ledger
        if particulars_from(member, changes.get(member.id, []), at).address is None:
            yield Finding(
                WARNING,
                member.name,
                f"{member.name} has no address in the register of members (CA 2006 s.113); "
                f"record it with `plvgov member update {member.slug} --address ADDRESS`",
                "member_without_address",
            )


def admitted_without_final_decision(session: Session, at: date) -> Iterator[Finding]:
    """A member on the register with no council final determination recorded."""
    from plvgov.membership import members
    from plvgov.models.council_acts import MemberDecision

    finals = set(
        session.exec(select(MemberDecision.member_id).where(MemberDecision.stage == "final"))
    )
    for member in members.members_on(session, at):
        if member.id not in finals:
            yield Finding(
                WARNING,
                member.name,
                f"{member.name} is a member but no final determination by the council "
                f"is recorded; record it with `plvgov member decide {member.slug} "
                "--stage final --date DATE --body BODY`",
                "admitted_without_final_decision",
            )


def former_member_retention(session: Session, at: date) -> Iterator[Finding]:
    """CA 2006 s.121 [U]: keep a former member's entry for ``former_member_retention_years``."""
    from plvgov.models.members import Member

    years = settings.get(session, "former_member_retention_years", at)
    ceased = session.exec(
        select(Member).where(col(Member.ceased_on).is_not(None)).order_by(col(Member.ceased_on))
    )
    for member in ceased:
        assert member.ceased_on is not None
        keep_until = add_years(member.ceased_on, years)
        if member.ceased_on < at <= keep_until:
            yield Finding(
                INFO,
                member.name,
                f"{member.name} ceased on {member.ceased_on.isoformat()}; keep its "
                f"register entry until at least {keep_until.isoformat()} (CA 2006 s.121)",
                "former_member_retention",
            )


def launch_date_unset(session: Session, at: date) -> Iterator[Finding]:
    """Nothing is payable before the launch date; members without one cannot be billed right."""
    from plvgov.membership import members

    if settings.fact(session, "launch_date") is None and members.members_on(session, at):
        yield Finding(
            INFO,
            "launch_date",
            "the company has members but no launch date; set it with "
            "`plvgov settings set launch_date YYYY-MM-DD`",
            "launch_date_unset",
        )


def payment_details_missing(session: Session, at: date) -> Iterator[Finding]:
    """An invoice, credit note or subscription notice can be paid as printed only with the
    company's bank account, remittance address and finance contact: one finding naming every
    fact not recorded while members are liable, so the secretary sets them before the run."""
    from plvgov.membership import members
    from plvgov.settings_catalogue import PAYMENT_FACTS

    missing = [key for key in PAYMENT_FACTS if settings.fact(session, key) in (None, "")]
    if missing and members.members_on(session, at):
        yield Finding(
            WARNING,
            "payment details",
            f"invoices will not say how to pay: no {', '.join(missing)} recorded; set "
            f"{'it' if len(missing) == 1 else 'each'} with "
            f"`plvgov settings set {missing[0]} VALUE` before the next invoice run",
            "payment_details_missing",
        )


def peppol_address_missing(session: Session, at: date) -> Iterator[Finding]:
    """An invoice or credit note goes to a council as a Peppol e-invoice (EN 16931, which
    contracting authorities must accept: Procurement Act 2023 s.67) only with both parties'
    Peppol addresses: one finding for the company's, one naming the invoiced members without."""
    from plvgov.membership import einvoicing, members
    from plvgov.models.billing import Invoice

    invoiced = set(session.exec(select(Invoice.member_id).distinct()))
    if not invoiced:
        return
    if not settings.fact(session, "peppol_id"):
        yield Finding(
            INFO,
            "e-invoices",
            "invoices cannot go as e-invoices: the company has no Peppol address; set it with "
            "`plvgov settings set peppol_id SCHEME:ID` (e.g. 0088 and its GLN)",
            "peppol_address_missing",
        )
    without = [
        m.name
        for m in members.members_on(session, at)
        if m.id in invoiced and einvoicing.address(m) is None
    ]
    if without:
        named = ", ".join(without[:5]) + (
            f" and {len(without) - 5} more" if len(without) > 5 else ""
        )
        yield Finding(
            INFO,
            "e-invoices",
            f"{plural(len(without), 'invoiced member')} {'has' if len(without) == 1 else 'have'} "
            f"no Peppol address ({named}); ask each council's accounts payable, then "
            "`plvgov member peppol MEMBER SCHEME:ID`",
            "peppol_address_missing",
        )


# -- Companies House -------------------------------------------------------------------------
def company_filings(session: Session, at: date) -> Iterator[Finding]:
    """A confirmation statement (s.853A) or accounts (s.442) overdue or due within
    ``filing_warning_days``."""
    from plvgov.company import filings as company

    if settings.fact(session, "incorporation_date") is None:
        yield Finding(
            INFO,
            "incorporation_date",
            "no incorporation date, so no confirmation statement or accounts deadlines; "
            "set it with `plvgov settings set incorporation_date YYYY-MM-DD`",
            "company_filings",
        )
        return
    window = settings.get(session, "filing_warning_days", at)
    fact = {
        company.CONFIRMATION_STATEMENT: "confirmation_date",
        company.ACCOUNTS: "accounts_made_up_to",
    }
    for filing in company.outstanding(session, at + timedelta(days=window)):
        record = (
            f"once filed, record it with `plvgov settings set {fact[filing.kind]} "
            f"{filing.period_end.isoformat()}`"
        )
        if filing.due_on < at:
            yield Finding(
                ERROR,
                filing.subject,
                f"overdue: due {filing.due_on.isoformat()} "
                f"({plural((at - filing.due_on).days, 'day')} ago); {record}",
                "company_filings",
            )
        else:
            yield Finding(
                WARNING,
                filing.subject,
                f"due {filing.due_on.isoformat()} "
                f"(in {plural((filing.due_on - at).days, 'day')}); {record}",
                "company_filings",
            )


def confirmation_statement_ready(session: Session, at: date) -> Iterator[Finding]:
    """ECCTA 2023: the next confirmation statement needs a registered email address (from 4
    March 2024) and every director's identity verified (from 18 November 2025): a warning from
    ``confirmation_readiness_days`` before it is due while either is missing."""
    from plvgov.registers import identity

    if settings.fact(session, "incorporation_date") is None:
        return  # company_filings already says the deadline is unknown
    ready = identity.readiness(session, at)
    window = settings.get(session, "confirmation_readiness_days", at)
    if ready.missing and ready.due_on is not None and ready.due_on <= at + timedelta(days=window):
        yield Finding(
            WARNING,
            "confirmation statement",
            f"the confirmation statement due {ready.due_on.isoformat()} cannot be filed as "
            "things stand: " + "; ".join(ready.missing),
            "confirmation_statement_ready",
        )


def psc_registrar_notice(session: Session, at: date) -> Iterator[Finding]:
    """A change in the PSC register the registrar must be told of (s.790VA): overdue, or due
    within ``filing_warning_days``, until ``psc_notified_to`` records it."""
    from plvgov.registers import psc

    window = settings.get(session, "filing_warning_days", at)
    start = settings.fact(session, "incorporation_date") or COMPANIES_ACT_2006_FORMATION
    for item in psc.deadlines(session, start, at + timedelta(days=window)):
        if item.kind != psc.NOTIFY or not item.outstanding:
            continue
        change = item.on - timedelta(days=psc.UPDATE_DAYS + psc.NOTIFY_DAYS)
        record = (
            f"once filed, record it with `plvgov settings set psc_notified_to {change.isoformat()}`"
        )
        if item.on < at:
            yield Finding(
                ERROR,
                item.subject,
                f"overdue: the registrar should have been told of the change by "
                f"{item.on.isoformat()} ({plural((at - item.on).days, 'day')} ago; CA 2006 "
                f"s.790VA); {record}",
                "psc_registrar_notice",
            )
        else:
            yield Finding(
                WARNING,
                item.subject,
                f"tell the registrar of the change by {item.on.isoformat()} "
                f"(in {plural((item.on - at).days, 'day')}; CA 2006 s.790VA); {record}",
                "psc_registrar_notice",
            )


# -- every registered deadline ----------------------------------------------------------------
#: Kinds of outstanding deadline a check of their own reports, in their own words and with a
#: warning before they pass: :func:`passed_deadlines` leaves these to it and reports every other.
REPORTED_BY: dict[str, str] = {
    "confirmation_statement": "company_filings",
    "accounts": "company_filings",
    "filing_special_resolution": "unfiled_special_resolutions",
    "invoice_due": "overdue_invoices",
    "invoice_reminder": "reminders_due",
    "psc_notify_registrar": "psc_registrar_notice",
}


def passed_deadlines(session: Session, at: date) -> Iterator[Finding]:
    """Every deadline in the one registry (:mod:`plvgov.oversight.deadlines`) still outstanding
    after its day has passed, back to the company's beginning: what ``calendar`` lists, ``check``
    reports once it is missed (the amended articles' s.26 filing among them)."""
    # no fact before the company existed (the floor ``filings.require_existed`` applies)
    start = settings.fact(session, "incorporation_date") or COMPANIES_ACT_2006_FORMATION
    yesterday = at - timedelta(days=1)
    if yesterday < start:
        return
    for item in registry.collect(session, start, yesterday):
        if not item.outstanding or item.kind in REPORTED_BY:
            continue
        days = (at - item.on).days
        yield Finding(
            ERROR,
            item.subject,
            f"overdue: due {item.on.isoformat()} ({days} days ago): {item.detail} ({item.source})",
            "passed_deadlines",
        )


# -- decisions and billing --------------------------------------------------------------------
def unfiled_special_resolutions(session: Session, at: date) -> Iterator[Finding]:
    """CA 2006 s.30: a special resolution goes to the registrar within 15 days."""
    for item in resolutions.unfiled_special(session, at):
        yield Finding(
            ERROR if item.overdue else WARNING,
            item.title,
            "special resolution passed but not filed at Companies House; file it by "
            f"{item.due_on.isoformat()} (CA 2006 s.30)",
            "unfiled_special_resolutions",
        )


def overdue_invoices(session: Session, at: date) -> Iterator[Finding]:
    """An invoice unpaid after its due date."""
    for item in accounts.arrears(session, at):
        yield Finding(
            ERROR,
            item.member,
            f"invoice {item.number} {format_gbp(item.balance)} unpaid, due "
            f"{item.due_on.isoformat()}; record the payment with `plvgov invoice pay` or chase it",
            "overdue_invoices",
        )


def reminders_due(session: Session, at: date) -> Iterator[Finding]:
    """A reminder of an overdue invoice due and not yet recorded as sent (the ladder:
    ``reminder_first_days``, ``reminder_final_days``)."""
    for item in reminders.due(session, at):
        yield Finding(
            WARNING,
            item.member,
            f"the {item.stage} reminder for invoice {item.invoice} has been due since "
            f"{item.falls_due_on.isoformat()} ({item.days_overdue} days overdue); print it with "
            f"`plvgov render reminder {item.invoice}` and record it with "
            f"`plvgov invoice remind {item.invoice}` once sent",
            "reminders_due",
        )


def written_resolutions_at_risk(session: Session, at: date) -> Iterator[Finding]:
    """A circulated written resolution near lapse without enough agreements (CA 2006 s.297)."""
    for item in resolutions.at_risk(session, at):
        yield Finding(
            WARNING,
            item.title,
            f"written resolution lapses at the end of {item.lapses_on.isoformat()} without "
            f"enough agreements ({item.votes_for} of the {plural(item.required, 'agreement')} "
            "needed); chase the members' replies",
            "written_resolutions_at_risk",
        )


def short_notice_meetings(session: Session, at: date) -> Iterator[Finding]:
    """A general meeting called on short notice without enough consents (CA 2006 s.307)."""
    for item in meetings.short_notice(session, at):
        consents = (
            f" ({item.consents} of the {plural(item.consents_required, 'consent')} needed)"
            if item.consents_required
            else ""
        )
        yield Finding(
            ERROR,
            f"General meeting {item.meeting_id} on {item.held_at.date().isoformat()}",
            f"the meeting's notice is short and not cured{consents} (CA 2006 s.307); the "
            f"earliest valid date is {item.earliest_valid_on.isoformat()}; collect consents "
            "with `plvgov meeting consent` or reconvene",
            "short_notice_meetings",
        )


def missing_cpi_months(session: Session, at: date) -> Iterator[Finding]:
    """A CPI month the next subscription run needs and the ledger has not loaded."""
    months = list(schemes.missing_months(session, at))
    if months:
        yield Finding(
            WARNING,
            "CPI",
            f"the next subscription run needs CPI for {', '.join(months)}, not loaded; load "
            "it with `plvgov cpi import FILE`",
            "missing_cpi_months",
        )


CHECKS: tuple[Check, ...] = (
    company_filings,
    psc_registrar_notice,
    confirmation_statement_ready,
    overdue_invoices,
    reminders_due,
    unfiled_special_resolutions,
    passed_deadlines,
    short_notice_meetings,
    written_resolutions_at_risk,
    notice_deadline_soon,
    member_without_representative,
    member_without_address,
    admitted_without_final_decision,
    missing_cpi_months,
    launch_date_unset,
    payment_details_missing,
    peppol_address_missing,
    former_member_retention,
)


def run(session: Session, at: date, checks: Iterable[Check] = CHECKS) -> list[Finding]:
    """Every finding of every check on ``at``: errors first, then warnings, then information.
    The checks ask for settings and the members dozens of times between them: each is read
    once."""
    with once.reading(session):
        found = [finding for check in checks for finding in check(session, at)]
    return sorted(found, key=lambda f: _RANK[f.severity])  # stable: check order within a rank
