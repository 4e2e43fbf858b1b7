"""``member peppol``: where a council's e-invoices go (its Peppol address). Registered on the
``member`` group by :func:`register`."""

from __future__ import annotations

from typing import Annotated

import typer

from plvgov.cli._common import Json, MemberArg, report, writing


def peppol(
    member: MemberArg,
    address: Annotated[
        str,
        typer.Argument(
            metavar="SCHEME:ID",
            help="Its Peppol address: an EAS scheme and the identifier in it, e.g. "
            "0088:5060123450002 (0088 GLN, 9932 UK VAT number, 0060 D-U-N-S).",
            show_default=False,
        ),
    ],
    as_json: Json = False,
) -> None:
    """Record the Peppol address a council receives e-invoices on (its accounts payable gives
    it; the Peppol directory lists it). `render invoice N --format ubl` sends to it.

    Example: plvgov member peppol bromley 0088:5060123450002
    """
    from plvgov.membership import einvoicing, members

    with writing() as session:
        m = members.find(session, member)
        value = einvoicing.set_address(session, m, address)
        data = {"id": m.id, "slug": m.slug, "peppol_id": value}
    report(as_json, data, f"{m.name}'s Peppol address is now {value}.")


def register(root: typer.Typer) -> None:
    """Add ``member peppol`` to the ``member`` group (``members.register`` adds the group)."""
    from plvgov.cli.members import app

    app.command("peppol")(peppol)
