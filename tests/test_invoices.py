"""Invoices: one per member and FY, contiguous numbers, frozen working, payments, credit notes,
arrears, statements, the export and the functions the board pack and calendar call."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest

from plvgov import audit, outputs, settings
from plvgov.billing import accounts, export, issuing, papers, schemes
from plvgov.dates import FinancialYear
from plvgov.errors import InputError, NotFound, PlvgovError, RuleError
from plvgov.membership import members

TODAY = date(2026, 11, 23)
FY25, FY26 = FinancialYear(2025), FinancialYear(2026)


def _set(ledger, key: str, value: str, effective_from: date | None = None) -> None:
    with ledger.write("test") as session:
        settings.set_value(
            session, key, value, effective_from=effective_from, authority=None, today=TODAY
        )


@pytest.fixture
def billed(ledger):
    """Three members, launched 1 October 2025."""
    with ledger.write("test") as session:
        for slug in ("bromley", "camden", "barnet"):
            members.admit(session, members.find(session, slug), date(2023, 4, 1), None)
    _set(ledger, "launch_date", "2025-10-01")
    return ledger


def _ids(session, *slugs: str) -> list[int]:
    return [members.find(session, s).id for s in slugs]


def _issue(ledger, fy: FinancialYear, on: date, *slugs: str) -> list[str]:
    slugs = slugs or ("barnet", "bromley", "camden")
    numbers = []
    for member_id in _member_ids(ledger, slugs):
        with ledger.write("test") as session:
            numbers += [i.number for i in issuing.issue(session, fy, [member_id], on)]
    return numbers


def _member_ids(ledger, slugs) -> list[int]:
    with ledger.read() as session:
        return _ids(session, *slugs)


def _events(ledger) -> int:
    with ledger.read() as session:
        return audit.head(session)[0]


# -- issuing --------------------------------------------------------------------------------------
def test_numbers_are_contiguous_within_the_fy_and_never_issued_twice(billed):
    assert _issue(billed, FY25, date(2026, 1, 5)) == [
        "PLV-2025-0001",
        "PLV-2025-0002",
        "PLV-2025-0003",
    ]
    assert _issue(billed, FY26, date(2026, 4, 1)) == [
        "PLV-2026-0001",
        "PLV-2026-0002",
        "PLV-2026-0003",
    ]
    before = _events(billed)
    assert _issue(billed, FY26, date(2026, 4, 2)) == []  # a re-run issues nothing
    assert _events(billed) == before
    with billed.read() as session:
        assert issuing.plan_run(session, FY26).to_issue == []


def test_a_rerun_picks_up_a_member_admitted_since(billed):
    _issue(billed, FY26, date(2026, 4, 1))
    with billed.write("test") as session:
        members.admit(session, members.find(session, "hackney"), date(2026, 7, 1), None)
    with billed.read() as session:
        plan = issuing.plan_run(session, FY26)
    assert [x.member for x in plan.to_issue] == ["Hackney"] and len(plan.existing) == 3
    assert plan.to_issue[0].days == 274  # 1 July 2026 – 31 March 2027
    assert _issue(billed, FY26, date(2026, 7, 1), "hackney") == ["PLV-2026-0004"]


def test_each_invoice_freezes_its_working_and_prints_the_po(billed):
    with billed.write("test") as session:
        issuing.record_po(session, members.find(session, "bromley"), FY26, "PO-448812")
    _issue(billed, FY26, date(2026, 4, 1), "bromley")
    # a later revision of the CPI does not change an issued invoice
    from plvgov.billing import cpi_import

    with billed.write("test") as session:
        cpi_import.import_series(session, "month,index\n2025-09,139.9\n", "rev.csv")
    with billed.read() as session:
        doc = papers.invoice_document(session, "PLV-2026-0001")
    assert (
        doc.po_number,
        doc.reference_month,
        doc.reference_index,
        doc.base_index,
        doc.factor,
    ) == ("PO-448812", "2025-09", "139.3", "123.8", "1.125202")
    assert (doc.net, doc.vat, doc.gross) == (
        Decimal("22504.04"),
        Decimal("0.00"),
        Decimal("22504.04"),
    )
    assert doc.vat_treatment == "outside the scope of VAT"
    assert (doc.issued_on, doc.due_on) == (date(2026, 4, 1), date(2026, 5, 1))  # 30 days
    assert doc.council_name == "London Borough of Bromley" and doc.days == 365


def test_vat_at_a_rate_is_its_own_line(billed):
    _set(billed, "vat_rate", "20", date(2026, 1, 1))
    _set(billed, "vat_treatment", "standard rated", date(2026, 1, 1))
    _issue(billed, FY26, date(2026, 4, 1), "bromley")
    with billed.read() as session:
        doc = papers.invoice_document(session, "PLV-2026-0001")
    assert (doc.net, doc.vat, doc.gross) == (
        Decimal("22504.04"),
        Decimal("4500.81"),
        Decimal("27004.85"),
    )
    assert doc.vat_rate == "20" and doc.vat_treatment == "standard rated"


def test_the_prefix_and_due_days_are_settings(billed):
    _set(billed, "invoice_prefix", "PLVL", date(2026, 1, 1))
    _set(billed, "invoice_due_days", "14", date(2026, 1, 1))
    _issue(billed, FY26, date(2026, 4, 1), "camden")
    with billed.read() as session:
        inv = accounts.get(session, "PLVL-2026-0001")
    assert inv.due_on == date(2026, 4, 15)


def test_no_run_before_launch(ledger):
    with ledger.read() as session, pytest.raises(RuleError) as caught:
        issuing.plan_run(session, FY26)
    assert "plvgov settings set launch_date YYYY-MM-DD" in caught.value.message


# -- the run ------------------------------------------------------------------------------------
def _run(ledger, fy: FinancialYear = FY26, **kwargs) -> issuing.RunOutcome:
    return issuing.run(ledger, fy, date(2026, 4, 1), "plvgov invoice run", **kwargs)


def test_a_run_is_one_transaction_with_an_audit_event_per_chunk(billed):
    before = _events(billed)
    outcome = _run(billed, chunk=2)
    assert [(i.number, i.gross) for i in outcome.created] == [
        ("PLV-2026-0001", Decimal("22504.04")),  # Barnet: numbered in name order
        ("PLV-2026-0002", Decimal("22504.04")),  # Bromley
        ("PLV-2026-0003", Decimal("22504.04")),  # Camden
    ]
    assert (outcome.existing, outcome.total) == (0, Decimal("67512.12"))
    assert _events(billed) == before + 2
    with billed.read() as session:
        subjects = [e.subject for e in reversed(audit.latest(session, 2))]
        deep = audit.verify_deep(session)
        names = [accounts.get(session, i.number).member_name for i in outcome.created]
    assert subjects == ["PLV-2026-0001 to PLV-2026-0002", "PLV-2026-0003"]
    assert names == ["Barnet", "Bromley", "Camden"]
    assert deep.ok, [d.message for d in deep.differences]


def test_a_run_that_fails_part_way_issues_nothing_and_the_next_issues_it_all(billed):
    before = _events(billed)

    def crash(_count: int) -> None:
        raise RuntimeError("the machine went down")

    with pytest.raises(RuntimeError):
        _run(billed, chunk=2, after_chunk=crash)  # after the first chunk's rows and event
    assert _events(billed) == before
    with billed.read() as session:
        assert accounts.list_invoices(session, TODAY, FY26) == []
    outcome = _run(billed)
    assert (len(outcome.created), outcome.existing) == (3, 0)
    assert [i.number for i in outcome.created][-1] == "PLV-2026-0003"


def test_a_run_freezes_each_members_po_part_year_and_working(billed):
    with billed.write("test") as session:
        issuing.record_po(session, members.find(session, "bromley"), FY26, "PO-448812")
        members.admit(session, members.find(session, "hackney"), date(2026, 7, 1), None)
        members.cease(session, members.find(session, "camden"), date(2026, 9, 30), "dissolution")
    first = _run(billed)  # 1 April 2026: Hackney joins on 1 July, so a later run invoices it
    assert [d.member for d in first.later] == ["Hackney"]
    issuing.run(billed, FY26, date(2026, 7, 1), "plvgov invoice run")
    with billed.read() as session:
        docs = {
            d.member: d for d in (papers.invoice_document(session, i.number) for i in _all(session))
        }
    assert docs["Bromley"].po_number == "PO-448812" and docs["Barnet"].po_number is None
    assert docs["Hackney"].days == 274  # 1 July 2026 – 31 March 2027
    assert docs["Hackney"].description == (
        "Subscription 2026/27, part year: 274 of 365 days (1 July 2026 to 31 March 2027)"
    )
    assert docs["Camden"].days == 183  # 1 April – 30 September 2026, its last day
    # £20,000 × 139.3 ÷ 123.8 × 183 ÷ 365 = 11,282.8468… rounded once: pro-rating the rounded
    # full year (£22,504.04 × 183 ÷ 365 = 11,282.8419…) would give a penny less
    assert docs["Camden"].gross == Decimal("11282.85")
    assert docs["Barnet"].description == (
        "Annual subscription 2026/27 (1 April 2026 to 31 March 2027)"
    )
    assert {(d.factor, d.reference_month, d.base_index) for d in docs.values()} == {
        ("1.125202", "2025-09", "123.8")
    }


def _all(session) -> list[accounts.InvoiceView]:
    return accounts.list_invoices(session, TODAY, FY26)


def test_a_rerun_issues_nothing_and_records_nothing(billed):
    _run(billed)
    before = _events(billed)
    outcome = _run(billed)
    assert (outcome.created, outcome.existing) == ([], 3)
    assert _events(billed) == before


# -- payments and credit notes --------------------------------------------------------------------
def test_partial_payments_then_paid_and_overpayment_refused(billed):
    _issue(billed, FY26, date(2026, 4, 1), "bromley")
    with billed.write("test") as session:
        accounts.pay(session, "PLV-2026-0001", Decimal("10000.00"), date(2026, 4, 20), "BACS1")
    with billed.read() as session:
        v = accounts.view(session, accounts.get(session, "PLV-2026-0001"), date(2026, 4, 21))
    assert (v.paid, v.balance, v.status) == (Decimal("10000.00"), Decimal("12504.04"), "part-paid")
    before = _events(billed)
    with pytest.raises(RuleError) as caught, billed.write("test") as session:
        accounts.pay(session, "PLV-2026-0001", Decimal("12504.05"), date(2026, 4, 30))
    assert "£12,504.04" in caught.value.message and _events(billed) == before
    with billed.write("test") as session:
        accounts.pay(session, "plv-2026-0001", Decimal("12504.04"), date(2026, 4, 30))
    with billed.read() as session:
        v = accounts.view(session, accounts.get(session, "PLV-2026-0001"))
    assert (v.balance, v.status) == (Decimal("0.00"), "paid")


@pytest.mark.parametrize(
    ("number", "amount", "error"),
    [
        ("PLV-2026-0099", Decimal("1.00"), NotFound),
        ("PLV-2026-0001", Decimal("0.00"), InputError),
        ("PLV-2026-0001", Decimal("-5.00"), InputError),
    ],
)
def test_bad_payments_are_refused_and_nothing_written(billed, number, amount, error):
    _issue(billed, FY26, date(2026, 4, 1), "bromley")
    before = _events(billed)
    with pytest.raises(error), billed.write("test") as session:
        accounts.pay(session, number, amount, date(2026, 5, 1))
    assert _events(billed) == before


def test_credit_notes_have_their_own_sequence_and_default_to_the_balance(billed):
    _issue(billed, FY26, date(2026, 4, 1), "bromley", "camden")
    with billed.write("test") as session:
        first = accounts.credit(
            session, "PLV-2026-0001", "duplicate charge", date(2026, 5, 1), Decimal("504.04")
        )
    with billed.write("test") as session:
        accounts.pay(session, "PLV-2026-0002", Decimal("2504.04"), date(2026, 5, 2))
        second = accounts.credit(session, "PLV-2026-0002", "ceased", date(2026, 5, 3))
    assert (first.number, second.number) == ("CN-2026-0001", "CN-2026-0002")
    assert second.amount_pence == 2000000  # the outstanding balance, not the invoice
    with billed.read() as session:
        views = {v.number: v for v in accounts.list_invoices(session, TODAY, FY26)}
        note = papers.credit_note_document(session, "CN-2026-0002")
    assert views["PLV-2026-0002"].balance == Decimal("0.00")
    assert views["PLV-2026-0001"].balance == Decimal("22000.00")
    assert (note.invoice_number, note.gross, note.invoice_balance) == (
        "PLV-2026-0002",
        Decimal("20000.00"),
        Decimal("0.00"),
    )
    with pytest.raises(RuleError), billed.write("test") as session:
        accounts.credit(session, "PLV-2026-0002", "again", date(2026, 5, 4))


def test_a_fully_credited_invoice_reads_credited(billed):
    _issue(billed, FY26, date(2026, 4, 1), "bromley")
    with billed.write("test") as session:
        accounts.credit(session, "PLV-2026-0001", "issued in error", date(2026, 4, 2))
    with billed.read() as session:
        assert accounts.view(session, accounts.get(session, "PLV-2026-0001")).status == "credited"


# -- arrears, statements, summaries -------------------------------------------------------------
def test_arrears_are_balances_after_the_due_date(billed):
    _issue(billed, FY26, date(2026, 4, 1), "bromley", "camden")
    with billed.write("test") as session:
        accounts.pay(session, "PLV-2026-0001", Decimal("22504.04"), date(2026, 4, 20))
        accounts.pay(session, "PLV-2026-0002", Decimal("504.04"), date(2026, 4, 20))
    with billed.read() as session:
        assert accounts.arrears(session, date(2026, 5, 1)) == []  # due on 1 May: not yet late
        [late] = accounts.arrears(session, date(2026, 5, 31))
    assert (late.number, late.member, late.balance, late.days_overdue) == (
        "PLV-2026-0002",
        "Camden",
        Decimal("22000.00"),
        30,
    )


def test_statement_lists_every_invoice_payment_and_credit(billed):
    _issue(billed, FY25, date(2026, 1, 5), "bromley")
    _issue(billed, FY26, date(2026, 4, 1), "bromley")
    with billed.write("test") as session:
        accounts.pay(session, "PLV-2025-0001", Decimal("10810.37"), date(2026, 2, 1), "R1")
    with billed.write("test") as session:
        accounts.credit(session, "PLV-2026-0001", "goodwill", date(2026, 6, 1), Decimal("4.04"))
    with billed.read() as session:
        st = accounts.statement(session, members.find(session, "bromley"), TODAY)
    assert [(x.kind, x.reference) for x in st.lines] == [
        ("invoice", "PLV-2025-0001"),
        ("payment", "PLV-2025-0001"),
        ("invoice", "PLV-2026-0001"),
        ("credit note", "CN-2026-0001"),
    ]
    assert st.balance == Decimal("22500.00")


def test_year_summary_for_the_board_pack(billed):
    _issue(billed, FY26, date(2026, 4, 1))
    with billed.write("test") as session:
        accounts.pay(session, "PLV-2026-0001", Decimal("1000.00"), date(2026, 4, 20))
        accounts.credit(session, "PLV-2026-0002", "x", date(2026, 4, 21), Decimal("4.04"))
    with billed.read() as session:
        s = accounts.year_summary(session, FY26)
    assert (s.invoices, s.invoiced, s.paid, s.credited, s.outstanding) == (
        3,
        Decimal("67512.12"),
        Decimal("1000.00"),
        Decimal("4.04"),
        Decimal("66508.08"),
    )
    assert len(s.rows) == 3


def test_deadlines_feed_the_calendar(billed):
    _issue(billed, FY26, date(2026, 4, 1), "bromley", "camden")
    with billed.write("test") as session:
        accounts.pay(session, "PLV-2026-0001", Decimal("22504.04"), date(2026, 4, 20))
    with billed.read() as session:
        found = accounts.deadlines(session, date(2026, 4, 1), date(2026, 12, 31))
    assert [(d.on, d.kind, d.subject) for d in found if not d.cancelled] == [
        (date(2026, 5, 1), "invoice_due", "Camden"),
        (date(2026, 10, 31), "subscription_notice", "Subscription notice for 2027/28"),
    ]
    # the paid invoice's due date comes back cancelled (a calendar removes it), one change on
    paid = [d for d in found if d.cancelled]
    assert [(d.subject, d.outstanding, d.revision) for d in paid] == [("Bromley", False, 1)]
    camden = next(d for d in found if d.subject == "Camden")
    assert (camden.outstanding, camden.revision) == (True, 0)


# -- export ----------------------------------------------------------------------------------------
def test_export_is_utf8_with_bom_and_neutralises_formulas(billed, tmp_path):
    with billed.write("test") as session:
        added = members.add(session, '=HYPERLINK("http://x")', None, None)
    with billed.write("test") as session:
        members.admit(session, members.get(session, added.id), date(2026, 4, 1), None)
    with billed.write("test") as session:
        issuing.record_po(session, members.find(session, "bromley"), FY26, "@PO-1")
    _issue(billed, FY26, date(2026, 4, 1), "bromley")
    with billed.write("test") as session:
        issuing.issue(session, FY26, [added.id], date(2026, 4, 1))
        accounts.credit(session, "PLV-2026-0001", "part", date(2026, 5, 1), Decimal("4.04"))
    out = tmp_path / "export.csv"
    with billed.read() as session:
        export.write_csv(export.export_rows(session, FY26), out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [r["number"] for r in rows] == ["PLV-2026-0001", "PLV-2026-0002", "CN-2026-0001"]
    assert rows[0]["po_number"] == "'@PO-1"
    assert rows[1]["council"] == '\'=HYPERLINK("http://x")'
    assert (rows[2]["gross"], rows[2]["invoice"]) == ("-4.04", "PLV-2026-0001")  # a number
    assert rows[0]["balance"] == "22500.00"
    with pytest.raises(PlvgovError) as caught:
        export.write_csv([], out)
    assert "--force" in caught.value.message
    export.write_csv([], out, force=True)
    assert out.read_text("utf-8-sig").count("\n") == 1


def test_excel_safe_leaves_numbers_alone():
    assert outputs.excel_safe("-12.50") == "-12.50"
    assert outputs.excel_safe("+44 20 7946") == "'+44 20 7946"
    assert outputs.excel_safe("-cmd") == "'-cmd"
    assert outputs.excel_safe("Bromley") == "Bromley"


def test_quote_total_matches_what_the_run_issues(billed):
    with billed.read() as session:
        total = schemes.quote(session, FY25).total
    _issue(billed, FY25, date(2026, 1, 5))
    with billed.read() as session:
        assert accounts.year_summary(session, FY25).invoiced == total == Decimal("32431.11")


# -- members admitted after a run's issue date (issue 12.1) -------------------------------------
FY25_RATE = Decimal("20000") * Decimal("134.2") / Decimal("123.8")  # CPI 2024-09 ÷ 2022-09


def _pro_rata(days: int, of: int) -> Decimal:
    return (FY25_RATE * days / of).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


@pytest.fixture
def admitting(ledger):
    """Launched 1 April 2025; Bromley a member since 2023, Hackney admitted 1 September 2025
    and Sutton 5 January 2026 (both recorded ahead)."""
    _set(ledger, "launch_date", "2025-04-01")
    with ledger.write("test") as session:
        for slug, on in (
            ("bromley", date(2023, 4, 1)),
            ("hackney", date(2025, 9, 1)),
            ("sutton", date(2026, 1, 5)),
        ):
            members.admit(session, members.find(session, slug), on, None)
    return ledger


def test_a_run_invoices_only_members_admitted_by_its_issue_date(admitting):
    first = issuing.run(admitting, FY25, date(2025, 7, 1), "plvgov invoice run", today=TODAY)
    assert [i.number for i in first.created] == ["PLV-2025-0001"]  # Bromley alone
    assert [(d.member, d.admitted_on, d.days) for d in first.later] == [
        ("Hackney", date(2025, 9, 1), 212),  # 1 September 2025 – 31 March 2026
        ("Sutton", date(2026, 1, 5), 86),  # 5 January – 31 March 2026
    ]
    assert first.later_note == (
        "Left 2 for later (admitted after 1 July 2025: invoice them with a later run): "
        "Hackney, admitted 1 September 2025; Sutton, admitted 5 January 2026."
    )
    with admitting.read() as session:
        listed = accounts.list_invoices(session, date(2025, 12, 1), FY25)
    assert [v.member for v in listed] == ["Bromley"]  # nobody is billed before joining
    # the later runs pick up the rest, pro rata from admission, numbered on contiguously
    second = issuing.run(admitting, FY25, date(2025, 9, 1), "plvgov invoice run", today=TODAY)
    assert [(i.number, i.gross) for i in second.created] == [("PLV-2025-0002", _pro_rata(212, 365))]
    assert [d.member for d in second.later] == ["Sutton"] and second.existing == 1
    third = issuing.run(admitting, FY25, date(2026, 1, 5), "plvgov invoice run", today=TODAY)
    assert [(i.number, i.gross) for i in third.created] == [("PLV-2025-0003", _pro_rata(86, 365))]
    assert (third.later, third.later_note, third.existing) == ([], None, 2)
    with admitting.read() as session:
        docs = {
            v.member: papers.invoice_document(session, v.number)
            for v in accounts.list_invoices(session, TODAY, FY25)
        }
    assert docs["Hackney"].issued_on == date(2025, 9, 1)
    assert docs["Hackney"].description == (
        "Subscription 2025/26, part year: 212 of 365 days (1 September 2025 to 31 March 2026)"
    )
    assert docs["Sutton"].issued_on == date(2026, 1, 5) and docs["Sutton"].days == 86


def test_the_plan_for_an_issue_date_leaves_later_admissions_out(admitting):
    with admitting.read() as session:
        plan = issuing.plan_run(session, FY25, date(2025, 8, 31))
    assert [x.member for x in plan.to_issue] == ["Bromley"]
    assert [d.member for d in plan.later] == ["Hackney", "Sutton"]
    assert plan.as_json()["later"][0] == {
        "member": "Hackney",
        "gss_code": "E09000012",
        "admitted_on": date(2025, 9, 1),
        "days": 212,
        "amount": _pro_rata(212, 365),
    }
    with admitting.read() as session:  # on the day it joins, a member is invoiced
        plan = issuing.plan_run(session, FY25, date(2025, 9, 1))
    assert [x.member for x in plan.to_issue] == ["Bromley", "Hackney"]


def test_issuing_to_a_member_before_it_joins_is_refused(admitting):
    before = _events(admitting)
    with admitting.write("test") as session, pytest.raises(RuleError) as caught:
        issuing.issue(session, FY25, _ids(session, "sutton"), date(2025, 7, 1), today=TODAY)
    assert caught.value.message == (
        "Sutton is admitted on 5 January 2026, after the issue date 1 July 2025; "
        "invoice it on or after the day it joins"
    )
    assert _events(admitting) == before


# -- why a run issues nothing (issue 12.9) ------------------------------------------------------
def test_a_plan_says_why_it_would_issue_nothing(billed):
    with billed.read() as session:
        before_launch = issuing.plan_run(session, FinancialYear(2024), date(2025, 1, 1))
        due = issuing.plan_run(session, FY26, date(2026, 4, 1))
    assert before_launch.to_issue == [] and before_launch.total == Decimal("0.00")
    assert before_launch.note == (
        "the launch date is 1 October 2025, so nothing is payable for 2024/25"
    )
    assert before_launch.as_json()["note"] == before_launch.note
    assert due.note is None  # three invoices to issue: nothing to explain
    issuing.run(billed, FY26, date(2026, 4, 1), "plvgov invoice run", today=TODAY)
    with billed.read() as session:
        done = issuing.plan_run(session, FY26, date(2026, 4, 2))
    assert done.note == "every member liable for 2026/27 is already invoiced"
    again = issuing.run(billed, FY26, date(2026, 4, 2), "plvgov invoice run", today=TODAY)
    assert again.note == done.note and again.as_json()["note"] == done.note


def test_a_plan_with_no_members_or_a_nil_scheme_says_so(ledger):
    _set(ledger, "launch_date", "2025-10-01")
    with ledger.read() as session:
        empty = issuing.plan_run(session, FY25, date(2025, 10, 1))
    assert empty.note == (
        "no council is a member on any day of 2025/26 from the launch on 1 October 2025; "
        "`plvgov member admit` records an admission"
    )
    with ledger.write("test") as session:
        members.admit(session, members.find(session, "bromley"), date(2023, 4, 1), None)
        schemes.set_scheme(
            session, FinancialYear(2027), Decimal("0"), indexed=False, authority="Resolution 4"
        )
    with ledger.read() as session:
        nil = issuing.plan_run(session, FinancialYear(2027), date(2026, 11, 1))
    assert (
        nil.note
        == "the subscription for 2027/28 is nil (Resolution 4), so there is nothing to invoice"
    )


# -- what was credited, on every row (issue 12.8) -----------------------------------------------
def test_every_row_shows_what_was_credited_and_the_sums_agree(billed):
    issuing.run(billed, FY25, date(2025, 10, 1), "plvgov invoice run", today=TODAY)
    issuing.run(billed, FY26, date(2026, 4, 1), "plvgov invoice run", today=TODAY)
    with billed.write("test") as session:
        # Barnet pays part, and the rest is credited; Bromley pays part and is credited part;
        # Camden pays in two parts; 2026/27: one paid, one credited in full, one untouched
        accounts.pay(session, "PLV-2025-0001", Decimal("10000.00"), date(2025, 10, 20))
        accounts.credit(session, "PLV-2025-0001", "agreed discount", date(2025, 11, 1))
        accounts.pay(session, "PLV-2025-0002", Decimal("5000.00"), date(2025, 10, 20))
        accounts.credit(
            session, "PLV-2025-0002", "days before admission", date(2025, 11, 1), Decimal("810.37")
        )
        accounts.pay(session, "PLV-2025-0003", Decimal("800.37"), date(2025, 10, 20))
        accounts.pay(session, "PLV-2025-0003", Decimal("10010.00"), date(2025, 11, 20))
        accounts.pay(session, "PLV-2026-0001", Decimal("22504.04"), date(2026, 4, 20))
        accounts.credit(session, "PLV-2026-0002", "ceased", date(2026, 5, 1))
    with billed.read() as session:
        rows = {v.number: v for v in accounts.list_invoices(session, TODAY)}
        early = {v.number: v for v in accounts.list_invoices(session, date(2025, 10, 31))}
    assert all(v.amount - v.paid - v.credited == v.balance for v in rows.values())
    assert all(v.amount - v.paid - v.credited == v.balance for v in early.values())
    assert (rows["PLV-2025-0001"].paid, rows["PLV-2025-0001"].credited) == (
        Decimal("10000.00"),
        Decimal("810.37"),
    )
    assert (rows["PLV-2025-0001"].balance, rows["PLV-2025-0001"].status) == (
        Decimal("0.00"),
        "paid",
    )
    assert (rows["PLV-2025-0002"].credited, rows["PLV-2025-0002"].balance) == (
        Decimal("810.37"),
        Decimal("5000.00"),
    )
    assert (rows["PLV-2026-0002"].credited, rows["PLV-2026-0002"].status) == (
        Decimal("22504.04"),
        "credited",
    )
    assert early["PLV-2025-0001"].credited == Decimal("0.00")  # the credit note came later


def test_export_xlsx_neutralises_formulas_in_text_cells(billed, tmp_path):
    from openpyxl import load_workbook

    with billed.write("test") as session:
        added = members.add(session, '=HYPERLINK("http://x")', None, None)
    with billed.write("test") as session:
        members.admit(session, members.get(session, added.id), date(2026, 4, 1), None)
    with billed.write("test") as session:
        issuing.record_po(session, members.find(session, "bromley"), FY26, "@PO-1")
    _issue(billed, FY26, date(2026, 4, 1), "bromley")
    with billed.write("test") as session:
        issuing.issue(session, FY26, [added.id], date(2026, 4, 1))
    out = tmp_path / "export.xlsx"
    with billed.read() as session:
        export.write_xlsx(export.export_rows(session, FY26), out)
    cells = [c for row in load_workbook(out).active.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]  # nothing runs as a formula
    texts = {c.value for c in cells if c.data_type == "s"}
    assert {"'@PO-1", '\'=HYPERLINK("http://x")'} <= texts
    with pytest.raises(PlvgovError) as caught:
        export.write_xlsx([], out)
    assert "--force" in caught.value.message
