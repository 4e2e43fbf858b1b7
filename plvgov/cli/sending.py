"""``send``, ``sends list`` and ``member email``: sending the papers by email with the members'
agreement (CA 2006 Sch. 5), the send log, and posted copies."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plvgov.cli import members as members_cli
from plvgov.cli._common import (
    Json,
    MemberArg,
    date_option,
    datetime_option,
    emit,
    open_ledger,
    print_json,
    progress,
    reading,
    say,
    today,
    writing,
)
from plvgov.cli._tables import table
from plvgov.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from plvgov.sending.runs import Outcome

sends_app = typer.Typer(
    help="The send log: every copy sent, refused or posted.", no_args_is_help=True
)


def now() -> datetime:
    """The London wall clock, or ``PLVGOV_NOW`` (YYYY-MM-DDTHH:MM) for reproducible demos and
    tests; with only ``PLVGOV_TODAY`` set, that day at the clock's time."""
    from plvgov.dates import LONDON, parse_datetime
    from plvgov.decisions.notice_timing import london_naive

    fixed = os.environ.get("PLVGOV_NOW")
    if fixed:
        return london_naive(parse_datetime(fixed, "PLVGOV_NOW"))
    clock = datetime.now(LONDON).replace(tzinfo=None, microsecond=0)
    return datetime.combine(today(), clock.time()) if os.environ.get("PLVGOV_TODAY") else clock


def member_email(
    member: MemberArg,
    address: Annotated[
        str | None,
        typer.Option("--address", help="The address the council agreed to.", show_default=False),
    ] = None,
    agreed_on: Annotated[
        date | None, date_option("--agreed-on", help="The day the council agreed.")
    ] = None,
    revoked_on: Annotated[
        date | None, date_option("--revoked-on", help="The day the agreement ends.")
    ] = None,
) -> None:
    """Record a council's agreement to receive the company's documents by email at an address
    (CA 2006 Sch. 5 paras 6-7), or its end. A member without agreement gets paper.

    Example: plvgov member email bromley --address democratic.services@bromley.gov.uk --agreed-on 2026-04-01

    Example: plvgov member email bromley --revoked-on 2026-11-01
    """
    from plvgov.correspondence import agreements
    from plvgov.errors import UsageError
    from plvgov.membership import members

    if revoked_on is not None and (address is not None or agreed_on is not None):
        raise UsageError("give either --address with --agreed-on, or --revoked-on alone")
    if revoked_on is None and (address is None or agreed_on is None):
        raise UsageError("give --address and --agreed-on (or --revoked-on to end an agreement)")
    with writing() as session:
        m = members.find(session, member)
        if revoked_on is not None:
            row = agreements.revoke(session, m, revoked_on, today=today())
            message = (
                f"{m.name} gets paper from {revoked_on} (agreement to email {row.address} ended)."
            )
        else:
            assert address is not None and agreed_on is not None
            row = agreements.agree(session, m, address, agreed_on, today=today())
            message = f"{m.name} receives documents by email at {row.address} from {agreed_on}."
    say(message)


def send(
    kind: Annotated[
        str,
        typer.Argument(
            help="notice, written-resolution, invoice, credit-note, subscription-notice, "
            "exit-reminder, reminder or statement.",
            show_default=False,
        ),
    ],
    id_: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The meeting id, resolution id, invoice or credit note number (reminder: the "
            "overdue invoice's), financial year (subscription-notice), date (exit-reminder) or "
            "member (statement).",
            show_default=False,
        ),
    ],
    outbox: Annotated[
        Path | None,
        typer.Option(
            "--outbox",
            help="Write each message as an .eml file in this folder instead of sending it.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace .eml files already in the outbox.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would go; write and send nothing.")
    ] = False,
    retry_uncertain: Annotated[
        bool,
        typer.Option(
            "--retry-uncertain",
            help="Send again the copies a stopped run left uncertain (check the relay's log "
            "for their Message-IDs first).",
        ),
    ] = False,
    posted: Annotated[
        str | None,
        typer.Option(
            "--posted",
            help="Record that this member's copy was posted (with --at).",
            show_default=False,
        ),
    ] = None,
    went: Annotated[
        str | None,
        typer.Option(
            "--went",
            help="Record that this member's copy in the outbox (or left uncertain) was sent "
            "at --at by the mail system; `all` for every such copy.",
            show_default=False,
        ),
    ] = None,
    at: Annotated[
        datetime | None,
        datetime_option("--at", help="When the copy was posted (--posted) or sent (--went)."),
    ] = None,
    as_json: Json = False,
) -> None:
    """Send each member's own copy of a document as a PDF by email to the address it agreed to
    (PLVGOV_SMTP_URL, PLVGOV_SMTP_PASSWORD), and list the members that need a posted copy.
    Every copy goes in the send log; a second run sends only what did not go. A notice's
    deemed service (s.1147) follows from the last copy to go.

    Example: plvgov send notice 3

    Example: plvgov send invoice PLV-2026-0001 --outbox ./outbox

    Example: plvgov send notice 3 --posted havering --at 2026-11-20T16:00

    Example: plvgov send notice 3 --went all --at 2026-11-20T16:05   (the outbox went)
    """
    from plvgov.cli.documents import _template_folders
    from plvgov.correspondence.naming import describe
    from plvgov.errors import UsageError
    from plvgov.sending import runs

    if posted is not None or went is not None or at is not None:
        if (posted is None) == (went is None) or at is None:
            raise UsageError(
                "give --posted MEMBER or --went MEMBER (or all), with --at: when it went"
            )
        with writing() as session:
            if posted is not None:
                row, member = runs.record_posted(session, kind, id_, posted, at, today())
                message = (
                    f"{member}'s copy of {describe(row.document)} was posted at "
                    f"{at:%Y-%m-%d %H:%M}."
                )
            else:
                assert went is not None
                rows = runs.record_went(session, kind, id_, went, at, today())
                message = (
                    f"{plural(len(rows), 'copy')} of {describe(rows[0].document)} went at "
                    f"{at:%Y-%m-%d %H:%M}."
                )
        say(message)
        return
    if outbox is not None and dry_run:
        raise UsageError("--dry-run writes nothing; drop --outbox or --dry-run")
    from plvgov.documents import pdf

    ledger = open_ledger()
    # PDF workers, one a core, start now: WeasyPrint starts on them while the ledger is read.
    try:
        with (
            pdf.start(0 if dry_run else pdf.MAX_WORKERS) as renderer,
            progress(f"Sending {kind} {id_}") as advance,
        ):
            outcome = runs.run(
                ledger,
                kind,
                id_,
                today=today(),
                now=now,
                outbox=outbox,
                force=force,
                dry_run=dry_run,
                retry_uncertain=retry_uncertain,
                overrides=_template_folders(),
                advance=advance,
                renderer=renderer,
            )
    finally:
        ledger.dispose()
    if as_json:
        print_json(outcome.as_json())
    else:
        _report(outcome, dry_run, outbox)
    if outcome.stopped:
        from plvgov.errors import RuleError

        raise RuleError(outcome.stopped)


def _report(outcome: Outcome, dry_run: bool, outbox: Path | None) -> None:
    from plvgov.cli._common import out

    items = (*outcome.sent, *outcome.failed, *outcome.posted_needed)
    columns = ["member", "address", "status"]
    rows: list[tuple[str, ...]] = [(i.member, i.address or "", i.status) for i in items]
    if any(i.detail for i in items):
        columns.append("detail")
        rows = [(*row, i.detail or "") for row, i in zip(rows, items, strict=True)]
    if rows:
        out().print(table(outcome.title, columns, rows, optional=["detail"]))
    again = f"plvgov send {outcome.kind} {outcome.ident}"
    if dry_run:
        went = f"{plural(len(outcome.sent), 'copy')} would go by email"
    elif outbox is not None:
        went = f"{plural(len(outcome.sent), 'copy')} written to the outbox ({outbox})"
    else:
        went = f"{plural(len(outcome.sent), 'copy')} sent"
    parts = [went]
    if outcome.skipped:
        parts.append(f"{len(outcome.skipped)} had gone before")
    if outcome.failed:
        parts.append(f"{len(outcome.failed)} did not go")
    parts.append(f"{plural(len(outcome.posted_needed), 'member')} to post to")
    say(f"{outcome.title}: " + "; ".join(parts) + ".")
    if outbox is not None and outcome.sent:
        say(f"Once your mail system has sent them: {again} --went all --at YYYY-MM-DDTHH:MM")
    if outcome.posted_needed and not dry_run:
        say(f"Record each posted copy: {again} --posted MEMBER --at YYYY-MM-DDTHH:MM")
    if any(i.status == "uncertain" for i in outcome.failed):
        say(
            "Uncertain copies: find their Message-IDs in the relay's log; if there, record "
            f"them with {again} --went MEMBER --at ...; if not, {again} --retry-uncertain"
        )
    elif outcome.failed and not outcome.stopped:
        say(f"Run {again} again to retry those that did not go.")


@sends_app.command("list")
def sends_list(
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only this kind (notice, invoice, ...).")
    ] = None,
    as_json: Json = False,
) -> None:
    """The send log: each member's copy of each document, its address, when it went, its
    Message-ID and what became of it (sent, refused, failed, outbox, posted, or sending: a
    run stopped and the copy is uncertain).

    Example: plvgov sends list --kind notice
    """
    from plvgov.correspondence import log

    with reading() as session:
        rows = [
            {
                "id": d.id,
                "kind": d.kind,
                "document": d.document,
                "subject": d.subject,
                "member": m.name,
                "address": d.address,
                "sent_at": d.sent_at,
                "message_id": d.message_id,
                "status": d.status,
                "detail": d.detail,
            }
            for d, m in log.listing(session, kind)
        ]

    def render(console: Console) -> None:
        console.print(
            table(
                "Send log",
                ["id", "document", "member", "address", "sent at", "status", "message id"],
                [
                    (
                        r["id"],
                        r["document"],
                        r["member"],
                        r["address"] or "(post)",
                        f"{r['sent_at']:%Y-%m-%d %H:%M}" if r["sent_at"] else "",
                        r["status"],
                        r["message_id"] or "",
                    )
                    for r in rows
                ],
                right=["id"],
                optional=["message id"],
            )
        )

    emit(as_json, rows, render)


@sends_app.command("hard-copy")
def sends_hard_copy(
    kind: Annotated[str, typer.Argument(help="The kind sent (notice, invoice, ...).")],
    id_: Annotated[str, typer.Argument(metavar="ID", help="As for `plvgov send`.")],
    member: MemberArg,
    requested_on: Annotated[
        date, date_option("--requested-on", help="The day the company received the request.")
    ],
) -> None:
    """Record a member's request for a hard copy of a document it had by email (CA 2006
    s.1145): due free of charge within 21 days, on the calendar and in `plvgov check` until
    `plvgov send KIND ID --posted MEMBER --at ...` records its posting.

    Example: plvgov sends hard-copy notice 3 bromley --requested-on 2026-11-24
    """
    from plvgov.sending import runs

    with writing() as session:
        title, due = runs.request_hard_copy(session, kind, id_, member, requested_on, today())
    say(f"A hard copy of {title[0].lower()}{title[1:]} is due by {due} (s.1145).")


def register(root: typer.Typer) -> None:
    """Add ``send`` and ``sends`` to the root app, and ``email`` to the ``member`` group
    (``members.register`` adds the group)."""
    members_cli.app.command("email")(member_email)
    root.command("send")(send)
    root.add_typer(sends_app, name="sends")
