"""The CLI tests' fixtures: a ledger with members to bill (helpers are in tests/cli/helpers.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def billed(run, ledger, tmp_path):
    members = tmp_path / "members.csv"
    members.write_text(
        "name,code,address,admitted_on\n"
        'Bromley,E09000006,"Civic Centre, Stockwell Close",2023-04-01\n'
        "Camden,E09000007,,2023-04-01\n"
        "Barnet,E09000003,,2025-12-01\n",
        "utf-8",
    )
    assert run("member", "import", str(members)).code == 0
    assert run("settings", "set", "launch_date", "2025-10-01").code == 0
    return run
