"""The register of document numbers: every number an invoice or a credit note carries, once
(:mod:`plvgov.billing.numbering`); read only when documents are numbered and by the deep
verification.
"""

from sqlmodel import Field

from plvgov.models.base import Table

__all__ = ["DocumentNumber"]


class DocumentNumber(Table, table=True):
    """Every number an invoice or a credit note carries, once: the database refuses a second
    document with the same number, whatever the prefixes in force. Not content of its own:
    ``audit verify --deep`` checks it is exactly the invoices' and credit notes' numbers."""

    __tablename__ = "document_number"
    __table_args__ = {"sqlite_with_rowid": False}

    number: str = Field(primary_key=True)
    kind: str  # "invoice" or "credit_note"
