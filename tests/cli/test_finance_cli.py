"""``model show`` and ``outturn record|show``: the contract's JSON keys, the tables a secretary
reads, and one-line refusals that write nothing."""

from __future__ import annotations

import pytest

from tests.cli.helpers import admit, refused_cleanly


def test_model_show_gives_the_contract_keys_for_the_year_containing_today(run, ledger) -> None:
    data = run("model", "show", "--json").json()
    assert {"year", "places", "weeks", "cost", "cells", "breakeven"} <= set(data)
    assert (data["year"], data["places"], data["weeks"], data["cost"]) == (
        "2026/27",
        24,
        52,
        "10591935.48",
    )
    assert data["cells"][0] == {
        "occupancy": "1.00",
        "charge": "8250.00",
        "income": "10296000.00",
        "surplus": "-295935.48",
    }
    assert data["breakeven"][0] == {"occupancy": "0.60", "charge": "14145.21"}
    assert data["breakeven"][-1] == {"occupancy": "1.00", "charge": "8487.13"}
    assert data["fees"]["member"] == "9984.86"
    assert run("model", "show", "--year", "2025/26", "--json").json()["cost"] == "10204147.47"


def test_model_show_reads_as_a_board_member_would(run, ledger) -> None:
    shown = run("model", "show", "--year", "2026")
    assert shown.code == 0
    for text in (
        "£7,500,000.00 at September 2019 prices",
        "Break-even weekly charge",
        "-£295,935.48",
        "50% → 85% → 85%",
        "non-members £11,482.58",
    ):
        assert text in shown.out


def test_model_show_refuses_a_year_without_its_cpi(run, ledger) -> None:
    refused_cleanly(run, ledger, "model", "show", "--year", "2027", says="2026-09 is not loaded")


@pytest.fixture
def three(run, ledger):
    for slug in ("camden", "hackney", "barnet"):
        admit(run, slug)
    admit(run, "bromley", "2025-10-01")  # 1 Oct 2025 - 31 Mar 2026: 182 days
    return run


def test_outturn_record_and_show(three) -> None:
    run = three
    recorded = run(
        "outturn", "record", "--year", "2025/26", "--surplus", "£1,000", "--authority",
        "Board meeting, 14 July 2026",
    )  # fmt: skip
    assert recorded.code == 0, recorded.err
    assert "Recorded the 2025/26 surplus of £1,000.00, shared by 4 members pro rata" in recorded.out
    data = run("outturn", "show", "--year", "2025", "--json").json()
    assert {"year", "result", "basis", "shares"} <= set(data)
    assert (data["year"], data["result"], data["basis"]) == ("2025/26", "1000.00", "days")
    # 365 x 3 + 182 = 1,277 days; 100,000p x days / 1,277 = 28,582.61 (x3), 14,252.15
    # floors 85,746 + 14,252 = 99,998: the 2p go to the largest remainders (.61, GSS order)
    assert [(s["gss_code"], s["days"], s["share"]) for s in data["shares"]] == [
        ("E09000003", 365, "285.83"),
        ("E09000006", 182, "142.52"),
        ("E09000007", 365, "285.83"),
        ("E09000012", 365, "285.82"),
    ]
    shown = run("outturn", "show", "--year", "2025/26").out
    assert "a surplus of £1,000.00" in shown and "It stays in the company" in shown
    assert "Hackney" in shown and "£285.82" in shown


def test_a_deficit_with_its_resolution(three) -> None:
    run = three
    assert run("resolution", "propose", "--title", "Meet the 2025/26 deficit", "--type",
               "ordinary", "--procedure", "written").code == 0  # fmt: skip
    assert run("resolution", "circulate", "1", "--date", "2026-06-01").code == 0
    for slug in ("camden", "hackney", "barnet"):
        assert (
            run("resolution", "vote", "1", slug, "--vote", "for", "--date", "2026-06-02").code == 0
        )
    data = run(
        "outturn", "record", "--year", "2025/26", "--deficit", "0.04", "--authority",
        "resolution 1", "--json",
    ).json()  # fmt: skip
    assert data["result"] == "-0.04" and data["kind"] == "deficit"
    assert data["authority"] == "Resolution 1: Meet the 2025/26 deficit"
    # 4p x 365/1,277 = 1.14 (x3), x 182/1,277 = 0.57: floors 3, 1p to E09000006 (.57)
    assert [s["share"] for s in data["shares"]] == ["-0.01", "-0.01", "-0.01", "-0.01"]


@pytest.mark.parametrize(
    ("args", "says", "code"),
    [
        (("--surplus", "5", "--deficit", "5"), "one of --surplus", 2),
        ((), "one of --surplus", 2),
        (("--surplus", "5", "--year", "2026/27"), "once the year has ended", 1),
        (("--deficit", "5"), 'give --authority "Resolution N"', 1),
        (("--surplus", "5.001"), "fractions of a penny", 2),
        (("--surplus", "-5"), "must be more than £0.00", 2),
    ],
)
def test_outturn_record_refusals_write_nothing(three, ledger, args, says, code) -> None:
    base = ["outturn", "record", "--year", "2025/26", "--authority", "Board"]
    refused_cleanly(three, ledger, *base, *args, code=code, says=says)


def test_outturn_show_for_a_year_not_recorded(run, ledger) -> None:
    refused_cleanly(
        run, ledger, "outturn", "show", "--year", "2025", says="no outturn is recorded for 2025/26"
    )


def test_outturn_correct(three, ledger) -> None:
    run = three
    base = ["outturn", "record", "--year", "2025/26", "--authority", "Board"]
    assert run(*base, "--surplus", "10").code == 0
    refused_cleanly(run, ledger, *base, "--surplus", "12.77", says="record it again with --correct")
    corrected = run(*base, "--surplus", "12.77", "--correct")
    assert corrected.code == 0 and "Corrected the 2025/26 surplus of £12.77" in corrected.out
    data = run("outturn", "show", "--year", "2025/26", "--json").json()
    # 1,277p x 365 / 1,277 = 365p each, 182p for Bromley
    assert [s["share"] for s in data["shares"]] == ["3.65", "1.82", "3.65", "3.65"]
    assert run("audit", "verify", "--deep", "--json").json()["ok"] is True


def _deficit(run, amount: str) -> None:
    """2025/26's deficit under Resolution 1, passed on 2 June 2026 (TODAY is 23 November 2026)."""
    assert run("resolution", "propose", "--title", "Meet the 2025/26 deficit", "--type",
               "ordinary", "--procedure", "written").code == 0  # fmt: skip
    assert run("resolution", "circulate", "1", "--date", "2026-06-01").code == 0
    for slug in ("camden", "hackney", "barnet"):
        assert (
            run("resolution", "vote", "1", slug, "--vote", "for", "--date", "2026-06-02").code == 0
        )
    assert run("outturn", "record", "--year", "2025/26", "--deficit", amount, "--authority",
               "Resolution 1").code == 0  # fmt: skip


def test_outturn_invoice_issues_contributions_once_and_they_print(three, ledger) -> None:
    run = three
    _deficit(run, "12770")  # 1,277,000p: 365,000p (x3) and 182,000p (Bromley, 182 days)
    dry = run("outturn", "invoice", "--year", "2025/26", "--dry-run")
    assert dry.code == 0 and "Would issue 4 contribution invoices" in dry.out
    assert "nothing written" in dry.out
    data = run("outturn", "invoice", "--year", "2025", "--json").json()
    assert (data["created"], data["total"], data["deficit"]) == (4, "12770.00", "12770.00")
    assert [(c["gss_code"], c["amount"], c["number"]) for c in data["invoices"]] == [
        ("E09000003", "3650.00", "PLV-2025-0001"),
        ("E09000006", "1820.00", "PLV-2025-0002"),
        ("E09000007", "3650.00", "PLV-2025-0003"),
        ("E09000012", "3650.00", "PLV-2025-0004"),
    ]
    again = run("outturn", "invoice", "--year", "2025/26")
    assert again.code == 0 and again.out.strip() == (
        "Nothing issued: every member's contribution to the 2025/26 deficit is already invoiced."
    )
    shown = run("outturn", "show", "--year", "2025/26", "--json").json()
    assert [s["invoice"] for s in shown["shares"]][:2] == ["PLV-2025-0001", "PLV-2025-0002"]
    assert {"member", "gss_code", "days", "share"} <= set(shown["shares"][0])
    assert "PLV-2025-0002" in run("outturn", "show", "--year", "2025/26").out
    invoice = run("invoice", "show", "PLV-2025-0002", "--json").json()
    assert (invoice["kind"], invoice["gross"], invoice["due_on"]) == (
        "contribution",
        "1820.00",
        "2026-12-23",
    )
    listed = run("invoice", "list", "--year", "2025/26", "--json").json()
    assert [r["kind"] for r in listed] == ["contribution"] * 4
    paper = run("render", "invoice", "PLV-2025-0002", "--format", "md")
    assert paper.code == 0, paper.err
    assert (
        "Contribution to the 2025/26 deficit under Resolution 1, passed on 2 June 2026" in paper.out
    )
    assert "The members resolved to meet the 2025/26 deficit of £12,770.00" in paper.out
    assert "The subscription for" not in paper.out
    assert run("audit", "verify", "--deep", "--json").json()["ok"] is True


@pytest.mark.parametrize(
    ("deficit", "args", "says"),
    [
        (False, (), "ended in a surplus, which stays in the company"),
        (True, ("--date", "2026-11-24"), "after today"),
        (True, ("--date", "2026-06-30"), "issue its contributions on or after"),
    ],
)
def test_outturn_invoice_refusals_write_nothing(three, ledger, deficit, args, says) -> None:
    if deficit:
        _deficit(three, "100")
    else:
        assert three("outturn", "record", "--year", "2025/26", "--surplus", "100",
                     "--authority", "Board").code == 0  # fmt: skip
    refused_cleanly(three, ledger, "outturn", "invoice", "--year", "2025/26", *args, says=says)
