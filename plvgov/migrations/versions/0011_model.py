"""the home's finances: each year's outturn and the members' shares of it

Revision ID: 0011_model
Revises: 0006_meeting_record

``outturn`` keeps a financial year's actual surplus or deficit (signed pence), its basis of
sharing and its authority; ``outturn_share`` each member's share, frozen when recorded. On
SQLite both tables get their canonical-form triggers (plvgov.migrations.canonical).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from plvgov.migrations.canonical import guard_sqlite_table, unguard_sqlite_table

revision = "0011_model"
down_revision = "0010_einvoice"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outturn",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("financial_year", sa.Integer(), nullable=False),
        sa.Column("result_pence", sa.Integer(), nullable=False),
        sa.Column("basis", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("authority", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["resolution_id"], ["resolution.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("financial_year"),
    )
    op.create_table(
        "outturn_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outturn_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("share_pence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["outturn_id"], ["outturn.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outturn_share", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outturn_share_outturn_id"), ["outturn_id"], unique=False
        )
    guard_sqlite_table(op.get_bind(), "outturn")
    guard_sqlite_table(op.get_bind(), "outturn_share")


def downgrade() -> None:
    unguard_sqlite_table(op.get_bind(), "outturn_share")
    unguard_sqlite_table(op.get_bind(), "outturn")
    with op.batch_alter_table("outturn_share", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outturn_share_outturn_id"))
    op.drop_table("outturn_share")
    op.drop_table("outturn")
