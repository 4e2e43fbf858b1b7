"""`plvgov breaks`: commitment cycles and exit points (plvgov/cli/exits.py)."""

from __future__ import annotations


def test_breaks_lists_cycles_and_exit_points(ledger, run):
    data = run("breaks", "--until", "2043-03-31", "--json").json()
    assert [p["on"] for p in data["exit_points"]] == [
        "2026-03-31",
        "2028-03-31",
        "2033-03-31",
        "2038-03-31",
        "2043-03-31",
    ]
    assert data["exit_points"][0] == {
        "on": "2026-03-31",
        "kind": "break",
        "notice_deadline": "2025-09-30",
    }
    assert data["cycles"][1] == {
        "number": 2,
        "starts_on": "2028-04-01",
        "ends_on": "2038-03-31",
        "break_on": "2033-03-31",
    }
