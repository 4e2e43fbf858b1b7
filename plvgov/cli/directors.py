"""``director …``: the register of directors (CA 2006 s.162)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from plvgov.cli._common import (
    At,
    DirectorArg,
    Json,
    RequiredDate,
    emit,
    reading,
    report,
    say,
    today,
    writing,
)
from plvgov.cli._tables import table

app = typer.Typer(help="The register of directors (CA 2006 s.162).", no_args_is_help=True)


@app.command("appoint")
def director_appoint(
    name: Annotated[str, typer.Argument(help="The director's full name.", show_default=False)],
    date_: RequiredDate,
    nominated_by: Annotated[
        str | None, typer.Option("--nominated-by", help="The member that nominated the director.")
    ] = None,
    as_json: Json = False,
) -> None:
    """Enter a director in the register of directors (s.162) from --date.

    Example: plvgov director appoint "Jane Doe" --date 2023-04-01 --nominated-by barnet
    """
    from plvgov.decisions import board
    from plvgov.membership import members

    with writing() as session:
        nominator = members.find(session, nominated_by) if nominated_by else None
        d = board.appoint(session, name, date_, nominator, today=today())
        data = {"id": d.id, "name": d.name}
    report(as_json, data, f"Appointed {name} as director {data['id']} from {date_}.")


@app.command("resign")
def director_resign(director: DirectorArg, date_: RequiredDate) -> None:
    """Record a director's resignation; --date is the last day in office.

    Example: plvgov director resign "Jane Doe" --date 2026-12-31
    """
    from plvgov.decisions import board

    with writing() as session:
        d = board.resign(session, board.find_director(session, director), date_, today=today())
    say(f"{d.name} ceases to be a director at the end of {date_}.")


@app.command("verify")
def director_verify(
    director: DirectorArg,
    code: Annotated[
        str,
        typer.Option(
            "--code", help="The personal code Companies House issued.", show_default=False
        ),
    ],
    date_: RequiredDate,
) -> None:
    """Record that a director verified their identity with Companies House (needed for every
    confirmation statement since 18 November 2025).

    Example: plvgov director verify "Jane Doe" --code ABC12DEF345 --date 2025-11-20
    """
    from plvgov.decisions import board
    from plvgov.registers import identity

    with writing() as session:
        d = identity.verify(
            session, board.find_director(session, director), code, date_, today=today()
        )
    say(f"{d.name} verified their identity with Companies House on {date_}.")


@app.command("list")
def director_list(at: At = None, as_json: Json = False) -> None:
    """The register of directors, past and present.

    Example: plvgov director list --json
    """
    from plvgov.decisions import board

    on = at or today()
    with reading() as session:
        rows = board.register_of_directors(session, on)
    emit(
        as_json,
        [asdict(r) for r in rows],
        lambda c: c.print(
            table(
                f"Register of directors on {on}",
                ["id", "name", "nominated by", "appointed", "resigned", "in office", "ID verified"],
                [
                    (
                        r.id,
                        r.name,
                        r.nominated_by,
                        r.appointed_on,
                        r.resigned_on,
                        r.in_office,
                        r.verified_on,
                    )
                    for r in rows
                ],
                right=["id"],
            )
        ),
    )


def register(root: typer.Typer) -> None:
    """Add ``director …`` to the root app."""
    root.add_typer(app, name="director")
