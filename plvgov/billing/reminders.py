"""Reminders of overdue invoices: a ladder of two letters, the first and then the final.

An invoice is overdue while it has a balance after its due date. Its **first** reminder falls
due ``reminder_first_days`` (14) days after the due date; its **final** one
``reminder_final_days`` (30) days after it. A council's finance office works on working days,
so a reminder whose day is a Saturday, a Sunday or an England and Wales bank holiday (or one of
``extra_non_working_days``) falls due on the next working day: an invoice due on 11 December
2026 is 14 days overdue on Christmas Day, and its first reminder falls due on Tuesday
29 December.

The final reminder is a rung above the first: it is not due until the first has been issued,
and not sooner after it than the gap between the two settings (16 days by default), so a first
reminder sent late still gives the council the same time to answer before the final. Nothing
is due for an invoice paid, or credited, in full: the balance is the invoice less what was paid
and credited by the day judged. Each stage is issued once per invoice; the database refuses a
second (``invoice_reminder``'s unique invoice and stage). The settings in force on the day
judged apply.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from plvgov import audit, settings
from plvgov.billing.accounts import InvoiceView, get, views_of
from plvgov.dates import Deadline, next_working_day, require_past, uk_date
from plvgov.errors import RuleError
from plvgov.models.accounts import InvoiceReminder
from plvgov.models.billing import Invoice
from plvgov.money import format_gbp, from_pence, to_pence
from plvgov.values import dataclass

FIRST, FINAL = "first", "final"
STAGES = (FIRST, FINAL)


@dataclass(frozen=True)
class Ladder:
    """The reminder settings in force on a day, and the working days they count to."""

    first_days: int
    final_days: int
    extra: frozenset[date]  # extra_non_working_days

    @classmethod
    def on(cls, session: Session, day: date) -> Ladder:
        return cls(
            int(settings.get(session, "reminder_first_days", day)),
            int(settings.get(session, "reminder_final_days", day)),
            frozenset(settings.get(session, "extra_non_working_days", day)),
        )

    def next_rung(
        self, due_on: date, issued: dict[str, InvoiceReminder]
    ) -> tuple[str, date] | None:
        """The stage to issue next for an invoice due on ``due_on`` with the reminders
        ``issued`` (by stage), and the working day it falls due; None once both are issued."""
        if FIRST not in issued:
            return FIRST, next_working_day(due_on + timedelta(days=self.first_days), self.extra)
        if FINAL in issued:
            return None
        first_on = issued[FIRST].issued_on
        gap = self.final_days - self.first_days
        day = max(due_on + timedelta(days=self.final_days), first_on + timedelta(days=gap))
        return FINAL, next_working_day(day, self.extra)


@dataclass(frozen=True)
class ReminderDue:
    """A reminder due on a day (``invoice reminders``): the stage to issue for an invoice."""

    invoice: str  # "PLV-2026-0002"
    member: str
    gss_code: str | None
    stage: str  # "first" or "final"
    due_on: date  # the invoice's due date
    falls_due_on: date  # the working day the reminder fell due
    days_overdue: int  # days after the invoice's due date, on the day judged
    balance: Decimal  # what is outstanding on the day judged

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def issued_by_invoice(
    session: Session, ids: list[int], by: date | None = None
) -> dict[int, dict[str, InvoiceReminder]]:
    """The reminders issued (on or before ``by``) for the invoices ``ids``, by stage."""
    found: dict[int, dict[str, InvoiceReminder]] = {}
    for chunk in range(0, len(ids), 500):
        stmt = select(InvoiceReminder).where(
            col(InvoiceReminder.invoice_id).in_(ids[chunk : chunk + 500])
        )
        if by is not None:
            stmt = stmt.where(col(InvoiceReminder.issued_on) <= by)
        for row in session.exec(stmt):
            found.setdefault(row.invoice_id, {})[row.stage] = row
    return found


def _overdue(session: Session, at: date, ladder: Ladder) -> list[InvoiceView]:
    """Invoices with a balance on ``at`` that are at least ``first_days`` overdue."""
    latest = at - timedelta(days=ladder.first_days)
    rows = list(session.exec(select(Invoice).where(col(Invoice.due_on) <= latest)))
    return [v for v in views_of(session, rows, at) if v.balance > 0]


def due(session: Session, at: date) -> list[ReminderDue]:
    """Every reminder due on ``at`` and not yet issued: the next rung of each overdue
    invoice whose day has come, oldest debt first."""
    ladder = Ladder.on(session, at)
    views = _overdue(session, at, ladder)
    issued = issued_by_invoice(session, [v.id for v in views], at)
    found = []
    for v in views:
        rung = ladder.next_rung(v.due_on, issued.get(v.id, {}))
        if rung is not None and rung[1] <= at:
            found.append(
                ReminderDue(
                    v.number,
                    v.member,
                    v.gss_code,
                    rung[0],
                    v.due_on,
                    rung[1],
                    (at - v.due_on).days,
                    v.balance,
                )
            )
    return sorted(found, key=lambda r: (r.due_on, r.invoice))


def reminders_of(session: Session, invoice: Invoice) -> dict[str, InvoiceReminder]:
    """The reminders issued for ``invoice``, by stage."""
    assert invoice.id is not None  # read from the ledger
    return issued_by_invoice(session, [invoice.id]).get(invoice.id, {})


def next_due(session: Session, number: str, on: date) -> tuple[Invoice, str, date, Decimal]:
    """The reminder ``number`` is due on ``on``: its invoice, the stage, the day it fell due
    and the balance on ``on``. Refuses, naming why and what to do, an invoice with nothing
    outstanding, one whose reminders are both issued, and one not yet overdue enough."""
    invoice = get(session, number)
    v = views_of(session, [invoice], on)[0]
    if v.balance <= 0:
        raise RuleError(
            f"{invoice.number} is {v.status} on {on}: nothing is outstanding, so no reminder"
        )
    every = reminders_of(session, invoice)
    issued = {s: r for s, r in every.items() if r.issued_on <= on}
    later = [r for r in every.values() if r.issued_on > on]
    if later:
        raise RuleError(
            f"the {later[0].stage} reminder for {invoice.number} was issued on "
            f"{later[0].issued_on}, after {on}; a reminder cannot go before it"
        )
    rung = Ladder.on(session, on).next_rung(invoice.due_on, issued)
    if rung is None:
        raise RuleError(
            f"both reminders for {invoice.number} have been issued (the final on "
            f"{issued[FINAL].issued_on}); there is no further reminder: raise it with the "
            "council's section 151 officer or the board"
        )
    stage, falls_due_on = rung
    if falls_due_on > on:
        days = (on - invoice.due_on).days
        if stage == FINAL:
            why = f"the first was issued on {issued[FIRST].issued_on}"
        elif days > 0:
            why = f"it was due on {invoice.due_on} and is {days} days overdue"
        else:
            why = f"it is not overdue until after {invoice.due_on}"
        raise RuleError(
            f"no reminder is due for {invoice.number} on {on}: {why}; the {stage} reminder "
            f"falls due on {falls_due_on}"
        )
    return invoice, stage, falls_due_on, v.balance


def issue_reminder(session: Session, number: str, *, on: date, today: date) -> InvoiceReminder:
    """Record that the reminder due on ``on`` for invoice ``number`` was issued (audited): the
    first, or the final once the first has been. Refuses a date after ``today``, an invoice
    paid or credited in full, one not overdue enough on ``on`` for its next stage, and one
    whose stages are both issued. A stage is issued once (the database refuses a second)."""
    row = reminder_row(session, number, on=on, today=today)
    invoice = session.get(Invoice, row.invoice_id)
    assert invoice is not None  # the row was made from it
    audit.record(
        session,
        "invoice.remind",
        invoice.number,
        [row],
        {
            "stage": row.stage,
            "balance": balance_then(row),
            "days_overdue": (on - invoice.due_on).days,
        },
    )
    return row


def reminder_row(session: Session, number: str, *, on: date, today: date) -> InvoiceReminder:
    """The reminder issued on ``on``, checked as :func:`issue_reminder` checks it and added to
    the session, for a caller that records it in its own audit event (``plvgov send reminder``
    issues a reminder in the event that logs its delivery)."""
    require_past(on, today, "the reminder date", "record a reminder once it has been sent")
    invoice, stage, _falls_due_on, balance = next_due(session, number, on)
    assert invoice.id is not None  # read from the ledger
    row = InvoiceReminder(
        invoice_id=invoice.id, stage=stage, issued_on=on, balance_pence=to_pence(balance)
    )
    session.add(row)
    return row


def deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """The next reminder of each invoice outstanding on ``end`` (``invoice_reminder``), on the
    working day it falls due, while it is not issued. A final reminder is listed once the first
    has been issued (its day depends on it)."""
    ladder = Ladder.on(session, end)
    views = [v for v in _overdue(session, end, ladder) if v.due_on < end]
    issued = issued_by_invoice(session, [v.id for v in views])
    found = []
    for v in views:
        rung = ladder.next_rung(v.due_on, issued.get(v.id, {}))
        if rung is None or not start <= rung[1] <= end:
            continue
        stage, on = rung
        found.append(
            Deadline(
                on,
                "invoice_reminder",
                v.member,
                f"The {stage} reminder for invoice {v.number} ({format_gbp(v.balance)} "
                f"outstanding, due {uk_date(v.due_on)}) is due.",
                f"settings: reminder_{stage}_days",
                outstanding=True,
            )
        )
    return found


def balance_then(reminder: InvoiceReminder) -> Decimal:
    """What the reminder asked for: the balance on the day it was issued."""
    return from_pence(reminder.balance_pence)


__all__ = [
    "FINAL",
    "FIRST",
    "STAGES",
    "Ladder",
    "ReminderDue",
    "balance_then",
    "deadlines",
    "due",
    "issue_reminder",
    "issued_by_invoice",
    "next_due",
    "reminders_of",
]
