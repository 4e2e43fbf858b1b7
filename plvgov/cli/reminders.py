"""``invoice reminders`` and ``invoice remind``: the reminder ladder for overdue invoices
(added to the ``invoice`` group by :mod:`plvgov.cli.invoices`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from plvgov.cli._common import At, Json, date_option, emit, gbp, reading, report, today, writing
from plvgov.cli._tables import table
from plvgov.words import plural

Number = Annotated[
    str, typer.Argument(help="The invoice number, e.g. PLV-2026-0001.", show_default=False)
]


def reminders(at: At = None, as_json: Json = False) -> None:
    """Reminders due and not yet issued: the first once an invoice is reminder_first_days (14)
    days overdue, the final reminder_final_days (30) days overdue and no sooner after the
    first than the gap between the two. A reminder whose day is a weekend or bank holiday is
    due on the next working day. Paid or fully credited invoices get none.

    Example: plvgov invoice reminders --at 2026-05-18
    """
    from plvgov.billing import reminders as ladder

    on = at or today()
    with reading() as session:
        found = ladder.due(session, on)
    emit(
        as_json,
        found,
        lambda c: c.print(
            table(
                f"Reminders due on {on}",
                ["invoice", "member", "stage", "due", "days overdue", "balance"],
                [
                    (r.invoice, r.member, r.stage, r.due_on, r.days_overdue, r.balance)
                    for r in found
                ],
                right=["days overdue", "balance"],
                caption=f"{plural(len(found), 'reminder')}; record each with "
                "`plvgov invoice remind NUMBER` once sent"
                if found
                else "none due",
                optional=["due"],
            )
        ),
    )


def remind(
    number: Number,
    date_: Annotated[
        date | None,
        date_option(
            "--date", help="The day the reminder was sent, today or earlier (default today)."
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Record that the reminder due for an invoice was sent: the first, or the final once
    the first has been. Each is recorded once; an invoice not yet overdue enough, or with
    nothing outstanding, is refused. `plvgov render reminder NUMBER` prints the letter.

    Example: plvgov invoice remind PLV-2026-0002 --date 2026-05-15
    """
    from plvgov.billing import reminders as ladder

    on = date_ or today()
    with writing() as session:
        row = ladder.issue_reminder(session, number, on=on, today=today())
        stage, balance = row.stage, ladder.balance_then(row)
    name = number.strip().upper()
    report(
        as_json,
        {"invoice": name, "stage": stage, "issued_on": on, "balance": balance},
        f"Recorded the {stage} reminder for {name} on {on}: {gbp(balance)} outstanding.",
    )


def add_to(app: typer.Typer) -> None:
    """Add the reminder commands to the ``invoice`` group."""
    app.command("reminders")(reminders)
    app.command("remind")(remind)
