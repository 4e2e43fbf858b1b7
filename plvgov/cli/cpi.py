"""``cpi …``: the ONS CPI series (D7BT) that uprates the subscription."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plvgov.cli._common import Json, emit, print_json, reading, say, writing
from plvgov.cli._tables import table
from plvgov.words import plural

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    help="The ONS CPI series (D7BT) that uprates the subscription.", no_args_is_help=True
)


@app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="The ONS D7BT CSV as downloaded, or a CSV with month,index columns.",
            show_default=False,
        ),
    ],
    as_json: Json = False,
) -> None:
    """Load CPI values, all or none. A month already loaded with a different value is
    recorded as a revision (the old value is kept and shown by `cpi show`).

    Example: plvgov cpi import series-251025.csv
    """
    from plvgov.billing import cpi_import

    text = cpi_import.read_file(file)
    with writing() as session:
        result = cpi_import.import_series(session, text, file.name)
    if as_json:
        print_json(result.as_json())
        return
    say(
        f"Loaded {plural(result.loaded, 'month')} of CPI ({_span(result.first_month, result.last_month)}): "
        f"{result.added} new, {result.revised} revised, {result.unchanged} unchanged."
    )
    for r in result.revisions:
        say(f"  {r['month']} revised from {r['previous']} to {r['revised']}")


@app.command("show")
def show(
    from_: Annotated[str | None, typer.Option("--from", help="First month, YYYY-MM.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM.")] = None,
    as_json: Json = False,
) -> None:
    """The CPI months loaded (the last 24 unless --from/--to) and every revision.

    Example: plvgov cpi show --from 2022-01
    """
    from plvgov.billing import cpi

    with reading() as session:
        shown = cpi.series_view(session, from_, to)

    def render(c: Console) -> None:
        c.print(
            table(
                f"CPI ({shown.series}, 2015=100)",
                ["month", "index", "source"],
                [(m.month, m.index, m.source) for m in shown.months],
                right=["index"],
            )
        )
        c.print(
            f"{plural(shown.loaded, 'month')} loaded in all, "
            f"{_span(shown.first_month, shown.last_month)}."
        )
        if shown.revisions:
            c.print(
                table(
                    "Revisions",
                    ["month", "previous", "revised", "source"],
                    [(r.month, r.previous, r.revised, r.source) for r in shown.revisions],
                )
            )

    emit(as_json, shown, render)


def _span(first: object, last: object) -> str:
    """``2026-03``, or ``2015-01 to 2026-02``."""
    return str(first) if first == last else f"{first} to {last}"


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="cpi")
