"""`invoice reminders`, `invoice remind`, `render reminder` and `render statement`, driven
in-process: the JSON the contract fixes, the ladder on the command line, and every refusal as
one `Error:` line with nothing written."""

from __future__ import annotations

import pytest

from tests.cli.helpers import audit_events, refused, refused_cleanly


@pytest.fixture
def overdue(billed):
    """2026/27 invoices issued on 1 April 2026 (due Friday 1 May): Bromley PLV-2026-0002 part
    paid, Camden PLV-2026-0003 credited in full, Barnet PLV-2026-0001 unpaid."""
    assert billed("invoice", "run", "--year", "2026", "--date", "2026-04-01").code == 0
    paid = billed("invoice", "pay", "PLV-2026-0002", "--amount", "2504.04", "--date", "2026-05-05")
    assert paid.code == 0, paid.err
    credited = billed(
        "invoice", "credit", "PLV-2026-0003", "--reason", "waived", "--date", "2026-04-10"
    )
    assert credited.code == 0, credited.err
    return billed


def test_reminders_json_lists_the_first_stage_due(overdue):
    assert overdue("invoice", "reminders", "--at", "2026-05-14", "--json").json() == []
    listed = overdue("invoice", "reminders", "--at", "2026-05-15", "--json").json()
    assert [
        {k: r[k] for k in ("invoice", "member", "stage", "days_overdue", "balance")} for r in listed
    ] == [
        {
            "invoice": "PLV-2026-0001",
            "member": "Barnet",
            "stage": "first",
            "days_overdue": 14,
            "balance": "22504.04",
        },
        {
            "invoice": "PLV-2026-0002",
            "member": "Bromley",
            "stage": "first",
            "days_overdue": 14,
            "balance": "20000.00",
        },
    ]
    table = overdue("invoice", "reminders", "--at", "2026-05-15")
    assert "Reminders due on 2026-05-15" in table.out and "2 reminders" in table.out


def test_remind_records_each_stage_once(overdue):
    before = audit_events(overdue)
    first = overdue("invoice", "remind", "PLV-2026-0002", "--date", "2026-05-15", "--json")
    assert first.code == 0, first.err
    assert first.json() == {
        "invoice": "PLV-2026-0002",
        "stage": "first",
        "issued_on": "2026-05-15",
        "balance": "20000.00",
    }
    assert audit_events(overdue) == before + 1
    again = overdue("invoice", "remind", "PLV-2026-0002", "--date", "2026-05-20")
    refused(again, "the final reminder falls due on 2026-06-01")
    assert audit_events(overdue) == before + 1
    listed = overdue("invoice", "reminders", "--at", "2026-06-01", "--json").json()
    assert [(r["invoice"], r["stage"]) for r in listed] == [
        ("PLV-2026-0001", "first"),
        ("PLV-2026-0002", "final"),
    ]
    final = overdue("invoice", "remind", "PLV-2026-0002", "--date", "2026-06-01")
    assert final.out.startswith("Recorded the final reminder for PLV-2026-0002 on 2026-06-01")
    refused(overdue("invoice", "remind", "PLV-2026-0002"), "both reminders")


def test_remind_refusals_write_nothing(overdue, ledger):
    for args, says in (
        (("PLV-2026-0003", "--date", "2026-05-15"), "nothing is outstanding"),
        (("PLV-2026-0001", "--date", "2026-05-14"), "13 days overdue; the first reminder falls"),
        (("PLV-2026-0001", "--date", "2026-11-24"), "after today"),
        (("PLV-2026-0999",), "no invoice"),
    ):
        refused_cleanly(overdue, ledger, "invoice", "remind", *args, says=says)
    refused_cleanly(
        overdue, ledger, "invoice", "remind", "PLV-2026-0001", "--date", "2026-13-01", code=2
    )


def test_render_reminder_and_statement(overdue):
    letter = overdue("render", "reminder", "PLV-2026-0002", "--at", "2026-05-15")
    assert letter.code == 0, letter.err
    assert "# Reminder: invoice PLV-2026-0002 is overdue" in letter.out
    assert "**Outstanding on 15 May 2026** | **£20,000.00**" in letter.out
    assert overdue("invoice", "remind", "PLV-2026-0002", "--date", "2026-05-15").code == 0
    final = overdue("render", "reminder", "PLV-2026-0002")  # today: the final is due
    assert "# Final reminder: invoice PLV-2026-0002 is overdue" in final.out
    assert "We wrote to you on 15 May 2026" in final.out
    assert "section 151 officer" in final.out
    refused(
        overdue("render", "reminder", "PLV-2026-0001", "--at", "2026-05-01"),
        "it is not overdue until after 2026-05-01; the first reminder falls due on 2026-05-15",
    )
    statement = overdue(
        "render", "statement", "bromley", "--from", "2026-04-01", "--to", "2026-05-31"
    )
    assert statement.code == 0, statement.err
    assert "| 1 April 2026 to 31 May 2026 |" in statement.out.replace("Period ", "")
    assert "**Closing balance** | | | | **£20,000.00**" in statement.out
    assert "### Overdue on 31 May 2026: £20,000.00" in statement.out


def test_from_and_to_are_for_statements(overdue):
    refused(
        overdue("render", "invoice", "PLV-2026-0001", "--from", "2026-04-01"),
        "--from and --to are for statement",
        code=2,
    )
    refused(
        overdue("render", "statement", "bromley", "--from", "2026-06-01", "--to", "2026-05-01"),
        "--from 2026-06-01 is after --to 2026-05-01",
    )
    refused(overdue("render", "statement"), "render statement needs an ID", code=2)
