"""e-invoices: each member's Peppol address

Revision ID: 0010_einvoice
Revises: 0006_meeting_record

``member`` gains ``peppol_scheme`` (an EAS code, "0088") and ``peppol_endpoint`` (the identifier
in that scheme): where a Peppol BIS Billing 3.0 invoice or credit note to the council goes. The
company's own address is the ``peppol_id`` company fact. On SQLite the table's canonical-form
triggers are re-created for the new columns (plvgov.migrations.canonical).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from plvgov.migrations.canonical import guard_sqlite_table

revision = "0010_einvoice"
down_revision = "0009_money"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "member", sa.Column("peppol_scheme", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
    )
    op.add_column(
        "member", sa.Column("peppol_endpoint", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
    )
    guard_sqlite_table(op.get_bind(), "member")


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("peppol_endpoint")
        batch_op.drop_column("peppol_scheme")
    guard_sqlite_table(op.get_bind(), "member")
