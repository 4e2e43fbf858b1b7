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
    date_option,
    emit,
    heading,
    print_json,
    reading,
    report,
    say,
    text_of,
    today,
    writing,
)
from plvgov.cli._tables import cell, table
from plvgov.words import plural

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
        said = f"{r.title} ({r.type}, {r.procedure})"  # as stored: trimmed, in the ledger's words
    report(as_json, data, f"Proposed resolution {data['id']}: {said}.")


@app.command("circulate")
def resolution_circulate(id_: ResolutionId, date_: RequiredDate, as_json: Json = False) -> None:
    """Circulate a written resolution: fixes the eligible members (s.289) and the lapse date
    (28 days beginning with the circulation date, s.297).

    Example: plvgov resolution circulate 1 --date 2026-03-02
    """
    from plvgov.dates import uk_date
    from plvgov.decisions import resolutions

    with writing() as session:
        result = resolutions.circulate(session, resolutions.get(session, id_), date_, today=today())
    if as_json:
        print_json(result.as_json())
    else:
        say(
            f"Circulated resolution {id_} to {plural(result.eligible, 'eligible member')}; it needs "
            f"{plural(result.required, 'agreement')} and lapses at the end of {uk_date(result.lapses_on)}."
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
        state = resolutions.standing(session, r, today())  # every reply so far, not as of --date
    if as_json:
        print_json(state.as_json())
    else:
        say(f"Recorded {m.name}: {vote} on {date_}. {_standing(state)}")


def _standing(state: Any) -> str:
    """Where a written resolution stands after a reply, as a secretary would say it."""
    needed = plural(state.required or 0, "agreement")
    if state.status == "passed":
        return f"Resolution {state.id} has passed with {state.votes_for} of the {needed} it needed."
    if state.status == "circulated":
        return f"Resolution {state.id} has {state.votes_for} of the {needed} it needs."
    return f"Resolution {state.id} is {state.status}: {state.votes_for} of the {needed} it needed."


@app.command("show")
def resolution_show(id_: ResolutionId, at: At = None, as_json: Json = False) -> None:
    """A resolution's status and tally as of a date (default today).

    Example: plvgov resolution show 1 --at 2026-03-20
    """
    from plvgov.decisions import circulation, resolutions

    on = at or today()
    with reading() as session:
        r = resolutions.get(session, id_)
        state = resolutions.tally(session, r, on)
        sent = circulation.circulated_by(session, r)
        text = r.text

    def render(console: Any) -> None:
        from plvgov.dates import uk_date

        def day(value: date | None) -> str | None:
            return None if value is None else uk_date(value)

        console.print(
            heading(
                f"Resolution {state.id}: {state.title}",
                f" ({state.type}, {state.procedure}) on {uk_date(on)}",
            )
        )
        lines: list[tuple[str, object]] = [("Status", _status_line(state, on))]
        if state.circulated_on is not None and state.circulated_on <= on:
            lines.append(("Circulated", day(state.circulated_on)))
            if sent is not None:
                how = f"to {sent['address']}" if sent["method"] == "email" else "posted"
                lines.append(
                    (
                        "Fixed by",
                        f"the first copy: {sent['member']}, {how} at {sent['sent_at']:%H:%M}",
                    )
                )
            if state.lapses_on is not None:
                lapsed = state.status == "lapsed"
                lines.append(
                    ("Lapsed" if lapsed else "Lapses", f"at the end of {uk_date(state.lapses_on)}")
                )
        if state.eligible is not None:
            lines += [("Eligible", state.eligible), ("Required", state.required)]
        lines += [
            ("For", state.votes_for),
            ("Against", state.votes_against),
            ("Abstentions", state.abstentions),
        ]
        if state.passed_on is not None:
            lines.append(("Passed", day(state.passed_on)))
        if state.filing_due_on is not None or state.filed_on is not None:
            lines += [("File by", day(state.filing_due_on)), ("Filed", day(state.filed_on))]
        for label, value in lines:
            console.print(f"  {label + ':':<13} {cell(value)}")
        console.print(f"\n{text}")

    emit(as_json, {**state.as_json(), "circulated_by": sent}, render)


def _status_line(state: Any, on: date) -> str:
    """Where a resolution stands on ``on``, in words: "passed on 5 November 2026", "lapsed at
    the end of 29 November 2026" (a written resolution lapses at the end of the 28-day period
    beginning with its circulation date, CA 2006 s.297); the JSON keeps the stored status."""
    from plvgov.dates import uk_date

    written = state.procedure == "written"
    if state.status == "draft":
        return "draft; not yet " + ("circulated" if written else "in a notice of meeting")
    if state.status == "circulated":
        if written and state.circulated_on is not None and state.lapses_on is not None:
            return (
                f"circulated on {uk_date(state.circulated_on)}; "
                f"lapses at the end of {uk_date(state.lapses_on)}"
            )
        return f"in the notice of general meeting {state.meeting_id}; not yet decided"
    if state.status == "lapsed" and state.lapses_on is not None:
        return f"lapsed at the end of {uk_date(state.lapses_on)}"
    if state.status == "passed" and state.passed_on is not None:
        return f"passed on {uk_date(state.passed_on)}"
    if state.status == "failed" and state.decided_on is not None:
        return f"failed on {uk_date(state.decided_on)}"
    return str(state.status)


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
                optional=["procedure"],
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
