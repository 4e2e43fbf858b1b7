"""``audit log``, ``audit verify``, ``audit checkpoint`` and ``audit keygen``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from plvgov.cli._common import ID_MAX, Json, emit, print_json, reading, say
from plvgov.cli._tables import table

app = typer.Typer(help="The audit trail: a hash chain of every change.", no_args_is_help=True)


@app.command("log")
def log(
    limit: Annotated[int, typer.Option("--limit", min=1, max=ID_MAX, help="How many events.")] = 20,
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


Fingerprints = Annotated[
    list[str] | None,
    typer.Option(
        "--fingerprint",
        metavar="SEQ:HASH",
        help="A ledger fingerprint from a paper's footer (201:4a40e8d9d78c): prove the ledger "
        "still holds that state. Give it more than once for several papers.",
        show_default=False,
    ),
]
PublicKey = Annotated[
    Path | None,
    typer.Option(
        "--public-key",
        metavar="FILE",
        help="The company's public key (or its private key file): every checkpoint must be "
        "signed by it. Default: the key PLVGOV_AUDIT_KEY names, if any.",
        show_default=False,
    ),
]


@app.command("verify")
def verify(
    deep: Annotated[
        bool,
        typer.Option(
            "--deep",
            help="Also replay every event's after-images and name each row that differs "
            "from its last audited state, has none, or has disappeared, compare stored values "
            "exactly, and (SQLite) run the database's integrity check.",
        ),
    ] = False,
    fingerprint: Fingerprints = None,
    public_key: PublicKey = None,
    as_json: Json = False,
) -> None:
    """Recompute the hash chain from the first event and check every signed checkpoint;
    exit 1 naming the first thing wrong.

    The chain alone proves that no event was edited in place. Signed checkpoints (taken at
    each invoice run and meeting close when PLVGOV_AUDIT_KEY names the company's key, or by
    `plvgov audit checkpoint`) also prove that the history up to the last one was not
    rewritten, and the journal beside the key that it was not cut short. A paper's footer
    fingerprint proves the ledger still holds the state the paper was made from.

    Example: plvgov audit verify --deep --fingerprint 201:4a40e8d9d78c
    """
    from plvgov import audit
    from plvgov import checkpoints as cp

    wanted = list(fingerprint or [])
    for value in wanted:  # a mistyped fingerprint is refused before anything is read
        cp.parse_fingerprint(value)
    key_path = cp.configured_key_path()
    trusted = None
    if public_key is not None:
        trusted = cp.load_public_key(public_key)
    elif key_path is not None:
        trusted = cp.load_public_key(key_path)
    journal = cp.journal_path(key_path) if key_path is not None else None
    with reading() as session:
        if deep:
            result = audit.verify_deep(session)
            chain, differences, rows = result.chain, list(result.differences), result.rows_checked
        else:
            chain, differences, rows = audit.verify(session), [], None
        signed = cp.verify(session, trusted, journal)
        papers = [cp.check_fingerprint(session, f) for f in wanted]
    problems = (
        ([] if chain.ok or deep else [f"event {chain.first_bad_seq}: {chain.problem}"])
        + [d.message for d in differences]
        + signed.problems
        + [p.message for p in papers if not p.ok]
    )
    if as_json:
        data = {
            "events": chain.events,
            "head": chain.head,
            "ok": not problems,
            "first_bad_seq": chain.first_bad_seq,
            "problem": chain.problem,
            "checkpoints": signed.as_json(),
            "fingerprints": [p.as_json() for p in papers],
        }
        if deep:
            data["rows_checked"] = rows
            data["differences"] = [d.as_json() for d in differences]
        print_json(data)
        if problems:
            raise typer.Exit(1)
        return
    _explain(chain, rows, signed, papers, problems)


def _explain(chain, rows, signed, papers, problems) -> None:  # type: ignore[no-untyped-def]
    from plvgov import checkpoints as cp
    from plvgov.errors import LedgerError

    if problems:
        if rows is not None or len(problems) > 1:  # --deep lists every difference
            say("\n".join(problems))
        if not chain.ok:
            raise LedgerError(
                f"the audit trail is broken at event {chain.first_bad_seq}: {chain.problem}"
                + ("" if len(problems) == 1 else f"; {len(problems)} problems in all")
            )
        places = "1 place" if len(problems) == 1 else f"{len(problems)} places"
        raise LedgerError(
            f"the ledger differs from its audit trail in {places}, first: "
            f"{problems[0]}; restore from a backup and investigate"
        )
    line = f"Audit trail intact: {chain.events} events, head {chain.head[:16]}…"
    if rows is not None:
        line += f"; {rows} rows match their audited state."
    say(line)
    last = signed.last_good
    if last is None:
        say(
            "No signed checkpoint yet: without one the chain can show an event edited in place, "
            "but not a history rewritten or cut short. Set "
            f"{cp.KEY_ENV} and run `plvgov audit checkpoint`."
        )
    else:
        tail = signed.unsigned_tail
        say(
            f"Signed: {_count(signed.checkpoints, 'checkpoint')}, the last at event {last.seq} "
            f"(key {last.key}); "
            + (
                "nothing after it is unsigned."
                if tail == 0
                else f"{_count(tail, 'event')} after it {'is' if tail == 1 else 'are'} not "
                "yet signed."
            )
        )
    for paper in papers:
        say(paper.message[:1].upper() + paper.message[1:] + ".")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@app.command("checkpoint")
def checkpoint(as_json: Json = False) -> None:
    """Sign the chain's head with the company's key (the file PLVGOV_AUDIT_KEY names, kept
    outside the ledger), as an audit event, and note it in the journal beside the key.

    Example: plvgov audit checkpoint --json
    """
    from plvgov import checkpoints as cp
    from plvgov.cli._common import report, writing
    from plvgov.errors import UsageError

    key_path = cp.configured_key_path()
    if key_path is None:
        raise UsageError(
            f"no signing key: set {cp.KEY_ENV} to the company's key file "
            "(make one with `plvgov audit keygen FILE`)"
        )
    with writing() as session:
        made = cp.take(session, key_path)
    report(
        as_json,
        made.as_json(),
        f"Signed event {made.seq} (head {made.head[:16]}…) with key {made.key}.",
    )


@app.command("keygen")
def keygen(
    out: Annotated[
        Path,
        typer.Argument(
            help="Where to write the private key (PEM). Keep it outside the ledger's folder "
            "and back it up: whoever holds it can sign the ledger.",
            show_default=False,
        ),
    ],
) -> None:
    """Make the company's signing key for audit checkpoints: the private key to FILE (readable
    by its owner only) and the public key to FILE.pub, to give to the auditors.

    Example: plvgov audit keygen ~/plv/audit-key.pem
    """
    from plvgov import checkpoints as cp
    from plvgov.outputs import check_target, write_bytes

    check_target(out, force=False)  # first: it refuses a folder (".") before with_name would
    public_path = out.with_name(out.name + ".pub")
    check_target(public_path, force=False)
    private, public = cp.generate_key_pem()
    write_bytes(out, private, mode=0o600)  # readable by its owner only, from the start
    write_bytes(public_path, public)
    fingerprint = cp.key_fingerprint(cp.raw_public(cp.load_public_key(public_path)))
    say(
        f"Wrote the private key to {out} and the public key to {public_path} "
        f"(fingerprint {fingerprint}). Set {cp.KEY_ENV}={out} to sign checkpoints."
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="audit")
