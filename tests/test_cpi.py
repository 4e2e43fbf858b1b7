"""CPI indexation: the shipped D7BT series, imports in both formats, revisions kept, and
clear refusals naming the line of a malformed file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from plvgov import audit
from plvgov.billing import cpi as indexation
from plvgov.billing import cpi_import, schemes
from plvgov.errors import InputError

ONS_FILE = Path(__file__).parent / "data" / "ons_d7bt_2026_11.csv"


def _events(ledger) -> int:
    with ledger.read() as session:
        return audit.head(session)[0]


def test_init_loads_the_shipped_series(ledger):
    with ledger.read() as session:
        rows = indexation.values(session)
        assert len(rows) == 134  # SOURCES.md: 2015-01 to 2026-02, no gaps
        assert (rows[0].month, rows[-1].month) == ("2015-01", "2026-02")
        assert indexation.index_for(session, "2022-09") == Decimal("123.8")
        assert indexation.index_for(session, "2023-09") == Decimal("132.0")
        assert indexation.index_for(session, "2026-09") is None


def test_ons_csv_as_downloaded_loads_only_the_monthly_rows(ledger):
    text = ONS_FILE.read_text("utf-8")
    with ledger.write("test") as session:
        result = cpi_import.import_series(session, text, ONS_FILE.name)
    # 2024 JAN to 2026 OCT: 34 monthly rows; the yearly and quarterly rows are not months
    assert (result.loaded, result.first_month, result.last_month) == (34, "2024-01", "2026-10")
    assert (result.added, result.revised, result.unchanged) == (8, 0, 26)
    with ledger.read() as session:
        assert indexation.index_for(session, "2026-09") == Decimal("142.8")
        assert indexation.index_for(session, "2025-09") == Decimal("139.3")
        assert schemes.missing_months(session, date(2026, 11, 23)) == []


def test_plain_month_index_csv_ignores_extra_columns(ledger):
    text = "month,index,note\n2026-03,141.0,provisional\n2026-04,141.6,\n"
    with ledger.write("test") as session:
        result = cpi_import.import_series(session, text, "plain.csv")
    assert (result.loaded, result.added, result.first_month, result.last_month) == (
        2,
        2,
        "2026-03",
        "2026-04",
    )


def test_a_revised_month_is_kept_as_a_revision_not_overwritten_silently(ledger):
    before = _events(ledger)
    with ledger.write("test") as session:
        result = cpi_import.import_series(session, "month,index\n2025-12,140.2\n", "rev.csv")
    assert result.revised == 1
    assert result.revisions == [{"month": "2025-12", "previous": "140.1", "revised": "140.2"}]
    with ledger.read() as session:
        assert indexation.index_for(session, "2025-12") == Decimal("140.2")
        [revision] = indexation.revisions(session)
        assert (revision.previous_value, revision.revised_value) == ("140.1", "140.2")
        event = audit.latest(session, 1)[0]
        assert event.action == "cpi.import" and "140.1" in event.payload
    assert _events(ledger) == before + 1  # one audit event


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("month,index\n2026-03,141.0\n2026-04,abc\n", "line 3"),
        ("month,index\n2026-13,141.0\n", "line 2"),
        ("month,index\n2026-03,-1\n", "line 2"),
        ('"Title","CPI"\n"CDID","D7BT"\n"2024","133.9"\n"2024 SEP","x"\n', "line 4"),
        ('"CDID","D7BT"\n"2024 SEP","134.2"\n"Footnote","oops"\n', "line 3"),
        ('"CDID","L55O"\n"2024 SEP","134.2"\n', "series L55O"),
        ("", "empty"),
    ],
)
def test_a_malformed_file_is_refused_whole_naming_the_line(ledger, text, fragment):
    before = _events(ledger)
    with pytest.raises(InputError) as caught, ledger.write("test") as session:
        cpi_import.import_series(session, text, "bad.csv")
    assert fragment in caught.value.message
    assert "\n" not in caught.value.message
    assert _events(ledger) == before
    with ledger.read() as session:
        assert indexation.index_for(session, "2026-03") is None  # all or nothing


def test_missing_months_names_the_next_runs_cpi(ledger):
    with ledger.read() as session:
        # FY 2026/27 needs Sept 2025 (loaded); FY 2027/28 needs Sept 2026 (not shipped)
        assert schemes.missing_months(session, date(2026, 11, 23)) == ["2026-09"]
        assert schemes.missing_months(session, date(2025, 6, 1)) == []
