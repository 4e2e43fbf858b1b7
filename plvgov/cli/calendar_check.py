"""``calendar`` (every deadline, as a table, JSON or an .ics file) and ``check`` (what needs
attention today)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from plvgov.cli._common import At, Json, date_option, emit, reading, say, today
from plvgov.cli._tables import table
from plvgov.words import plural


def calendar(
    from_: Annotated[
        date | None, date_option("--from", help="First day to list (default today).")
    ] = None,
    to: Annotated[
        date | None, date_option("--to", help="Last day to list (default 12 months after --from).")
    ] = None,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            metavar="FILE",
            help="Also write the deadlines to this iCalendar (.ics) file for Outlook.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the --ics file if it exists.")
    ] = False,
    as_json: Json = False,
) -> None:
    """Every deadline the ledger knows: exit points and notice deadlines, withdrawals, written
    resolutions' lapse dates, meetings, filings, invoices, confirmation statement and accounts.

    Example: plvgov calendar --from 2026-12-01 --to 2027-11-30 --ics plv-deadlines.ics
    """
    from plvgov import settings
    from plvgov.dates import add_months
    from plvgov.errors import UsageError
    from plvgov.outputs import check_target, write_bytes
    from plvgov.oversight import deadlines

    now = today()
    start = from_ or now
    end = to or add_months(start, 12)
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}; give a later --to")
    if ics is not None:
        check_target(ics, force)
    with reading() as session:
        # the .ics also carries what no longer applies (an invoice paid), as cancelled events
        every = deadlines.collect(session, start, end, cancelled=ics is not None)
        company_name = settings.fact(session, "company_name")
    found = [d for d in every if not d.cancelled]
    cancelled = len(every) - len(found)
    if ics is not None:
        from plvgov.oversight import ics as ical  # icalendar: only for --ics (~0.1 s to import)

        write_bytes(ics, ical.export(every, now, company_name), force)
    data = [d.as_json() for d in found]

    def render(console):  # type: ignore[no-untyped-def]
        console.print(
            table(
                f"Deadlines {start} to {end}",
                ["on", "kind", "subject", "detail"],
                [(d.on, d.kind.replace("_", " "), d.subject, d.detail) for d in found],
                caption=plural(len(found), "deadline"),
            )
        )
        if ics is not None:
            gone = f" ({cancelled} cancelled: no longer due)" if cancelled else ""
            console.print(f"Wrote {plural(len(every), 'event')}{gone} to {ics}.")

    emit(as_json, data, render)


def check(at: At = None, as_json: Json = False) -> None:
    """Everything the ledger can see broken or at risk: overdue filings and invoices, unfiled
    special resolutions, short notice, notice deadlines coming up, members without a
    representative. Exits 0; the findings are the answer.

    Example: plvgov check --at 2027-01-15
    """
    from plvgov.oversight import checks

    on = at or today()
    with reading() as session:
        findings = checks.run(session, on)
    data = [f.as_json() for f in findings]

    def render(console):  # type: ignore[no-untyped-def]
        if not findings:
            say(f"Nothing needs attention on {on}.")
            return
        console.print(
            table(
                f"Check on {on}",
                ["severity", "subject", "message"],
                [(f.severity, f.subject, f.message) for f in findings],
                caption=_summary(findings),
            )
        )

    emit(as_json, data, render)


def _summary(findings: list) -> str:  # type: ignore[type-arg]
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items())


def register(root: typer.Typer) -> None:
    root.command()(calendar)
    root.command()(check)
