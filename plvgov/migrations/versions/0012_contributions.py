"""contributions: an invoice is a subscription or a contribution to a deficit

Revision ID: 0012_contributions
Revises: 0011_model

``invoice`` gains ``kind`` (``subscription`` or ``contribution``: a member's share of a deficit
the members resolved to meet), every invoice before it a subscription. One invoice per member,
FY and kind: UNIQUE(member_id, financial_year) becomes UNIQUE(member_id, financial_year, kind),
named ``uq_invoice_member_year_kind``; both kinds share the FY's contiguous numbers.

SQLite cannot drop a table constraint, and rebuilding ``invoice`` by copy-and-rename would
break (or, with foreign keys enforced, be refused for) the payments, credit notes and reminders
that refer to it. So on SQLite the table's definition is edited in place — the procedure SQLite
documents for a change that keeps the stored format (lang_altertable.html §7) — and its
indexes rebuilt from the rows with REINDEX; the constraint keeps its place, so its index
keeps its name. The canonical-form triggers are re-created for the new column.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from plvgov.migrations.canonical import guard_sqlite_table, unguard_sqlite_table

revision = "0012_contributions"
down_revision = "0011_model"
branch_labels = None
depends_on = None

_OLD = "UNIQUE (member_id, financial_year),"
_NEW = "CONSTRAINT uq_invoice_member_year_kind UNIQUE (member_id, financial_year, kind),"


def _sqlite_replace(bind: sa.Connection, old: str, new: str, drop: str = "") -> None:
    """Replace ``old`` by ``new`` (and remove ``drop``) in ``invoice``'s definition, then
    rebuild its indexes from its rows and check the file."""
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'invoice'"
    ).scalar_one()
    if old not in sql or (drop and drop not in sql):
        raise RuntimeError(f"invoice is not as 0012_contributions expects: {sql}")
    edited = sql.replace(old, new).replace(drop, "") if drop else sql.replace(old, new)
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'invoice'", (edited,)
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    bind.exec_driver_sql("REINDEX invoice")
    problems = bind.exec_driver_sql("PRAGMA integrity_check").scalars().all()
    if problems != ["ok"]:
        raise RuntimeError(f"invoice after 0012_contributions: {problems}")


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column(
        "invoice",
        sa.Column(
            "kind",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
            server_default="subscription",
        ),
    )
    if bind.dialect.name == "sqlite":
        bind.exec_driver_sql("UPDATE invoice SET kind = 'subscription'")  # stored, not defaulted
        _sqlite_replace(bind, _OLD, _NEW, drop=" DEFAULT 'subscription'")
        guard_sqlite_table(bind, "invoice")
        return
    op.alter_column("invoice", "kind", server_default=None)
    op.drop_constraint("invoice_member_id_financial_year_key", "invoice", type_="unique")
    op.create_unique_constraint(
        "uq_invoice_member_year_kind", "invoice", ["member_id", "financial_year", "kind"]
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM invoice WHERE kind <> 'subscription'")).first():
        raise RuntimeError("the ledger holds contribution invoices; it cannot go below 0012")
    if bind.dialect.name == "sqlite":
        _sqlite_replace(bind, _NEW, _OLD)
        unguard_sqlite_table(bind, "invoice")
        with op.batch_alter_table("invoice", recreate="never") as batch_op:
            batch_op.drop_column("kind")
        guard_sqlite_table(bind, "invoice")
        return
    op.drop_constraint("uq_invoice_member_year_kind", "invoice", type_="unique")
    op.create_unique_constraint(None, "invoice", ["member_id", "financial_year"])
    op.drop_column("invoice", "kind")
