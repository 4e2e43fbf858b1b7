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

import math
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Table, event, insert, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError
from sqlmodel import Session, create_engine

from plvgov.errors import InputError, LedgerError, UsageError

DEFAULT_LEDGER = "ledger.db"
#: The newest migration. ``tests/test_db.py`` proves it matches Alembic's head.
SCHEMA_HEAD = "0012_contributions"
#: The advisory lock every PostgreSQL writer takes ("PLVG"); a tool that writes to a shared
#: ledger outside plvgov must take it too.
PG_WRITE_LOCK = 0x504C5647
#: Write transactions committed in this process (by any :class:`Ledger`): the command line
#: tells a failure after its change was saved from one before it (``plvgov.cli.run``).
commits = 0


def to_url(target: str | os.PathLike[str]) -> str:
    """``--db`` value to SQLAlchemy URL: a value with ``://`` is already one, else a file path."""
    value = str(target)
    if "://" in value:
        _require_supported(value)
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


#: The databases plvgov keeps a ledger in (SQLAlchemy backend names).
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def _require_supported(value: str) -> None:
    """Refuse a URL plvgov cannot keep a ledger in, before any driver is imported."""
    scheme = value.partition("://")[0]
    fix = "give --db a file path (ledger.db) or a URL such as postgresql+psycopg://host/plvgov"
    try:
        backend = make_url(value).get_backend_name()
    except (ArgumentError, ValueError):
        raise UsageError(f"--db {scheme}://… is not a database URL; {fix}") from None
    if backend not in SUPPORTED_BACKENDS:
        raise UsageError(
            f"plvgov keeps its ledger in SQLite or PostgreSQL, not {scheme or 'that'}; {fix}"
        )
    try:
        make_url(value).get_dialect()
    except (ArgumentError, ImportError):
        raise UsageError(f"plvgov has no database driver {scheme}; {fix}") from None


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise LedgerError("an in-memory SQLite ledger has no file")
    return Path(database.removeprefix("file:"))  # a URI filename (?mode=ro&uri=true)


#: The longest PLVGOV_BUSY_TIMEOUT (a day): beyond it a writer is stuck, not busy.
MAX_BUSY_TIMEOUT = 86_400.0


def busy_timeout_seconds() -> float:
    """``PLVGOV_BUSY_TIMEOUT`` (default 15): how long a writer waits for the one ahead."""
    raw = os.environ.get("PLVGOV_BUSY_TIMEOUT", "").strip()
    if not raw:
        return 15.0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 <= seconds <= MAX_BUSY_TIMEOUT):
        raise InputError(
            f"PLVGOV_BUSY_TIMEOUT is {raw!r}; set it to the seconds a writer may wait, "
            f"from 0 to {MAX_BUSY_TIMEOUT:g} (e.g. 15), or unset it"
        )
    return seconds


def read_only_file(url: str) -> Path | None:
    """The ledger's file when this process cannot write it (an auditor's read-only copy: the
    file, or its folder where SQLite keeps the -wal and -shm files, is not writable), else
    None. Such a ledger is opened read-only, so that commands that only read still work."""
    if not is_sqlite(url) or "mode=" in url or "immutable=" in url:
        return None
    try:
        path = sqlite_path(url)
        if not path.is_file():
            return None
        if not os.access(path, os.W_OK):
            return path
        if os.access(path.parent, os.W_OK):
            return None
        companions = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
        return None if all(os.access(c, os.W_OK) for c in companions) else path
    except (OSError, ValueError, LedgerError):
        return None


def _connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """Open ``path`` read-only. A WAL ledger whose folder cannot be written has no -shm to
    coordinate readers through; SQLite reads it only as ``immutable`` (no one writes to such
    a copy)."""
    base = "file:" + quote(str(path))
    conn = sqlite3.connect(f"{base}?mode=ro", uri=True, timeout=timeout, check_same_thread=False)
    try:
        conn.execute("PRAGMA schema_version").fetchone()
        return conn
    except sqlite3.Error:
        conn.close()
    return sqlite3.connect(
        f"{base}?immutable=1", uri=True, timeout=timeout, check_same_thread=False
    )


def build_engine(url: str) -> Engine:
    if is_sqlite(url):
        timeout = busy_timeout_seconds()
        read_only = read_only_file(url)
        try:
            if read_only is not None:
                engine = create_engine(url, creator=lambda: _connect_read_only(read_only, timeout))
            else:
                engine = create_engine(url, connect_args={"timeout": timeout})
        except (ImportError, ArgumentError) as exc:  # no such driver, or not installed
            raise UsageError(
                f"the database driver for {make_url(url).drivername} is not installed ({exc}); "
                "give --db a file path or a plain sqlite:/// URL"
            ) from None

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Take transaction control from pysqlite so that we can BEGIN IMMEDIATE.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            if read_only is None:  # a read-only copy keeps its journal mode
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            writing = conn.get_execution_options().get("plvgov_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ImportError, ArgumentError) as exc:  # no such driver, or not installed
        raise UsageError(
            f"the database driver for {make_url(url).drivername} is not installed ({exc}); "
            "write the URL as postgresql+psycopg://host/plvgov"
        ) from None


def _translate(exc: DBAPIError, url: str, *, reading: bool = False) -> LedgerError:
    """The database's error as one line that says what is wrong and what to do; ``reading``
    when the command only read (it changed nothing, so nothing was "refused")."""
    message = str(exc.orig) if exc.orig is not None else str(exc)
    first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
        return LedgerError(
            f"the ledger is busy: another plvgov command held it for over "
            f"{busy_timeout_seconds():g}s; try again (PLVGOV_BUSY_TIMEOUT sets the wait)"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return LedgerError(
            "the ledger is read-only here, so it can be read but not changed; "
            "to change it, check the file's and its folder's permissions and try again"
        )
    if "disk is full" in lowered or "no space" in lowered:
        return LedgerError("the disk is full; nothing was written. Free some space and try again")
    if "disk i/o error" in lowered:  # SQLite's word for a write that failed, often a full disk
        return LedgerError(
            "the disk failed to read or write the ledger (disk I/O error); nothing was written. "
            "Check that the disk has free space and is healthy, then try again"
        )
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        where = sqlite_path(url) if is_sqlite(url) and "memory" not in url else "the database"
        return LedgerError(
            f"the ledger at {where} is damaged ({first}); nothing was written. "
            "Restore it from a backup (`plvgov backup` makes one)"
        )
    if "unable to open" in lowered:
        return LedgerError(f"cannot open the ledger at {url}; check the path and its folder")
    unreachable = ("could not connect", "connection refused", "failed to resolve host")
    if any(phrase in lowered for phrase in unreachable) or "connection failed" in lowered:
        server = make_url(url).render_as_string()
        return LedgerError(f"cannot reach the database server for {server}")
    if reading:
        return LedgerError(
            f"the database could not read the ledger ({first}); "
            "check it with `plvgov audit verify --deep`"
        )
    return LedgerError(f"the database refused the change: {first}")


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
            raise _translate(exc, self.url, reading=True) from None

    def schema_revision(self) -> str | None:
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError as exc:
            raise _translate(exc, self.url, reading=True) from None

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
        if is_sqlite(self.url):
            from plvgov.outputs import release

            release(self.url)

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
                        committed = session.info.get("after_commit", [])
        except DBAPIError as exc:
            # A constraint the domain should have checked first stays a bug to report.
            if not isinstance(exc, IntegrityError) or not is_sqlite(self.url):
                raise _translate(exc, self.url) from None
            raise
        global commits
        commits += 1
        for callback in committed:  # e.g. a checkpoint's line in the journal beside the key
            callback()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot (nothing is committed): every query of one command sees the
        ledger as it was at its first, whatever commits meanwhile. SQLite gives that to one
        read transaction in WAL mode; PostgreSQL needs REPEATABLE READ (its default, READ
        COMMITTED, gives each statement its own snapshot, and a deep verify would see a row
        committed after it read the audit chain)."""
        try:
            with self.engine.connect() as conn:
                if not is_sqlite(self.url):
                    conn = conn.execution_options(
                        isolation_level="REPEATABLE READ", postgresql_readonly=True
                    )
                with conn.begin(), Session(bind=conn, expire_on_commit=False) as session:
                    yield session
        except DBAPIError as exc:  # a damaged file raises DatabaseError, not OperationalError
            raise _translate(exc, self.url, reading=True) from None

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
                # As a writer (SQLite: BEGIN IMMEDIATE): a second `init` at the same moment
                # waits for the first's schema, finds it there and migrates nothing.
                conn = conn.execution_options(plvgov_write=True)
                migrations.upgrade(conn, "head")
                conn.commit()
        except DBAPIError as exc:
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
        try:
            with self.engine.connect() as conn:
                migrations.upgrade(conn, "head")
                conn.commit()
        except DBAPIError as exc:
            # The migration ran in one transaction and rolled back: the ledger is as it was,
            # so its copy is not needed. Usually the stamp in alembic_version is wrong.
            if backup_path is not None:
                backup_path.unlink(missing_ok=True)
            first = str(exc.orig or exc).strip().splitlines()[0]
            raise LedgerError(
                f"the ledger says it is at schema {revision} but its tables do not match "
                f"({first}); nothing was changed. Its schema stamp is wrong: restore the "
                "ledger from a backup, or ask whoever stamped it"
            ) from None
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
            read_only = read_only_file(self.url)  # an auditor's copy can be backed up too
            if read_only is not None:
                src = _connect_read_only(read_only, busy_timeout_seconds())
            else:
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


def malformed_value(url: str) -> LedgerError | None:
    """The first stored value its column type cannot read back (a date such as
    ``2026-02-30`` written into the file behind plvgov's back, or by an older plvgov without
    the checks new ledgers have), as an error that names the row; None when every value reads.

    Called after a command failed with a ValueError from SQLAlchemy's result processing:
    reading each column as raw text and through the column type's own result processor
    costs one pass over the ledger, and only then."""
    if not is_sqlite(url):  # PostgreSQL stores dates as dates; nothing can be malformed
        return None
    from sqlmodel import SQLModel

    from plvgov import models

    models.load_all()
    engine = build_engine(url)
    try:
        with engine.connect() as conn:
            dialect = conn.dialect
            for table in SQLModel.metadata.sorted_tables:
                keys = list(table.primary_key.columns)
                if len(keys) != 1:
                    continue
                key = keys[0].name
                for column in table.columns:
                    process = column.type.dialect_impl(dialect).result_processor(dialect, None)
                    if process is None:
                        continue
                    try:
                        rows = conn.exec_driver_sql(
                            f'SELECT "{key}", "{column.name}" FROM "{table.name}" '
                            f'WHERE "{column.name}" IS NOT NULL'
                        ).all()
                    except DBAPIError:  # an older schema without this table or column
                        continue
                    for row_id, raw in rows:
                        try:
                            process(raw)
                        except (ValueError, TypeError, ArithmeticError):
                            return LedgerError(
                                f"{table.name} {row_id} has a malformed {column.name} "
                                f"{str(raw)[:40]!r}; restore the ledger from a backup"
                            )
    except DBAPIError:
        return None
    finally:
        engine.dispose()
    return None


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
    keys = (*columns, *same)
    statement, order, bare = _compiled_insert(table, keys, dialect)
    processors = {key: _remembering(processor) for key, processor in bare.items()}
    fixed = {
        key: processors[key](value) if key in processors else value for key, value in same.items()
    }
    position = {name: index for index, name in enumerate(columns)}
    params: list[Any]
    if dialect.positional:  # SQLite's qmark style: each row as a tuple in the statement's order
        gathered: list[Iterable[Any]] = []
        for name in order:
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
    connection.exec_driver_sql(statement, params)


@lru_cache(maxsize=32)
def _compiled_insert(
    table: Table, keys: tuple[str, ...], dialect: Any
) -> tuple[str, tuple[str, ...], dict[str, Callable[[Any], Any]]]:
    """The INSERT of ``keys`` into ``table`` compiled for ``dialect`` (its text and, for a
    positional driver, the order of its parameters), and the bind processors of those of
    ``keys`` that have one: once per process, not once per chunk of a bulk insert."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    processors: dict[str, Callable[[Any], Any]] = {
        key: processor
        for key in keys
        if (processor := table.c[key].type.dialect_impl(dialect).bind_processor(dialect))
        is not None
    }
    return compiled.string, tuple(compiled.positiontup or ()), processors


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
