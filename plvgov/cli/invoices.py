"""``invoice …``: the annual run, payments, credit notes and arrears (the export is in
:mod:`plvgov.cli.invoice_export`, the reminder ladder's commands in :mod:`plvgov.cli.reminders`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from plvgov.cli._common import (
    STATE,
    At,
    Json,
    Year,
    amount,
    date_option,
    emit,
    financial_year,
    gbp,
    heading,
    open_ledger,
    progress,
    reading,
    report,
    today,
    writing,
)
from plvgov.cli._tables import table
from plvgov.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from plvgov.billing.papers import InvoiceDocument

app = typer.Typer(
    help="Invoices: the annual run, payments, credit notes, arrears, reminders, export.",
    no_args_is_help=True,
)

Number = Annotated[
    str, typer.Argument(help="The invoice number, e.g. PLV-2026-0001.", show_default=False)
]


@app.command("run")
def run(
    year: Year,
    date_: Annotated[
        date | None,
        date_option("--date", help="Issue date, today or earlier (default today)."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Show what would be issued (any --date, even ahead); write nothing."
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Issue a financial year's invoices: one per member liable for any day of it after the
    launch and admitted by the issue date; members admitted after it are named and left for a
    later run. Safe to re-run: nothing is issued twice, and members admitted since are picked
    up. When nothing would be issued, it says why.
    The run is one transaction: it is issued whole or not at all, so an interrupted run leaves
    nothing and the next run issues it all.

    Example: plvgov invoice run --year 2026/27 --date 2026-04-01
    """
    from plvgov.billing import issuing

    fy = financial_year(year)
    issued_on = date_ or today()
    ledger = open_ledger()
    try:
        if dry_run:
            with ledger.read() as session:
                plan = issuing.plan_run(session, fy, issued_on)

            def render(c: Console) -> None:
                c.print(
                    table(
                        f"Would issue {plural(len(plan.to_issue), 'invoice')} for {fy.label} on {issued_on}",
                        ["member", "code", "days", "of", "amount"],
                        [
                            (x.member, x.gss_code, x.days, x.days_in_year, x.amount)
                            for x in plan.to_issue
                        ],
                        right=["days", "of", "amount"],
                        caption=f"total {gbp(plan.total)}; {len(plan.existing)} already issued; "
                        "nothing written",
                    )
                )
                for line in _run_notes(plan.later_note, plan.note, "Nothing would be issued"):
                    c.print(line)

            emit(as_json, plan, render)
            return
        with progress(f"Invoicing {fy.label}") as advance:
            outcome = issuing.run(
                ledger, fy, issued_on, STATE.invocation, after_chunk=advance, today=today()
            )
    finally:
        ledger.dispose()
    numbers = [i.number for i in outcome.created]
    span = f" ({numbers[0]} to {numbers[-1]})" if len(numbers) > 1 else ""
    span = f" ({numbers[0]})" if len(numbers) == 1 else span
    report(
        as_json,
        outcome,
        "\n".join(
            [
                f"Issued {plural(len(numbers), 'invoice')} for {fy.label}{span}, total {gbp(outcome.total)}; "
                f"{outcome.existing} already issued.",
                *_run_notes(outcome.later_note, outcome.note, "Nothing issued"),
            ]
        ),
    )


def _run_notes(later: str | None, nothing: str | None, lead: str) -> list[str]:
    """What a run (or a dry run) adds under its result: the members it left for a later run,
    and why it issued nothing."""
    notes = [] if later is None else [later]
    if nothing is not None:
        notes.append(f"{lead}: {nothing}.")
    return notes


@app.command("list")
def list_(
    year: Annotated[str | None, typer.Option("--year", help="Only this financial year.")] = None,
    member: Annotated[str | None, typer.Option("--member", help="Only this member.")] = None,
    at: At = None,
    as_json: Json = False,
) -> None:
    """Invoices with what has been paid and credited and their status (unpaid, part-paid,
    overdue, paid or credited).

    Example: plvgov invoice list --year 2026/27
    """
    from plvgov.billing import accounts
    from plvgov.membership import members

    on = at or today()
    fy = financial_year(year) if year else None
    with reading() as session:
        who = members.find(session, member) if member else None
        views = accounts.list_invoices(session, on, fy, who)
    emit(
        as_json,
        views,
        lambda c: c.print(
            table(
                f"Invoices on {on}",
                [
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
                ],
                [
                    (
                        v.number,
                        v.member,
                        v.year if v.kind == "subscription" else f"{v.year} deficit",
                        v.amount,
                        v.issued_on,
                        v.due_on,
                        v.paid,
                        v.credited,
                        v.balance,
                        v.status,
                    )
                    for v in views
                ],
                right=["amount", "paid", "credited", "balance"],
                caption=plural(len(views), "invoice"),
                optional=["year", "issued", "credited", "amount"],
            )
        ),
    )


@app.command("show")
def show(number: Number, at: At = None, as_json: Json = False) -> None:
    """One invoice: its working (scheme, CPI months and factor), payments and credit notes.

    Example: plvgov invoice show PLV-2026-0001
    """
    from plvgov.billing import papers

    with reading() as session:
        doc = papers.invoice_document(session, number, at or today())

    def render(c: Console) -> None:
        c.print(
            heading(
                f"Invoice {doc.number}",
                f" — {doc.council_name} ({doc.gss_code or '—'}), {doc.status}",
            )
        )
        for label, value in (
            ("Issued", doc.issued_on),
            ("Due", doc.due_on),
            ("PO number", doc.po_number),
            ("For", doc.description),
            ("Net", gbp(doc.net)),
            ("VAT", f"{gbp(doc.vat)} ({doc.vat_treatment})"),
            ("Gross", gbp(doc.gross)),
            ("Working", _working(doc)),
            ("Paid", gbp(doc.paid)),
            ("Credited", gbp(doc.credited)),
            ("Balance", gbp(doc.balance)),
        ):
            c.print(f"  {label + ':':<11} {value if value is not None else '—'}")
        for p in doc.payments:
            c.print(f"  payment {p.paid_on} {gbp(p.amount)} {p.reference or ''}")
        for n in doc.credit_notes:
            c.print(f"  credit note {n.number} {n.issued_on} {gbp(n.amount)}: {n.reason}")

    emit(as_json, doc, render)


def _authority(doc: InvoiceDocument) -> str:
    from plvgov import words

    return words.authority(doc.authority, short=True)


def _working(doc: InvoiceDocument) -> str:
    full = gbp(doc.full_year_amount)
    if not doc.indexed:
        return f"{full} a year, flat ({_authority(doc)}); {doc.days}/{doc.days_in_year} days"
    return (
        f"CPI {doc.reference_month} {doc.reference_index} ÷ CPI {doc.base_month} "
        f"{doc.base_index} = {doc.factor}; {full} a year ({_authority(doc)}); "
        f"{doc.days}/{doc.days_in_year} days"
    )


@app.command("pay")
def pay(
    number: Number,
    amount_: Annotated[
        str,
        typer.Option(
            "--amount", help="Pounds and pence received, at most the balance.", show_default=False
        ),
    ],
    date_: Annotated[date, date_option("--date", help="The day the money arrived.")],
    ref: Annotated[str | None, typer.Option("--ref", help="The remittance reference.")] = None,
    as_json: Json = False,
) -> None:
    """Record a payment against an invoice. Partial payments are fine; a payment above the
    outstanding balance (an overpayment) is refused.

    Example: plvgov invoice pay PLV-2026-0001 --amount 22504.04 --date 2026-05-01 --ref BACS123
    """
    from plvgov.billing import accounts

    value = amount(amount_)
    with writing() as session:
        accounts.pay(session, number, value, date_, ref, today=today())
        balance = accounts.view(session, accounts.get(session, number)).balance
    report(
        as_json,
        {"number": number.upper(), "amount": value, "balance": balance},
        f"Recorded {gbp(value)} against {number.upper()}; balance {gbp(balance)}.",
    )


@app.command("credit")
def credit(
    number: Number,
    reason: Annotated[
        str, typer.Option("--reason", help="Why the invoice is reduced.", show_default=False)
    ],
    amount_: Annotated[
        str | None,
        typer.Option("--amount", help="Gross amount to credit (default: the whole balance)."),
    ] = None,
    date_: Annotated[date | None, date_option("--date", help="Issue date (default today).")] = None,
    as_json: Json = False,
) -> None:
    """Issue a credit note (CN-2026-0001…) against an invoice; issued invoices are never
    edited.

    Example: plvgov invoice credit PLV-2026-0003 --reason "ceased 30 June 2026" --amount 5000
    """
    from plvgov.billing import accounts
    from plvgov.money import from_pence

    value = amount(amount_) if amount_ is not None else None
    with writing() as session:
        note = accounts.credit(session, number, reason, date_ or today(), value, today=today())
        issued, credited = note.number, from_pence(note.amount_pence)
    report(
        as_json,
        {"number": issued, "amount": credited, "invoice": number.upper()},
        f"Issued credit note {issued} for {gbp(credited)} against {number.upper()}.",
    )


@app.command("arrears")
def arrears(at: At = None, as_json: Json = False) -> None:
    """Invoices unpaid after their due date, with the days overdue.

    Example: plvgov invoice arrears --at 2026-12-31
    """
    from plvgov.billing import accounts

    on = at or today()
    with reading() as session:
        late = accounts.arrears(session, on)
    emit(
        as_json,
        late,
        lambda c: c.print(
            table(
                f"Arrears on {on}",
                ["member", "invoice", "due", "days overdue", "balance"],
                [(r.member, r.number, r.due_on, r.days_overdue, r.balance) for r in late],
                right=["days overdue", "balance"],
                caption=f"{plural(len(late), 'invoice')}, {gbp(late.total)}",
                optional=["due"],
            )
        ),
    )


def register(root: typer.Typer) -> None:
    from plvgov.cli import invoice_export, reminders

    invoice_export.add_to(app)
    reminders.add_to(app)
    root.add_typer(app, name="invoice")
