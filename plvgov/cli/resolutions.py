"""``resolution …``: members' resolutions, written (CA 2006 Part 13 Chapter 2) or put to a general
meeting; their tallies on any date and their filing with the registrar."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from plvgov.cli._common import (
    At,
    Json,
    MemberArg,
    RequiredDate,
    ResolutionId,
    TextFile,
    VoteOpt,
    cell,
    date_option,
    emit,
    print_json,
    reading,
    report,
    say,
    table,
    text_of,
    today,
    writing,
)

app = typer.Typer(
    help="Members' resolutions: written or at a general meeting.", no_args_is_help=True
)

OptionalDate = Annotated[date | None, date_option("--date", help="The date (default today).")]


@app.command("propose")
def resolution_propose(
    title: Annotated[str, typer.Option("--title", help="A short title.", show_default=False)],
    type_: Annotated[str, typer.Option("--type", help="ordinary or special.", show_default=False)],
    procedure: Annotated[
        str, typer.Option("--procedure", help="written or meeting.", show_default=False)
    ],
    text_file: TextFile = None,
    purpose: Annotated[
        str,
        typer.Option(
            "--purpose",
            help="What it does: remove-director, remove-auditor, amend-articles, "
            "admit-member or other.",
        ),
    ] = "other",
    date_: OptionalDate = None,
    as_json: Json = False,
) -> None:
    """Propose a members' resolution; its exact text is stored. Removing a director or an
    auditor can never be a written resolution (CA 2006 s.288(2)).

    Example: plvgov resolution propose --title "Approve the pricing strategy" --type ordinary --procedure written --text-file pricing.md
    """
    from plvgov.decisions import resolutions

    text = text_of(text_file)
    with writing() as session:
        r = resolutions.propose(session, title, type_, procedure, date_ or today(), text, purpose)
        data = {"id": r.id}
    report(as_json, data, f"Proposed resolution {data['id']}: {title} ({type_}, {procedure}).")


@app.command("circulate")
def resolution_circulate(id_: ResolutionId, date_: RequiredDate, as_json: Json = False) -> None:
    """Circulate a written resolution: fixes the eligible members (s.289) and the lapse date
    (28 days beginning with the circulation date, s.297).

    Example: plvgov resolution circulate 1 --date 2026-03-02
    """
    from plvgov.decisions import resolutions

    with writing() as session:
        result = resolutions.circulate(session, resolutions.get(session, id_), date_, today=today())
    if as_json:
        print_json(result.as_json())
    else:
        say(
            f"Circulated resolution {id_} to {result.eligible} eligible members; it needs "
            f"{result.required} agreements and lapses at the end of {result.lapses_on}."
        )


@app.command("vote")
def resolution_vote(
    id_: ResolutionId,
    member: MemberArg,
    vote: VoteOpt,
    date_: RequiredDate,
    representative: Annotated[
        str | None, typer.Option("--representative", help="Who signed for the council.")
    ] = None,
    as_json: Json = False,
) -> None:
    """Record a member's agreement (for), objection or abstention to a written resolution,
    received on --date. A reply cannot be withdrawn or changed (s.296).

    Example: plvgov resolution vote 1 camden --vote for --date 2026-03-05 --representative "Marcus Reed"
    """
    from plvgov.decisions import resolutions
    from plvgov.membership import members

    with writing() as session:
        r = resolutions.get(session, id_)
        m = members.find(session, member)
        resolutions.vote(session, r, m, vote, date_, representative, today=today())
        state = resolutions.tally(session, r, date_)
    if as_json:
        print_json(state.as_json())
    else:
        say(
            f"Recorded {m.name}: {vote} on {date_}. Resolution {id_} is {state.status} "
            f"({state.votes_for} of {state.required} agreements)."
        )


@app.command("show")
def resolution_show(id_: ResolutionId, at: At = None, as_json: Json = False) -> None:
    """A resolution's status and tally as of a date (default today).

    Example: plvgov resolution show 1 --at 2026-03-20
    """
    from plvgov.decisions import resolutions

    on = at or today()
    with reading() as session:
        r = resolutions.get(session, id_)
        state = resolutions.tally(session, r, on)
        text = r.text

    def render(console: Any) -> None:
        console.print(
            f"[bold]Resolution {state.id}: {state.title}[/bold] — {state.type}, "
            f"{state.procedure}: {state.status} on {on}"
        )
        for label, value in (
            ("Circulated", state.circulated_on),
            ("Lapses", state.lapses_on),
            ("Eligible", state.eligible),
            ("Required", state.required),
            ("For", state.votes_for),
            ("Against", state.votes_against),
            ("Abstentions", state.abstentions),
            ("Passed", state.passed_on),
            ("File by", state.filing_due_on),
            ("Filed", state.filed_on),
        ):
            console.print(f"  {label + ':':<13} {cell(value)}")
        console.print(f"\n{text}")

    emit(as_json, state.as_json(), render)


@app.command("list")
def resolution_list(at: At = None, as_json: Json = False) -> None:
    """Every members' resolution with its status on a date.

    Example: plvgov resolution list --json
    """
    from plvgov.decisions import resolutions

    on = at or today()
    with reading() as session:
        rows = resolutions.list_resolutions(session, on)
    emit(
        as_json,
        [r.as_json() for r in rows],
        lambda c: c.print(
            table(
                f"Members' resolutions on {on}",
                ["id", "title", "type", "procedure", "status", "for", "against", "passed"],
                [
                    (
                        r.id,
                        r.title,
                        r.type,
                        r.procedure,
                        r.status,
                        r.votes_for,
                        r.votes_against,
                        r.passed_on,
                    )
                    for r in rows
                ],
                right=["id", "for", "against"],
            )
        ),
    )


@app.command("file")
def resolution_file(id_: ResolutionId, date_: RequiredDate, as_json: Json = False) -> None:
    """Record that a copy of a passed resolution went to the registrar (CA 2006 s.30).

    Example: plvgov resolution file 2 --date 2027-01-12
    """
    from plvgov.decisions import resolutions

    with writing() as session:
        r = resolutions.file(session, resolutions.get(session, id_), date_, today=today())
        data = {"id": r.id, "filed_on": r.filed_on}
    report(as_json, data, f"Resolution {id_} filed with the registrar on {date_}.")


def register(root: typer.Typer) -> None:
    """Add ``resolution …`` to the root app."""
    root.add_typer(app, name="resolution")
