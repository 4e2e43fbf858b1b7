"""The `invoice` commands (and `member po` and `member statement`, which bill a member),
driven in-process: the JSON the contract fixes, tables with the working, and every refusal as
one `Error:` line with nothing written."""

from __future__ import annotations

from tests.cli.helpers import audit_events, refused


def test_invoice_run_dry_run_then_real_then_rerun(billed):
    before = audit_events(billed)
    dry = billed(
        "invoice", "run", "--year", "2026", "--date", "2026-04-01", "--dry-run", "--json"
    ).json()
    assert (dry["created"], dry["existing"], dry["total"]) == (3, 0, "67512.12")
    assert audit_events(billed) == before  # a dry run writes nothing
    real = billed("invoice", "run", "--year", "2026/27", "--date", "2026-04-01", "--json")
    assert real.code == 0, real.err
    assert {k: real.json()[k] for k in ("year", "created", "existing", "total")} == {
        "year": "2026/27",
        "created": 3,
        "existing": 0,
        "total": "67512.12",
    }
    assert audit_events(billed) == before + 1  # one transaction, one event per thousand invoices
    again = billed("invoice", "run", "--year", "2026", "--json").json()
    assert (again["created"], again["existing"]) == (0, 3)
    assert audit_events(billed) == before + 1  # a re-run that issues nothing records nothing
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
    before = audit_events(billed)
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
    assert audit_events(billed) == before


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


def test_a_run_leaves_councils_admitted_after_its_date_for_a_later_run(billed):
    # Barnet's admission on 1 December 2025 is recorded ahead of the 2025/26 run on 1 October
    dry = billed("invoice", "run", "--year", "2025/26", "--date", "2025-10-01", "--dry-run")
    assert dry.code == 0, dry.err
    table, _, note = dry.out.partition("Left 1 for later")
    assert "Bromley" in table and "Camden" in table and "Barnet" not in table
    assert "Barnet, admitted 1 December 2025" in note
    first = billed("invoice", "run", "--year", "2025/26", "--date", "2025-10-01")
    assert first.code == 0, first.err
    assert first.out.splitlines()[1:] == [
        "Left 1 for later (admitted after 1 October 2025: invoice them with a later run): "
        "Barnet, admitted 1 December 2025."
    ]
    listed = billed("invoice", "list", "--year", "2025", "--at", "2025-11-20", "--json").json()
    assert [(i["member"], i["status"]) for i in listed] == [
        ("Bromley", "overdue"),
        ("Camden", "overdue"),
    ]  # and no invoice, overdue or not, for a council that has not joined
    later = billed("invoice", "run", "--year", "2025", "--date", "2025-12-01", "--json").json()
    assert {k: later[k] for k in ("created", "existing", "numbers", "later")} == {
        "created": 1,
        "existing": 2,
        "numbers": ["PLV-2025-0003"],  # contiguous after the first run's two
        "later": [],
    }
    shown = billed("invoice", "show", "PLV-2025-0003", "--json").json()
    assert (shown["member"], shown["issued_on"], shown["days"]) == ("Barnet", "2025-12-01", 121)


def test_the_run_json_names_the_members_left_for_later(billed):
    result = billed("invoice", "run", "--year", "2025", "--date", "2025-10-01", "--json").json()
    assert set(result) >= {"year", "created", "existing", "total", "later"}
    assert result["later"] == [
        {
            "member": "Barnet",
            "gss_code": "E09000003",
            "admitted_on": "2025-12-01",
            "days": 121,  # 1 December 2025 – 31 March 2026
            "amount": "7187.11",  # £20,000 × 134.2 ÷ 123.8 × 121 ÷ 365 = 7,187.111…
        }
    ]


def test_a_dry_run_that_would_issue_nothing_says_why(billed):
    before = billed("invoice", "run", "--year", "2024/25", "--date", "2025-01-10", "--dry-run")
    assert before.code == 0, before.err
    assert (
        "Nothing would be issued: the launch date is 1 October 2025, so nothing is payable "
        "for 2024/25." in before.out
    )
    dry = billed(
        "invoice", "run", "--year", "2024/25", "--date", "2025-01-10", "--dry-run", "--json"
    ).json()
    assert (dry["created"], dry["total"], dry["note"]) == (
        0,
        "0.00",
        "the launch date is 1 October 2025, so nothing is payable for 2024/25",
    )
    assert billed("invoice", "run", "--year", "2026", "--date", "2026-04-01").code == 0
    again = billed("invoice", "run", "--year", "2026", "--date", "2026-04-02", "--dry-run")
    assert "Nothing would be issued: every member liable for 2026/27 is already invoiced." in (
        again.out
    )


def test_invoice_list_shows_what_was_credited_on_every_row(billed):
    assert billed("invoice", "run", "--year", "2026", "--date", "2026-04-01").code == 0
    for args in (
        ("pay", "PLV-2026-0001", "--amount", "16000", "--date", "2026-04-20"),
        ("credit", "PLV-2026-0001", "--reason", "days before admission"),  # the rest: £6,504.04
        ("pay", "PLV-2026-0002", "--amount", "2504.04", "--date", "2026-04-20"),
        ("credit", "PLV-2026-0002", "--reason", "agreed reduction", "--amount", "274.95"),
    ):
        assert billed("invoice", *args).code == 0, args
    rows = billed("invoice", "list", "--year", "2026", "--json").json()
    assert [(r["number"], r["paid"], r["credited"], r["balance"]) for r in rows] == [
        ("PLV-2026-0001", "16000.00", "6504.04", "0.00"),
        ("PLV-2026-0002", "2504.04", "274.95", "19725.05"),
        ("PLV-2026-0003", "0.00", "0.00", "22504.04"),
    ]
    for r in rows:  # amount − paid − credited = balance, to the penny
        cents = [round(float(r[k]) * 100) for k in ("amount", "paid", "credited", "balance")]
        assert cents[0] - cents[1] - cents[2] == cents[3], r
    table = billed("invoice", "list", "--year", "2026").out
    header = next(line for line in table.splitlines() if "number" in line)
    assert header.split() == [
        "number",
        "member",
        "year",
        "amount",
        "issued",
        "due",
        "paid",
        "credited",
        "balance",
        "status",
    ]
    row = next(line for line in table.splitlines() if "PLV-2026-0001" in line)
    assert row.split()[-5:] == ["2026-05-01", "£16,000.00", "£6,504.04", "£0.00", "paid"]


def test_export_xlsx_is_typed_so_a_po_number_keeps_its_zeros(billed, tmp_path):
    """Through CSV a spreadsheet turned PO 0045123 into 45123; the workbook keeps it text,
    dates as dates and money as numbers in a £ format (issue 13, item 7)."""
    from datetime import date, datetime

    from openpyxl import load_workbook

    assert billed("member", "po", "bromley", "--year", "2026", "--number", "0045123").code == 0
    assert billed("invoice", "run", "--year", "2026", "--date", "2026-04-01").code == 0
    assert (
        billed("invoice", "credit", "PLV-2026-0002", "--reason", "x", "--amount", "500").code == 0
    )
    out = tmp_path / "invoices.xlsx"  # the format from the extension
    written = billed("invoice", "export", "--year", "2026", "--out", str(out))
    assert written.code == 0, written.err
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["type", "number", "invoice"] and all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    rows = {r[1].value: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2)}
    bromley = next(r for r in rows.values() if r["gss_code"].value == "E09000006")
    po = bromley["po_number"]
    assert (po.value, po.data_type, po.number_format) == ("0045123", "s", "@")
    assert "Bromley" in bromley["council"].value and bromley["gss_code"].data_type == "s"
    due = bromley["due_on"]
    assert isinstance(due.value, datetime | date) and due.is_date
    assert due.value.date() == date(2026, 5, 1)
    gross = bromley["gross"]
    assert isinstance(gross.value, int | float) and gross.number_format == "£#,##0.00"
    credit = rows["CN-2026-0001"]
    assert credit["gross"].value == -500 and credit["due_on"].value is None  # empty, not ""
    assert credit["invoice"].value == "PLV-2026-0002"


def test_export_format_from_flag_or_extension_and_unknown_refused(billed, tmp_path):
    assert billed("invoice", "run", "--year", "2026", "--date", "2026-04-01").code == 0
    forced = tmp_path / "for-finance.dat"
    assert (
        billed("invoice", "export", "--year", "2026", "--out", str(forced), "--format", "xlsx").code
        == 0
    )
    assert forced.read_bytes()[:2] == b"PK"  # a workbook (a zip), whatever the name
    csv_out = tmp_path / "for-finance.csv"
    assert billed("invoice", "export", "--year", "2026", "--out", str(csv_out)).code == 0
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")  # CSV, as before
    unknown = tmp_path / "for-finance.ods"
    result = billed("invoice", "export", "--year", "2026", "--out", str(unknown))
    assert result.code == 2 and "csv" in result.err and "xlsx" in result.err
    assert not unknown.exists()
    bad = billed("invoice", "export", "--year", "2026", "--out", str(unknown), "--format", "pdf")
    assert bad.code == 2 and "--format csv or --format xlsx" in bad.err
