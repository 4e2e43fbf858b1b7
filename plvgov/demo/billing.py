"""Demo chapter: billing. The provision launches on 1 October 2025 (the seeds plan a 2025–26
launch), so FY 2025/26 is invoiced for half a year and FY 2026/27 in full, uprated by the
shipped CPI. Most councils pay; Croydon pays part of its 2025/26 invoice and Havering nothing
of 2026/27, so the board pack has arrears to show: Havering gets its first and final reminders
on the working days they fall due, and Croydon's first reminder is left due for ``invoice
reminders`` to list. Bromley quotes a purchase-order number.
Every member gives its Peppol address, so each invoice also goes as an e-invoice. Dates,
amounts paid and Peppol addresses (GLNs with valid check digits) are illustrative."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from plvgov import eas, settings
from plvgov.billing import accounts, issuing, reminders
from plvgov.dates import FinancialYear
from plvgov.membership import einvoicing, members
from plvgov.money import format_gbp
from plvgov.words import plural

if TYPE_CHECKING:
    from plvgov.demo.story import Story

LAUNCH = date(2025, 10, 1)
RUNS = (
    (FinancialYear(2025), date(2025, 10, 1), date(2025, 10, 24)),
    (FinancialYear(2026), date(2026, 4, 1), date(2026, 4, 24)),
)
PARTLY_PAID = ("croydon", FinancialYear(2025), Decimal("5000.00"))
UNPAID = ("havering", FinancialYear(2026))
#: a credit note before payment: the board's goodwill reduction for Camden's first part year
CREDITED = ("camden", FinancialYear(2025), Decimal("250.00"), date(2025, 10, 10))
CREDIT_REASON = "Goodwill reduction agreed by the board for the delayed opening of the home"


def _run(story: Story, fy: FinancialYear, issued_on: date) -> list[str]:
    command = f"plvgov invoice run --year {fy.label} --date {issued_on}"
    return [i.number for i in issuing.run(story.ledger, fy, issued_on, command).created]


def demo_gln(n: int) -> str:
    """An illustrative GLN under GS1 UK's 50 prefix: 506, ``n`` in nine digits, a check digit."""
    body = f"506{n:09d}"
    return next(body + d for d in "0123456789" if eas.gln_valid(body + d))


def _peppol_addresses(story: Story) -> None:
    """Each member's Peppol address, as its accounts payable would give it."""
    from sqlmodel import col, select

    from plvgov.models.members import Member

    query = select(Member).where(col(Member.admitted_on).is_not(None)).order_by(col(Member.id))
    with story.ledger.read() as session:
        admitted = [m.slug for m in session.exec(query)]
    for n, slug in enumerate(admitted, start=1):
        address = f"0088:{demo_gln(n)}"
        with story.ledger.write(f"plvgov member peppol {slug} {address}") as s:
            einvoicing.set_address(s, members.find(s, slug), address)


def build(story: Story) -> list[str]:
    ledger = story.ledger
    with ledger.write(f"plvgov settings set launch_date {LAUNCH}") as session:
        settings.set_value(
            session,
            "launch_date",
            LAUNCH.isoformat(),
            effective_from=None,
            authority="Board resolution: provision launched",
            today=LAUNCH,
        )
    with ledger.write("plvgov member po bromley --year 2026/27 --number BR-PO-448812") as s:
        issuing.record_po(s, members.find(s, "bromley"), FinancialYear(2026), "BR-PO-448812")
    _peppol_addresses(story)
    lines = []
    for fy, issued_on, paid_on in RUNS:
        if issued_on > story.today:
            continue
        numbers = _run(story, fy, issued_on)
        lines += _credit(story, fy)
        with ledger.read() as session:
            views = accounts.list_invoices(session, story.today, fy)
        for v in views:
            slug = members.slugify(v.member)
            if (slug, fy) == UNPAID or paid_on > story.today:
                continue
            amount = v.balance
            if (slug, fy) == PARTLY_PAID[:2]:
                amount = PARTLY_PAID[2]
            with ledger.write(f"plvgov invoice pay {v.number}") as s:
                accounts.pay(s, v.number, amount, paid_on, f"BACS {v.number}")
        with ledger.read() as session:
            summary = accounts.year_summary(session, fy, story.today)
        lines.append(
            f"{fy.label}: {plural(len(numbers), 'invoice')} issued {issued_on.isoformat()}, "
            f"{format_gbp(summary.invoiced)} invoiced, "
            f"{format_gbp(summary.outstanding)} outstanding"
        )
    lines += _remind(story)
    with ledger.read() as session:
        late = accounts.arrears(session, story.today)
    lines.append(
        f"{plural(len(late), 'invoice')} in arrears: "
        + ", ".join(f"{a.member} {a.number} {format_gbp(a.balance)}" for a in late)
    )
    return lines


def _credit(story: Story, fy: FinancialYear) -> list[str]:
    """Camden's credit note, issued before it pays the rest (so the demo's e-invoices include a
    credit note)."""
    slug, year, amount, on = CREDITED
    if fy != year or on > story.today:
        return []
    with story.ledger.read() as session:
        (invoice,) = [
            v for v in accounts.list_invoices(session, story.today, fy)
            if members.slugify(v.member) == slug
        ]  # fmt: skip
    with story.ledger.write(f"plvgov invoice credit {invoice.number}") as s:
        note = accounts.credit(s, invoice.number, CREDIT_REASON, on, amount, today=story.today)
    return [
        f"Credit note {note.number}: {format_gbp(amount)} off {invoice.number} ({invoice.member})"
    ]


def _remind(story: Story) -> list[str]:
    """Havering's reminders, each on the day it falls due (once that day has come)."""
    with story.ledger.read() as session:
        unpaid = issuing.find_for(session, members.find(session, UNPAID[0]), UNPAID[1])
    if unpaid is None:
        return []
    sent = []
    for _stage in reminders.STAGES:
        with story.ledger.read() as session:
            due = {r.invoice: r for r in reminders.due(session, story.today)}.get(unpaid.number)
        if due is None:
            break
        on = due.falls_due_on
        with story.ledger.write(f"plvgov invoice remind {unpaid.number} --date {on}") as s:
            reminders.issue_reminder(s, unpaid.number, on=on, today=story.today)
        sent.append(f"the {due.stage} on {on.isoformat()}")
    if not sent:
        return []
    return [f"Reminders for {unpaid.member_name}'s {unpaid.number}: {', '.join(sent)}"]
