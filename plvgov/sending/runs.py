"""A send run: every member's copy of one document, by email to the address it agreed to, or
named for posting; each copy logged before and after the mail server is asked (at most once
per document and member: docs/sending.md).

A run owns its transactions, like the invoice run: two short ones per message (``sending``,
then the server's answer), so the log is exact whenever the process stops.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Generator, Sequence
from dataclasses import field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from plvgov import outputs, settings
from plvgov.correspondence import agreements, hard_copies, log
from plvgov.db import Ledger
from plvgov.errors import RuleError
from plvgov.membership import members
from plvgov.models.correspondence import Dispatch
from plvgov.models.members import Member
from plvgov.sending import kinds, mail
from plvgov.values import dataclass

if TYPE_CHECKING:
    from plvgov.documents.pdf import Renderer

HARD_COPY = (
    "You may ask for a copy of this document on paper at any time, free of charge; we will "
    "send it within 21 days (Companies Act 2006, s.1145)."
)


@dataclass
class Item:
    """One member's copy in a run: ``status`` is what the run did or would do."""

    member: str
    address: str | None
    status: str  # sent, refused, failed, outbox, would-send, post, skipped (already …), uncertain
    message_id: str | None = None
    detail: str | None = None

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass
class Outcome:
    kind: str
    ident: str
    document: str
    title: str
    sent: list[Item] = field(default_factory=list)  # sent now, or written to the outbox
    posted_needed: list[Item] = field(default_factory=list)
    skipped: list[Item] = field(default_factory=list)  # already done, before this run
    failed: list[Item] = field(default_factory=list)  # refused, failed, uncertain
    stopped: str | None = None  # why the run stopped early (the server broke off)

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "document": self.document,
            "sent": [i.as_json() for i in self.sent],
            "posted_needed": [i.as_json() for i in self.posted_needed],
            "skipped": [i.as_json() for i in self.skipped],
            "failed": [i.as_json() for i in self.failed],
        }


def sender(session: Session) -> mail.Sender:
    address = settings.fact(session, "registered_email")
    if not address:
        raise RuleError(
            "the company has no email address to send from; set it with "
            "`plvgov settings set registered_email ADDRESS`"
        )
    return mail.Sender(
        settings.fact(session, "company_name"),
        address,
        settings.fact(session, "company_number") or "",
        " ".join((settings.fact(session, "registered_office") or "").split()),
    )


def _greeting(session: Session, member: Member, on: date) -> str:
    held = members.representative_on(session, member, on)
    return f"Dear {held.name}" if held is not None else f"Dear {member.council_name}"


@dataclass
class _Planned:
    copy: kinds.Copy
    address: str
    retry: Dispatch | None


def run(
    ledger: Ledger,
    kind_name: str,
    ident: str,
    *,
    today: date,
    now: Callable[[], datetime],
    outbox: Path | None = None,
    force: bool = False,
    dry_run: bool = False,
    retry_uncertain: bool = False,
    overrides: Sequence[Path] = (),
    advance: Callable[[int], None] = lambda n: None,
    renderer: Renderer | None = None,
) -> Outcome:
    """Send (or write to ``outbox``) every member's copy of KIND ID that has not gone.

    Every copy is filled from one reading of the ledger, taken before the first goes: each
    member gets the same document, whatever a delivery fixes meanwhile (a notice's deemed
    service). The PDFs go to ``renderer`` (default: this process) while the next copies are
    filled, and are sent in order."""

    spec = kinds.get(kind_name)
    with ledger.read() as session:
        papers = spec.papers(session, ident, today)
        addresses = agreements.addresses_on(session, today)
        logged = log.rows_for(session, papers.document)
        who = sender(session) if not dry_run else None
        greetings = {c.member.id: _greeting(session, c.member, today) for c in papers.copies}
    outcome = Outcome(spec.name, ident.strip(), papers.document, papers.title)
    planned: list[_Planned] = []
    for copy in papers.copies:
        assert copy.member.id is not None
        row = logged.get(copy.member.id)
        address = addresses.get(copy.member.id)
        if row is not None and row.status in log.DONE:
            outcome.skipped.append(
                Item(copy.member.name, row.address, f"already {row.status}", row.message_id)
            )
        elif row is not None and row.status == log.SENDING and not retry_uncertain:
            outcome.failed.append(
                Item(
                    copy.member.name,
                    row.address,
                    "uncertain",
                    row.message_id,
                    f"a run stopped while the server had it: look for Message-ID "
                    f"{row.message_id} in the relay's log",
                )
            )
        elif address is None:
            outcome.posted_needed.append(Item(copy.member.name, None, "post"))
        elif dry_run:
            outcome.sent.append(Item(copy.member.name, address, "would-send"))
        else:
            planned.append(_Planned(copy, address, row))
    if dry_run or not planned:
        return outcome
    assert who is not None
    if outbox is not None:
        _check_outbox(outbox)
        server = None
    else:
        server = mail.Relay.from_environment().connect()  # refused here: nothing logged
    subject = f"{papers.title} — {who.company}"
    from plvgov.documents.pdf import InProcess

    copies = _filled(ledger, spec, planned, today, overrides, renderer or InProcess())
    try:
        for plan, pdf in copies:
            member = plan.copy.member
            message_id = mail.new_message_id(who)
            at = now()
            body = (
                f"{greetings[member.id]},\n\nPlease find attached the {papers.title[0].lower()}"
                f"{papers.title[1:]} ({member.council_name}'s copy).\n\n{HARD_COPY}"
            )
            filename = f"{papers.document.replace(':', '-').replace('/', '-')}-{member.slug}.pdf"
            msg = mail.message(
                who,
                plan.address,
                member.council_name,
                subject,
                body,
                pdf,
                filename,
                message_id,
                at,
            )
            if server is None:
                assert outbox is not None
                target = outbox / f"{filename.removesuffix('.pdf')}.eml"
                outputs.write_bytes(target, msg.as_bytes(), force)
                with ledger.write(f"send {spec.name} {ident} --outbox") as session:
                    log.record_outbox(
                        session,
                        kind=spec.name,
                        document=papers.document,
                        member=member,
                        address=plan.address,
                        subject=subject,
                        message_id=message_id,
                        at=at,
                    )
                outcome.sent.append(Item(member.name, plan.address, "outbox", message_id))
                advance(1)
                continue
            with ledger.write(f"send {spec.name} {ident}") as session:
                row = log.begin(
                    session,
                    kind=spec.name,
                    document=papers.document,
                    member=member,
                    address=plan.address,
                    subject=subject,
                    message_id=message_id,
                    at=at,
                    retry_uncertain=retry_uncertain,
                )
                row_id = row.id
            assert row_id is not None
            status, detail = _deliver(server, who, plan.address, msg)
            follow = _follow(spec, ident)
            with ledger.write(f"send {spec.name} {ident}") as session:
                log.finish(session, row_id, status, now(), detail, follow)
            item = Item(member.name, plan.address, status, message_id, detail)
            (outcome.sent if status == log.SENT else outcome.failed).append(item)
            advance(1)
            if status == log.FAILED:
                outcome.stopped = (
                    f"the mail server broke off ({detail}); "
                    f"{len(outcome.sent)} sent, the rest not tried: run the same command again"
                )
                break
    finally:
        copies.close()  # the reading of the ledger ends; papers in flight are dropped
        if server is not None:
            try:
                server.quit()
            except (OSError, smtplib.SMTPException):
                server.close()
    return outcome


def _deliver(
    server: smtplib.SMTP, who: mail.Sender, to: str, msg: mail.EmailMessage
) -> tuple[str, str | None]:
    """The server's answer: (``sent``, None), (``refused``, why) for this address only, or
    (``failed``, why) when the server broke off."""
    try:
        server.send_message(msg, from_addr=who.address, to_addrs=[to])
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        why = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return log.REFUSED, f"{code} {why}"
    except smtplib.SMTPResponseException as exc:
        error = exc.smtp_error
        said = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
        why = f"{exc.smtp_code} {said}"
        return (log.REFUSED if 500 <= exc.smtp_code < 600 else log.FAILED), why
    except (OSError, smtplib.SMTPException) as exc:
        return log.FAILED, str(exc) or type(exc).__name__
    return log.SENT, None


def _check_outbox(folder: Path) -> None:
    if not folder.is_dir():
        raise RuleError(f"the outbox {folder} is not a folder; create it first")


def _when(at: datetime, today: date, what: str) -> datetime:
    from plvgov.dates import require_past
    from plvgov.decisions.notice_timing import london_naive

    at = london_naive(at)
    require_past(at.date(), today, what, "record it once it has happened")
    return at


def record_posted(
    session: Session, kind_name: str, ident: str, member_text: str, at: datetime, today: date
) -> tuple[Dispatch, str]:
    """Log that ``member``'s copy of KIND ID was posted at ``at`` (s.1147(2): deemed delivered
    48 working hours later, as email)."""
    spec = kinds.get(kind_name)
    member = members.find(session, member_text)
    at = _when(at, today, "the posting time")
    papers = spec.papers(session, ident, today)
    if member.id not in {c.member.id for c in papers.copies}:
        raise RuleError(f"{member.name} does not receive {papers.title}")
    asked = hard_copies.open_request(session, papers.document, member)
    if asked is not None:  # the hard copy of what it had by email (s.1145)
        hard_copies.posted(session, asked, member, at)
        row = log.rows_for_member(session, papers.document, members.id_of(member))
        assert row is not None
        return row, member.name
    row = log.record_posted(
        session,
        kind=spec.name,
        document=papers.document,
        member=member,
        subject=f"{papers.title} (posted)",
        at=at,
        follow=_follow(spec, ident),
    )
    return row, member.name


def record_went(
    session: Session, kind_name: str, ident: str, member_text: str, at: datetime, today: date
) -> list[Dispatch]:
    """Log that the copies of KIND ID in the outbox (or left uncertain) went at ``at``, as the
    mail system's log says: ``member_text`` names one member, or ``all`` for every such copy."""
    spec = kinds.get(kind_name)
    at = _when(at, today, "the sending time")
    papers = spec.papers(session, ident, today)
    waiting = [
        (row, member)
        for row, member in log.listing(session, spec.name)
        if row.document == papers.document and row.status in (log.OUTBOX, log.SENDING)
    ]
    if member_text.strip().lower() != "all":
        named = members.find(session, member_text)
        waiting = [(r, m) for r, m in waiting if m.id == named.id]
        if not waiting:
            raise RuleError(
                f"{named.name}'s copy of {papers.title} is not in the outbox or uncertain; "
                "`plvgov sends list` shows the log"
            )
    return log.record_went(session, papers.document, waiting, at, _follow(spec, ident))


def request_hard_copy(
    session: Session, kind_name: str, ident: str, member_text: str, on: date, today: date
) -> tuple[str, date]:
    """Record a member's request for a hard copy of KIND ID (s.1145); returns the document and
    the day the copy is due."""
    spec = kinds.get(kind_name)
    member = members.find(session, member_text)
    papers = spec.papers(session, ident, today)
    made = hard_copies.request(session, papers.document, member, on, today=today)
    return papers.title, made.due_on


def _filled(
    ledger: Ledger,
    spec: kinds.SendKind,
    planned: list[_Planned],
    today: date,
    overrides: Sequence[Path],
    renderer: Renderer,
) -> Generator[tuple[_Planned, bytes], None, None]:
    """Each planned copy with its PDF, in order, every one filled from the same reading of the
    ledger (a snapshot: what the run logs meanwhile is not in it)."""
    from plvgov.documents import Request, render
    from plvgov.documents.batch import Shared, common_facts, pdfs_in_order

    with ledger.read() as session, common_facts(session):
        shared = Shared(renderer)

        def html(plan: _Planned) -> str:
            request = Request(
                generated_on=today,
                at=plan.copy.at,
                year=plan.copy.year,
                member=plan.copy.member.slug if plan.copy.own else None,
                sending_on=today,
            )
            filled = render(
                session, spec.render, plan.copy.ident, "html", request, overrides, shared
            )
            return filled.decode("utf-8")

        yield from pdfs_in_order(((plan, html(plan)) for plan in planned), renderer)


def _follow(spec: kinds.SendKind, ident: str) -> log.FollowUp | None:
    """What a delivery of KIND ID fixes, for the log's transaction (None: nothing)."""
    fix = spec.follow
    if fix is None:
        return None
    return lambda session: fix(session, ident)
