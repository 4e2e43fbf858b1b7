"""Writing files a command was asked to write (``--out``, ``--ics``, ``backup FILE``,
``invoice export --out``): only the named path, only a regular file, never a half-written one.

A target that exists is replaced only with ``force``; a device, folder or other special file is
never replaced (``--out /dev/null --force`` must not turn /dev/null into a file); the folder must
exist. Content goes to a temporary file beside the target and is renamed over it, so a crash
leaves the old file or the new one, nothing in between.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from plvgov.errors import InputError


def check_target(path: Path | str, force: bool) -> Path:
    """Refuse a target we must not write; returns it as a Path."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target} is a folder; name the file to write")
    if target.exists() or target.is_symlink():
        if not target.is_file() or target.is_symlink():
            raise InputError(f"{target} is not a regular file; name a new file to write")
        if not force:
            raise InputError(f"{target} already exists; choose another name or pass --force")
    if not target.parent.is_dir():
        raise InputError(f"the folder {target.parent} does not exist; create it first")
    return target


@contextmanager
def replacing(path: Path | str, force: bool) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it is renamed over ``path``."""
    target = check_target(path, force)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".partial", dir=target.parent
    )
    os.close(handle)
    try:
        yield Path(temporary)
        check_target(target, force)  # nothing appeared there meanwhile
        os.replace(temporary, target)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        Path(temporary).unlink(missing_ok=True)


def write_bytes(path: Path | str, data: bytes, force: bool = False) -> Path:
    with replacing(path, force) as temporary:
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
