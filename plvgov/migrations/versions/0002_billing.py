"""billing: CPI, subscription schemes, invoices, payments, credit notes

Revision ID: 0002_billing
Revises: 0001_foundation
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0002_billing"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "cpi_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series", _S(), nullable=False),
        sa.Column("month", _S(), nullable=False),
        sa.Column("index_value", _S(), nullable=False),
        sa.Column("source", _S(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("series", "month"),
    )
    op.create_table(
        "cpi_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series", _S(), nullable=False),
        sa.Column("month", _S(), nullable=False),
        sa.Column("previous_value", _S(), nullable=False),
        sa.Column("revised_value", _S(), nullable=False),
        sa.Column("source", _S(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "subscription_scheme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_year", sa.Integer(), nullable=False),
        sa.Column("base_amount_pence", sa.Integer(), nullable=False),
        sa.Column("indexed", sa.Boolean(), nullable=False),
        sa.Column("series", _S(), nullable=True),
        sa.Column("base_month", _S(), nullable=True),
        sa.Column("reference_month", sa.Integer(), nullable=True),
        sa.Column("authority", _S(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("from_year"),
    )
    op.create_table(
        "purchase_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("financial_year", sa.Integer(), nullable=False),
        sa.Column("number", _S(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "financial_year"),
    )
    op.create_table(
        "invoice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", _S(), nullable=False),
        sa.Column("financial_year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("member_name", _S(), nullable=False),
        sa.Column("council_name", _S(), nullable=False),
        sa.Column("gss_code", _S(), nullable=True),
        sa.Column("address", _S(), nullable=True),
        sa.Column("po_number", _S(), nullable=True),
        sa.Column("description", _S(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("days_in_year", sa.Integer(), nullable=False),
        sa.Column("full_year_pence", sa.Integer(), nullable=False),
        sa.Column("net_pence", sa.Integer(), nullable=False),
        sa.Column("vat_rate", _S(), nullable=False),
        sa.Column("vat_pence", sa.Integer(), nullable=False),
        sa.Column("gross_pence", sa.Integer(), nullable=False),
        sa.Column("vat_treatment", _S(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=True),
        sa.Column("scheme_authority", _S(), nullable=False),
        sa.Column("indexed", sa.Boolean(), nullable=False),
        sa.Column("series", _S(), nullable=True),
        sa.Column("base_month", _S(), nullable=True),
        sa.Column("base_index", _S(), nullable=True),
        sa.Column("reference_month", _S(), nullable=True),
        sa.Column("reference_index", _S(), nullable=True),
        sa.Column("factor", _S(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "financial_year"),
        sa.UniqueConstraint("financial_year", "sequence"),
        sa.UniqueConstraint("number"),
    )
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("reference", _S(), nullable=True),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_invoice_id"), ["invoice_id"], unique=False)
    op.create_table(
        "credit_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", _S(), nullable=False),
        sa.Column("financial_year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("reason", _S(), nullable=False),
        sa.Column("net_pence", sa.Integer(), nullable=False),
        sa.Column("vat_pence", sa.Integer(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("financial_year", "sequence"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("credit_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_note_invoice_id"), ["invoice_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("credit_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_note_invoice_id"))
    op.drop_table("credit_note")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_invoice_id"))
    op.drop_table("payment")
    op.drop_table("invoice")
    op.drop_table("purchase_order")
    op.drop_table("subscription_scheme")
    op.drop_table("cpi_revision")
    op.drop_table("cpi_value")
