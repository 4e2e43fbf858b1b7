"""The member CSV import: new bodies added, prospects admitted, rows that agree change nothing,
and any bad row refuses the whole file naming its row."""

from datetime import date

import pytest

from plvgov import audit
from plvgov.errors import InputError
from plvgov.membership import importing, members
from plvgov.membership import views as member_views
from tests.conftest import TODAY

D = date.fromisoformat


def _admit(ledger, slug, on="2023-04-01"):
    with ledger.write("test") as s:
        members.admit(s, members.find(s, slug), D(on))


CSV_OK = """name,code,address,admitted_on
Barking and Dagenham,E09000002,"Town Hall, Barking",2023-04-01
Bromley,E09000006,,
Surrey County Council,E10000030,"Woodhatch Place, Reigate",
Kent County Council,E10000016,,2024-04-01
"""


def test_import_admits_existing_prospects_and_adds_new_bodies(ledger):
    with ledger.write("test") as s:
        assert importing.import_members(s, CSV_OK) == 3  # Bromley's row changes nothing
    with ledger.read() as s:
        views = {v.slug: v for v in member_views.list_members(s, TODAY)}
        assert views["barking-and-dagenham"].status == "member"
        assert views["barking-and-dagenham"].joined_on == D("2023-04-01")
        assert views["bromley"].status == "prospect"
        assert views["surrey-county-council"].status == "prospect"
        assert views["kent-county-council"].status == "member"
        assert audit.head(s)[0] == 2  # one event for the whole import


def test_import_is_all_or_nothing_with_row_numbered_errors(ledger):
    text = CSV_OK + "Hackney,E09000012,,2023-13-01\nNowhere,E09000002,,2023-04-01\n"
    with pytest.raises(InputError) as caught:
        with ledger.write("test") as s:
            importing.import_members(s, text)
    message = caught.value.message
    assert "nothing imported" in message
    assert "row 6: admitted_on '2023-13-01'" in message
    assert "row 7:" in message and "E09000002" in message
    with ledger.read() as s:
        assert {v.status for v in member_views.list_members(s, TODAY)} == {"prospect"}
        assert audit.head(s)[0] == 1


def test_import_row_contradicting_an_existing_member_is_an_error_naming_the_row(ledger):
    _admit(ledger, "bromley", "2023-04-01")
    with (
        ledger.write("test") as s,
        pytest.raises(
            InputError,
            match=(
                r"row 2: Bromley has been a member since 2023-04-01, but the row says "
                r"admitted_on 2024-04-01"
            ),
        ),
    ):
        importing.import_members(
            s, "name,code,address,admitted_on\nBromley,E09000006,,2024-04-01\n"
        )


def test_import_agreeing_row_changes_nothing_and_records_no_event(ledger):
    _admit(ledger, "bromley", "2023-04-01")
    with ledger.write("test") as s:
        assert (
            importing.import_members(
                s, "name,code,address,admitted_on\nBromley,E09000006,,2023-04-01\n"
            )
            == 0
        )
    with ledger.read() as s:
        assert audit.head(s)[0] == 2


def test_import_needs_a_header(ledger):
    with ledger.write("test") as s, pytest.raises(InputError, match="header row"):
        importing.import_members(s, "Bromley,E09000006,,2023-04-01\n")
