"""registers: members' and others' requests; directors' identity verification

Revision ID: 0008_registers
Revises: 0006_meeting_record

``request`` holds each request the company must answer by a statutory deadline (s.292, s.303,
s.116, FOIA s.10) and ``request_member`` the members that made it. ``director`` gains
``verification_code`` and ``verified_on`` (Companies House identity verification, ECCTA 2023)
and the particulars of s.163 and s.165 (service and usual residential addresses, date of birth,
nationality, occupation, country of residence), all nullable: none was recorded before. On SQLite every table touched gets (or
re-gets) its canonical-form triggers (plvgov.migrations.canonical).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from plvgov.migrations.canonical import guard_sqlite_table, unguard_sqlite_table

revision = "0008_registers"
down_revision = "0007_sending"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_PARTICULARS = (
    "service_address",
    "residential_address",
    "nationality",
    "occupation",
    "country_of_residence",
)


def upgrade() -> None:
    op.add_column("director", sa.Column("verification_code", _TEXT(), nullable=True))
    op.add_column("director", sa.Column("verified_on", sa.Date(), nullable=True))
    for column in _PARTICULARS:
        op.add_column("director", sa.Column(column, _TEXT(), nullable=True))
    op.add_column("director", sa.Column("date_of_birth", sa.Date(), nullable=True))
    guard_sqlite_table(op.get_bind(), "director")
    op.create_table(
        "request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _TEXT(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("binding", sa.Boolean(), nullable=False),
        sa.Column("text", _TEXT(), nullable=True),
        sa.Column("requester", _TEXT(), nullable=True),
        sa.Column("address", _TEXT(), nullable=True),
        sa.Column("purpose", _TEXT(), nullable=True),
        sa.Column("disclosed", sa.Boolean(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("outcome", _TEXT(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    guard_sqlite_table(op.get_bind(), "request")
    op.create_table(
        "request_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "member_id"),
    )
    with op.batch_alter_table("request_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_request_member_request_id"), ["request_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_request_member_member_id"), ["member_id"], unique=False
        )
    guard_sqlite_table(op.get_bind(), "request_member")


def downgrade() -> None:
    unguard_sqlite_table(op.get_bind(), "request_member")
    with op.batch_alter_table("request_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_member_member_id"))
        batch_op.drop_index(batch_op.f("ix_request_member_request_id"))
    op.drop_table("request_member")
    unguard_sqlite_table(op.get_bind(), "request")
    op.drop_table("request")
    unguard_sqlite_table(op.get_bind(), "director")
    with op.batch_alter_table("director", schema=None) as batch_op:
        batch_op.drop_column("date_of_birth")
        for column in reversed(_PARTICULARS):
            batch_op.drop_column(column)
        batch_op.drop_column("verified_on")
        batch_op.drop_column("verification_code")
    guard_sqlite_table(op.get_bind(), "director")
