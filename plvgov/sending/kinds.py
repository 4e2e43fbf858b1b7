"""What can be sent: one small entry per kind. Each says which document the send log knows
it by, who receives a copy (each member's own), what each copy is (the render ID and year
for :func:`plvgov.documents.render`), its subject line, and what a delivery fixes (a meeting's
deemed service). Adding a kind is one entry in :data:`KINDS`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session, SQLModel

from plvgov.dates import FinancialYear
from plvgov.errors import InputError, NotFound, RuleError
from plvgov.membership import members, views
from plvgov.models.members import Member
from plvgov.typed import BadValue, iso_date
from plvgov.values import dataclass


@dataclass(frozen=True)
class Copy:
    """One member's copy: rendered as ``plvgov render KIND ident [--year year]``."""

    member: Member
    ident: str | None
    year: str | None = None
    at: date | None = None
    own: bool = False  # the paper prints this member's part only (a reply slip)


@dataclass(frozen=True)
class Papers:
    """A document to send: the name the send log knows it by, its title (for subjects and
    file names) and every member's copy."""

    document: str
    title: str
    copies: list[Copy]


@dataclass(frozen=True)
class SendKind:
    name: str
    render: str  # the documents kind (plvgov render KIND)
    id_meaning: str  # what ID names, for help and errors
    papers: Callable[[Session, str, date], Papers]
    #: what a delivery fixes, in the same transaction as the log row (None: nothing)
    follow: Callable[[Session, str], list[SQLModel]] | None = None


def _int(ident: str, what: str) -> int:
    text = ident.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise InputError(f"{what} {ident!r} is not a number")
    return int(text)


def _notice(session: Session, ident: str, today: date) -> Papers:
    from plvgov.decisions import meetings

    meeting = meetings.get(session, _int(ident, "meeting id"))
    meetings.require_open(meeting)
    # Every member on the register is entitled to notice (s.310); on the meeting day for a
    # meeting already passed (a late copy), on today's register before.
    on = min(today, meeting.held_at.date())
    return Papers(
        meetings.notice_document_key(meeting.id or 0),
        f"Notice of general meeting {meeting.id} on {meeting.held_at:%-d %B %Y}",
        [Copy(m, ident.strip()) for m in members.members_on(session, on)],
    )


def _notice_follow(session: Session, ident: str) -> list[SQLModel]:
    from plvgov.decisions import meetings

    return list(meetings.notice_from_log(session, meetings.get(session, int(ident))))


def _written_resolution(session: Session, ident: str, today: date) -> Papers:
    from plvgov.decisions import circulation, resolutions

    resolution = resolutions.get(session, _int(ident, "resolution id"))
    if resolution.procedure != resolutions.WRITTEN:
        raise RuleError(f"resolution {resolution.id} is for a meeting; send its meeting's notice")
    if resolution.circulated_on is not None:
        eligible = [m for m, _ in resolutions.eligible_members(session, resolution)]
    else:  # the first copy to go circulates it (s.290): those entitled today (s.289)
        eligible = sorted(members.members_on(session, today), key=lambda m: m.name)
    assert resolution.id is not None
    return Papers(
        circulation.document_key(resolution.id),
        f"Written resolution {resolution.id}: {resolution.title}",
        [Copy(m, ident.strip(), own=True) for m in eligible],
    )


def _written_resolution_follow(session: Session, ident: str) -> list[SQLModel]:
    from plvgov.decisions import circulation, resolutions

    return circulation.circulate_from_log(session, resolutions.get(session, int(ident)))


def _invoice(session: Session, ident: str, today: date) -> Papers:
    from plvgov.billing import accounts

    invoice = accounts.get(session, ident.strip())
    return Papers(
        f"invoice:{invoice.number}",
        f"Invoice {invoice.number}",
        [Copy(members.get(session, invoice.member_id), invoice.number)],
    )


def _credit_note(session: Session, ident: str, today: date) -> Papers:
    from plvgov.billing import accounts
    from plvgov.models.billing import Invoice

    note = accounts.get_credit_note(session, ident.strip())
    invoice = session.get(Invoice, note.invoice_id)
    assert invoice is not None
    return Papers(
        f"credit-note:{note.number}",
        f"Credit note {note.number}",
        [Copy(members.get(session, invoice.member_id), note.number)],
    )


def _subscription_notice(session: Session, ident: str, today: date) -> Papers:
    fy = FinancialYear.parse(ident)
    targets = views.on_register_during(session, fy)
    if not targets:
        raise RuleError(f"no member is on the register for any day of {fy.label}")
    return Papers(
        f"subscription-notice:{fy.label}",
        f"Subscription notice {fy.label}",
        [Copy(m, m.slug, fy.label) for m in targets],
    )


def _exit_reminder(session: Session, ident: str, today: date) -> Papers:
    from plvgov.documents.contexts import exit_reminder

    try:
        on = iso_date(ident)
    except BadValue as exc:
        raise InputError(f"the exit reminder's ID {ident!r} is not {exc}") from None
    letters = exit_reminder(session, None, on, today).letters
    by_code = {m.gss_code or m.council_name: m for m in members.everyone(session)}
    copies = []
    for letter in letters:
        member = by_code[letter.gss_code or letter.member]
        copies.append(Copy(member, member.slug, at=on))
    return Papers(
        f"exit-reminder:{on.isoformat()}", f"Exit point reminder of {on:%-d %B %Y}", copies
    )


def _reminder(session: Session, ident: str, today: date) -> Papers:
    """The reminder due today for invoice ``ident`` (the first, or the final once the first
    went), else a copy of the last one issued: each stage is its own document in the log, so a
    stage goes once and the next stage goes when it falls due."""
    from plvgov.billing import reminders

    number = ident.strip()
    try:
        invoice, stage, _falls_due_on, _balance = reminders.next_due(session, number, today)
    except RuleError:
        invoice = reminders.get(session, number)
        issued = reminders.reminders_of(session, invoice)
        if not issued:
            raise
        stage = max(issued.values(), key=lambda r: (r.issued_on, r.id or 0)).stage
    return Papers(
        f"reminder:{invoice.number}:{stage}",
        f"{stage.capitalize()} reminder: invoice {invoice.number}",
        [Copy(members.get(session, invoice.member_id), invoice.number, at=today)],
    )


def _reminder_follow(session: Session, ident: str) -> list[SQLModel]:
    """A reminder stage is issued on the day its copy went (``invoice remind`` records one
    issued by other means): once only, in the audit event that logs the delivery."""
    from plvgov.billing import reminders
    from plvgov.correspondence import log

    invoice = reminders.get(session, ident.strip())
    issued = reminders.reminders_of(session, invoice)
    changed: list[SQLModel] = []
    for stage in reminders.STAGES:
        went = log.delivered(log.rows_for(session, f"reminder:{invoice.number}:{stage}").values())
        times = [r.sent_at for r in went if r.sent_at is not None]
        if stage in issued or not times:
            continue
        on = min(times).date()
        changed.append(reminders.reminder_row(session, invoice.number, on=on, today=on))
    return changed


def _statement(session: Session, ident: str, today: date) -> Papers:
    """A member's statement of account from the start of the financial year to today."""
    member = members.find(session, ident)
    return Papers(
        f"statement:{member.slug}:{today.isoformat()}",
        f"Statement of account to {today:%-d %B %Y}",
        [Copy(member, member.slug, at=today)],
    )


KINDS: dict[str, SendKind] = {
    k.name: k
    for k in (
        SendKind("notice", "notice", "meeting id", _notice, _notice_follow),
        SendKind(
            "written-resolution",
            "written-resolution",
            "resolution id",
            _written_resolution,
            _written_resolution_follow,
        ),
        SendKind("invoice", "invoice", "invoice number (PLV-2026-0001)", _invoice),
        SendKind("credit-note", "credit-note", "credit note number (CN-2026-0001)", _credit_note),
        SendKind(
            "subscription-notice",
            "subscription-notice",
            "financial year (2027/28)",
            _subscription_notice,
        ),
        SendKind(
            "exit-reminder", "exit-reminder", "the reminder's date (YYYY-MM-DD)", _exit_reminder
        ),
        SendKind(
            "reminder",
            "reminder",
            "invoice number (PLV-2026-0001)",
            _reminder,
            _reminder_follow,
        ),
        SendKind("statement", "statement", "member (a slug, GSS code or name)", _statement),
    )
}


def get(name: str) -> SendKind:
    if name not in KINDS:
        raise NotFound(f"plvgov cannot send {name!r}; choose from {', '.join(KINDS)}")
    return KINDS[name]
