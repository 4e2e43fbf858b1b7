"""Bank holidays in a part of the United Kingdom, from the ``holidays`` package, kept between
runs.

Importing ``holidays`` imports every country it knows (about 200 modules, 0.2 s: a fifth of a
``check``), though plvgov asks only for the United Kingdom's days. Those days are a function of
the package's own rules, the part of the UK and the year, so each answer is kept in a small file
in the user's cache directory (``PLVGOV_CACHE_DIR``, else ``$XDG_CACHE_HOME/plvgov``, else
``~/.cache/plvgov``) under a key made from the installed package's version file and its United
Kingdom rules (:mod:`plvgov.cache`). Another release of the package, with a new proclamation in
it, makes another key, so its days are read from the package again; nothing here knows a holiday
itself; the files of releases before the last two are removed as a new one is written. A
missing, damaged or unwritable cache is passed over and the package asked.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

from plvgov import cache

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


def _cache_file() -> Path | None:
    """The cache file for the installed ``holidays`` package (None when the package's files
    cannot be read: then there is no cache)."""
    digest = cache.package_digest("holidays", _KEYED_FILES)
    if digest is None:
        return None
    return cache.cache_dir() / f"bank-holidays-{digest.hex()[:16]}.json"


def _read(path: Path) -> dict[str, list[str]]:
    text = cache.read_text(path)
    try:
        kept = json.loads(text) if text is not None else {}
    except ValueError:
        return {}
    return kept if isinstance(kept, dict) else {}


#: Files kept: this release's and the one before it (two installs of plvgov side by side, each
#: with its release of the package, keep their answers); older releases' files are removed.
KEEP = 2


def _write(path: Path, kept: dict[str, list[str]]) -> None:
    """Replace the file whole (of two writers, the last wins, and what the other added is asked
    of the package again next time), then remove the files of releases before the last two."""
    cache.write_text(path, json.dumps(kept, sort_keys=True))
    cache.prune("bank-holidays-*.json", KEEP)
