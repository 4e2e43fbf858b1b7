"""sending: agreements to receive documents by email, the send log, notice fixed by the log

Revision ID: 0007_sending
Revises: 0006_meeting_record

``email_agreement`` keeps each member's agreement to receive documents by email (CA 2006 Sch. 5
paras 6-7) and its revocation; ``dispatch`` is the send log, one row per document per member; ``hard_copy_request`` keeps
members' requests for a hard copy of what they had by email (s.1145, due in 21 days).
``general_meeting.sent_at``, ``deemed_served_at`` and ``earliest_valid_on`` become nullable and
``notice_from_log`` is new: a meeting convened without ``--sent`` has them from the send log
once its notice has gone to every member entitled to it. On SQLite the tables get (or re-get) their canonical-form triggers.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from plvgov.migrations.canonical import guard_sqlite_table, unguard_sqlite_table

revision = "0007_sending"
down_revision = "0006_meeting_record"
branch_labels = None
depends_on = None

_NOTICE = (("sent_at", sa.DateTime()), ("deemed_served_at", sa.DateTime()),
           ("earliest_valid_on", sa.Date()))


def upgrade() -> None:
    op.create_table(
        "email_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("email_agreement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_agreement_member_id"), ["member_id"], unique=False
        )
    guard_sqlite_table(op.get_bind(), "email_agreement")
    op.create_table(
        "dispatch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("document", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document", "member_id"),
    )
    with op.batch_alter_table("dispatch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispatch_document"), ["document"], unique=False)
        batch_op.create_index(batch_op.f("ix_dispatch_member_id"), ["member_id"], unique=False)
    guard_sqlite_table(op.get_bind(), "dispatch")
    op.create_table(
        "hard_copy_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("document", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hard_copy_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hard_copy_request_member_id"), ["member_id"], unique=False
        )
    guard_sqlite_table(op.get_bind(), "hard_copy_request")
    _notice_nullable(True)


def _notice_nullable(nullable: bool) -> None:
    unguard_sqlite_table(op.get_bind(), "general_meeting")
    with op.batch_alter_table("general_meeting", schema=None) as batch_op:
        for name, type_ in _NOTICE:
            batch_op.alter_column(name, existing_type=type_, nullable=nullable)
        if nullable:
            batch_op.add_column(
                sa.Column(
                    "notice_from_log", sa.Boolean(), nullable=False, server_default=sa.false()
                )
            )
        else:
            batch_op.drop_column("notice_from_log")
    guard_sqlite_table(op.get_bind(), "general_meeting")


def downgrade() -> None:
    _notice_nullable(False)
    unguard_sqlite_table(op.get_bind(), "hard_copy_request")
    with op.batch_alter_table("hard_copy_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hard_copy_request_member_id"))
    op.drop_table("hard_copy_request")
    unguard_sqlite_table(op.get_bind(), "dispatch")
    with op.batch_alter_table("dispatch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_member_id"))
        batch_op.drop_index(batch_op.f("ix_dispatch_document"))
    op.drop_table("dispatch")
    unguard_sqlite_table(op.get_bind(), "email_agreement")
    with op.batch_alter_table("email_agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_agreement_member_id"))
    op.drop_table("email_agreement")
