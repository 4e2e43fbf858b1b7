"""trust: one register of document numbers; values in canonical form

Revision ID: 0004_trust
Revises: 0003_decisions

``document_number`` holds every invoice's and credit note's number once (its primary key), so
the database itself refuses a credit note numbered like an invoice. Existing numbers are
copied in. On SQLite every table gets its canonical-form triggers (plvgov.migrations.canonical).
"""

from alembic import op
import sqlalchemy as sa

from plvgov.migrations.canonical import guard_sqlite_table, unguard_sqlite_table

revision = "0004_trust"
down_revision = "0003_decisions"
branch_labels = None
depends_on = None

#: Every table at 0003 (and the new one): each gets its canonical-form guard on SQLite.
TABLES = (
    "audit_event", "setting_value", "member", "member_decision",
    "representative", "withdrawal_notice", "cpi_value", "cpi_revision", "subscription_scheme",
    "purchase_order", "invoice", "payment", "credit_note", "general_meeting", "resolution",
    "resolution_eligible", "resolution_vote", "meeting_business", "meeting_consent",
    "meeting_attendance", "director", "board_meeting", "board_attendance", "board_resolution",
    "board_vote", "articles_version", "document_number",
)


def upgrade() -> None:
    op.create_table(
        "document_number",
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("number"),
        sqlite_with_rowid=False,  # the number is the key: one b-tree, not a table and an index
    )
    op.execute("INSERT INTO document_number (number, kind) SELECT number, 'invoice' FROM invoice")
    op.execute(
        "INSERT INTO document_number (number, kind) SELECT number, 'credit_note' FROM credit_note"
    )
    bind = op.get_bind()
    for table in TABLES:
        guard_sqlite_table(bind, table)


def downgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        unguard_sqlite_table(bind, table)
    op.drop_table("document_number")
