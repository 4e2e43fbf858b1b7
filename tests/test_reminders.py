"""The reminder ladder: when the first and the final reminder of an overdue invoice fall due
(working days: weekends, Christmas 2026, Easter 2027), balances after part payments and credit
notes, each stage issued once, and the letter and the statement of account."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from plvgov import audit, settings
from plvgov.billing import accounts, issuing, papers, reminders, statements
from plvgov.dates import FinancialYear
from plvgov.errors import InputError, LedgerError, NotFound, RuleError
from plvgov.membership import members
from plvgov.models.accounts import InvoiceReminder
from plvgov.oversight import checks
from plvgov.oversight import deadlines as registry

D = date.fromisoformat
FY26 = FinancialYear(2026)
FULL = Decimal("22504.04")  # £20,000 × 139.3 (CPI 2025-09) ÷ 123.8 (CPI 2022-09)
LATER = D("2027-06-30")  # a "today" after every date these tests record


@pytest.fixture
def billed(ledger):
    """Five members admitted on 1 April 2023; the provision launched on 1 April 2025."""
    with ledger.write("test") as session:
        for slug in ("bromley", "camden", "barnet", "hackney", "sutton"):
            members.admit(session, members.find(session, slug), D("2023-04-01"), None)
        settings.set_value(
            session, "launch_date", "2025-04-01", effective_from=None, authority=None, today=LATER
        )
    return ledger


def invoice(ledger, slug: str, issued_on: str) -> str:
    """Issue ``slug``'s 2026/27 invoice on ``issued_on`` (due 30 days later); its number."""
    with ledger.write("test") as session:
        member_id = members.find(session, slug).id
        (made,) = issuing.issue(session, FY26, [member_id], D(issued_on), today=LATER)
        return made.number


def due_on(ledger, at: str) -> dict[str, tuple[str, int, Decimal]]:
    """The reminders due on ``at``: invoice → (stage, days overdue, balance)."""
    with ledger.read() as session:
        return {
            r.invoice: (r.stage, r.days_overdue, r.balance) for r in reminders.due(session, D(at))
        }


def remind(ledger, number: str, on: str) -> InvoiceReminder:
    with ledger.write("test") as session:
        row = reminders.issue_reminder(session, number, on=D(on), today=LATER)
        session.flush()
        session.expunge(row)
        return row


def pay(ledger, number: str, amount: str, on: str) -> None:
    with ledger.write("test") as session:
        accounts.pay(session, number, Decimal(amount), D(on), today=LATER)


def credit(ledger, number: str, on: str, amount: str | None = None) -> None:
    with ledger.write("test") as session:
        value = Decimal(amount) if amount else None
        accounts.credit(session, number, "agreed", D(on), value, today=LATER)


def head(ledger) -> int:
    with ledger.read() as session:
        return audit.head(session)[0]


# -- when a reminder falls due ----------------------------------------------------------------
def test_first_reminder_at_fourteen_days_and_final_at_thirty_on_working_days(billed):
    number = invoice(billed, "bromley", "2026-04-01")  # due Friday 1 May 2026
    assert due_on(billed, "2026-05-14") == {}
    assert due_on(billed, "2026-05-15") == {number: ("first", 14, FULL)}  # a Friday
    remind(billed, number, "2026-05-15")
    assert due_on(billed, "2026-05-15") == {}  # issued: not listed again
    # 30 days overdue is Sunday 31 May 2026: the final is due on Monday 1 June
    assert due_on(billed, "2026-05-31") == {}
    assert due_on(billed, "2026-06-01") == {number: ("final", 31, FULL)}
    remind(billed, number, "2026-06-01")
    assert due_on(billed, "2026-12-31") == {}  # both issued: the ladder ends


def test_a_reminder_due_on_a_weekend_is_due_on_the_monday(billed):
    number = invoice(billed, "camden", "2026-04-02")  # due Saturday 2 May 2026
    # 14 days overdue is Saturday 16 May: listed from Monday 18 May, 16 days overdue
    assert due_on(billed, "2026-05-16") == {}
    assert due_on(billed, "2026-05-17") == {}
    assert due_on(billed, "2026-05-18") == {number: ("first", 16, FULL)}


def test_christmas_2026_moves_the_first_reminder_to_29_december(billed):
    number = invoice(billed, "barnet", "2026-11-11")  # due Friday 11 December 2026
    # 14 days overdue is Christmas Day; 26-27 December a weekend; Monday 28 December the
    # substitute Boxing Day bank holiday: due on Tuesday 29 December
    for day in ("2026-12-25", "2026-12-26", "2026-12-27", "2026-12-28"):
        assert due_on(billed, day) == {}, day
    assert due_on(billed, "2026-12-29") == {number: ("first", 18, FULL)}
    with billed.read() as session, pytest.raises(RuleError, match="falls due on 2026-12-29"):
        reminders.next_due(session, number, D("2026-12-28"))


def test_easter_2027_moves_the_final_reminder_past_easter_monday(billed):
    number = invoice(billed, "hackney", "2027-01-25")  # due Wednesday 24 February 2027
    remind(billed, number, "2027-03-10")  # the first, on its day (14 days overdue)
    # 30 days overdue is Good Friday 26 March 2027; Easter Monday is 29 March
    assert due_on(billed, "2027-03-26") == {}
    assert due_on(billed, "2027-03-29") == {}
    assert due_on(billed, "2027-03-30") == {number: ("final", 34, FULL)}


def test_extra_non_working_days_count_too(billed):
    number = invoice(billed, "bromley", "2026-04-01")
    with billed.write("test") as session:
        settings.set_value(
            session,
            "extra_non_working_days",
            "2026-05-15",
            effective_from=D("2026-01-01"),
            authority=None,
            today=LATER,
        )
    assert due_on(billed, "2026-05-15") == {}
    assert due_on(billed, "2026-05-18") == {number: ("first", 17, FULL)}


# -- the ladder ---------------------------------------------------------------------------------
def test_the_final_waits_for_the_first_and_then_for_the_gap(billed):
    number = invoice(billed, "bromley", "2026-04-01")  # due 1 May 2026
    # 45 days overdue and no first reminder yet: the first is what is due, not the final
    assert due_on(billed, "2026-06-15") == {number: ("first", 45, FULL)}
    remind(billed, number, "2026-06-15")
    # the council has the 16 days between the settings to answer: not before 1 July
    assert due_on(billed, "2026-06-30") == {}
    assert due_on(billed, "2026-07-01") == {number: ("final", 61, FULL)}
    with (
        billed.read() as session,
        pytest.raises(RuleError, match="final reminder falls due on 2026-07-01"),
    ):
        reminders.next_due(session, number, D("2026-06-30"))


def test_each_stage_is_issued_once_and_a_refusal_writes_nothing(billed):
    number = invoice(billed, "bromley", "2026-04-01")
    first = remind(billed, number, "2026-05-15")
    assert (first.stage, first.issued_on, first.balance_pence) == (
        "first",
        D("2026-05-15"),
        2250404,
    )
    before = head(billed)
    with pytest.raises(RuleError, match="the first was issued on 2026-05-15"):
        remind(billed, number, "2026-05-20")
    final = remind(billed, number, "2026-06-01")
    assert final.stage == "final"
    with pytest.raises(RuleError, match="both reminders for PLV-2026-0001 have been issued"):
        remind(billed, number, "2026-07-01")
    assert head(billed) == before + 1  # the final's one event; the refusals wrote nothing


def test_the_database_refuses_a_second_reminder_of_a_stage(billed):
    number = invoice(billed, "bromley", "2026-04-01")
    first = remind(billed, number, "2026-05-15")
    # SQLite raises the driver's error; on PostgreSQL Ledger.write names the refusal
    with pytest.raises((IntegrityError, LedgerError)), billed.write("test") as session:
        session.add(
            InvoiceReminder(
                invoice_id=first.invoice_id,
                stage="first",
                issued_on=D("2026-05-20"),
                balance_pence=1,
            )
        )
        session.flush()


def test_a_reminder_is_not_dated_before_one_already_issued_or_after_today(billed):
    number = invoice(billed, "bromley", "2026-04-01")
    remind(billed, number, "2026-06-15")
    with pytest.raises(RuleError, match="issued on 2026-06-15, after 2026-05-20"):
        remind(billed, number, "2026-05-20")
    with billed.write("test") as session, pytest.raises(InputError, match="after today"):
        reminders.issue_reminder(session, number, on=D("2026-11-24"), today=D("2026-11-23"))


def test_issuing_is_audited_with_the_stage_and_balance(billed):
    number = invoice(billed, "bromley", "2026-04-01")
    remind(billed, number, "2026-05-15")
    with billed.read() as session:
        event = audit.latest(session, 1)[0]
    assert (event.action, event.subject) == ("invoice.remind", number)
    assert '"stage":"first"' in event.payload.replace(" ", "")
    with billed.read() as session:
        assert audit.verify(session).ok
        assert audit.verify_deep(session).ok


# -- balances -----------------------------------------------------------------------------------
def test_part_payments_and_credit_notes_reduce_the_balance_asked_for(billed):
    number = invoice(billed, "bromley", "2026-04-01")
    pay(billed, number, "10000.00", "2026-05-10")
    credit(billed, number, "2026-05-12", "504.04")
    assert due_on(billed, "2026-05-15") == {number: ("first", 14, Decimal("12000.00"))}
    # a payment dated after the day judged does not count on it
    pay(billed, number, "2000.00", "2026-05-20")
    assert due_on(billed, "2026-05-15")[number][2] == Decimal("12000.00")
    row = remind(billed, number, "2026-05-20")
    assert row.balance_pence == 1_000_000  # £10,000.00 then


def test_paid_in_full_gets_no_reminder_and_stops_the_ladder(billed):
    number = invoice(billed, "bromley", "2026-04-01")
    remind(billed, number, "2026-05-15")
    pay(billed, number, str(FULL), "2026-05-20")
    assert due_on(billed, "2026-06-01") == {}
    with pytest.raises(RuleError, match="is paid on 2026-06-01: nothing is outstanding"):
        remind(billed, number, "2026-06-01")


def test_credited_in_full_gets_no_reminder(billed):
    number = invoice(billed, "camden", "2026-04-01")
    credit(billed, number, "2026-04-20")
    assert due_on(billed, "2026-05-15") == {}
    with pytest.raises(RuleError, match="is credited on 2026-05-15"):
        remind(billed, number, "2026-05-15")


def test_unknown_invoice_is_not_found(billed):
    with billed.write("test") as session, pytest.raises(NotFound, match="no invoice"):
        reminders.issue_reminder(session, "PLV-2026-0999", on=D("2026-05-15"), today=LATER)


# -- settings -----------------------------------------------------------------------------------
def test_the_ladder_reads_the_settings_in_force_on_the_day(billed):
    number = invoice(billed, "bromley", "2026-04-01")
    with billed.write("test") as session:
        settings.set_value(
            session,
            "reminder_first_days",
            "7",
            effective_from=D("2026-05-01"),
            authority=None,
            today=LATER,
        )
    assert due_on(billed, "2026-05-08") == {number: ("first", 7, FULL)}  # a Friday
    assert due_on(billed, "2026-04-30") == {}


def test_the_final_must_come_after_the_first(billed):
    with (
        billed.write("test") as session,
        pytest.raises(RuleError, match="the final reminder must come after the first"),
    ):
        settings.set_value(
            session, "reminder_first_days", "30", effective_from=None, authority=None, today=LATER
        )
    with billed.write("test") as session:
        settings.set_value(
            session,
            "reminder_final_days",
            "60",
            effective_from=D("2027-04-01"),
            authority=None,
            today=LATER,
        )
    with billed.write("test") as session, pytest.raises(RuleError, match="on 2026-11-23"):
        # 45 would fit after 1 April 2027 (final 60) but not before it (final 30)
        settings.set_value(
            session,
            "reminder_first_days",
            "45",
            effective_from=D("2026-11-23"),
            authority=None,
            today=LATER,
        )


# -- calendar and check -------------------------------------------------------------------------
def test_calendar_lists_the_next_reminder_and_check_warns_once_it_is_due(billed):
    number = invoice(billed, "barnet", "2026-11-11")  # first due 29 December 2026
    with billed.read() as session:
        listed = registry.collect(session, D("2026-12-01"), D("2027-01-31"))
        found = checks.run(
            session, D("2026-12-29"), [checks.reminders_due, checks.passed_deadlines]
        )
        later = checks.run(session, D("2027-01-05"), [checks.passed_deadlines])
    assert [(d.on, d.kind, d.subject) for d in listed if d.kind == "invoice_reminder"] == [
        (D("2026-12-29"), "invoice_reminder", "Barnet")
    ]
    assert [f.check for f in found] == ["reminders_due"]
    assert f"first reminder for invoice {number}" in found[0].message
    assert "since 2026-12-29" in found[0].message
    assert not [f for f in later if "reminder" in f.message]  # left to reminders_due


# -- the letter ---------------------------------------------------------------------------------
def test_letter_is_the_stage_due_else_a_copy_of_the_last_issued(billed):
    number = invoice(billed, "bromley", "2026-04-01")
    pay(billed, number, "504.04", "2026-05-05")
    with billed.read() as session:
        with pytest.raises(RuleError, match="falls due on 2026-05-15"):
            papers.reminder_letter(session, number, D("2026-05-14"))
        due = papers.reminder_letter(session, number, D("2026-05-15"))
    assert (due.stage, due.issued, due.on, due.balance, due.paid) == (
        "first",
        False,
        D("2026-05-15"),
        Decimal("22000.00"),
        Decimal("504.04"),
    )
    remind(billed, number, "2026-05-15")
    pay(billed, number, "5000.00", "2026-05-20")
    with billed.read() as session:
        copy = papers.reminder_letter(session, number, D("2026-05-25"))
        final = papers.reminder_letter(session, number, D("2026-06-01"))
    # the copy is the letter as it went: its date, the balance it asked for
    assert (copy.stage, copy.issued, copy.on, copy.balance) == (
        "first",
        True,
        D("2026-05-15"),
        Decimal("22000.00"),
    )
    assert (final.stage, final.first_on, final.balance, final.days_overdue) == (
        "final",
        D("2026-05-15"),
        Decimal("17000.00"),
        31,
    )


# -- statement of account ---------------------------------------------------------------------
def test_statement_opening_lines_closing_and_overdue(billed):
    with billed.write("test") as session:
        member_id = members.find(session, "bromley").id
        issuing.issue(session, FinancialYear(2025), [member_id], D("2025-10-01"), today=LATER)
    old = "PLV-2025-0001"
    pay(billed, old, "10000.00", "2026-03-20")
    number = invoice(billed, "bromley", "2026-04-01")
    pay(billed, old, "1000.00", "2026-04-10")
    credit(billed, number, "2026-04-15", "1000.00")
    with billed.read() as session:
        bromley = members.find(session, "bromley")
        st = statements.statement_document(session, bromley, None, D("2026-11-23"))
        earlier = statements.statement_document(session, bromley, D("2025-04-01"), D("2026-03-31"))
        gross = accounts.view(session, accounts.get(session, old)).amount
    assert st.from_on == D("2026-04-01")  # the start of the financial year --to is in
    # what was owed at the start of 1 April 2026: the 2025/26 invoice less its first payment
    assert st.opening_balance == earlier.closing_balance == gross - Decimal("10000.00")
    assert [(x.kind, x.reference) for x in st.lines] == [
        ("invoice", number),
        ("payment", old),
        ("credit note", "CN-2026-0001"),
    ]
    assert st.opening_balance + st.invoiced - st.received - st.credited == st.closing_balance
    assert (st.invoiced, st.received, st.credited) == (FULL, Decimal("1000.00"), Decimal("1000.00"))
    assert st.lines[-1].balance == st.closing_balance
    # both invoices are past due on 23 November 2026: all of it is overdue
    assert st.overdue == st.closing_balance
    assert [o.number for o in st.overdue_items] == [old, number]
    # on 30 April 2026 the new invoice is not yet due: only the old one's balance is overdue
    with billed.read() as session:
        april = statements.statement_document(session, bromley, None, D("2026-04-30"))
    assert april.overdue == april.closing_balance - (FULL - Decimal("1000.00"))


def test_statement_period_must_run_forwards(billed):
    with billed.read() as session, pytest.raises(InputError, match="is after --to"):
        statements.statement_document(
            session, members.find(session, "bromley"), D("2026-05-01"), D("2026-04-30")
        )
