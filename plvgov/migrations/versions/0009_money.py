"""money: reminders of overdue invoices

Revision ID: 0009_money
Revises: 0006_meeting_record

``invoice_reminder`` records each reminder issued for an overdue invoice: its stage (``first``
or ``final``), the day it was issued and the balance it asked for. A stage is issued once per
invoice: the unique (invoice_id, stage) makes the database refuse a second. On SQLite the new
table gets its canonical-form triggers (plvgov.migrations.canonical).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from plvgov.migrations.canonical import guard_sqlite_table, unguard_sqlite_table

revision = "0009_money"
down_revision = "0008_registers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoice_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("balance_pence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("invoice_id", "stage"),
    )
    with op.batch_alter_table("invoice_reminder", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoice_reminder_invoice_id"), ["invoice_id"], unique=False
        )
    guard_sqlite_table(op.get_bind(), "invoice_reminder")


def downgrade() -> None:
    unguard_sqlite_table(op.get_bind(), "invoice_reminder")
    with op.batch_alter_table("invoice_reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_reminder_invoice_id"))
    op.drop_table("invoice_reminder")
