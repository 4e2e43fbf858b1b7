"""`member peppol`, `settings set peppol_id`, `render invoice|credit-note --format ubl` and the
`check` findings for missing Peppol addresses, as a secretary types them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from plvgov.db import Ledger
from tests.cli.helpers import audit_events, refused_cleanly
from tests.einvoice.validation import findings
from tests.stories import build_story


@pytest.fixture
def story(ledger: Ledger) -> Ledger:
    build_story(ledger)
    return ledger


def addressed(run: Callable) -> None:
    assert run("settings", "set", "peppol_id", "0088:5060000000009").code == 0
    assert run("member", "peppol", "barking-and-dagenham", "0088:5060000000016").code == 0
    assert run("member", "peppol", "bromley", "0088:5060000000023").code == 0


def test_member_peppol_records_the_address(ledger: Ledger, run: Callable) -> None:
    before = audit_events(run)
    result = run("member", "peppol", "camden", " 9932:GB123456789 ")
    assert result.code == 0, result.err
    assert result.out.strip() == "Camden's Peppol address is now 9932:GB123456789."
    assert audit_events(run) == before + 1
    data = run("member", "peppol", "E09000007", "0088:5060000000016", "--json").json()
    assert data["slug"] == "camden" and data["peppol_id"] == "0088:5060000000016"


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("1234:5060000000016", "scheme is on Peppol's EAS code list"),
        ("0088:5060000000015", "valid check digit"),
        ("5060000000016", "SCHEME:ID"),
    ],
)
def test_member_peppol_refuses_a_bad_address(
    ledger: Ledger, run: Callable, address: str, says: str
) -> None:
    refused_cleanly(run, ledger, "member", "peppol", "camden", address, says=says)


def test_member_peppol_refuses_the_address_it_has(ledger: Ledger, run: Callable) -> None:
    assert run("member", "peppol", "camden", "0088:5060000000016").code == 0
    refused_cleanly(run, ledger, "member", "peppol", "camden", "0088:5060000000016", says="already")


def test_settings_refuse_a_bad_company_address(ledger: Ledger, run: Callable) -> None:
    refused_cleanly(
        run,
        ledger,
        "settings",
        "set",
        "peppol_id",
        "0088:123",
        says="peppol_id takes a GLN (scheme 0088)",
    )


def test_render_ubl_goes_to_stdout_and_to_an_xml_file(
    story: Ledger, run: Callable, tmp_path: Path
) -> None:
    addressed(run)
    result = run("render", "invoice", "PLV-2026-0001", "--format", "ubl")
    assert result.code == 0, result.err
    assert result.out.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<Invoice ")
    assert findings(result.out.encode("utf-8")) == []
    out = tmp_path / "CN-2026-0001.xml"
    result = run("render", "credit-note", "CN-2026-0001", "--out", str(out))  # .xml is ubl
    assert result.code == 0, result.err
    assert b"<CreditNote " in out.read_bytes()
    assert findings(out.read_bytes()) == []


def test_render_ubl_without_addresses_names_the_fix(story: Ledger, run: Callable) -> None:
    refused_cleanly(
        run, story, "render", "invoice", "PLV-2026-0001", "--format", "ubl",
        says="plvgov settings set peppol_id SCHEME:ID",
    )  # fmt: skip
    assert run("settings", "set", "peppol_id", "0088:5060000000009").code == 0
    refused_cleanly(
        run, story, "render", "credit-note", "CN-2026-0001", "--format", "ubl",
        says="plvgov member peppol bromley SCHEME:ID",
    )  # fmt: skip


def test_ubl_is_only_for_invoices_and_credit_notes(story: Ledger, run: Callable) -> None:
    refused_cleanly(run, story, "render", "register", "--format", "ubl", code=2, says="not ubl")
    refused_cleanly(
        run, story, "render", "invoice", "PLV-2026-0001", "--format", "ubl", "--out", "x.pdf",
        code=2, says="does not match",
    )  # fmt: skip


def test_check_names_missing_peppol_addresses_until_recorded(story: Ledger, run: Callable) -> None:
    def peppol_findings() -> list[dict[str, str]]:
        found = run("check", "--json").json()
        items = found["findings"] if isinstance(found, dict) else found
        return [f for f in items if f["check"] == "peppol_address_missing"]

    found = peppol_findings()
    assert [f["severity"] for f in found] == ["info", "info"]
    assert "`plvgov settings set peppol_id SCHEME:ID`" in found[0]["message"]
    assert found[1]["message"].startswith(
        "2 invoiced members have no Peppol address (Barking and Dagenham, Bromley); "
    )
    assert run("settings", "set", "peppol_id", "0088:5060000000009").code == 0
    assert run("member", "peppol", "bromley", "0088:5060000000023").code == 0
    [left] = peppol_findings()
    assert left["message"].startswith("1 invoiced member has no Peppol address (Barking and ")
    assert run("member", "peppol", "barking-and-dagenham", "0088:5060000000016").code == 0
    assert peppol_findings() == []


def test_help_explains_ubl(run: Callable) -> None:
    text = run("render", "--help").out
    assert "ubl" in text and "Peppol" in text
    assert "0088:5060123450002" in run("member", "peppol", "--help").out


def test_member_show_gives_the_peppol_address(ledger: Ledger, run: Callable) -> None:
    assert run("member", "show", "camden", "--json").json()["peppol_id"] is None
    assert "Peppol" not in run("member", "show", "camden").out
    assert run("member", "peppol", "camden", "0088:5060000000016").code == 0
    assert run("member", "show", "camden", "--json").json()["peppol_id"] == "0088:5060000000016"
    assert "Peppol:            0088:5060000000016" in run("member", "show", "camden").out
