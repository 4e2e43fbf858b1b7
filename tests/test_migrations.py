"""Migrations and models never drift apart; the code knows the newest migration."""

import pytest
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


def test_0012_keeps_paid_invoices_and_makes_them_subscriptions(ledger_url):
    """A ledger at 0011 holding an invoice with a payment, a credit note and a reminder upgrades
    in place: the invoice becomes a subscription, everything referring to it stays, and the
    database then takes a contribution for the same member and year but not a second
    subscription (on SQLite with foreign keys enforced, where a copy-and-rename is refused)."""
    import sqlalchemy as sa

    ledger = Ledger(ledger_url)
    invoice = (
        "INSERT INTO invoice (id, number, financial_year, sequence, member_id, issued_on, due_on,"
        " member_name, council_name, description, days, days_in_year, full_year_pence,"
        " net_pence, vat_rate, vat_pence, gross_pence, vat_treatment, scheme_authority,"
        " indexed, factor{kind}) VALUES ({id}, '{number}', 2026, {id}, 9001, '2026-04-01',"
        " '2026-05-01', 'Camden', 'London Borough of Camden', 'Annual subscription', 365, 365,"
        " 100000, 100000, '0', 0, 100000, 'outside the scope of VAT', 'default', false,"
        " '1'{value})"
    )
    try:
        ledger.create_schema()
        with ledger.engine.connect() as conn:
            migrations.downgrade(conn, "0011_model")
            conn.commit()
        with ledger.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO member (id, slug, name, council_name)"
                    " VALUES (9001, 'a-council', 'A council', 'A Council')"
                )
            )
            conn.execute(sa.text(invoice.format(kind="", id=1, number="PLV-2026-0001", value="")))
            conn.execute(
                sa.text(
                    "INSERT INTO payment (id, invoice_id, paid_on, amount_pence)"
                    " VALUES (1, 1, '2026-04-20', 40000)"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO credit_note (id, number, financial_year, sequence, invoice_id,"
                    " issued_on, reason, net_pence, vat_pence, amount_pence) VALUES (1,"
                    " 'CN-2026-0001', 2026, 1, 1, '2026-04-21', 'Waiver', 100, 0, 100)"
                )
            )
        with ledger.engine.connect() as conn:
            migrations.upgrade(conn, "head")
            conn.commit()
        with ledger.engine.begin() as conn:
            assert conn.execute(sa.text("SELECT kind FROM invoice")).scalars().all() == [
                "subscription"
            ]
            assert conn.execute(sa.text("SELECT invoice_id FROM payment")).scalar_one() == 1
            assert conn.execute(sa.text("SELECT invoice_id FROM credit_note")).scalar_one() == 1
            row = invoice.format(kind=", kind", id=2, number="PLV-2026-0002", value=", 'x'")
            conn.execute(sa.text(row.replace("'x'", "'contribution'")))
        with pytest.raises(sa.exc.IntegrityError), ledger.engine.begin() as conn:
            row = invoice.format(kind=", kind", id=3, number="PLV-2026-0003", value=", 'x'")
            conn.execute(sa.text(row.replace("'x'", "'subscription'")))
        if ledger.engine.dialect.name == "sqlite":
            with ledger.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    finally:
        ledger.dispose()
