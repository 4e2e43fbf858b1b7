from sqlmodel import Field

from plvgov.models.base import Table


class AuditEvent(Table, table=True):
    """One link of the hash chain: every change to the ledger appends exactly one."""

    __tablename__ = "audit_event"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: str  # UTC, ISO 8601 with microseconds and a trailing Z
    actor: str
    command: str
    action: str  # e.g. "member.admit"
    entity: str  # table name of the main row changed
    entity_id: str | None = None
    subject: str  # what a person would call it: "Barking and Dagenham", "PLV-2026-0001"
    payload: str  # canonical JSON: the changed rows after the change, and details
    prev_hash: str
    hash: str = Field(unique=True)
