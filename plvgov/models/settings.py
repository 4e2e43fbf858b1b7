from datetime import date

from sqlmodel import Field

from plvgov.models.base import Table


class SettingValue(Table, table=True):
    """A value of a setting from ``effective_from`` (None: from the beginning) on."""

    __tablename__ = "setting_value"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True)
    value: str  # JSON
    effective_from: date | None = None
    authority: str
