"""``settings show`` and ``settings set``."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

import typer

from plvgov.cli._common import At, Json, date_option, emit, reading, say, today, writing
from plvgov.cli._tables import table

app = typer.Typer(help="Rule parameters (date-effective) and company facts.", no_args_is_help=True)


@app.command("show")
def show(at: At = None, as_json: Json = False) -> None:
    """The settings in force on a date, with when each took effect and on whose authority.

    Example: plvgov settings show --at 2027-04-01
    """
    from plvgov import settings, settings_catalogue, words

    on = at or today()
    with reading() as session:
        rows = settings.all_in_force(session, on)
    data = {r.key: settings_catalogue.BY_KEY[r.key].display(r.value) for r in rows}
    emit(
        as_json,
        data,
        lambda c: c.print(
            table(
                f"Settings in force on {on}",
                ["key", "value", "from", "authority", "meaning"],
                [
                    (
                        r.key,
                        settings_catalogue.BY_KEY[r.key].text(r.value)
                        if r.value not in ("", None)
                        else None,
                        "company fact" if r.fact else (r.effective_from or "the beginning"),
                        None
                        if r.fact and r.value in ("", None)
                        else words.authority(r.authority, short=True),
                        _in_words(settings_catalogue.BY_KEY[r.key].description),
                    )
                    for r in rows
                ],
                optional=["authority", "from"],
            )
        ),
    )


def _in_words(description: str) -> str:
    """A setting's meaning as a reader sees it: the catalogue's ``[U]`` mark (a rule not yet
    confirmed) said in words."""
    return re.sub(r"\s*\[U\](?::\s*unconfirmed)?", ", unconfirmed", description)


# ignore_unknown_options: a VALUE such as -6 reaches the setting's own type and range check
# instead of failing as "No such option: -6".
@app.command("set", context_settings={"ignore_unknown_options": True})
def set_(
    key: Annotated[
        str,
        typer.Argument(help="The setting's key (see `plvgov settings show`).", show_default=False),
    ],
    value: Annotated[str, typer.Argument(help="Its new value.", show_default=False)],
    from_: Annotated[
        date | None,
        date_option(
            "--from", help="In force from this date (default today). Not for company facts."
        ),
    ] = None,
    authority: Annotated[
        str | None,
        typer.Option(
            "--authority",
            help="What authorises it: an articles version, a resolution, a board decision.",
        ),
    ] = None,
) -> None:
    """Give a setting a new value. A rule parameter takes effect from --from; a company fact
    (name, number, registered office, launch date…) changes for every date.

    Example: plvgov settings set withdrawal_notice_months 3 --from 2028-04-01 --authority "Articles v2"
    """
    from plvgov import settings, settings_catalogue

    with writing() as session:
        result = settings.set_value(
            session, key, value, effective_from=from_, authority=authority, today=today()
        )
    shown = settings_catalogue.BY_KEY[key].text(result.value)
    when = "now" if result.fact else f"from {result.effective_from}"
    say(f"{key} = {shown} {when} (authority: {result.authority}).")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="settings")
