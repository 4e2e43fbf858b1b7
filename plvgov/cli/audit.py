"""``audit log`` and ``audit verify``."""

from __future__ import annotations

from typing import Annotated

import typer

from plvgov.cli._common import Json, emit, print_json, reading, say, table

app = typer.Typer(help="The audit trail: a hash chain of every change.", no_args_is_help=True)


@app.command("log")
def log(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many events.")] = 20,
    as_json: Json = False,
) -> None:
    """The latest changes to the ledger, newest first.

    Example: plvgov audit log --limit 5
    """
    from plvgov import audit

    with reading() as session:
        events = audit.latest(session, limit)
    data = [{"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action,
             "subject": e.subject, "command": e.command} for e in events]
    emit(as_json, data, lambda c: c.print(table(
        "Audit log", ["seq", "at (UTC)", "actor", "action", "subject"],
        [(e.seq, e.at[:19].replace("T", " "), e.actor, e.action, e.subject) for e in events])))


@app.command("verify")
def verify(as_json: Json = False) -> None:
    """Recompute the hash chain from the first event; exit 1 naming the first bad event.

    Example: plvgov audit verify
    """
    from plvgov import audit
    from plvgov.errors import LedgerError

    with reading() as session:
        result = audit.verify(session)
    if as_json:
        print_json({"events": result.events, "head": result.head, "ok": result.ok,
                    "first_bad_seq": result.first_bad_seq, "problem": result.problem})
        if not result.ok:
            raise typer.Exit(1)
        return
    if not result.ok:
        raise LedgerError(f"the audit trail is broken at event {result.first_bad_seq}: "
                          f"{result.problem}")
    say(f"Audit trail intact: {result.events} events, head {result.head[:16]}…")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="audit")
