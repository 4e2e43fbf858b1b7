"""The billing commands, driven in-process: the JSON the contract fixes, tables with the
working, and every refusal as one `Error:` line with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

ONS_FILE = Path(__file__).parent.parent / "data" / "ons_d7bt_2026_11.csv"


def _events(run) -> int:
    return run("audit", "verify", "--json").json()["events"]


def _refused(result, fragment: str, code: int = 1) -> None:
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
    before = _events(run)
    _refused(run("cpi", "import", str(bad)), "line 3")
    assert _events(run) == before


def test_quote_json_has_the_working(billed):
    data = billed("subscription", "quote", "--year", "2025/26", "--json").json()
    assert {
        k: data[k]
        for k in (
            "year",
            "factor",
            "base_month",
            "reference_month",
            "base_index",
            "reference_index",
            "authority",
            "total",
        )
    } == {
        "year": "2025/26",
        "factor": "1.084006",
        "base_month": "2022-09",
        "reference_month": "2024-09",
        "base_index": "123.8",
        "reference_index": "134.2",
        "authority": "default",
        "total": "28807.85",
    }
    assert data["lines"][0] == {
        "member": "Barnet",
        "gss_code": "E09000003",
        "days": 121,
        "days_in_year": 365,
        "amount": "7187.11",
    }
    one = billed("subscription", "quote", "--year", "2026", "--member", "bromley", "--json")
    assert one.json()["lines"] == [
        {
            "member": "Bromley",
            "gss_code": "E09000006",
            "days": 365,
            "days_in_year": 365,
            "amount": "22504.04",
        }
    ]
    table = billed("subscription", "quote", "--year", "2026").out
    assert "139.3" in table and "123.8" in table and "£22,504.04" in table


def test_quote_errors(billed):
    _refused(billed("subscription", "quote", "--year", "2027"), "plvgov cpi import FILE")
    _refused(billed("subscription", "quote", "--year", "2022"), "base year 2023/24")
    _refused(billed("subscription", "quote", "--year", "20x6"), "financial year", code=2)


def test_invoice_run_dry_run_then_real_then_rerun(billed):
    before = _events(billed)
    dry = billed(
        "invoice", "run", "--year", "2026", "--date", "2026-04-01", "--dry-run", "--json"
    ).json()
    assert (dry["created"], dry["existing"], dry["total"]) == (3, 0, "67512.12")
    assert _events(billed) == before  # a dry run writes nothing
    real = billed("invoice", "run", "--year", "2026/27", "--date", "2026-04-01", "--json")
    assert real.code == 0, real.err
    assert {k: real.json()[k] for k in ("year", "created", "existing", "total")} == {
        "year": "2026/27",
        "created": 3,
        "existing": 0,
        "total": "67512.12",
    }
    assert _events(billed) == before + 1  # one transaction, one event per thousand invoices
    again = billed("invoice", "run", "--year", "2026", "--json").json()
    assert (again["created"], again["existing"]) == (0, 3)
    assert _events(billed) == before + 1  # a re-run that issues nothing records nothing
    listed = billed("invoice", "list", "--year", "2026", "--json").json()
    assert [i["number"] for i in listed] == ["PLV-2026-0001", "PLV-2026-0002", "PLV-2026-0003"]
    assert set(listed[0]) >= {
        "number",
        "member",
        "gss_code",
        "year",
        "amount",
        "issued_on",
        "due_on",
        "paid",
        "balance",
        "status",
    }
    assert listed[0]["due_on"] == "2026-05-01" and listed[0]["status"] == "overdue"


def test_invoice_run_refuses_before_launch(run, ledger):
    _refused(run("invoice", "run", "--year", "2026"), "plvgov settings set launch_date YYYY-MM-DD")


def test_pay_credit_show_arrears_statement_export(billed, tmp_path):
    assert billed("member", "po", "bromley", "--year", "2026", "--number", "PO-77").code == 0
    assert billed("invoice", "run", "--year", "2026", "--date", "2026-04-01").code == 0
    paid = billed(
        "invoice",
        "pay",
        "PLV-2026-0002",
        "--amount",
        "£2,504.04",
        "--date",
        "2026-04-20",
        "--ref",
        "BACS 1",
    )
    assert paid.code == 0 and "balance £20,000.00" in paid.out
    credit = billed(
        "invoice", "credit", "PLV-2026-0002", "--reason", "ceased", "--amount", "500", "--json"
    ).json()
    assert credit == {"number": "CN-2026-0001", "amount": "500.00", "invoice": "PLV-2026-0002"}
    shown = billed("invoice", "show", "PLV-2026-0002", "--json").json()
    assert (shown["po_number"], shown["paid"], shown["credited"], shown["balance"]) == (
        "PO-77",
        "2504.04",
        "500.00",
        "19500.00",
    )
    assert "PO-77" in billed("invoice", "show", "PLV-2026-0002").out
    arrears = billed("invoice", "arrears", "--at", "2026-05-11", "--json").json()
    assert [(a["number"], a["days_overdue"]) for a in arrears] == [
        ("PLV-2026-0001", 10),
        ("PLV-2026-0002", 10),
        ("PLV-2026-0003", 10),
    ]
    statement = billed("member", "statement", "bromley", "--json").json()
    assert [x["kind"] for x in statement["lines"]] == ["invoice", "payment", "credit note"]
    assert statement["balance"] == "19500.00"
    out = tmp_path / "out.csv"
    assert billed("invoice", "export", "--year", "2026", "--out", str(out)).code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    _refused(billed("invoice", "export", "--year", "2026", "--out", str(out)), "--force")
    assert billed("invoice", "export", "--year", "2026", "--out", str(out), "--force").code == 0


def test_payment_errors_write_nothing(billed):
    assert billed("invoice", "run", "--year", "2026", "--date", "2026-04-01").code == 0
    before = _events(billed)
    _refused(
        billed("invoice", "pay", "PLV-2026-0099", "--amount", "10", "--date", "2026-05-01"),
        "no invoice",
    )
    _refused(
        billed("invoice", "pay", "PLV-2026-0001", "--amount", "0", "--date", "2026-05-01"),
        "more than £0.00",
        code=2,  # a malformed amount is a usage error, like a malformed date
    )
    _refused(
        billed("invoice", "pay", "PLV-2026-0001", "--amount", "-5", "--date", "2026-05-01"),
        "more than £0.00",
        code=2,  # a malformed amount is a usage error, like a malformed date
    )
    _refused(
        billed("invoice", "pay", "PLV-2026-0001", "--amount", "30000", "--date", "2026-05-01"),
        "outstanding",
    )
    _refused(
        billed("invoice", "credit", "PLV-2026-0001", "--reason", "x", "--amount", "0"),
        "more than £0.00",
        code=2,  # a malformed amount is a usage error, like a malformed date
    )
    _refused(
        billed("invoice", "pay", "PLV-2026-0001", "--amount", "1", "--date", "May"),
        "YYYY-MM-DD",
        code=2,
    )
    assert _events(billed) == before


def test_scheme_set_and_list(billed):
    result = billed(
        "subscription",
        "scheme",
        "set",
        "--from-year",
        "2028/29",
        "--amount",
        "15000",
        "--no-indexation",
        "--authority",
        "Resolution 4",
    )
    assert result.code == 0, result.err
    listed = billed("subscription", "scheme", "list", "--json").json()
    assert [(s["from_year"], s["base_amount"], s["indexed"], s["authority"]) for s in listed] == [
        ("2023/24", "20000.00", True, "default"),
        ("2028/29", "15000.00", False, "Resolution 4"),
    ]
    quote = billed("subscription", "quote", "--year", "2028", "--json").json()
    assert (quote["factor"], quote["authority"], quote["lines"][0]["amount"]) == (
        "1",
        "Resolution 4",
        "15000.00",
    )


def test_every_billing_command_has_help_with_an_example(run):
    groups = {
        "cpi": ["import", "show"],
        "subscription": ["quote"],
        "subscription scheme": ["set", "list"],
        "invoice": ["run", "list", "show", "pay", "credit", "arrears", "export"],
        "member": ["po", "statement"],
    }
    for group, commands in groups.items():
        for command in commands:
            result = run(*group.split(), command, "--help")
            assert result.code == 0 and "Example:" in result.out, (group, command)
    root = run("--help").out
    assert all(name in root for name in ("cpi", "subscription", "invoice"))
    assert "overpayment" in run("invoice", "pay", "--help").out
