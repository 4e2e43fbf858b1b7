"""`send reminder` and `send statement` through a real SMTP server on 127.0.0.1: a reminder
stage is issued by the delivery of its copy (once), and a statement goes to its member."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from tests.cli.helpers import audit_events, refused_cleanly
from tests.smtp_server import Server


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    server = Server().start()
    monkeypatch.setenv("PLVGOV_SMTP_URL", server.url)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def overdue(billed, monkeypatch):
    """2026/27 invoices issued on 1 April 2026, due Friday 1 May; Bromley (PLV-2026-0002)
    pays part on 5 May and takes documents by email."""
    monkeypatch.setenv("PLVGOV_TODAY", "2026-05-05")
    monkeypatch.setenv("PLVGOV_NOW", "2026-05-05T09:00")
    assert billed("settings", "set", "registered_email", "secretary@plv.london").code == 0
    assert billed("invoice", "run", "--year", "2026", "--date", "2026-04-01").code == 0
    paid = billed("invoice", "pay", "PLV-2026-0002", "--amount", "2504.04", "--date", "2026-05-05")
    assert paid.code == 0, paid.err
    agreed = billed(
        "member", "email", "bromley", "--address", "finance@bromley.gov.uk",
        "--agreed-on", "2026-04-01",
    )  # fmt: skip
    assert agreed.code == 0, agreed.err
    return billed


def _on(monkeypatch, when: str) -> None:
    monkeypatch.setenv("PLVGOV_TODAY", when[:10])
    monkeypatch.setenv("PLVGOV_NOW", when)


def _text(message) -> str:
    (pdf,) = [a.get_content() for a in message.iter_attachments()]
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_reminder_stage_is_issued_by_its_delivery_once(overdue, ledger, smtp, monkeypatch):
    _on(monkeypatch, "2026-05-14T10:00")  # 13 days overdue: nothing due, nothing issued yet
    refused_cleanly(overdue, ledger, "send", "reminder", "PLV-2026-0002", says="falls due on")
    _on(monkeypatch, "2026-05-15T10:00")  # Friday: the first reminder falls due
    before = audit_events(overdue)
    sent = overdue("send", "reminder", "PLV-2026-0002", "--json")
    assert sent.code == 0, sent.err
    assert [(s["member"], s["address"]) for s in sent.json()["sent"]] == [
        ("Bromley", "finance@bromley.gov.uk")
    ]
    (message,) = smtp.box.messages
    assert message["Subject"].startswith("First reminder: invoice PLV-2026-0002")
    assert "£20,000.00" in _text(message)
    # the delivery issued Bromley's first stage: only Barnet's and Camden's are still due
    due = overdue("invoice", "reminders", "--at", "2026-05-15", "--json").json()
    assert [(r["invoice"], r["stage"]) for r in due] == [
        ("PLV-2026-0001", "first"),
        ("PLV-2026-0003", "first"),
    ]
    assert audit_events(overdue) == before + 2  # the send's start, its delivery (with the issue)
    again = overdue("send", "reminder", "PLV-2026-0002", "--json")
    assert again.code == 0 and again.json()["sent"] == [] and len(smtp.box.messages) == 1
    assert audit_events(overdue) == before + 2
    _on(monkeypatch, "2026-06-01T09:30")  # Monday: the final falls due (16 days after the first)
    final = overdue("send", "reminder", "PLV-2026-0002", "--json")
    assert final.code == 0, final.err
    assert [m["Subject"].split(":")[0] for m in smtp.box.messages] == [
        "First reminder",
        "Final reminder",
    ]
    remind = overdue("invoice", "remind", "PLV-2026-0002", "--date", "2026-06-01")
    assert remind.code != 0 and "both reminders" in remind.err
    logged = overdue("sends", "list", "--kind", "reminder", "--json").json()
    assert [(r["member"], r["status"]) for r in logged] == [
        ("Bromley", "sent"),
        ("Bromley", "sent"),
    ]


def test_a_statement_goes_to_its_member(overdue, smtp, monkeypatch):
    _on(monkeypatch, "2026-05-20T11:00")
    sent = overdue("send", "statement", "bromley", "--json")
    assert sent.code == 0, sent.err
    (message,) = smtp.box.messages
    text = _text(message)
    assert "Statement of account" in text and "PLV-2026-0002" in text and "£20,000.00" in text
    # a statement is a paper of its day: sent again the same day, nothing goes
    assert overdue("send", "statement", "bromley", "--json").json()["sent"] == []
    assert len(smtp.box.messages) == 1
