"""What the CLI tests share: a ledger with members to bill, and the checks on a refusal."""

from __future__ import annotations

import pytest


def events(run) -> int:
    return run("audit", "verify", "--json").json()["events"]


def refused(result, fragment: str, code: int = 1) -> None:
    assert result.code == code, (result.out, result.err)
    assert result.err.startswith("Error: ") and result.err.count("\n") == 1, result.err
    assert fragment in result.err
    assert "Traceback" not in result.err + result.out


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
