"""billing: CPI, subscription schemes, invoices, payments, credit notes

Revision ID: 0002_billing
Revises: 0001_foundation
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401

revision = "0002_billing"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
