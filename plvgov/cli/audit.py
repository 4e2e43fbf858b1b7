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
    data = [
        {
            "seq": e.seq,
            "at": e.at,
            "actor": e.actor,
            "action": e.action,
            "subject": e.subject,
            "command": e.command,
        }
        for e in events
    ]
    emit(
        as_json,
        data,
        lambda c: c.print(
            table(
                "Audit log",
                ["seq", "at (UTC)", "actor", "action", "subject"],
                [
                    (e.seq, e.at[:19].replace("T", " "), e.actor, e.action, e.subject)
                    for e in events
                ],
            )
        ),
    )


@app.command("verify")
def verify(
    deep: Annotated[
        bool,
        typer.Option(
            "--deep",
            help="Also replay every event's after-images and name each row that differs "
            "from its last audited state, has none, or has disappeared.",
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Recompute the hash chain from the first event; exit 1 naming the first bad event.

    Example: plvgov audit verify --deep
    """
    from plvgov import audit
    from plvgov.errors import LedgerError

    if deep:
        _verify_deep(as_json)
        return
    with reading() as session:
        result = audit.verify(session)
    if as_json:
        print_json(
            {
                "events": result.events,
                "head": result.head,
                "ok": result.ok,
                "first_bad_seq": result.first_bad_seq,
                "problem": result.problem,
            }
        )
        if not result.ok:
            raise typer.Exit(1)
        return
    if not result.ok:
        raise LedgerError(
            f"the audit trail is broken at event {result.first_bad_seq}: {result.problem}"
        )
    say(f"Audit trail intact: {result.events} events, head {result.head[:16]}…")


def _verify_deep(as_json: bool) -> None:
    from plvgov import audit
    from plvgov.errors import LedgerError

    with reading() as session:
        deep = audit.verify_deep(session)
    chain = deep.chain
    if as_json:
        print_json(
            {
                "events": chain.events,
                "head": chain.head,
                "ok": deep.ok,
                "first_bad_seq": chain.first_bad_seq,
                "problem": chain.problem,
                "rows_checked": deep.rows_checked,
                "differences": [d.as_json() for d in deep.differences],
            }
        )
        if not deep.ok:
            raise typer.Exit(1)
        return
    if not deep.ok:
        say("\n".join(d.message for d in deep.differences))
        first = deep.differences[0].message
        raise LedgerError(
            f"the ledger differs from its audit trail in {len(deep.differences)} "
            f"place(s), first: {first}; restore from a backup and investigate"
        )
    say(
        f"Audit trail intact: {chain.events} events, head {chain.head[:16]}…; "
        f"{deep.rows_checked} rows match their audited state."
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="audit")
