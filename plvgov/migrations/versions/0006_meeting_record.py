"""meeting record: the chair, the times and the officers in attendance at a general meeting

Revision ID: 0006_meeting_record
Revises: 0005_member_details

``general_meeting`` gains ``chair`` (who chairs it), ``opened_at`` and ``closed_at`` (naive
Europe/London wall clock, like ``held_at``), all nullable: meetings closed before this revision
keep no record of them. ``meeting_officer`` lists the directors and the company secretary in
attendance, for the minutes. On SQLite both tables get (or re-get) their canonical-form triggers
(plvgov.migrations.canonical).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from plvgov.migrations.canonical import guard_sqlite_table, unguard_sqlite_table

revision = "0006_meeting_record"
down_revision = "0005_member_details"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "general_meeting",
        sa.Column("chair", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    )
    op.add_column("general_meeting", sa.Column("opened_at", sa.DateTime(), nullable=True))
    op.add_column("general_meeting", sa.Column("closed_at", sa.DateTime(), nullable=True))
    guard_sqlite_table(op.get_bind(), "general_meeting")
    op.create_table(
        "meeting_officer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["general_meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "name"),
    )
    with op.batch_alter_table("meeting_officer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_officer_meeting_id"), ["meeting_id"], unique=False
        )
    guard_sqlite_table(op.get_bind(), "meeting_officer")


def downgrade() -> None:
    unguard_sqlite_table(op.get_bind(), "meeting_officer")
    with op.batch_alter_table("meeting_officer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_officer_meeting_id"))
    op.drop_table("meeting_officer")
    unguard_sqlite_table(op.get_bind(), "general_meeting")
    with op.batch_alter_table("general_meeting", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
        batch_op.drop_column("opened_at")
        batch_op.drop_column("chair")
    guard_sqlite_table(op.get_bind(), "general_meeting")
