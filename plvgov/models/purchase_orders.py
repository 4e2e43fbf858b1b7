"""Members' purchase-order numbers for their invoices (:mod:`plvgov.models.billing`): read only
when invoices are issued.
"""

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from plvgov.models.base import Table

__all__ = ["PurchaseOrder"]


class PurchaseOrder(Table, table=True):
    """A council's purchase-order number for its invoice for an FY."""

    __tablename__ = "purchase_order"
    __table_args__ = (UniqueConstraint("member_id", "financial_year"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    financial_year: int
    number: str
