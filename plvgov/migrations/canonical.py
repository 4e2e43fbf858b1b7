"""Values stored in one canonical form, enforced by the database.

PostgreSQL's column types already refuse a date spelt another way or a fraction in an integer
column. SQLite stores what it is given, so every table gets a pair of triggers that abort an
insert or update putting a value in another form than plvgov writes: a date as ``YYYY-MM-DD``
(a real day), a date-time as SQLAlchemy's ``YYYY-MM-DD HH:MM:SS.ffffff``, an integer or a
boolean as an SQLite integer (booleans 0 or 1). ``2026-W18-5`` means 1 May 2026 to Python but
sorts before ``2026-05-01`` in SQL, so a re-spelt ``due_on`` would hide a debt from every
query; the triggers make such a row impossible to write, and ``audit verify --deep`` compares
stored values exactly, so a row written with the triggers dropped is named too.

Every migration that creates a table calls :func:`guard_sqlite_table` for it;
``tests/test_canonical.py`` fails when a table has no guard.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

_DATE = "({c} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND date({c}, '+0 days') = {c})"
_DATETIME = (
    "({c} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]"
    ".[0-9][0-9][0-9][0-9][0-9][0-9]' AND datetime({c}, '+0 days') = substr({c}, 1, 19))"
)
_INTEGER = "(typeof({c}) = 'integer')"
_BOOLEAN = "(typeof({c}) = 'integer' AND {c} IN (0, 1))"
_TEXT = "(typeof({c}) = 'text')"


def _rule(column_type: sa.types.TypeEngine) -> str | None:
    # DateTime before Date: SQLite's DATETIME type is no subclass of DATE, but keep it explicit.
    if isinstance(column_type, sa.DateTime):
        return _DATETIME
    if isinstance(column_type, sa.Date):
        return _DATE
    if isinstance(column_type, sa.Boolean):
        return _BOOLEAN
    if isinstance(column_type, sa.Integer):
        return _INTEGER
    if isinstance(column_type, sa.String):
        return _TEXT
    return None


def trigger_names(table: str) -> tuple[str, str]:
    return f"canonical_{table}_insert", f"canonical_{table}_update"


def guard_sqlite_table(connection: Connection, table: str) -> None:
    """Create (or re-create) ``table``'s canonical-form triggers from its columns as they are
    now; nothing on other databases."""
    if connection.dialect.name != "sqlite":
        return
    conditions = []
    for column in sa.inspect(connection).get_columns(table):
        rule = _rule(column["type"])
        if rule is None:
            continue
        quoted = f'NEW."{column["name"]}"'
        conditions.append(f"({quoted} IS NOT NULL AND NOT {rule.format(c=quoted)})")
    if not conditions:
        return
    when = " OR ".join(conditions)
    message = f"plvgov: a value in {table} is not in canonical form"
    for name, moment in zip(trigger_names(table), ("INSERT", "UPDATE"), strict=True):
        connection.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')
        connection.exec_driver_sql(
            f'CREATE TRIGGER "{name}" BEFORE {moment} ON "{table}" FOR EACH ROW WHEN {when} '
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def unguard_sqlite_table(connection: Connection, table: str) -> None:
    if connection.dialect.name != "sqlite":
        return
    for name in trigger_names(table):
        connection.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')
