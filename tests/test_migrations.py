"""Migrations and models never drift apart; the code knows the newest migration."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import plvgov.models
from plvgov import migrations
from plvgov.db import SCHEMA_HEAD, Ledger

plvgov.models.load_all()  # every table on SQLModel.metadata


def test_models_and_migrations_do_not_drift(ledger_url):
    ledger = Ledger(ledger_url)
    try:
        ledger.create_schema()  # a freshly upgraded database
        with ledger.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        ledger.dispose()
    assert differences == []


def test_migrations_go_down_and_up_again(ledger_url):
    ledger = Ledger(ledger_url)
    try:
        ledger.create_schema()
        with ledger.engine.connect() as conn:
            migrations.downgrade(conn, "base")
            conn.commit()
        assert ledger.schema_revision() is None
        with ledger.engine.connect() as conn:
            migrations.upgrade(conn, "head")
            conn.commit()
        assert ledger.schema_revision() == SCHEMA_HEAD
    finally:
        ledger.dispose()
