"""The only place that builds an engine or a session.

A ledger is a SQLite file (the default, ``./ledger.db``) or any SQLAlchemy URL. Writers are
serialised: on SQLite every write transaction starts with ``BEGIN IMMEDIATE`` (so two processes
never interleave, and the loser waits up to the busy timeout); on PostgreSQL it takes a
transaction-scoped advisory lock, waiting as long (``lock_timeout``). The audit chain and
invoice numbers rely on this.

Domain functions never commit. :meth:`Ledger.write` owns the transaction: the change and its
audit event commit together or not at all.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Table, event, insert, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, create_engine

from plvgov.errors import LedgerError

DEFAULT_LEDGER = "ledger.db"
#: The newest migration. ``tests/test_db.py`` proves it matches Alembic's head.
SCHEMA_HEAD = "0003_decisions"
#: The advisory lock every PostgreSQL writer takes ("PLVG"); a tool that writes to a shared
#: ledger outside plvgov must take it too.
PG_WRITE_LOCK = 0x504C5647


def to_url(target: str | os.PathLike[str]) -> str:
    """``--db`` value to SQLAlchemy URL: a value with ``://`` is already one, else a file path."""
    value = str(target)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise LedgerError("an in-memory SQLite ledger has no file")
    return Path(database.removeprefix("file:"))  # a URI filename (?mode=ro&uri=true)


def busy_timeout_seconds() -> float:
    try:
        return float(os.environ.get("PLVGOV_BUSY_TIMEOUT", "15"))
    except ValueError:
        return 15.0


def build_engine(url: str) -> Engine:
    if is_sqlite(url):
        engine = create_engine(url, connect_args={"timeout": busy_timeout_seconds()})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Take transaction control from pysqlite so that we can BEGIN IMMEDIATE.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_seconds() * 1000)}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            writing = conn.get_execution_options().get("plvgov_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


def _translate(exc: DBAPIError, url: str) -> LedgerError:
    message = str(exc.orig) if exc.orig is not None else str(exc)
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
        return LedgerError(
            f"the ledger is busy: another plvgov command held it for over "
            f"{busy_timeout_seconds():g}s; try again (PLVGOV_BUSY_TIMEOUT sets the wait)"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return LedgerError("the ledger is read-only; check the file's permissions and try again")
    if "disk is full" in lowered or "no space" in lowered:
        return LedgerError("the disk is full; nothing was written. Free some space and try again")
    if "unable to open" in lowered:
        return LedgerError(f"cannot open the ledger at {url}; check the path and its folder")
    if "could not connect" in lowered or "connection refused" in lowered:
        server = make_url(url).render_as_string()
        return LedgerError(f"cannot reach the database server for {server}")
    return LedgerError(f"the database refused the change: {message.splitlines()[0]}")


class Ledger:
    """An open ledger: one engine, read and write transactions."""

    def __init__(self, url: str) -> None:
        self.url = url
        if is_sqlite(url):
            from plvgov.outputs import protect

            protect(url)  # no command may write a file over an open ledger
        self.engine = build_engine(url)

    # -- opening ----------------------------------------------------------------------------
    @classmethod
    def open(cls, target: str | os.PathLike[str], *, check_schema: bool = True) -> Ledger:
        """Open an existing ledger; refuse one that is missing or at an older schema."""
        url = to_url(target)
        if is_sqlite(url):
            path = sqlite_path(url)
            if not path.exists():
                raise LedgerError(
                    f"no ledger at {path}; create one with `plvgov init`, or name one with --db"
                )
        ledger = cls(url)
        if check_schema:
            ledger.require_current_schema()
        return ledger

    def exists(self) -> bool:
        """True when this database already holds a plvgov schema."""
        if is_sqlite(self.url) and not sqlite_path(self.url).exists():
            return False
        try:
            with self.engine.connect() as conn:
                return inspect(conn).has_table("alembic_version")
        except DBAPIError as exc:
            raise _translate(exc, self.url) from None

    def schema_revision(self) -> str | None:
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError as exc:
            raise _translate(exc, self.url) from None

    def require_current_schema(self) -> None:
        revision = self.schema_revision()
        if revision == SCHEMA_HEAD:
            return
        if revision is None:
            raise LedgerError(
                f"{self.display_name} is not a plvgov ledger; create one with `plvgov init`"
            )
        from plvgov import migrations

        if migrations.is_known(revision):
            raise LedgerError(
                f"the ledger is at schema {revision}, older than this plvgov ({SCHEMA_HEAD}); "
                "run `plvgov db upgrade` (it takes a backup first)"
            )
        raise LedgerError(
            f"the ledger is at schema {revision}, which this plvgov does not know; "
            "it was made by a newer plvgov — upgrade plvgov"
        )

    @property
    def display_name(self) -> str:
        if is_sqlite(self.url):
            return str(sqlite_path(self.url))
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()

    # -- transactions -----------------------------------------------------------------------
    @contextmanager
    def write(self, command: str) -> Iterator[Session]:
        """One write transaction. Commits on success; on any exception nothing is written.

        ``command`` is recorded on every audit event appended inside the transaction.
        """
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(plvgov_write=True)
                with conn.begin():
                    if not is_sqlite(self.url):
                        # Wait for the writer ahead as long as SQLite would (busy timeout), then
                        # give up; lock_timeout 0 would mean for ever, so wait at least 1 ms.
                        wait = max(1, int(busy_timeout_seconds() * 1000))
                        conn.execute(
                            text("SELECT set_config('lock_timeout', :wait, true)"),
                            {"wait": f"{wait}ms"},
                        )
                        conn.execute(
                            text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK}
                        )
                    with Session(bind=conn, expire_on_commit=False) as session:
                        session.info["command"] = command
                        yield session
                        session.flush()
        except DBAPIError as exc:
            if isinstance(exc, OperationalError) or not is_sqlite(self.url):
                raise _translate(exc, self.url) from None
            raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot (nothing is committed)."""
        try:
            with self.engine.connect() as conn, conn.begin():
                with Session(bind=conn, expire_on_commit=False) as session:
                    yield session
        except OperationalError as exc:
            raise _translate(exc, self.url) from None

    # -- schema -----------------------------------------------------------------------------
    def create_schema(self) -> None:
        """Create every table at the current schema (``plvgov init``)."""
        if is_sqlite(self.url):
            folder = sqlite_path(self.url).parent
            if not folder.is_dir():
                raise LedgerError(f"the folder {folder} does not exist; create it first")
        from plvgov import migrations

        try:
            with self.engine.connect() as conn:
                migrations.upgrade(conn, "head")
                conn.commit()
        except OperationalError as exc:
            raise _translate(exc, self.url) from None

    def upgrade(self) -> Path | None:
        """Back up (SQLite), then migrate to the current schema. Returns the backup's path."""
        from plvgov import migrations

        revision = self.schema_revision()
        if revision is None:
            raise LedgerError(f"{self.display_name} is not a plvgov ledger; nothing to upgrade")
        if revision == SCHEMA_HEAD:
            return None
        if not migrations.is_known(revision):
            raise LedgerError(f"the ledger is at schema {revision}, newer than this plvgov")
        backup_path: Path | None = None
        if is_sqlite(self.url):
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            source = sqlite_path(self.url)
            backup_path = source.with_name(f"{source.stem}.{revision}.{stamp}.bak{source.suffix}")
            self.backup(backup_path)
        with self.engine.connect() as conn:
            migrations.upgrade(conn, "head")
            conn.commit()
        return backup_path

    def backup(self, destination: Path, *, force: bool = False) -> Path:
        """A consistent copy of a live SQLite ledger, via SQLite's online backup API."""
        if not is_sqlite(self.url):
            raise LedgerError(
                "backup copies SQLite ledgers; for PostgreSQL use `pg_dump` "
                f"(e.g. pg_dump --format=custom --file=plvgov.dump {make_url(self.url).database})"
            )
        from plvgov.outputs import check_target, replacing

        source = sqlite_path(self.url)
        if destination.resolve() == source.resolve() or (
            destination.exists() and os.path.samefile(destination, source)
        ):
            raise LedgerError("the backup must be a different file from the ledger")
        destination = check_target(destination, force, database_ok=True)
        with replacing(destination, force, database_ok=True) as partial:
            src = sqlite3.connect(source, timeout=busy_timeout_seconds())
            try:
                dst = sqlite3.connect(partial)
                try:
                    src.backup(dst)
                    dst.execute("PRAGMA journal_mode=DELETE")
                    ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
                finally:
                    dst.close()
            except sqlite3.Error as exc:
                raise LedgerError(f"backup failed: {exc}; nothing was written") from None
            finally:
                src.close()
            if ok != "ok":
                raise LedgerError(f"backup failed its integrity check ({ok}); nothing was written")
        return destination


def bulk_insert(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    same: Mapping[str, Any] | None = None,
) -> None:
    """Insert ``rows`` (each a sequence of values in ``columns`` order) into ``table`` in the
    session's transaction, as one executemany; ``same`` holds the columns every row has alike,
    given once. A row may carry values after its ``columns`` (they are not inserted).

    SQLAlchemy's own executemany processes every parameter of every row in Python, which
    costs about three times what the database does for thousands of rows. Here the statement
    is compiled once for the dialect and the rows go to the driver as they are, each value
    through its column type's bind processor (dates to ISO text on SQLite) where it has one,
    and the values in ``same`` through it once.
    """
    if not rows:
        return
    if not columns:
        raise ValueError("each row needs a column of its own; the shared ones go in same")
    same = dict(same or {})
    connection = session.connection()
    dialect = connection.dialect
    keys = [*columns, *same]
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    processors = {
        key: _remembering(processor)
        for key in keys
        if (processor := table.c[key].type.dialect_impl(dialect).bind_processor(dialect))
        is not None
    }
    fixed = {
        key: processors[key](value) if key in processors else value for key, value in same.items()
    }
    position = {name: index for index, name in enumerate(columns)}
    params: list[Any]
    if dialect.positional:  # SQLite's qmark style: each row as a tuple in the statement's order
        gathered: list[Iterable[Any]] = []
        for name in compiled.positiontup or []:
            if name in fixed:
                gathered.append(repeat(fixed[name]))  # zip stops at the rows' own columns
                continue
            column = map(itemgetter(position[name]), rows)
            gathered.append(list(map(processors[name], column) if name in processors else column))
        params = list(zip(*gathered))  # noqa: B905 - repeat() is endless by design
    else:  # named style (psycopg): each row as a dict
        own = [(name, index, processors.get(name)) for name, index in position.items()]
        params = [
            {**{name: _bound(process, row[i]) for name, i, process in own}, **fixed} for row in rows
        ]
    connection.exec_driver_sql(compiled.string, params)


def _bound(process: Callable[[Any], Any] | None, value: Any) -> Any:
    return value if process is None else process(value)


def _remembering(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``process`` with its result kept per distinct value: the rows of a bulk insert repeat
    values (every invoice of a run has the same issue date)."""
    done: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        try:
            return done[value]
        except KeyError:
            done[value] = result = process(value)
            return result
        except TypeError:  # an unhashable value
            return process(value)

    return remembered
