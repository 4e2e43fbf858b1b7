"""``breaks``: commitment cycles and exit points."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from plvgov.cli._common import Json, date_option, emit, reading, table, today


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
    from plvgov.dates import add_years
    from plvgov.membership import exits

    now = today()
    last = until or add_years(now, 25)
    with reading() as session:
        rules, months = exits.in_force(session, now)
    cycles = exits.cycles(rules, last)
    points = exits.exit_points(rules, months, last)
    data = {
        "cycles": [
            {
                "number": c.number,
                "starts_on": c.starts_on,
                "ends_on": c.ends_on,
                "break_on": c.break_on,
            }
            for c in cycles
        ],
        "exit_points": [
            {"on": p.on, "kind": p.kind, "notice_deadline": p.notice_deadline} for p in points
        ],
    }

    def render(console):  # type: ignore[no-untyped-def]
        console.print(
            table(
                "Commitment cycles",
                ["cycle", "starts", "ends", "break point"],
                [(c.number, c.starts_on, c.ends_on, c.break_on) for c in cycles],
            )
        )
        console.print(
            table(
                f"Exit points (notice {months} months before)",
                ["exit point", "kind", "notice deadline", ""],
                [
                    (
                        p.on,
                        p.kind.replace("_", " "),
                        p.notice_deadline,
                        "passed" if p.notice_deadline < now else "",
                    )
                    for p in points
                ],
            )
        )

    emit(as_json, data, render)


def register(root: typer.Typer) -> None:
    root.command()(breaks)
