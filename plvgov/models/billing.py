"""Billing tables: CPI values, subscription schemes and invoices (what is paid and credited
against an invoice, and its reminders: :mod:`plvgov.models.accounts`; CPI revisions, purchase
orders and the register of document numbers have modules of their own, so that reading
invoices builds none of them).

Money is integer pence. CPI index values are stored as the text ONS publishes ("123.8") so
that no digit is lost or invented. An issued invoice freezes everything it was worked out
from (scheme, index values, factor, days) and is never edited: corrections are credit notes.
"""

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from plvgov.models.base import Table

__all__ = [
    "CpiValue",
    "Invoice",
    "SubscriptionScheme",
]


class CpiValue(Table, table=True):
    """One month of a price index (ONS D7BT: CPI all items, 2015=100)."""

    __tablename__ = "cpi_value"
    __table_args__ = (UniqueConstraint("series", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    series: str  # "D7BT"
    month: str  # "2022-09"
    index_value: str  # "123.8", exactly as published
    source: str  # "shipped", or the imported file's name


class SubscriptionScheme(Table, table=True):
    """How the subscription is worked out from an FY onwards, and the authority that set it."""

    __tablename__ = "subscription_scheme"

    id: int | None = Field(default=None, primary_key=True)
    from_year: int = Field(unique=True)  # first FY (start year) the scheme applies to
    base_amount_pence: int  # per member per full FY
    indexed: bool
    series: str | None = None  # "D7BT" when indexed
    base_month: str | None = None  # "2022-09" when indexed
    reference_month: int | None = None  # 9: September of the year before the FY
    authority: str  # "Resolution 4"


#: What an invoice is for: the annual subscription, or a member's contribution to a deficit.
SUBSCRIPTION, CONTRIBUTION = "subscription", "contribution"


class Invoice(Table, table=True):
    """One member's invoice of one kind for one FY — its subscription, or its contribution to
    the year's deficit — with its working frozen at issue. Both kinds share the FY's numbers."""

    __tablename__ = "invoice"
    __table_args__ = (
        UniqueConstraint("member_id", "financial_year", "kind", name="uq_invoice_member_year_kind"),
        UniqueConstraint("financial_year", "sequence"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True)  # "PLV-2026-0001"
    financial_year: int  # start year of the FY
    sequence: int  # 1, 2, … contiguous within the FY
    kind: str = Field(default=SUBSCRIPTION)  # SUBSCRIPTION or CONTRIBUTION
    member_id: int = Field(foreign_key="member.id")
    issued_on: date
    due_on: date
    member_name: str
    council_name: str
    gss_code: str | None = None
    address: str | None = None
    po_number: str | None = None
    description: str
    days: int
    days_in_year: int
    full_year_pence: int  # the full-year amount, rounded (shown in the working)
    net_pence: int
    vat_rate: str  # percent, "0" or "20"
    vat_pence: int
    gross_pence: int
    vat_treatment: str
    scheme_id: int | None = None  # None: the default scheme
    scheme_authority: str
    indexed: bool
    series: str | None = None
    base_month: str | None = None
    base_index: str | None = None
    reference_month: str | None = None
    reference_index: str | None = None
    factor: str  # reference_index / base_index to 6 places, "1" when not indexed
