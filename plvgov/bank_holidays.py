"""Bank holidays in a part of the United Kingdom, from the ``holidays`` package, kept between
runs.

Importing ``holidays`` imports every country it knows (about 200 modules, 0.2 s: a fifth of a
``check``), though plvgov asks only for the United Kingdom's days. Those days are a function of
the package's own rules, the part of the UK and the year, so each answer is kept in a small file
in the user's cache directory (``PLVGOV_CACHE_DIR``, else ``$XDG_CACHE_HOME/plvgov``, else
``~/.cache/plvgov``) under a key made from the installed package's version file and its United
Kingdom rules. Another release of the package, with a new proclamation in it, makes another key,
so its days are read from the package again; nothing here knows a holiday itself.

The cache is only a shortcut: a file that is missing, unreadable, damaged or not writable is
passed over, and the package is asked, as it would be without one.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import suppress
from datetime import date
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

#: The package's files whose content is the cache key: its version, and its UK rules.
_KEYED_FILES = ("version.py", "countries/united_kingdom.py")


@lru_cache(maxsize=256)
def days(nation: str, year: int) -> frozenset[date]:
    """Bank holidays (with Christmas Day, Good Friday and substitute days) in ``nation`` ("ENG",
    "WLS", "SCT" or "NIR", as the ``holidays`` package names the parts of the UK) in ``year``."""
    entry = f"GB-{nation}-{year}"
    path = _cache_file()
    kept = _read(path) if path is not None else {}
    if entry in kept:
        try:
            return frozenset(date.fromisoformat(day) for day in kept[entry])
        except (TypeError, ValueError):
            pass  # a damaged entry: ask the package, and keep its answer instead
    found = from_package(nation, year)
    if path is not None:
        kept[entry] = sorted(day.isoformat() for day in found)
        _write(path, kept)
    return found


def from_package(nation: str, year: int) -> frozenset[date]:
    """The ``holidays`` package's answer, without the cache."""
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv=nation, years=year).keys())


def cache_dir() -> Path:
    """Where the cache file lives (``PLVGOV_CACHE_DIR``, ``$XDG_CACHE_HOME/plvgov`` or
    ``~/.cache/plvgov``)."""
    if chosen := os.environ.get("PLVGOV_CACHE_DIR"):
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "plvgov"


def _cache_file() -> Path | None:
    """The cache file for the installed ``holidays`` package (None when the package's files
    cannot be read, say from a zip: then there is no cache)."""
    spec = find_spec("holidays")
    if spec is None or not spec.submodule_search_locations:
        return None
    package = Path(next(iter(spec.submodule_search_locations)))
    digest = hashlib.sha256()
    try:
        for name in _KEYED_FILES:
            digest.update((package / name).read_bytes())
    except OSError:
        return None
    return cache_dir() / f"bank-holidays-{digest.hexdigest()[:16]}.json"


def _read(path: Path) -> dict[str, list[str]]:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _write(path: Path, kept: dict[str, list[str]]) -> None:
    """Replace the file whole (a reader never sees half of it; of two writers, the last wins,
    and what the other added is asked of the package again next time)."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part.write_text(json.dumps(kept, sort_keys=True), encoding="utf-8")
        os.replace(part, path)
    except OSError:
        with suppress(OSError):
            part.unlink(missing_ok=True)
