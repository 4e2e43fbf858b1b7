"""The base of every table class.

A table's rows are made by the application and read back from the database; pydantic never
validates them (SQLModel table classes do not validate on construction), so the validation
schema of each class is built only if something asks for it (``defer_build``) rather than when
the class is defined: a command starts a little sooner for every table it imports.
"""

from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig  # SQLModel's own config type (not re-exported)

__all__ = ["Table"]


class Table(SQLModel):
    """Subclass with ``table=True``: ``class Member(Table, table=True)``."""

    model_config = SQLModelConfig(from_attributes=True, defer_build=True)  # as SQLModel's, deferred
