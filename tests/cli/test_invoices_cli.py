"""The `invoice` commands (and `member po` and `member statement`, which bill a member),
driven in-process: the JSON the contract fixes, tables with the working, and every refusal as
one `Error:` line with nothing written."""

from __future__ import annotations

from tests.cli.conftest import events, refused


def test_invoice_run_dry_run_then_real_then_rerun(billed):
    before = events(billed)
    dry = billed(
        "invoice", "run", "--year", "2026", "--date", "2026-04-01", "--dry-run", "--json"
    ).json()
    assert (dry["created"], dry["existing"], dry["total"]) == (3, 0, "67512.12")
    assert events(billed) == before  # a dry run writes nothing
    real = billed("invoice", "run", "--year", "2026/27", "--date", "2026-04-01", "--json")
    assert real.code == 0, real.err
    assert {k: real.json()[k] for k in ("year", "created", "existing", "total")} == {
        "year": "2026/27",
        "created": 3,
        "existing": 0,
        "total": "67512.12",
    }
    assert events(billed) == before + 1  # one transaction, one event per thousand invoices
    again = billed("invoice", "run", "--year", "2026", "--json").json()
    assert (again["created"], again["existing"]) == (0, 3)
    assert events(billed) == before + 1  # a re-run that issues nothing records nothing
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
    refused(run("invoice", "run", "--year", "2026"), "plvgov settings set launch_date YYYY-MM-DD")


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
    refused(billed("invoice", "export", "--year", "2026", "--out", str(out)), "--force")
    assert billed("invoice", "export", "--year", "2026", "--out", str(out), "--force").code == 0


def test_payment_errors_write_nothing(billed):
    assert billed("invoice", "run", "--year", "2026", "--date", "2026-04-01").code == 0
    before = events(billed)
    refused(
        billed("invoice", "pay", "PLV-2026-0099", "--amount", "10", "--date", "2026-05-01"),
        "no invoice",
    )
    refused(
        billed("invoice", "pay", "PLV-2026-0001", "--amount", "0", "--date", "2026-05-01"),
        "more than £0.00",
        code=2,  # a malformed amount is a usage error, like a malformed date
    )
    refused(
        billed("invoice", "pay", "PLV-2026-0001", "--amount", "-5", "--date", "2026-05-01"),
        "more than £0.00",
        code=2,  # a malformed amount is a usage error, like a malformed date
    )
    refused(
        billed("invoice", "pay", "PLV-2026-0001", "--amount", "30000", "--date", "2026-05-01"),
        "outstanding",
    )
    refused(
        billed("invoice", "credit", "PLV-2026-0001", "--reason", "x", "--amount", "0"),
        "more than £0.00",
        code=2,  # a malformed amount is a usage error, like a malformed date
    )
    refused(
        billed("invoice", "pay", "PLV-2026-0001", "--amount", "1", "--date", "May"),
        "YYYY-MM-DD",
        code=2,
    )
    assert events(billed) == before


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
