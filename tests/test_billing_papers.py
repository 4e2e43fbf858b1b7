"""Issue 13.1: invoices, credit notes and subscription notices that a council can pay as
printed: the company's bank account, remittance address and contact, the council's address in
force on the paper's date, and an authority a reader understands."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from plvgov import audit, settings
from plvgov.billing import issuing
from plvgov.dates import FinancialYear
from plvgov.db import Ledger
from plvgov.documents import Request, render
from plvgov.membership import members
from plvgov.models.billing import Invoice
from tests.conftest import TODAY
from tests.stories import admit, build_story

D = date.fromisoformat
PAYMENT = {
    "bank_account_name": "Pan-London Vehicle Limited",
    "bank_sort_code": "60-00-01",
    "bank_account_number": "12345678",
    "remittance_email": "remittances@plv.example",
    "finance_contact": "Finance Officer, 020 7946 0000",
}


def _facts(ledger: Ledger, values: dict[str, object]) -> None:
    with ledger.write("test: facts") as s:
        rows = [settings.stage_fact(s, key, value) for key, value in values.items()]
        audit.record(s, "settings.set", "facts", rows)


def _paper(ledger: Ledger, kind: str, ident: str, year: str | None = None) -> str:
    with ledger.read() as s:
        request = Request(generated_on=TODAY, year=year)
        return render(s, kind, ident, "md", request, []).decode("utf-8")


def test_papers_say_how_to_pay_and_whom_to_ask(ledger: Ledger) -> None:
    build_story(ledger)
    _facts(ledger, PAYMENT)
    for kind, ident, year in (
        ("invoice", "PLV-2026-0002", None),
        ("credit-note", "CN-2026-0001", None),
        ("subscription-notice", "bromley", "2026"),
    ):
        text = _paper(ledger, kind, ident, year)
        for value in PAYMENT.values():
            assert value in text, (kind, value)
        assert "default" not in text, kind
    invoice = _paper(ledger, "invoice", "PLV-2026-0002")
    assert "| Payment reference | **PLV-2026-0002** |" in invoice
    assert "the standard terms (no board decision recorded)" in invoice


def test_without_payment_details_a_paper_leaves_the_lines_out(ledger: Ledger) -> None:
    build_story(ledger)
    _facts(ledger, {"remittance_email": "remittances@plv.example"})
    invoice = _paper(ledger, "invoice", "PLV-2026-0002")
    assert "Sort code" not in invoice and "Account number" not in invoice
    assert "remittance advice to remittances@plv.example" in invoice
    assert "Questions about" not in invoice


def test_an_invoice_is_addressed_as_the_register_stands_on_its_date(ledger: Ledger) -> None:
    """The address recorded with `member update` (not at entry) is the one the invoice
    freezes; a change after the issue date does not reach it."""
    admit(ledger, "bromley")
    admit(ledger, "sutton")
    with ledger.write("test: addresses") as s:
        bromley = members.find(s, "bromley")
        members.update(s, bromley, D("2024-01-01"), address="Civic Centre, Bromley BR1 3UH")
    with ledger.write("test: moved") as s:
        members.update(
            s, members.find(s, "bromley"), D("2026-06-01"), address="New Civic Centre, BR1 1AA"
        )
    _facts(ledger, {"launch_date": D("2025-04-01")})
    with ledger.write("test: run") as s:
        ids = [members.find(s, slug).id for slug in ("bromley", "sutton")]
        issuing.issue(s, FinancialYear(2026), ids, D("2026-04-01"))
    with ledger.read() as s:
        frozen = {i.member_name: i.address for i in s.exec(select(Invoice))}
    assert frozen == {"Bromley": "Civic Centre, Bromley BR1 3UH", "Sutton": None}
    bromley_invoice = _paper(ledger, "invoice", "PLV-2026-0001")
    assert "Civic Centre, Bromley BR1 3UH" in bromley_invoice
    assert "New Civic Centre" not in bromley_invoice
