"""``model show`` and ``outturn …``: the home's financial scenarios and each year's result."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from plvgov.cli._common import (
    Json,
    amount,
    date_option,
    emit,
    financial_year,
    gbp,
    reading,
    report,
    today,
    writing,
)
from plvgov.cli._tables import table
from plvgov.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from plvgov.finance.contributions import ContributionRun
    from plvgov.finance.model import Model
    from plvgov.finance.outturn import OutturnView

model_app = typer.Typer(
    help="The secure children's home's financial model, from the settings.", no_args_is_help=True
)
outturn_app = typer.Typer(
    help="Each year's actual surplus or deficit and every member's share of it.",
    no_args_is_help=True,
)

OptionalYear = Annotated[
    str | None,
    typer.Option(
        "--year",
        help="Financial year: 2026, 2026/27 or 2026-27 (default: the year containing today).",
        show_default=False,
    ),
]
RequiredYear = Annotated[
    str,
    typer.Option("--year", help="Financial year: 2026, 2026/27 or 2026-27.", show_default=False),
]


@model_app.command("show")
def model_show(year: OptionalYear = None, as_json: Json = False) -> None:
    """The home's income and surplus at each occupancy and weekly charge, the break-even
    charge from 60% to 100% occupancy, the opening three-year profile and the weekly fees for
    members (at cost) and non-members (Bromley report §4.5-4.11). Every number is a setting in
    force on 1 April of the year (`plvgov settings show`, keys model_*); the operating cost is
    uprated by CPI to the year's reference month.

    Example: plvgov model show --year 2026/27
    """
    from plvgov.dates import FinancialYear
    from plvgov.finance import model

    fy = financial_year(year) if year is not None else FinancialYear.containing(today())
    with reading() as session:
        built = model.build(session, fy)
    emit(as_json, built.as_json(), lambda console: _render_model(console, built))


def _render_model(console: Console, m: Model) -> None:
    from plvgov.finance.model import month_words, percent_text

    console.print(
        f"The home's financial model, {m.year.label}: {m.places} places, {m.weeks} weeks.\n"
        f"Cost {gbp(m.cost)} = operating cost {gbp(m.base_cost)} at "
        f"{month_words(m.base_month)} prices × CPI {m.reference_index} "
        f"({month_words(m.reference_month)}) ÷ {m.base_index} "
        f"(= {gbp(m.operating_cost)}) + {percent_text(m.margin)} provider margin "
        f"+ transport {gbp(m.transport)} + PLV running cost {gbp(m.running)}."
    )
    charges = m.charges
    console.print(
        table(
            "Surplus, or deficit (−), a year",
            ["occupancy", *(f"at {gbp(c)}" for c in charges)],
            [(percent_text(o), *(m.cell(o, c).surplus for c in charges)) for o in m.occupancies],
        )
    )
    profile = " → ".join(percent_text(o) for o in m.profile)
    console.print(
        table(
            f"Opening years at {profile} occupancy: surplus, or deficit (−)",
            ["weekly charge", *(f"year {n}" for n in range(1, len(m.profile) + 1)), "total"],
            [(r.charge, *(y.surplus for y in r.years), r.surplus) for r in m.profile_rows],
        )
    )
    console.print(
        table(
            "Break-even weekly charge",
            ["occupancy", "charge"],
            [(percent_text(b.occupancy), b.charge) for b in m.breakeven],
        )
    )
    f = m.fees
    console.print(
        f"Weekly fee: members {gbp(f.member)} (at cost, {percent_text(f.occupancy)} occupancy); "
        f"non-members {gbp(f.non_member)} (+{percent_text(f.void_margin)} for voids)."
    )


@outturn_app.command("record")
def outturn_record(
    year: RequiredYear,
    authority: Annotated[
        str,
        typer.Option(
            "--authority",
            help="What authorises it; a deficit: the members' resolution that resolved to meet "
            'it ("Resolution 7"), passed by today.',
            show_default=False,
        ),
    ],
    surplus: Annotated[
        str | None,
        typer.Option(
            "--surplus", metavar="AMOUNT", help="The year's surplus, £.", show_default=False
        ),
    ] = None,
    deficit: Annotated[
        str | None,
        typer.Option(
            "--deficit", metavar="AMOUNT", help="The year's deficit, £.", show_default=False
        ),
    ] = None,
    correct: Annotated[
        bool,
        typer.Option(
            "--correct",
            help="Replace the year's recorded outturn and its shares; the audit trail keeps "
            "what they were.",
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Record a year's actual result once it has ended, and each member's share of it: pro
    rata to its days of membership in the year (or equal shares, setting
    outturn_share_basis), summing to the result exactly. A surplus stays in the company; a
    deficit is recorded under the passed members' resolution that resolved to meet it.

    Example: plvgov outturn record --year 2025/26 --surplus 120000 --authority "Board, 14 July 2026"
    """
    from plvgov.errors import UsageError
    from plvgov.finance import outturn

    if (surplus is None) == (deficit is None):
        raise UsageError("give the year's result as one of --surplus AMOUNT or --deficit AMOUNT")
    fy = financial_year(year)
    if surplus is not None:
        result = amount(surplus, "--surplus")
    else:
        result = -amount(deficit or "", "--deficit")
    with writing() as session:
        recorded = outturn.record(session, fy, result, authority, today(), correct=correct)
    kind = "surplus" if recorded.result >= 0 else "deficit"
    report(
        as_json,
        recorded.as_json(),
        f"{'Corrected' if correct else 'Recorded'} the {fy.label} {kind} of {gbp(abs(recorded.result))}, shared by "
        f"{plural(len(recorded.shares), 'member')} "
        + ("pro rata to their days of membership." if recorded.basis == "days" else "equally."),
    )


@outturn_app.command("show")
def outturn_show(year: RequiredYear, as_json: Json = False) -> None:
    """A year's recorded result and each member's share of it.

    Example: plvgov outturn show --year 2025/26
    """
    from plvgov.finance import outturn

    fy = financial_year(year)
    with reading() as session:
        shown = outturn.view(session, fy)
    emit(as_json, shown.as_json(), lambda console: _render_outturn(console, shown))


@outturn_app.command("invoice")
def outturn_invoice(
    year: RequiredYear,
    date_: Annotated[
        date | None,
        date_option("--date", help="Issue date, today or earlier (default today)."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show what would be issued; write nothing."),
    ] = False,
    as_json: Json = False,
) -> None:
    """Invoice a year's deficit as contributions: one invoice to each member for its share,
    citing the passed members' resolution that resolved to meet it, numbered with the year's
    invoices and due on the usual terms (setting invoice_due_days). The contributions sum to
    the deficit to the penny; each is then paid, credited, reminded and rendered like any
    invoice (`plvgov invoice list --year`). Safe to re-run: nothing is issued twice. A surplus
    stays in the company and is not invoiced.

    Example: plvgov outturn invoice --year 2026/27 --date 2027-07-15
    """
    from plvgov.finance import contributions

    fy = financial_year(year)
    issued_on = date_ or today()
    if dry_run:
        with reading() as session:
            run = contributions.invoice(session, fy, issued_on, today(), dry_run=True)
        emit(as_json, run, lambda console: _render_contributions(console, run))
        return
    with writing() as session:
        run = contributions.invoice(session, fy, issued_on, today())
    numbers = [c.number for c in run.created if c.number]
    span = f" ({numbers[0]} to {numbers[-1]})" if len(numbers) > 1 else ""
    span = f" ({numbers[0]})" if len(numbers) == 1 else span
    message = (
        f"Issued {plural(len(numbers), 'contribution invoice')} for the {fy.label} deficit"
        f"{span}, total {gbp(run.total)}, under {run.authority}; "
        f"{len(run.existing)} already issued."
    )
    report(as_json, run, message if run.note is None else f"Nothing issued: {run.note}.")


def _render_contributions(console: Console, run: ContributionRun) -> None:
    console.print(
        table(
            f"Would issue {plural(len(run.created), 'contribution invoice')} for the "
            f"{run.year.label} deficit on {run.issued_on}",
            ["member", "GSS code", "days", "amount"],
            [(c.member, c.gss_code, c.days, c.amount) for c in run.created],
            right=["days", "amount"],
            caption=f"total {gbp(run.total)} of {gbp(run.deficit)}; "
            f"{len(run.existing)} already issued; nothing written",
        )
    )
    if run.note is not None:
        console.print(f"Nothing would be issued: {run.note}.")


def _render_outturn(console: Console, o: OutturnView) -> None:
    basis = (
        f"pro rata to days of membership in its {o.year_days} days"
        if o.basis == "days"
        else "in equal shares"
    )
    stays = " It stays in the company." if o.kind == "surplus" else ""
    console.print(
        f"{o.year.label}: a {o.kind} of {gbp(abs(o.result))}, recorded {o.recorded_on} "
        f"under {o.authority}; shared {basis}.{stays}"
    )
    invoiced = any(s.invoice for s in o.shares)
    console.print(
        table(
            f"Members' shares of the {o.year.label} {o.kind}",
            ["member", "GSS code", "days", "share", *(["invoice"] if invoiced else [])],
            [
                (s.member, s.gss_code, s.days, abs(s.share), *([s.invoice] if invoiced else []))
                for s in o.shares
            ],
        )
    )


def register(root: typer.Typer) -> None:
    """Add ``model`` and ``outturn`` to the root app."""
    root.add_typer(model_app, name="model")
    root.add_typer(outturn_app, name="outturn")
