"""``cpi …``, ``subscription …``, ``invoice …``, ``member po`` and ``member statement``."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from plvgov.cli._common import (
    STATE,
    At,
    Json,
    MemberArg,
    cli_value,
    date_option,
    emit,
    err,
    open_ledger,
    print_json,
    reading,
    report,
    say,
    table,
    today,
    writing,
)

if TYPE_CHECKING:
    from rich.console import Console

    from plvgov.billing.schemes import Quote
    from plvgov.dates import FinancialYear

cpi_app = typer.Typer(
    help="The ONS CPI series (D7BT) that uprates the subscription.", no_args_is_help=True
)
subscription_app = typer.Typer(
    help="Subscription schemes and what each member owes.", no_args_is_help=True
)
scheme_app = typer.Typer(
    help="Subscription schemes: the funding model in force from each year.", no_args_is_help=True
)
invoice_app = typer.Typer(
    help="Invoices: the annual run, payments, credit notes, arrears, export.", no_args_is_help=True
)

Year = Annotated[
    str,
    typer.Option("--year", help="Financial year: 2026, 2026/27 or 2026-27.", show_default=False),
]
Number = Annotated[
    str, typer.Argument(help="The invoice number, e.g. PLV-2026-0001.", show_default=False)
]


def _fy(text: str) -> FinancialYear:
    """--year's value; a malformed one is a usage error (exit 2), like a malformed date."""
    from plvgov.dates import FinancialYear

    return cli_value(FinancialYear.parse, text)


def _amount(text: str, what: str = "amount", allow_zero: bool = False) -> Any:
    """--amount's value; a malformed one is a usage error (exit 2)."""
    from plvgov.money import parse_amount

    return cli_value(parse_amount, text, what, allow_zero=allow_zero)


# -- cpi ------------------------------------------------------------------------------------
@cpi_app.command("import")
def cpi_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="The ONS D7BT CSV as downloaded, or a CSV with month,index columns.",
            show_default=False,
        ),
    ],
    as_json: Json = False,
) -> None:
    """Load CPI values, all or none. A month already loaded with a different value is
    recorded as a revision (the old value is kept and shown by `cpi show`).

    Example: plvgov cpi import series-251025.csv
    """
    from plvgov.billing import cpi as indexation

    text = indexation.read_file(file)
    with writing() as session:
        result = indexation.import_series(session, text, file.name)
    if as_json:
        print_json(result.as_json())
        return
    say(
        f"Loaded {result.loaded} months of CPI ({result.first_month} to {result.last_month}): "
        f"{result.added} new, {result.revised} revised, {result.unchanged} unchanged."
    )
    for r in result.revisions:
        say(f"  {r['month']} revised from {r['previous']} to {r['revised']}")


@cpi_app.command("show")
def cpi_show(
    from_: Annotated[str | None, typer.Option("--from", help="First month, YYYY-MM.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM.")] = None,
    as_json: Json = False,
) -> None:
    """The CPI months loaded (the last 24 unless --from/--to) and every revision.

    Example: plvgov cpi show --from 2022-01
    """
    from plvgov.billing import cpi as indexation

    with reading() as session:
        rows = [(r.month, r.index_value, r.source) for r in indexation.values(session)]
        revs = [
            {
                "month": r.month,
                "previous": r.previous_value,
                "revised": r.revised_value,
                "source": r.source,
            }
            for r in indexation.revisions(session)
        ]
    shown = [r for r in rows if (from_ is None or r[0] >= from_) and (to is None or r[0] <= to)]
    if from_ is None and to is None:
        shown = shown[-24:]
    data = {
        "series": indexation.SERIES,
        "months": [{"month": m, "index": v, "source": s} for m, v, s in shown],
        "loaded": len(rows),
        "first_month": rows[0][0] if rows else None,
        "last_month": rows[-1][0] if rows else None,
        "revisions": revs,
    }

    def render(c: Console) -> None:
        c.print(
            table(
                f"CPI ({indexation.SERIES}, 2015=100)",
                ["month", "index", "source"],
                shown,
                right=["index"],
                caption=f"{len(rows)} months loaded, {data['first_month']} to {data['last_month']}",
            )
        )
        if revs:
            c.print(
                table(
                    "Revisions",
                    ["month", "previous", "revised", "source"],
                    [(r["month"], r["previous"], r["revised"], r["source"]) for r in revs],
                )
            )

    emit(as_json, data, render)


# -- subscription -----------------------------------------------------------------------------
@subscription_app.command("quote")
def quote(
    year: Year,
    member: Annotated[
        str | None, typer.Option("--member", help="Only this member (GSS code, slug or name).")
    ] = None,
    as_json: Json = False,
) -> None:
    """What each member owes for a financial year, and the working: base amount × reference
    CPI ÷ base CPI, pro rata by days for a part year, rounded once to the penny.

    Example: plvgov subscription quote --year 2026/27
    """
    from plvgov.billing import schemes as billing
    from plvgov.membership import members

    fy = _fy(year)
    with reading() as session:
        who = members.find(session, member) if member else None
        result = billing.quote(session, fy, who)
    emit(as_json, result.as_json(), lambda c: _render_quote(c, result))


def _render_quote(console: Console, q: Quote) -> None:
    from plvgov.billing.schemes import describe

    console.print(f"[bold]Subscription {q.year.label}[/bold] — {describe(q.rate)}")
    if q.rate.scheme.indexed:
        console.print(
            f"  factor {q.rate.factor} = CPI {q.rate.reference_month} "
            f"{q.rate.reference_index} ÷ CPI {q.rate.scheme.base_month} "
            f"{q.rate.base_index}; part years: amount × days ÷ {q.year.days}"
        )
    if q.note:
        console.print(f"  {q.note}")
    console.print(
        table(
            None,
            ["member", "code", "days", "of", "amount"],
            [(x.member, x.gss_code, x.days, x.days_in_year, x.amount) for x in q.lines],
            right=["days", "of", "amount"],
            caption=f"total {len(q.lines)} members: {_gbp(q.total)}",
        )
    )


def _gbp(value: Any) -> str:
    from plvgov.money import format_gbp

    return format_gbp(value)


@scheme_app.command("set")
def scheme_set(
    from_year: Annotated[
        str, typer.Option("--from-year", help="First FY of the new scheme.", show_default=False)
    ],
    amount: Annotated[
        str,
        typer.Option(
            "--amount",
            help="Per member per full year, e.g. 20000.00; 0 for nil.",
            show_default=False,
        ),
    ],
    authority: Annotated[
        str, typer.Option("--authority", help="The resolution that set it.", show_default=False)
    ],
    no_indexation: Annotated[
        bool, typer.Option("--no-indexation", help="A flat amount, not uprated by CPI.")
    ] = False,
    base_month: Annotated[
        str | None,
        typer.Option(
            "--base-month", help="CPI base month YYYY-MM for an indexed amount (default: as now)."
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Record a new subscription scheme from a financial year: an indexed amount, a flat
    amount (--no-indexation) or nil (--amount 0). Years already invoiced cannot change.

    Example: plvgov subscription scheme set --from-year 2028 --amount 0 --authority "Resolution 4"
    """
    from plvgov.billing import schemes as billing

    fy = _fy(from_year)
    value = _amount(amount, "--amount", allow_zero=True)
    with writing() as session:
        scheme = billing.set_scheme(
            session,
            fy,
            value,
            indexed=not no_indexation,
            authority=authority,
            base_month=base_month,
        )
    if as_json:
        print_json(scheme.as_json())
    else:
        kind = "flat" if no_indexation else "indexed by CPI"
        say(f"From {fy.label}: {_gbp(value)} per member per year, {kind} ({authority}).")


@scheme_app.command("list")
def scheme_list(as_json: Json = False) -> None:
    """Every subscription scheme: the default and each recorded change.

    Example: plvgov subscription scheme list
    """
    from plvgov.billing import schemes as billing
    from plvgov.dates import FinancialYear

    with reading() as session:
        first = billing.default_scheme(session, FinancialYear(2023))
        rows = [first, *billing.schemes(session)]
    emit(
        as_json,
        [s.as_json() for s in rows],
        lambda c: c.print(
            table(
                "Subscription schemes",
                ["from", "amount", "indexed", "base month", "authority"],
                [
                    (
                        FinancialYear(s.from_year).label,
                        s.base_amount,
                        s.indexed,
                        s.base_month,
                        s.authority,
                    )
                    for s in rows
                ],
                right=["amount"],
            )
        ),
    )


# -- invoice run -------------------------------------------------------------------------------
@invoice_app.command("run")
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
    launch. Safe to re-run: nothing is issued twice, and members admitted since are picked up.
    The run is one transaction: it is issued whole or not at all, so an interrupted run leaves
    nothing and the next run issues it all.

    Example: plvgov invoice run --year 2026/27 --date 2026-04-01
    """
    from plvgov.billing import invoices

    fy = _fy(year)
    issued_on = date_ or today()
    ledger = open_ledger()
    try:
        if dry_run:
            with ledger.read() as session:
                plan = invoices.plan_run(session, fy)
            data = {
                "year": fy.label,
                "dry_run": True,
                "created": len(plan.to_issue),
                "existing": len(plan.existing),
                "total": plan.total,
                "lines": [x.as_json() for x in plan.to_issue],
            }
            emit(
                as_json,
                data,
                lambda c: c.print(
                    table(
                        f"Would issue {len(plan.to_issue)} invoices for {fy.label} on {issued_on}",
                        ["member", "code", "days", "of", "amount"],
                        [
                            (x.member, x.gss_code, x.days, x.days_in_year, x.amount)
                            for x in plan.to_issue
                        ],
                        right=["days", "of", "amount"],
                        caption=f"total {_gbp(plan.total)}; {len(plan.existing)} already issued; "
                        "nothing written",
                    )
                ),
            )
            return
        with _progress(f"Invoicing {fy.label}") as advance:
            outcome = invoices.run(
                ledger, fy, issued_on, STATE.invocation, after_chunk=advance, today=today()
            )
    finally:
        ledger.dispose()
    numbers = [i.number for i in outcome.created]
    span = f" ({numbers[0]} to {numbers[-1]})" if numbers else ""
    report(
        as_json,
        outcome.as_json(),
        f"Issued {len(numbers)} invoices for {fy.label}{span}, total {_gbp(outcome.total)}; "
        f"{outcome.existing} already issued.",
    )


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int], None]]:
    """``advance(count)`` for a progress bar on stderr when it is a terminal.
    ``PLVGOV_TEST_SLOW_INVOICE_MS`` pauses after each step, so that the process tests can kill
    a run while its transaction is open."""
    pause = int(os.environ.get("PLVGOV_TEST_SLOW_INVOICE_MS", "0") or 0) / 1000
    bar = None
    if sys.stderr.isatty():
        from rich.progress import Progress

        bar = Progress(console=err(), transient=True)
        task = bar.add_task(label, total=None)
        bar.start()

    def advance(count: int) -> None:
        if bar is not None:
            bar.advance(task, count)
        if pause:
            time.sleep(pause)

    try:
        yield advance
    finally:
        if bar is not None:
            bar.stop()


# -- after issue ---------------------------------------------------------------------------------
@invoice_app.command("list")
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
    from plvgov.billing import invoices
    from plvgov.membership import members

    on = at or today()
    fy = _fy(year) if year else None
    with reading() as session:
        who = members.find(session, member) if member else None
        views = invoices.list_invoices(session, on, fy, who)
    emit(
        as_json,
        [v.as_json() for v in views],
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
                    "balance",
                    "status",
                ],
                [
                    (
                        v.number,
                        v.member,
                        v.year,
                        v.amount,
                        v.issued_on,
                        v.due_on,
                        v.paid,
                        v.balance,
                        v.status,
                    )
                    for v in views
                ],
                right=["amount", "paid", "balance"],
                caption=f"{len(views)} invoices",
            )
        ),
    )


@invoice_app.command("show")
def show(number: Number, at: At = None, as_json: Json = False) -> None:
    """One invoice: its working (scheme, CPI months and factor), payments and credit notes.

    Example: plvgov invoice show PLV-2026-0001
    """
    from plvgov.billing import invoices

    with reading() as session:
        doc = invoices.invoice_document(session, number, at or today())

    def render(c: Console) -> None:
        c.print(
            f"[bold]Invoice {doc.number}[/bold] — {doc.council_name} "
            f"({doc.gss_code or '—'}), {doc.status}"
        )
        for label, value in (
            ("Issued", doc.issued_on),
            ("Due", doc.due_on),
            ("PO number", doc.po_number),
            ("For", doc.description),
            ("Net", _gbp(doc.net)),
            ("VAT", f"{_gbp(doc.vat)} ({doc.vat_treatment})"),
            ("Gross", _gbp(doc.gross)),
            ("Working", _working(doc)),
            ("Paid", _gbp(doc.paid)),
            ("Credited", _gbp(doc.credited)),
            ("Balance", _gbp(doc.balance)),
        ):
            c.print(f"  {label + ':':<11} {value if value is not None else '—'}")
        for p in doc.payments:
            c.print(f"  payment {p['paid_on']} {_gbp(p['amount'])} {p['reference'] or ''}")
        for n in doc.credit_notes:
            c.print(
                f"  credit note {n['number']} {n['issued_on']} {_gbp(n['amount'])}: {n['reason']}"
            )

    emit(as_json, doc, render)


def _working(doc: Any) -> str:
    full = _gbp(doc.full_year_amount)
    if not doc.indexed:
        return f"{full} a year, flat ({doc.scheme_authority}); {doc.days}/{doc.days_in_year} days"
    return (
        f"CPI {doc.reference_month} {doc.reference_index} ÷ CPI {doc.base_month} "
        f"{doc.base_index} = {doc.factor}; {full} a year ({doc.scheme_authority}); "
        f"{doc.days}/{doc.days_in_year} days"
    )


@invoice_app.command("pay")
def pay(
    number: Number,
    amount: Annotated[
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
    from plvgov.billing import invoices

    value = _amount(amount)
    with writing() as session:
        invoices.pay(session, number, value, date_, ref, today=today())
        balance = invoices.view(session, invoices.get(session, number)).balance
    report(
        as_json,
        {"number": number.upper(), "amount": value, "balance": balance},
        f"Recorded {_gbp(value)} against {number.upper()}; balance {_gbp(balance)}.",
    )


@invoice_app.command("credit")
def credit(
    number: Number,
    reason: Annotated[
        str, typer.Option("--reason", help="Why the invoice is reduced.", show_default=False)
    ],
    amount: Annotated[
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
    from plvgov.billing import invoices
    from plvgov.money import from_pence

    value = _amount(amount) if amount is not None else None
    with writing() as session:
        note = invoices.credit(session, number, reason, date_ or today(), value, today=today())
        data = {
            "number": note.number,
            "amount": from_pence(note.amount_pence),
            "invoice": number.upper(),
        }
    if as_json:
        print_json(data)
    else:
        say(
            f"Issued credit note {data['number']} for {_gbp(data['amount'])} against "
            f"{data['invoice']}."
        )


@invoice_app.command("arrears")
def arrears_(at: At = None, as_json: Json = False) -> None:
    """Invoices unpaid after their due date, with the days overdue.

    Example: plvgov invoice arrears --at 2026-12-31
    """
    from plvgov.billing import invoices

    on = at or today()
    with reading() as session:
        rows = invoices.arrears(session, on)
    total = sum((r.balance for r in rows), _zero())
    emit(
        as_json,
        [r.__dict__ for r in rows],
        lambda c: c.print(
            table(
                f"Arrears on {on}",
                ["member", "invoice", "due", "days overdue", "balance"],
                [(r.member, r.number, r.due_on, r.days_overdue, r.balance) for r in rows],
                right=["days overdue", "balance"],
                caption=f"{len(rows)} invoices, {_gbp(total)}",
            )
        ),
    )


def _zero() -> Any:
    from decimal import Decimal

    return Decimal("0.00")


@invoice_app.command("export")
def export(
    year: Year,
    out: Annotated[Path, typer.Option("--out", help="The CSV file to write.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write one CSV row per invoice and credit note of a year for the finance system: UTF-8
    with a BOM, cells that would run as spreadsheet formulas neutralised.

    Example: plvgov invoice export --year 2026/27 --out invoices-2026-27.csv
    """
    from plvgov.billing import invoices

    fy = _fy(year)
    with reading() as session:
        rows = invoices.export_rows(session, fy)
    invoices.write_csv(rows, out, force)
    say(f"Wrote {len(rows)} rows for {fy.label} to {out}.")


# -- member po, member statement --------------------------------------------------------------
def member_po(
    member: MemberArg,
    year: Year,
    number: Annotated[
        str,
        typer.Option("--number", help="The council's purchase-order number.", show_default=False),
    ],
) -> None:
    """Record a council's purchase-order number for its invoice for a year (councils pay no
    invoice without one); an invoice issued afterwards prints it.

    Example: plvgov member po bromley --year 2026/27 --number PO-448812
    """
    from plvgov.billing import invoices
    from plvgov.membership import members

    fy = _fy(year)
    with writing() as session:
        m = members.find(session, member)
        invoices.record_po(session, m, fy, number)
    say(f"Recorded PO {number.strip()} for {m.name}'s {fy.label} invoice.")


def member_statement(member: MemberArg, at: At = None, as_json: Json = False) -> None:
    """A member's statement: every invoice, payment and credit note, with a running balance.

    Example: plvgov member statement bromley
    """
    from plvgov.billing import invoices
    from plvgov.membership import members

    on = at or today()
    with reading() as session:
        result = invoices.statement(session, members.find(session, member), on)
    data = {
        "member": result.member,
        "gss_code": result.gss_code,
        "at": result.at,
        "balance": result.balance,
        "lines": [line.__dict__ for line in result.lines],
    }
    emit(
        as_json,
        data,
        lambda c: c.print(
            table(
                f"Statement for {result.member} on {on}",
                ["date", "type", "reference", "detail", "debit", "credit", "balance"],
                [
                    (
                        x.on,
                        x.kind,
                        x.reference,
                        x.detail,
                        x.debit or None,
                        x.credit or None,
                        x.balance,
                    )
                    for x in result.lines
                ],
                right=["debit", "credit", "balance"],
                caption=f"balance {_gbp(result.balance)}",
            )
        ),
    )


def register(root: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    from plvgov.cli.members import app as member_app

    subscription_app.add_typer(scheme_app, name="scheme")
    root.add_typer(cpi_app, name="cpi")
    root.add_typer(subscription_app, name="subscription")
    root.add_typer(invoice_app, name="invoice")
    member_app.command("po")(member_po)
    member_app.command("statement")(member_statement)
