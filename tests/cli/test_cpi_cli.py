"""The `cpi` commands, driven in-process: the JSON the contract fixes, revisions shown, and a
malformed file refused as one `Error:` line naming the line, with nothing written."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import audit_events, refused

ONS_FILE = Path(__file__).parent.parent / "data" / "ons_d7bt_2026_11.csv"


def test_cpi_import_json_and_show(run, ledger):
    result = run("cpi", "import", str(ONS_FILE), "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert (data["loaded"], data["first_month"], data["last_month"]) == (34, "2024-01", "2026-10")
    shown = run("cpi", "show", "--from", "2026-08", "--json").json()
    assert [m["month"] for m in shown["months"]] == ["2026-08", "2026-09", "2026-10"]
    assert shown["months"][1]["index"] == "142.8"


def test_cpi_revision_is_shown(run, ledger, tmp_path):
    revised = tmp_path / "rev.csv"
    revised.write_text("month,index\n2025-12,140.2\n", "utf-8")
    assert "revised from 140.1 to 140.2" in run("cpi", "import", str(revised)).out
    table = run("cpi", "show").out
    assert "Revisions" in table and "140.1" in table


def test_malformed_cpi_file_names_the_line_and_writes_nothing(run, ledger, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text('"CDID","D7BT"\n"2026 SEP","142.8"\n"2026 OCT","n/a"\n', "utf-8")
    before = audit_events(run)
    refused(run("cpi", "import", str(bad)), "line 3")
    assert audit_events(run) == before
