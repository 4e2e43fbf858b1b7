"""decisions: resolutions, meetings, votes, directors, board, articles

Revision ID: 0003_decisions
Revises: 0002_billing
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401

revision = "0003_decisions"
down_revision = "0002_billing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
