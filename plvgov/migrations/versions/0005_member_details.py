"""member details: the register's names and addresses over time

Revision ID: 0005_member_details
Revises: 0004_trust

``member_detail`` keeps each change of a member's register particulars (CA 2006 s.113: name and
address) and contact email, in force from a date; ``member`` keeps the values at entry. On
SQLite the new table gets its canonical-form triggers (plvgov.migrations.canonical).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from plvgov.migrations.canonical import guard_sqlite_table, unguard_sqlite_table

revision = "0005_member_details"
down_revision = "0004_trust"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_detail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("member_detail", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_detail_member_id"), ["member_id"], unique=False)
    guard_sqlite_table(op.get_bind(), "member_detail")


def downgrade() -> None:
    unguard_sqlite_table(op.get_bind(), "member_detail")
    with op.batch_alter_table("member_detail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_detail_member_id"))
    op.drop_table("member_detail")
