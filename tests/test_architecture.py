"""The layers hold: foundations <- domains <- papers and oversight <- cli, demo (issue 11).

`lint-imports` checks the contracts in pyproject.toml; this test runs it on the package, and on a
copy with an upward import added on purpose, which must fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(where: Path, env_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT), "--config", str(where / "pyproject.toml"), "--no-cache"],
        cwd=where,
        env={"PYTHONPATH": str(env_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_package_keeps_its_layers_and_has_no_cycles():
    result = _lint(ROOT, ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("dates.py", "import plvgov.cli"),  # a foundation reaching the CLI
        ("membership/members.py", "import plvgov.billing.schemes"),  # a domain reaching sideways up
        ("billing/schemes.py", "import plvgov.documents"),  # a domain reaching the papers
    ],
)
def test_an_upward_import_fails_the_lint(tmp_path, module, upward):
    shutil.copytree(
        ROOT / "plvgov", tmp_path / "plvgov", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "plvgov" / module
    target.write_text(target.read_text() + f"\n{upward}  # added on purpose by the test\n")
    result = _lint(tmp_path, tmp_path)
    assert result.returncode == 1, result.stdout[-2000:]
    assert "BROKEN" in result.stdout
