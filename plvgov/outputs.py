"""Writing files a command was asked to write (``--out``, ``--ics``, ``backup FILE``,
``invoice export --out``): only the named path, only a regular file, never a half-written one;
and every CSV cell made safe to open in a spreadsheet (:func:`excel_safe`).

A target that exists is replaced only with ``force``; a device, folder or other special file is
never replaced (``--out /dev/null --force`` must not turn /dev/null into a file); the folder must
exist. Content goes to a temporary file beside the target and is renamed over it, so a crash
leaves the old file or the new one, nothing in between.

Above all, a command never writes over the ledger. Every SQLite ledger a process names or opens
is *protected* (:func:`protect`): its file and its ``-wal``, ``-shm`` and ``-journal`` companions
are refused as targets, however the target is spelt (``./ledger.db``, a symlink, a hard link to
the same inode). And a document never replaces any SQLite database: only ``backup`` may
(``database_ok``).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from plvgov.errors import InputError

#: The companions SQLite keeps beside a database file while it is open.
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")
SQLITE_HEADER = b"SQLite format 3\x00"

_protected: dict[Path, int] = {}  # a ledger's path, and how many holders protect it


def _ledger_path(ledger: Path | str) -> Path | None:
    value = str(ledger)
    if "://" in value:
        scheme, _, rest = value.partition("://")
        if not scheme.startswith("sqlite"):
            return None
        value = rest[1:] if rest.startswith("/") else rest  # sqlite:///abs -> /abs
        value = value.split("?", 1)[0].removeprefix("file:")
        if not value or value == ":memory:":
            return None
    try:
        return Path(value).expanduser().resolve()
    except (OSError, RuntimeError, ValueError):  # an unresolvable name protects nothing
        return None


def protect(ledger: Path | str) -> None:
    """Never write over this SQLite ledger (a path or an SQLAlchemy ``sqlite:`` URL) or its
    companions until :func:`release`. A URL of another database is ignored: it has no file
    here. The CLI protects the ledger a command line names before the command runs; an open
    :class:`plvgov.db.Ledger` protects its own file until it is disposed of."""
    path = _ledger_path(ledger)
    if path is not None:
        _protected[path] = _protected.get(path, 0) + 1


def release(ledger: Path | str) -> None:
    path = _ledger_path(ledger)
    if path is not None and path in _protected:
        _protected[path] -= 1
        if _protected[path] <= 0:
            del _protected[path]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _is_ledger_file(target: Path) -> bool:
    """True when ``target`` is, or would land on, a protected ledger or a companion of one."""
    try:
        resolved = target.expanduser().resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    for ledger in _protected:
        for suffix in SQLITE_COMPANIONS:
            companion = ledger.with_name(ledger.name + suffix)
            if resolved == companion or _same_file(target, companion):
                return True
    return False


def _is_database(target: Path) -> bool:
    try:
        with target.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def check_target(path: Path | str, force: bool, *, database_ok: bool = False) -> Path:
    """Refuse a target we must not write; returns it as a Path."""
    target = Path(path)
    if _is_ledger_file(target):
        raise InputError(
            f"{target} is the ledger (or one of its files); name another file to write"
        )
    if target.is_dir():
        raise InputError(f"{target} is a folder; name the file to write")
    if target.exists() or target.is_symlink():
        if not target.is_file() or target.is_symlink():
            raise InputError(f"{target} is not a regular file; name a new file to write")
        if not database_ok and _is_database(target):
            raise InputError(
                f"{target} is a database; a document never replaces one, name another file"
            )
        if not force:
            raise InputError(f"{target} already exists; choose another name or pass --force")
    if not target.parent.is_dir():
        raise InputError(f"the folder {target.parent} does not exist; create it first")
    return target


@contextmanager
def replacing(
    path: Path | str, force: bool, *, database_ok: bool = False, mode: int | None = None
) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it is renamed over ``path``. The file
    gets ``mode`` (a private key: 0600) or what the umask gives a new file (0644 under 022)."""
    target = check_target(path, force, database_ok=database_ok)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".partial", dir=target.parent
    )
    os.close(handle)
    os.chmod(temporary, 0o666 & ~_umask() if mode is None else mode)  # not mkstemp's 0600
    try:
        yield Path(temporary)
        check_target(target, force, database_ok=database_ok)  # nothing appeared meanwhile
        os.replace(temporary, target)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        Path(temporary).unlink(missing_ok=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_bytes(
    path: Path | str, data: bytes, force: bool = False, *, mode: int | None = None
) -> Path:
    with replacing(path, force, mode=mode) as temporary:
        temporary.write_bytes(data)
    return Path(path)


def write_with(
    path: Path | str,
    writer: Callable[[IO[str]], None],
    *,
    force: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """Write text through ``writer(handle)`` (e.g. a csv.writer) to ``path``."""
    with (
        replacing(path, force) as temporary,
        temporary.open("w", encoding=encoding, newline="") as handle,
    ):
        writer(handle)
    return Path(path)


#: What a spreadsheet runs as a formula: a cell starting with one of these (OWASP CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A plain number, such as a credit note's ``-2000.00``: a spreadsheet reads it as a number.
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def excel_safe(value: str) -> str:
    """A CSV cell a spreadsheet shows as written and never runs: one starting with =, +, -, @,
    a tab or a carriage return gets a leading single quote (OWASP CSV injection), unless it is
    a plain number (``-12.50``). Every CSV plvgov writes passes each cell through this."""
    if value[:1] in _FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
