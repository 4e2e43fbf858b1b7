"""``init``, ``backup`` and ``db upgrade``: creating, copying and upgrading the ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from plvgov import collector
from plvgov.cli._common import STATE, ledger_target, say, today

db_app = typer.Typer(help="The ledger's database schema.", no_args_is_help=True)


def init(
    company_name: Annotated[
        str | None, typer.Option("--company-name", help="The company's registered name.")
    ] = None,
    company_number: Annotated[
        str | None, typer.Option("--company-number", help="The Companies House number.")
    ] = None,
) -> None:
    """Create a new ledger with the 33 London authorities as prospects, the shipped CPI series
    and the default settings. Refuses if a ledger exists.

    Example: plvgov init --company-name "Pan-London Vehicle Limited" --company-number 14712345
    """
    from plvgov.company.founding import initialise
    from plvgov.db import Ledger, to_url

    collector.settle()
    ledger = Ledger(to_url(ledger_target()))
    try:
        initialise(ledger, today=today(), company_name=company_name, company_number=company_number)
    finally:
        ledger.dispose()
    say(
        f"Created the ledger at {ledger.display_name}: 33 London authorities as prospects. "
        "Next: `plvgov member decide` and `plvgov member admit`."
    )


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write a consistent copy of the ledger while it may be in use (SQLite's online backup).

    Example: plvgov backup backups/ledger-2026-11-23.db
    """
    from plvgov.db import Ledger

    collector.settle()
    ledger = Ledger.open(ledger_target(), check_schema=False)
    try:
        written = ledger.backup(file, force=force)
    finally:
        ledger.dispose()
    say(f"Backed up {ledger.display_name} to {written} (integrity check ok).")


@db_app.command("upgrade")
def upgrade() -> None:
    """Upgrade an older ledger to this plvgov's schema, after taking a backup beside it.

    Example: plvgov db upgrade
    """
    from plvgov.db import SCHEMA_HEAD, Ledger

    collector.settle()
    ledger = Ledger.open(ledger_target(), check_schema=False)
    try:
        before = ledger.schema_revision()
        backup_path = ledger.upgrade()
    finally:
        ledger.dispose()
    if before == SCHEMA_HEAD:
        say(f"The ledger is already at the current schema ({SCHEMA_HEAD}); nothing to do.")
        return
    where = (
        f" Backup first: {backup_path}."
        if backup_path
        else " (PostgreSQL: take a pg_dump before upgrading a shared ledger.)"
    )
    say(f"Upgraded the ledger from {before} to {SCHEMA_HEAD}.{where}")


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(backup)
    app.add_typer(db_app, name="db")
    _ = STATE
