"""``psc …`` (the register of people with significant control) and ``request …`` (members'
and others' requests with their statutory deadlines)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from plvgov.cli._common import (
    At,
    Json,
    RequiredDate,
    emit,
    id_argument,
    reading,
    report,
    say,
    today,
    writing,
)
from plvgov.cli._tables import table

if TYPE_CHECKING:
    from rich.console import Console

psc_app = typer.Typer(
    help="The register of people with significant control (CA 2006 Part 21A), derived from "
    "the register of members and the articles.",
    no_args_is_help=True,
)
request_app = typer.Typer(
    help="Requests the company must answer by a deadline: written resolutions (s.292), "
    "general meetings (s.303), inspection of the register (s.116), freedom of information.",
    no_args_is_help=True,
)


@psc_app.command("show")
def psc_show(at: At = None, as_json: Json = False) -> None:
    """The PSC register as it stands on --at: each council holding more than 25% of the
    voting rights (or the right to appoint most directors), or the prescribed statement that
    there is nobody registrable.

    Example: plvgov psc show --at 2027-04-01
    """
    from plvgov.registers import psc

    on = at or today()
    with reading() as session:
        reg = psc.register(session, on)

    def render(console: Console) -> None:
        if reg.entries:
            console.print(
                table(
                    f"Register of people with significant control on {on}",
                    ["registrable person", "GSS code", "nature of control", "from", "to"],
                    [(e.member, e.gss_code, e.nature, e.from_on, e.to_on) for e in reg.entries],
                )
            )
            console.print(f"Each is entered as an {psc.KIND}.")
        if reg.statement:
            since = f" (from {reg.statement_from})" if reg.statement_from else ""
            console.print(f"Statement{since}: {reg.statement}")

    emit(as_json, reg.as_json(), render)


KindOpt = Annotated[
    str,
    typer.Option(
        "--kind", help="written-resolution, meeting, inspection or foi.", show_default=False
    ),
]


@request_app.command("log")
def request_log(
    kind: KindOpt,
    date_: RequiredDate,
    member: Annotated[
        list[str] | None,
        typer.Option("--member", help="A requesting member (repeat for each)."),
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="What is asked.")] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Who asks (inspection, foi), if not a member.")
    ] = None,
    address: Annotated[
        str | None, typer.Option("--address", help="The requester's address (inspection).")
    ] = None,
    purpose: Annotated[
        str | None, typer.Option("--purpose", help="Why they ask (inspection, s.116(4)(c)).")
    ] = None,
    disclose: Annotated[
        bool | None,
        typer.Option(
            "--disclose/--no-disclose",
            help="Whether the information will be disclosed to others (inspection, s.116(4)(d)).",
            show_default=False,
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Log a request received on --date and show its deadline, or why it does not bind the
    company (members' requests need 5% of the voting rights on that date).

    Example: plvgov request log --kind meeting --date 2027-01-04 --member barnet --member camden
    """
    from plvgov.membership import members
    from plvgov.registers import requests

    with writing() as session:
        requesters = [members.find(session, m) for m in member or []]
        logged = requests.log(
            session,
            kind.strip().lower(),
            date_,
            requesters,
            text=text,
            requester=name,
            address=address,
            purpose=purpose,
            disclosed=disclose,
            today=today(),
        )
        r = logged.request
        data = {
            "id": r.id,
            "kind": r.kind,
            "received_on": r.received_on,
            "due_on": r.due_on,
            "binding": r.binding,
        }
    why = f": {logged.reason}" if logged.reason else ""
    if r.binding:
        message = (
            f"Logged request {r.id} ({r.kind}){why}. Due {r.due_on}: "
            f"{requests.WHAT[r.kind]} ({requests.SOURCE[r.kind]})."
        )
    else:
        message = f"Logged request {r.id} ({r.kind}), which {logged.reason}."
    report(as_json, data, message)


@request_app.command("list")
def request_list(as_json: Json = False) -> None:
    """Every request with its deadline and state: open, overdue, closed or not binding.

    Example: plvgov request list --json
    """
    from plvgov.registers import requests

    now = today()
    with reading() as session:
        rows = requests.rows(session, now)
    emit(
        as_json,
        [r.as_json() for r in rows],
        lambda c: c.print(
            table(
                f"Requests on {now}",
                ["id", "kind", "from", "received", "due", "status", "outcome", "asked"],
                [
                    (
                        r.id,
                        r.kind,
                        r.requested_by,
                        r.received_on,
                        r.due_on,
                        r.status,
                        r.outcome,
                        r.text,
                    )
                    for r in rows
                ],  # fmt: skip
                right=["id"],
                optional=["asked"],
            )
        ),
    )


@request_app.command("close")
def request_close(
    request_id: Annotated[int, id_argument("The request's id.", "plvgov request list")],
    date_: RequiredDate,
    outcome: Annotated[str, typer.Option("--outcome", help="What was done.", show_default=False)],
) -> None:
    """Record what was done about a request, and when.

    Example: plvgov request close 3 --date 2027-01-20 --outcome "meeting called for 2027-02-10"
    """
    from plvgov.registers import requests

    with writing() as session:
        r = requests.close(
            session, requests.get(session, request_id), date_, outcome, today=today()
        )
        late = r.due_on is not None and date_ > r.due_on
    say(
        f"Closed request {request_id} on {date_}"
        + (f", after its deadline of {r.due_on}." if late else "."),
    )


def register(root: typer.Typer) -> None:
    """Add ``psc …`` and ``request …`` to the root app."""
    root.add_typer(psc_app, name="psc")
    root.add_typer(request_app, name="request")
