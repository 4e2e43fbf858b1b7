"""``breaks``: commitment cycles and exit points, each with its withdrawal-notice deadline."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from plvgov.cli._common import Json, date_option, emit, reading, today
from plvgov.cli._tables import table

if TYPE_CHECKING:
    from rich.console import Console


def breaks(
    until: Annotated[
        date | None,
        date_option(
            "--until", help="List exit points up to this date (default: 25 years from today)."
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Commitment cycles and exit points, each with its withdrawal-notice deadline.

    Example: plvgov breaks --until 2043-03-31
    """
    from plvgov.membership import exits

    now = today()
    with reading() as session:
        schedule = exits.schedule(session, now, until)

    def render(console: Console) -> None:
        console.print(
            table(
                "Commitment cycles",
                ["cycle", "starts", "ends", "break point"],
                [(c.number, c.starts_on, c.ends_on, c.break_on) for c in schedule.cycles],
            )
        )
        console.print(
            table(
                "Exit points (notice "
                + " or ".join(str(m) for m in schedule.notice_months)
                + " months before)",
                ["exit point", "kind", "notice deadline", ""],
                [
                    (
                        p.on,
                        p.kind.replace("_", " "),
                        p.notice_deadline,
                        "passed" if p.notice_deadline < now else "",
                    )
                    for p in schedule.exit_points
                ],
            )
        )

    emit(as_json, schedule.as_json(), render)


def register(root: typer.Typer) -> None:
    """Add ``breaks`` to the root app."""
    root.command()(breaks)
