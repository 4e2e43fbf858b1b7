"""Answers kept between runs in the user's cache directory: a shortcut, never a source of truth.

plvgov keeps here what a library computes slowly and always the same way from the same inputs:
the bank holidays the ``holidays`` package knows (:mod:`plvgov.bank_holidays`) and the charts
matplotlib draws for the board papers (:mod:`plvgov.documents.charts`). Each kept answer is
named by a key made from everything the answer depends on (the library's own files, plvgov's
code that asks, and the inputs), so a changed input, release or rule makes a new key and the
library is asked again. Nothing else is kept: the ledger is never cached.

The directory is ``PLVGOV_CACHE_DIR``, else ``$XDG_CACHE_HOME/plvgov``, else ``~/.cache/plvgov``.
A file that is missing, unreadable, damaged or not writable is passed over, and the library is
asked, as it would be without a cache. Files are replaced whole, so a reader never sees half of
one; of two writers at once, the last wins.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from contextlib import suppress
from importlib.util import find_spec
from pathlib import Path


def cache_dir() -> Path:
    """``PLVGOV_CACHE_DIR``, ``$XDG_CACHE_HOME/plvgov`` or ``~/.cache/plvgov``."""
    if chosen := os.environ.get("PLVGOV_CACHE_DIR"):
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "plvgov"


def package_digest(package: str, files: Iterable[str]) -> bytes | None:
    """The sha256 of ``files`` (paths inside the installed ``package``), found without
    importing it; None when the package is missing or its files cannot be read (say, from a
    zip): then nothing is kept for it."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    digest = hashlib.sha256()
    try:
        for name in files:
            digest.update(name.encode() + b"\0" + (folder / name).read_bytes())
    except OSError:
        return None
    return digest.digest()


def read_text(path: Path) -> str | None:
    """The file's text, or None when it is missing or unreadable."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` whole with ``text``; a failure to write is passed over."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part.write_text(text, encoding="utf-8")
        os.replace(part, path)
    except OSError:
        with suppress(OSError):
            part.unlink(missing_ok=True)


def prune(pattern: str, keep: int) -> None:
    """Remove all but the ``keep`` most recently written files matching ``pattern`` (a glob in
    the cache directory), so that kept answers for inputs long gone do not pile up."""
    try:
        found = sorted(cache_dir().glob(pattern), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    except OSError:
        return
    for old in found[keep:]:
        with suppress(OSError):
            old.unlink()
