"""``articles …``: the articles of association — versions, adoption by special resolution
(CA 2006 s.21), diffs and filing with the registrar (s.26)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from plvgov.cli._common import (
    At,
    Json,
    RequiredDate,
    emit,
    id_argument,
    id_option,
    print_json,
    reading,
    report,
    say,
    today,
    writing,
)
from plvgov.cli._tables import table

app = typer.Typer(
    help="The articles of association: versions, adoption, filing.", no_args_is_help=True
)


@app.command("adopt")
def articles_adopt(
    file: Annotated[Path, typer.Argument(help="The articles as Markdown.", show_default=False)],
    date_: RequiredDate,
    resolution: Annotated[
        int | None,
        id_option(
            "--resolution",
            help="The passed special resolution adopting them (s.21).",
            listing="plvgov resolution list",
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Adopt a version of the articles from --date. Every version after the first needs a
    passed special resolution (CA 2006 s.21).

    Example: plvgov articles adopt articles-v2.md --date 2027-01-06 --resolution 2
    """
    from plvgov.decisions import articles

    text = articles.read_text(file)
    with writing() as session:
        row = articles.adopt(session, text, date_, resolution, file.name, today=today())
        data = {"version": row.version, "filing_due_on": articles.filing_due(session, row)}
    if as_json:
        print_json(data)
    else:
        due = (
            f"; file with the registrar by {data['filing_due_on']}" if data["filing_due_on"] else ""
        )
        say(f"Adopted articles version {data['version']} from {date_}{due}.")


@app.command("show")
def articles_show(
    version: Annotated[
        int | None,
        id_option("--version", help="This version.", listing="plvgov articles history"),
    ] = None,
    at: At = None,
    as_json: Json = False,
) -> None:
    """The text of the articles in force (or of --version).

    Example: plvgov articles show --version 1
    """
    from plvgov.decisions import articles

    with reading() as session:
        shown = articles.show(session, version, at or today())
    if as_json:
        print_json(shown.as_json())
    else:
        import sys

        sys.stdout.write(shown.text if shown.text.endswith("\n") else shown.text + "\n")


@app.command("history")
def articles_history(as_json: Json = False) -> None:
    """Every version of the articles with its adoption, resolution and filing.

    Example: plvgov articles history
    """
    from plvgov.decisions import articles

    with reading() as session:
        rows = articles.history(session, today())
    emit(
        as_json,
        [asdict(r) for r in rows],
        lambda c: c.print(
            table(
                "Articles of association",
                ["version", "adopted", "resolution", "file by", "filed", "in force"],
                [
                    (
                        r.version,
                        r.adopted_on,
                        r.resolution_id,
                        r.filing_due_on,
                        r.filed_on,
                        r.in_force,
                    )
                    for r in rows
                ],
                right=["version"],
            )
        ),
    )


@app.command("diff")
def articles_diff(
    a: Annotated[int, id_argument("The older version.", "plvgov articles history")],
    b: Annotated[int, id_argument("The newer version.", "plvgov articles history")],
    as_json: Json = False,
) -> None:
    """A unified diff between two versions of the articles.

    Example: plvgov articles diff 1 2
    """
    from plvgov.decisions import articles

    with reading() as session:
        text = articles.diff(session, a, b)
    if as_json:
        print_json({"from": a, "to": b, "diff": text})
    else:
        import sys

        sys.stdout.write(text or f"versions {a} and {b} have the same text\n")


@app.command("file")
def articles_file(
    version: Annotated[int, id_argument("The version filed.", "plvgov articles history")],
    date_: RequiredDate,
    as_json: Json = False,
) -> None:
    """Record that amended articles went to the registrar (CA 2006 s.26).

    Example: plvgov articles file 2 --date 2027-01-12
    """
    from plvgov.decisions import articles

    with writing() as session:
        row = articles.file(session, articles.get(session, version), date_, today=today())
        data = {"version": row.version, "filed_on": row.filed_on}
    report(as_json, data, f"Articles version {version} filed with the registrar on {date_}.")


def register(root: typer.Typer) -> None:
    """Add ``articles …`` to the root app."""
    root.add_typer(app, name="articles")
