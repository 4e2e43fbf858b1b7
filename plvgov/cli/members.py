"""``member …``: councils' decisions, admissions, representatives, withdrawals; a council's
purchase-order numbers and statement."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plvgov.cli._common import (
    At,
    Json,
    MemberArg,
    Year,
    date_option,
    emit,
    financial_year,
    gbp,
    id_option,
    reading,
    report,
    say,
    today,
    writing,
)
from plvgov.cli._tables import table
from plvgov.cli._views import draw_member
from plvgov.words import plural

if TYPE_CHECKING:
    pass

app = typer.Typer(
    help="Members and prospects: decisions, admission, representatives, exit.", no_args_is_help=True
)

RequiredDate = Annotated[date, date_option("--date", help="The date (YYYY-MM-DD).")]


@app.command("list")
def list_(
    at: At = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="Only this status: prospect, in_principle, member, notice_given, "
            "ceased or declined.",
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Members and prospects with their status on a date.

    Example: plvgov member list --status member
    """
    from plvgov.membership import views as member_views

    on = at or today()
    with reading() as session:
        views = member_views.list_members(session, on, status)
    words = member_views.STATUS_WORDS
    emit(
        as_json,
        [v.as_json() for v in views],
        lambda c: c.print(
            table(
                f"Members and prospects on {on}",
                ["code", "name", "status", "joined", "ceased"],
                [
                    (
                        v.gss_code,
                        v.name,
                        words[v.status],
                        v.joined_on,
                        v.ceased_on if v.status == "ceased" else None,
                    )
                    for v in views
                ],
                caption=f"{len(views)} shown",
            )
        ),
    )


@app.command("show")
def show(member: MemberArg, at: At = None, as_json: Json = False) -> None:
    """One member: status, address, how it gets documents (email under an agreement, or post),
    decisions, representative, withdrawal and next exit point.

    Example: plvgov member show barking-and-dagenham
    """
    from plvgov.correspondence import agreements
    from plvgov.membership import members, views

    on = at or today()
    with reading() as session:
        found = members.find(session, member)
        detail = views.show(session, found, on)
        documents = agreements.documents_by(session, found, on)
    emit(
        as_json,
        {**detail.__dict__, "documents_by": documents},
        lambda c: draw_member(c, detail, on, documents),
    )


@app.command("update")
def update(
    member: MemberArg,
    address: Annotated[
        str | None, typer.Option("--address", help="Its address in the register (s.113).")
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Its legal name in the register.")
    ] = None,
    email: Annotated[
        str | None, typer.Option("--email", help="The email it gave for correspondence.")
    ] = None,
    date_: Annotated[
        date | None, date_option("--date", help="In force from this date (default today).")
    ] = None,
    as_json: Json = False,
) -> None:
    """Change a member's name, address or email in the register from --date (CA 2006 s.113);
    the earlier values stay in its history and in the register for earlier dates.

    Example: plvgov member update bromley --address "Civic Centre, Stockwell Close, Bromley BR1 3UH" --date 2026-05-01
    """
    from plvgov.membership import members
    from plvgov.membership.particulars import particulars_on

    on = date_ or today()
    with writing() as session:
        m = members.find(session, member)
        members.update(session, m, on, name=name, address=address, email=email, today=today())
        now = particulars_on(session, m, on)
        data = {
            "id": m.id,
            "slug": m.slug,
            "name": now.name,
            "address": now.address,
            "email": now.email,
            "effective_from": on,
        }
    changed = [
        f"{label} {value}"
        for label, given, value in (
            ("name", name, now.name),
            ("address", address, now.address),
            ("email", email, now.email),
        )
        if given is not None
    ]
    from plvgov.dates import uk_date

    report(as_json, data, f"{m.name}'s register entry from {uk_date(on)}: {'; '.join(changed)}.")


@app.command("add")
def add(
    name: Annotated[str, typer.Option("--name", help="The body's name.", show_default=False)],
    code: Annotated[str | None, typer.Option("--code", help="Its GSS code, if it has one.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Its address.")] = None,
    as_json: Json = False,
) -> None:
    """Add a prospect outside the 33 London authorities.

    Example: plvgov member add --name "Surrey County Council" --code E10000030
    """
    from plvgov.membership import members

    with writing() as session:
        added = members.add(session, name, code, address)
        data = {"id": added.id, "slug": added.slug}
        stored = added.name  # as the register holds it (trimmed)
    report(as_json, data, f"Added {stored} as a prospect ({data['slug']}).")


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="CSV with name,code,address,admitted_on.", show_default=False)
    ],
    as_json: Json = False,
) -> None:
    """Load members from CSV, all rows or none. admitted_on empty means a prospect; a row
    whose code is an existing prospect admits it; a row that contradicts the ledger is an
    error naming the row.

    Example: plvgov member import members.csv
    """
    from plvgov.membership import importing

    text = importing.read_import_file(file)
    with writing() as session:
        count = importing.import_members(session, text)
    report(as_json, {"imported": count}, f"Imported {plural(count, 'row')} from {file}.")


@app.command("representative")
def representative(
    member: MemberArg,
    name: Annotated[
        str, typer.Option("--name", help="The representative's name.", show_default=False)
    ],
    from_: Annotated[date, date_option("--from", help="Appointed from this date.")],
    authority: Annotated[
        str | None, typer.Option("--authority", help="The council's authorising decision (s.323).")
    ] = None,
) -> None:
    """Appoint a member's corporate representative (CA 2006 s.323); earlier appointments
    stay in the history.

    Example: plvgov member representative bromley --name "Jane Smith" --from 2023-04-01 --authority "Executive 2023-03-29"
    """
    from plvgov.membership import members

    with writing() as session:
        m = members.find(session, member)
        members.appoint_representative(session, m, name, from_, authority, today=today())
    say(f"{name} represents {m.name} from {from_}.")


@app.command("decide")
def decide(
    member: MemberArg,
    stage: Annotated[
        str, typer.Option("--stage", help="in-principle, final or declined.", show_default=False)
    ],
    date_: RequiredDate,
    body: Annotated[
        str,
        typer.Option(
            "--body", help="Who decided: Cabinet, Portfolio Holder, Director…", show_default=False
        ),
    ],
    ref: Annotated[str | None, typer.Option("--ref", help="Minute or item reference.")] = None,
) -> None:
    """Record a council's decision: agreed in principle, final determination, or declined.

    Example: plvgov member decide barking-and-dagenham --stage in-principle --date 2023-03-21 --body Cabinet --ref "Item 94"
    """
    from plvgov.membership import members

    with writing() as session:
        m = members.find(session, member)
        decision = members.decide(session, m, stage, date_, body, ref, today=today())
    said = {"in_principle": "agreed in principle", "final": "final determination"}
    say(f"Recorded {m.name}: {said.get(decision.stage, decision.stage)} by {body} on {date_}.")


@app.command("admit")
def admit(
    member: MemberArg,
    date_: RequiredDate,
    resolution: Annotated[
        int | None,
        id_option(
            "--resolution",
            help="The board resolution approving the admission.",
            listing="plvgov board resolutions",
        ),
    ] = None,
) -> None:
    """Admit a member: enter it in the register of members from --date (CA 2006 s.112).

    Example: plvgov member admit barking-and-dagenham --date 2023-04-01
    """
    from plvgov.membership import members

    with writing() as session:
        m = members.find(session, member)
        members.admit(session, m, date_, resolution, today=today())
    say(f"Admitted {m.name} from {date_}.")


@app.command("withdraw")
def withdraw(
    member: MemberArg,
    notice_date: Annotated[
        date, date_option("--notice-date", help="The day the notice of withdrawal was received.")
    ],
    as_json: Json = False,
) -> None:
    """Lodge a member's notice of withdrawal. It takes effect at the first exit point whose
    notice deadline it meets; a late notice rolls to the next one, and the answer says so.

    Example: plvgov member withdraw bromley --notice-date 2025-09-30
    """
    from plvgov.membership import exits, members

    with writing() as session:
        outcome = exits.withdraw(session, members.find(session, member), notice_date, today=today())
    report(as_json, outcome.as_json(), outcome.message)


@app.command("cease")
def cease(
    member: MemberArg,
    date_: Annotated[date, date_option("--date", help="The last day of membership.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why: dissolution, expulsion…", show_default=False)
    ],
) -> None:
    """End a membership other than by withdrawal; the member is on the register to the end
    of --date and stays on it as a former member. --date may be ahead of today when the last
    day is already settled (a council's abolition, an expulsion taking effect later).

    Example: plvgov member cease hackney --date 2027-06-30 --reason "expelled by special resolution"
    """
    from plvgov.membership import members

    with writing() as session:
        m = members.find(session, member)
        members.cease(session, m, date_, reason)
    say(f"{m.name} ceases to be a member at the end of {date_}.")


# -- billing: purchase orders and statements ----------------------------------------------------
@app.command("po")
def po(
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
    from plvgov.billing import issuing
    from plvgov.membership import members

    fy = financial_year(year)
    with writing() as session:
        m = members.find(session, member)
        issuing.record_po(session, m, fy, number)
    say(f"Recorded PO {number.strip()} for {m.name}'s {fy.label} invoice.")


@app.command("statement")
def statement(member: MemberArg, at: At = None, as_json: Json = False) -> None:
    """A member's statement: every invoice, payment and credit note, with a running balance.

    Example: plvgov member statement bromley
    """
    from plvgov.billing import accounts
    from plvgov.membership import members

    on = at or today()
    with reading() as session:
        result = accounts.statement(session, members.find(session, member), on)
    emit(
        as_json,
        result,
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
                caption=f"balance {gbp(result.balance)}",
                optional=["type", "detail"],
            )
        ),
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="member")
