"""``director …``: the register of directors (CA 2006 s.162)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from plvgov.cli._common import (
    At,
    DirectorArg,
    Json,
    RequiredDate,
    date_option,
    emit,
    reading,
    report,
    say,
    today,
    writing,
)
from plvgov.cli._tables import table

if TYPE_CHECKING:
    from rich.console import Console

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
    from plvgov.decisions import appointments
    from plvgov.membership import members

    with writing() as session:
        nominator = members.find(session, nominated_by) if nominated_by else None
        d = appointments.appoint(session, name, date_, nominator, today=today())
        data = {"id": d.id, "name": d.name}
    report(as_json, data, f"Appointed {data['name']} as director {data['id']} from {date_}.")


@app.command("resign")
def director_resign(director: DirectorArg, date_: RequiredDate) -> None:
    """Record a director's resignation; --date is the last day in office.

    Example: plvgov director resign "Jane Doe" --date 2026-12-31
    """
    from plvgov.decisions import appointments

    with writing() as session:
        d = appointments.resign(
            session, appointments.find_director(session, director), date_, today=today()
        )
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
    from plvgov.decisions import appointments
    from plvgov.registers import identity

    with writing() as session:
        d = identity.verify(
            session, appointments.find_director(session, director), code, date_, today=today()
        )
    say(f"{d.name} verified their identity with Companies House on {date_}.")


@app.command("particulars")
def director_particulars(
    director: DirectorArg,
    service_address: Annotated[
        str | None, typer.Option("--service-address", help="The address for service (public).")
    ] = None,
    residential_address: Annotated[
        str | None,
        typer.Option(
            "--residential-address", help="The usual residential address (private, s.165)."
        ),
    ] = None,
    born: Annotated[
        date | None,
        date_option("--born", help="Date of birth (the public register shows month and year)."),
    ] = None,
    nationality: Annotated[
        str | None, typer.Option("--nationality", help="Nationality, e.g. British.")
    ] = None,
    occupation: Annotated[
        str | None, typer.Option("--occupation", help="Business occupation.")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Country or state of usual residence.")
    ] = None,
) -> None:
    """Record a director's particulars (CA 2006 s.163, s.165); those not given keep their
    values.

    Example: plvgov director particulars "Jane Doe" --born 1971-06-14 --nationality British
    """
    from plvgov.decisions import appointments
    from plvgov.registers import directors

    with writing() as session:
        d = directors.record(
            session,
            appointments.find_director(session, director),
            today=today(),
            born=born,
            service_address=service_address,
            residential_address=residential_address,
            nationality=nationality,
            occupation=occupation,
            country_of_residence=country,
        )
    say(f"Recorded {d.name}'s particulars.")


@app.command("list")
def director_list(
    at: At = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Include the private particulars: usual residential address and full date "
            "of birth (s.165). Leave out for the public register.",
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """The register of directors, past and present, with their particulars (s.162-163).

    Example: plvgov director list --json
    """
    from plvgov.registers import directors

    on = at or today()
    with reading() as session:
        rows = directors.register(session, on, full=full)

    def render(console: Console) -> None:
        console.print(
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
        )
        if not full and not any(r.recorded for r in rows):
            return  # no particulars recorded yet: `director particulars` records them
        head = ["name", "service address", "born", "nationality", "occupation", "country"]
        console.print(
            table(
                "Particulars (s.163)" + (" and private particulars (s.165)" if full else ""),
                head + (["residential address", "date of birth"] if full else []),
                [
                    (
                        r.name,
                        r.service_address,
                        r.born,
                        r.nationality,
                        r.occupation,
                        r.country_of_residence,
                        *((r.residential_address, r.date_of_birth) if full else ()),
                    )
                    for r in rows
                ],
            )
        )

    emit(as_json, [_public(asdict(r), full) for r in rows], render)


def _public(row: dict[str, object], full: bool) -> dict[str, object]:
    """A row as JSON: the private particulars only in the full register."""
    if not full:
        row.pop("residential_address")
        row.pop("date_of_birth")
    return row


def register(root: typer.Typer) -> None:
    """Add ``director …`` to the root app."""
    root.add_typer(app, name="director")
