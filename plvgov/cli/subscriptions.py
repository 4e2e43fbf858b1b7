"""``subscription …``: what each member owes and why, and ``subscription scheme …``, the
funding model in force from each year."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from plvgov.cli._common import (
    Json,
    Year,
    amount,
    emit,
    financial_year,
    gbp,
    heading,
    print_json,
    reading,
    say,
    today,
    writing,
)
from plvgov.cli._tables import table
from plvgov.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from plvgov.billing.schemes import Quote

app = typer.Typer(help="Subscription schemes and what each member owes.", no_args_is_help=True)
scheme_app = typer.Typer(
    help="Subscription schemes: the funding model in force from each year.", no_args_is_help=True
)


@app.command("quote")
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
    from plvgov.billing import schemes
    from plvgov.membership import members

    fy = financial_year(year)
    with reading() as session:
        who = members.find(session, member) if member else None
        result = schemes.quote(session, fy, who)
    emit(as_json, result.as_json(), lambda c: _render_quote(c, result))


def _render_quote(console: Console, q: Quote) -> None:
    from plvgov.billing.schemes import describe

    w = q.rate.working
    console.print(heading(f"Subscription {q.year.label}", f" — {describe(q.rate)}"))
    if w.indexed:
        console.print(
            f"  factor {w.factor} = CPI {w.reference_month} {w.reference_index} ÷ "
            f"CPI {w.base_month} {w.base_index}; part years: amount × days ÷ {q.year.days}"
        )
    if q.note:
        console.print(f"  {q.note}")
    console.print(
        table(
            None,
            ["member", "code", "days", "of", "amount"],
            [(x.member, x.gss_code, x.days, x.days_in_year, x.amount) for x in q.lines],
            right=["days", "of", "amount"],
            caption=f"total {plural(len(q.lines), 'member')}: {gbp(q.total)}",
        )
    )


# -- subscription scheme ------------------------------------------------------------------------
@scheme_app.command("set")
def scheme_set(
    from_year: Annotated[
        str, typer.Option("--from-year", help="First FY of the new scheme.", show_default=False)
    ],
    amount_: Annotated[
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
    from plvgov.billing import schemes

    fy = financial_year(from_year)
    value = amount(amount_, "--amount", allow_zero=True)
    with writing() as session:
        scheme = schemes.set_scheme(
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
        say(f"From {fy.label}: {gbp(value)} per member per year, {kind} ({authority}).")


@scheme_app.command("list")
def scheme_list(as_json: Json = False) -> None:
    """Every subscription scheme: the default and each recorded change.

    Example: plvgov subscription scheme list
    """
    from plvgov.billing import schemes
    from plvgov.dates import FinancialYear

    with reading() as session:
        rows = schemes.scheme_history(session, today())
    emit(
        as_json,
        rows,
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


def register(root: typer.Typer) -> None:
    app.add_typer(scheme_app, name="scheme")
    root.add_typer(app, name="subscription")
