"""Founding a ledger: ``plvgov init`` creates the schema at head, loads the 33 London
authorities as prospects, the shipped CPI series and the company's name and number, and records
it all as the first event of the audit chain."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from plvgov import audit, settings, settings_catalogue
from plvgov.db import Ledger
from plvgov.errors import LedgerError
from plvgov.membership import members
from plvgov.models.billing import CpiValue


def initialise(
    ledger: Ledger,
    *,
    today: date,
    company_name: str | None = None,
    company_number: str | None = None,
    kind: str = "live",
) -> None:
    exists = LedgerError(
        f"a ledger already exists at {ledger.display_name}; plvgov init never overwrites one"
    )
    if ledger.exists():
        raise exists
    # Each fact passes its key's type and range before anything is created: a refused
    # --company-number leaves no ledger behind.
    facts = {"company_name": company_name, "company_number": company_number}
    facts["ledger_kind"] = kind if kind != "live" else None
    given = {
        key: settings_catalogue.definition(key).parse(value, today)
        for key, value in facts.items()
        if value is not None
    }
    try:
        ledger.create_schema()
    except LedgerError:
        if ledger.exists():  # another `init` made it meanwhile
            raise exists from None
        raise
    with ledger.write("plvgov init") as session:
        if audit.head(session)[0]:  # writers are serialised: a second `init` sees the first's
            raise exists
        rows: list = members.stage_london_authorities(session)
        for key, value in given.items():
            rows.append(settings.stage_fact(session, key, value, "init", today=today))
        details: dict[str, object] = {"created_on": today, "london_authorities": 33}
        # Billing: the shipped ONS CPI series (D7BT) is loaded here.
        from plvgov.billing import cpi_import

        details["cpi_months"] = cpi_import.stage_shipped_series(session)
        session.flush()
        rows.extend(session.exec(select(CpiValue)))  # every row init made has its after-image
        audit.record(session, "ledger.init", company_name or "ledger", rows, details)
