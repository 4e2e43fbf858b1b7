"""Nothing a user must read is cut (issue 13, item 9): every listing, at 60, 80 and 120 columns
and piped to a file, shows each identifier, amount and date of its JSON whole, and every word
of its prose unbroken."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from plvgov import cli
from plvgov.money import format_gbp
from tests.conftest import TODAY

#: (command line, where its records are in the JSON, {key: how the text shows it}).
#: "id": as it is; "money": £1,234.56; "date": ISO; "at": "YYYY-MM-DD HH:MM"; "words": every
#: word of it. Only the columns a listing keeps at every width (not its optional ones).
LISTINGS: list[tuple[list[str], str, dict[str, str]]] = [
    (
        ["invoice", "list"],
        "",
        {
            "number": "id",
            "member": "words",
            "due_on": "date",
            "paid": "money",
            "balance": "money",
            "status": "id",
        },
    ),
    (
        ["invoice", "arrears"],
        "",
        {"number": "id", "member": "words", "days_overdue": "id", "balance": "money"},
    ),
    (
        ["member", "list"],
        "",
        {"gss_code": "id", "name": "words", "joined_on": "date"},
    ),
    (
        ["member", "statement", "E09000008"],
        "lines",
        {"on": "date", "reference": "id", "balance": "money"},
    ),
    (
        ["board", "resolutions"],
        "",
        {"id": "id", "title": "words", "member": "words", "status": "id", "decided_on": "date"},
    ),
    (["calendar"], "", {"on": "date", "subject": "words", "detail": "words"}),
    (["check"], "", {"severity": "id", "subject": "words", "message": "words"}),
    (["breaks"], "cycles", {"starts_on": "date", "ends_on": "date", "break_on": "date"}),
    (["breaks"], "exit_points", {"on": "date", "notice_deadline": "date"}),
    (["cpi", "show"], "months", {"month": "id", "index": "id", "source": "id"}),
    (
        ["resolution", "list"],
        "",
        {"id": "id", "title": "words", "type": "id", "status": "id", "passed_on": "date"},
    ),
    (
        ["meeting", "list"],
        "",
        {"id": "id", "at": "at", "place": "words", "earliest_valid_on": "date"},
    ),
]

WIDTHS = ["60", "80", "120", "piped"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demonstration ledger (its papers left out: nothing here reads them)."""
    from plvgov.demo import billing, build, decisions, membership

    folder = tmp_path_factory.mktemp("widths")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "plvgov.demo._chapters", lambda: [membership.build, billing.build, decisions.build]
        )
        build(folder, TODAY)
    return str(folder / "ledger.db")


@pytest.fixture
def shown(demo_db, capsys, monkeypatch):
    monkeypatch.setenv("PLVGOV_DB", demo_db)
    monkeypatch.setenv("PLVGOV_TODAY", TODAY.isoformat())

    def _run(args: list[str], width: str) -> str:
        if width == "piped":  # capsys is no terminal, as a pipe or a file is not
            monkeypatch.delenv("COLUMNS", raising=False)
        else:
            monkeypatch.setenv("COLUMNS", width)
        capsys.readouterr()
        assert cli.run(args) == 0, capsys.readouterr().err
        return capsys.readouterr().out

    return _run


def _expected(value: Any, kind: str) -> list[str]:
    if value is None:
        return []
    if kind == "money":
        return [format_gbp(Decimal(value))]
    if kind == "at":
        return [value[:16].replace("T", " ")]
    if kind == "words":
        return str(value).split()
    return [str(value)]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("args", "where", "keys"), LISTINGS, ids=[" ".join(a) + f" {w}" for a, w, _ in LISTINGS]
)
def test_every_identifier_amount_and_date_is_shown_whole(shown, args, where, keys, width):
    data = json.loads(shown([*args, "--json"], "200"))
    records = data[where] if where else data
    assert records, "the demonstration ledger has rows for this listing"
    text = shown(args, width)
    for record in records:
        for key, kind in keys.items():
            for token in _expected(record[key], kind):
                assert token in text, f"{' '.join(args)} at {width}: {key} {token!r} cut"


@pytest.mark.parametrize("width", WIDTHS)
def test_settings_show_keeps_every_key_whole_and_no_internal_marks(shown, width):
    data = json.loads(shown(["settings", "show", "--json"], "200"))
    text = shown(["settings", "show"], width)
    assert "[U]" not in text
    for key, value in data.items():
        assert key in text, f"settings show at {width}: {key} broken"
        for word in value.split() if isinstance(value, str) else ():
            assert word in text, f"settings show at {width}: {key}'s value {word!r} cut"


def test_a_narrow_console_leaves_out_optional_columns_and_says_so(shown):
    text = shown(["invoice", "list"], "80")
    assert "not shown at this width" in text
    assert "balance" in text and "status" in text
    assert all(len(line.rstrip()) <= 80 for line in text.splitlines())


def test_a_console_too_narrow_for_any_table_gets_one_block_per_row(shown):
    text = shown(["member", "statement", "E09000008"], "60")
    assert "reference:" in text and "balance:" in text
    assert all(len(line.rstrip()) <= 60 for line in text.splitlines())


@pytest.mark.parametrize("width", [40, 80])
def test_a_table_is_as_wide_as_its_widest_rows_and_may_have_none(width: int) -> None:
    """Its width is measured from the rows holding each column's widest line; the whole
    table lays out the same, and a table without rows is its header."""
    import io

    from rich.console import Console

    from plvgov.cli._tables import table

    def printed(listing: Any) -> str:
        out = io.StringIO()
        Console(file=out, width=width, color_system=None).print(listing)
        return out.getvalue()

    rows = [("PLV-2026-0001", "Barking and Dagenham", "a short note")] + [
        (f"PLV-2026-{n:04d}", "Sutton", "word " * n) for n in range(2, 12)
    ]
    listing = table("Invoices", ["number", "member", "note"], rows)
    whole = printed(listing)
    assert "PLV-2026-0011" in whole and "Barking and Dagenham" in whole
    assert max(len(line) for line in whole.splitlines()) <= width
    assert listing._widest_rows([0, 1, 2]) == [
        ["PLV-2026-0001", "Barking and Dagenham", "a short note"],
        ["PLV-2026-0011", "Sutton", "word " * 11],
    ]
    assert "number" in printed(table("Invoices", ["number", "member"], []))
