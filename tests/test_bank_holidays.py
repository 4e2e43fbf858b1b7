"""Bank holidays are the ``holidays`` package's, kept between runs (plvgov.bank_holidays): the
kept answer is the package's answer, a later run does not import the package, and a cache
that is damaged, unwritable or made by another release of the package is passed over."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from plvgov import bank_holidays
from plvgov import cache as cache_module


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLVGOV_CACHE_DIR", str(folder))
    bank_holidays.days.cache_clear()
    yield folder
    bank_holidays.days.cache_clear()


def _file(folder: Path) -> Path:
    (found,) = folder.glob("bank-holidays-*.json")
    return found


@pytest.mark.parametrize("nation", ["ENG", "WLS", "SCT", "NIR"])
def test_the_kept_days_are_the_packages_days(nation: str, cache: Path) -> None:
    for year in range(2020, 2033):  # 2020's VE Day moved; 2022's jubilee and funeral
        asked = bank_holidays.days(nation, year)
        bank_holidays.days.cache_clear()  # the next answer comes from the file
        assert bank_holidays.days(nation, year) == asked == bank_holidays.from_package(nation, year)
    assert f"GB-{nation}-2026" in json.loads(_file(cache).read_text())


def test_england_2026_and_scotland_2026_from_the_file(cache: Path) -> None:
    bank_holidays.days("ENG", 2026), bank_holidays.days("SCT", 2026)
    kept = json.loads(_file(cache).read_text())
    # Boxing Day 2026 is a Saturday: its substitute is Monday 28 December
    assert "2026-12-28" in kept["GB-ENG-2026"]
    assert "2026-11-30" in kept["GB-SCT-2026"]  # St Andrew's Day, Scotland only
    assert "2026-11-30" not in kept["GB-ENG-2026"]


def _in_a_new_process(cache: Path) -> tuple[bool, list[str]]:
    program = (
        "import json, sys\n"
        "from plvgov import bank_holidays\n"
        "days = sorted(d.isoformat() for d in bank_holidays.days('ENG', 2027))\n"
        "print(json.dumps(['holidays' in sys.modules, days]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        env={"PLVGOV_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    imported, days = json.loads(done.stdout)
    return imported, days


def test_a_later_run_does_not_import_the_package(cache: Path) -> None:
    imported_first, first = _in_a_new_process(cache)
    imported_later, later = _in_a_new_process(cache)
    assert (imported_first, imported_later) == (True, False)
    assert first == later
    assert "2027-03-26" in later and "2027-03-29" in later  # Good Friday, Easter Monday 2027


def test_a_damaged_file_is_passed_over_and_replaced(cache: Path) -> None:
    bank_holidays.days("ENG", 2026)
    kept = _file(cache)
    kept.write_text("{not json")
    bank_holidays.days.cache_clear()
    assert bank_holidays.days("ENG", 2026) == bank_holidays.from_package("ENG", 2026)
    assert "GB-ENG-2026" in json.loads(kept.read_text())


def test_a_damaged_entry_is_asked_of_the_package_again(cache: Path) -> None:
    bank_holidays.days("ENG", 2026)
    kept = _file(cache)
    kept.write_text(json.dumps({"GB-ENG-2026": ["the first of May"]}))
    bank_holidays.days.cache_clear()
    assert date(2026, 5, 4) in bank_holidays.days("ENG", 2026)  # the early May bank holiday


def test_a_cache_that_cannot_be_written_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("PLVGOV_CACHE_DIR", str(blocker / "cache"))  # under a file: no folder
    assert bank_holidays.days("ENG", 2026) == bank_holidays.from_package("ENG", 2026)


def test_another_release_of_the_package_does_not_read_the_old_answers(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "holidays"
    (package / "countries").mkdir(parents=True)
    (package / "version.py").write_text('__version__ = "0.1"\n')
    (package / "countries" / "united_kingdom.py").write_text("# the UK's rules\n")
    spec = SimpleNamespace(submodule_search_locations=[str(package)])
    monkeypatch.setattr(cache_module, "find_spec", lambda name: spec)
    cache.mkdir()
    old = bank_holidays._cache_file()
    assert old is not None
    old.write_text(json.dumps({"GB-ENG-2026": ["2026-02-02"]}))  # what the old release said
    assert bank_holidays.days("ENG", 2026) == {date(2026, 2, 2)}

    (package / "version.py").write_text('__version__ = "0.2"\n')
    bank_holidays.days.cache_clear()
    assert bank_holidays._cache_file() != old
    assert bank_holidays.days("ENG", 2026) == bank_holidays.from_package("ENG", 2026)


def test_the_files_of_releases_before_the_last_two_are_removed(cache: Path) -> None:
    cache.mkdir()
    old = [cache / f"bank-holidays-{n:016x}.json" for n in range(4)]
    for age, path in enumerate(old):  # written 4, 3, 2 and 1 hours ago
        path.write_text("{}")
        ago = 3600 * (4 - age)
        os.utime(path, (time.time() - ago, time.time() - ago))
    chart = cache / "chart-0123.svg"  # another kind of kept answer: not the holidays' to prune
    chart.write_text("<svg/>")
    bank_holidays.days("ENG", 2026)  # asked of the package, and kept
    current = bank_holidays._cache_file()
    assert current is not None and current.exists()
    assert set(cache.glob("bank-holidays-*.json")) == {current, old[3]}
    assert chart.exists()
