"""The cache folder (plvgov.cache): where it is, whole-file writes, a write that fails costs
nothing, a key made from a package's own files, and old entries pruned."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from plvgov import cache


def test_the_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLVGOV_CACHE_DIR", "/srv/plv-cache")
    assert cache.cache_dir() == Path("/srv/plv-cache")
    monkeypatch.delenv("PLVGOV_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/home/secretary/.xdg")
    assert cache.cache_dir() == Path("/home/secretary/.xdg/plvgov")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "/home/secretary")
    assert cache.cache_dir() == Path("/home/secretary/.cache/plvgov")


def test_a_write_replaces_the_file_whole_and_leaves_no_part(tmp_path: Path) -> None:
    kept = tmp_path / "deep" / "folder" / "answer.txt"
    cache.write_text(kept, "first")
    cache.write_text(kept, "second")
    assert cache.read_text(kept) == "second"
    assert [p.name for p in kept.parent.iterdir()] == ["answer.txt"]


def test_a_write_that_cannot_be_made_is_passed_over(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    cache.write_text(blocker / "under-a-file.txt", "text")  # no folder can be made here
    assert cache.read_text(blocker / "under-a-file.txt") is None
    assert cache.read_text(tmp_path / "never-written.txt") is None


def test_the_key_is_the_content_of_the_packages_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "fakepkg_for_cache"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "_version.py").write_text('version = "1.0"\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    first = cache.package_digest("fakepkg_for_cache", ["_version.py"])
    assert first is not None and first == cache.package_digest("fakepkg_for_cache", ["_version.py"])
    (package / "_version.py").write_text('version = "1.1"\n')
    assert cache.package_digest("fakepkg_for_cache", ["_version.py"]) not in (None, first)
    assert "fakepkg_for_cache" not in sys.modules  # found, not imported
    assert cache.package_digest("fakepkg_for_cache", ["missing.py"]) is None
    assert cache.package_digest("no_such_package_here", ["_version.py"]) is None


def test_prune_keeps_the_most_recently_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLVGOV_CACHE_DIR", str(tmp_path))
    for n in range(5):
        path = tmp_path / f"chart-{n}.svg"
        path.write_text("<svg/>")
        os.utime(path, ns=(n * 10**9, n * 10**9))
    (tmp_path / "bank-holidays-x.json").write_text("{}")
    cache.prune("chart-*.svg", 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bank-holidays-x.json",
        "chart-3.svg",
        "chart-4.svg",
    ]
