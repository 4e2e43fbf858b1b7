"""SQLModel tables, one module per domain.

Importing this package registers nothing: a command imports only the tables it touches (a
domain module imports ``plvgov.models.<domain>``), which keeps start-up quick. Alembic and the
drift test need every table on ``SQLModel.metadata``; they call :func:`load_all`.
"""

from __future__ import annotations

import importlib

DOMAINS = (
    "audit",
    "settings",
    "members",
    "council_acts",
    "billing",
    "cpi_revisions",
    "purchase_orders",
    "numbering",
    "accounts",
    "resolutions",
    "circulation",
    "meetings",
    "proceedings",
    "directors",
    "board",
    "articles",
    "finance",
    "registers",
    "requesters",
    "correspondence",
    "hard_copies",
)


def load_all() -> None:
    """Import every table module, registering all tables on ``SQLModel.metadata``."""
    for domain in DOMAINS:
        importlib.import_module(f"plvgov.models.{domain}")
