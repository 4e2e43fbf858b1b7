"""Imports are strict (issue 10, item 7): unknown or missing headers, malformed rows and
out-of-range values are refused with one ``Error:`` line naming the row, and nothing is
written. ASCII digits only: ``1_40``, ``1e999999`` and Arabic-Indic digits are not numbers."""

from __future__ import annotations

import pytest

from plvgov import audit
from plvgov.billing import cpi as indexation
from plvgov.billing import cpi_import
from plvgov.db import Ledger
from plvgov.membership import members
from plvgov.membership import views as member_views
from tests.conftest import TODAY

HEADER = "name,code,address,admitted_on\n"


def _head(ledger: Ledger) -> tuple[int, str]:
    with ledger.read() as s:
        return audit.head(s)


def _refused(result, *needles: str) -> str:
    assert result.code == 1, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


# -- member import --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "needles"),
    [
        # a misspelt header used to turn every member into a prospect
        (
            "name,code,address,admited_on\nBromley,E09000006,,2024-04-01\n",
            ["row 1", "unknown column 'admited_on'", "did you mean admitted_on"],
        ),
        ("name,code,admitted_on\nBromley,E09000006,2024-04-01\n", ["row 1", "no address column"]),
        (
            "name,code,address,admitted_on,notes\nBromley,E09000006,,2024-04-01,x\n",
            ["row 1", "unknown column 'notes'"],
        ),
        (
            "name,code,address,admitted_on,\nBromley,E09000006,,2024-04-01,\n",
            ["row 1", "unknown column ''"],
        ),
        (
            "name,code,name,address,admitted_on\nBromley,E09000006,B,,2024-04-01\n",
            ["row 1", "name appears twice"],
        ),
        ("Bromley,E09000006,,2024-04-01\n", ["row 1", "header row"]),
        ("", ["empty", "header row"]),
        # an unterminated quote used to create a member named "unterminated,,,2024-04-01"
        (HEADER + '"unterminated,,,2024-04-01\n', ["row 2", "quote"]),
        (HEADER + 'Bromley,E09000006,"x"y,2024-04-01\n', ["row 2", "malformed"]),
        (HEADER + "Bromley,E09000006,,2024-04-01,extra\n", ["row 2", "5 fields", "has 4"]),
        (HEADER + "Bromley,E09000006\n", ["row 2", "2 fields"]),
        (HEADER + 'Camden,E09000007,,\n"Two\nLines",,,2024-04-01\n', ["row 3", "line break"]),
        (HEADER + "A\x00B,,,2024-04-01\n", ["row 2"]),
        (HEADER + "A" * 201 + ",,,2024-04-01\n", ["row 2", "name is over 200 characters"]),
        # dates far outside 1900-2199, or not in the one ISO spelling
        (HEADER + "Bromley,E09000006,,0001-01-01\n", ["row 2", "admitted_on '0001-01-01'"]),
        (HEADER + "Bromley,E09000006,,9999-12-31\n", ["row 2", "1900-01-01 and 2199-12-31"]),
        (HEADER + "Bromley,E09000006,,1899-12-31\n", ["row 2", "admitted_on"]),
        (HEADER + "Bromley,E09000006,,20240401\n", ["row 2", "YYYY-MM-DD"]),
        (HEADER + "Bromley,E09000006,,٢٠٢٤-٠٤-٠١\n", ["row 2", "YYYY-MM-DD"]),
        (HEADER + "Camden,E09000007,,\nSomewhere,E٠٩000099,,\n", ["row 3", "not a GSS code"]),
    ],
)
def test_a_malformed_member_csv_is_refused_naming_the_row(run, ledger, tmp_path, text, needles):
    before = _head(ledger)
    path = tmp_path / "members.csv"
    path.write_text(text, "utf-8")
    _refused(run("member", "import", str(path)), *needles)
    assert _head(ledger) == before
    with ledger.read() as s:
        assert {v.status for v in member_views.list_members(s, TODAY)} == {"prospect"}
        assert len(members.everyone(s)) == 33


def test_the_columns_may_come_in_any_order_and_blank_lines_are_skipped(run, ledger, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(
        "\ufeffAdmitted_On, Name ,CODE,address\n\n2023-04-01,Bromley,E09000006,\n\n"
        '2024-04-01,Kent County Council,E10000016,"Sessions House, Maidstone"\n',
        "utf-8",
    )
    assert run("member", "import", str(path), "--json").json() == {"imported": 2}
    with ledger.read() as s:
        views = {v.slug: v for v in member_views.list_members(s, TODAY)}
    assert views["bromley"].status == "member"
    assert views["kent-county-council"].status == "member"


# -- CPI import -----------------------------------------------------------------------------------
ONS_HEAD = '"Title","CPI INDEX 00: ALL ITEMS 2015=100"\n"CDID","D7BT"\n'


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ("month,index\n2026-12,1_40\n", ["line 2", "'1_40' is not an index value"]),
        ("month,index\n2026-12,1e999999\n", ["line 2", "'1e999999'"]),
        ("month,index\n2026-12,١٤٠.٢\n", ["line 2", "not an index value"]),
        ("month,index\n2026-12,NaN\n", ["line 2", "not an index value"]),
        ("month,index\n2026-12,0\n", ["line 2", "more than 0"]),
        ("month,index\n2026-12,99999\n", ["line 2", "less than 10000"]),
        ("month,index\n2026-12,140.12345\n", ["line 2", "3 decimal places"]),
        ("month,index\n0000-09,140.2\n", ["line 2", "month '0000-09'", "1900-2199"]),
        ("month,index\n2026-13,140.2\n", ["line 2", "month '2026-13'"]),
        ("month,index\n٢٠٢٦-١٢,140.2\n", ["line 2", "YYYY-MM"]),
        ("month,index\n2026-12,140.2,extra\n", ["line 2", "3 fields"]),
        ('month,index\n2026-11,140.1\n"2026-12,140.2\n', ["line 3", "quote"]),
        ("month,indx\n2026-12,140.2\n", ["line 1", "'indx' misspelt"]),
        ("month,index,index\n2026-12,140.2,141\n", ["line 1", "index appears twice"]),
        (ONS_HEAD + '"2026 DEC","1_40"\n', ["line 3", "'1_40'"]),
        (ONS_HEAD + '"0000 SEP","140.2"\n', ["line 3", "'0000 SEP'", "1900-2199"]),
        (ONS_HEAD + '"2026 DEC","140.2"\n"٢٠٢٦ DEC","140.2"\n', ["line 4", "not a year"]),
    ],
)
def test_a_malformed_cpi_file_is_refused_naming_the_line(run, ledger, tmp_path, text, needles):
    before = _head(ledger)
    with ledger.read() as s:
        loaded = [(v.month, v.index_value) for v in indexation.values(s)]
    path = tmp_path / "cpi.csv"
    path.write_text(text, "utf-8")
    _refused(run("cpi", "import", str(path)), *needles)
    assert _head(ledger) == before
    with ledger.read() as s:
        assert [(v.month, v.index_value) for v in indexation.values(s)] == loaded


def test_a_plain_cpi_file_in_canonical_form_still_loads(ledger):
    with ledger.write("test") as s:
        result = cpi_import.import_series(
            s, "month,index,note\n2026-12,143.1,provisional\n2027-01,142.9,\n", "plain.csv"
        )
    assert (result.added, result.first_month, result.last_month) == (2, "2026-12", "2027-01")
