"""`plvgov demo` (plvgov/cli/demo.py)."""

from __future__ import annotations

import pytest

from plvgov.db import is_sqlite
from tests.cli.helpers import audit_events, one_error_line


def test_demo_refuses_to_overwrite_a_real_ledger(ledger, run, tmp_path):
    if not is_sqlite(ledger.url):
        pytest.skip("the demo writes a SQLite file")
    result = run("demo", "--dir", str(tmp_path))  # tmp_path/ledger.db is the real ledger
    one_error_line(result)
    assert "not a demonstration ledger" in result.err
    assert audit_events(run) == 1
