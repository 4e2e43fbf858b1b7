"""What every command shares: the ledger option, dates, JSON and table output.

This module and its siblings are the only place that imports typer or rich. Commands import the
database stack inside their bodies, so ``plvgov --help`` stays fast.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from plvgov import collector

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text
    from sqlmodel import Session

    from plvgov.dates import FinancialYear
    from plvgov.db import Ledger


class State:
    """Options given before the command (``plvgov --db X member list``)."""

    db: str | None = None
    templates: str | None = None
    invocation: str = "plvgov"


STATE = State()


# -- consoles -----------------------------------------------------------------------------
def _width() -> int | None:
    value = os.environ.get("COLUMNS")
    return int(value) if value and value.isdigit() else None


# rich is imported when something is drawn, not before: `--json` never loads it. Its consoles
# print text as written: no markup (a resolution titled "Adopt [/] articles" printed as an
# error, "[new]" vanished) and no emoji codes (":smile:" in a file's name became a face). A
# line that is partly bold says so with :func:`heading`.
#: The width of output written to a file or a pipe: wide enough that no table is cut or
#: folded to fit the 80 columns rich would assume (a file has no edge to fit).
PIPED_WIDTH = 10_000


def out() -> Console:
    from rich.console import Console

    width = _width()
    if width is None and not _is_terminal(sys.stdout):
        width = PIPED_WIDTH
    return Console(width=width, highlight=False, soft_wrap=False, markup=False, emoji=False)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or unusual stream: not a terminal
        return False


def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, width=_width(), highlight=False, markup=False, emoji=False)


def heading(bold: str, rest: str = "") -> Text:
    """A line that begins in bold (a record's name before its particulars), its text printed
    as written: ``console.print(heading(f"Invoice {number}", f" — {council}"))``."""
    from rich.text import Text

    return Text.assemble((bold, "bold"), rest)


def say(message: str) -> None:
    """A line for the person at the terminal (stdout)."""
    if _as_written(message):
        sys.stdout.write(message + "\n")
        sys.stdout.flush()
        return
    out().print(message)


#: Characters rich prints as they are: no markup (``[``), no emoji codes (``:``), no control
#: or wide characters.
_PLAIN = frozenset(map(chr, range(0x20, 0x7F))) - {"[", ":"}


def _as_written(message: str) -> bool:
    """True when rich would print ``message`` exactly as written, so that it need not be
    imported: stdout is a file or a pipe (no colour, a width of our choosing), the text holds
    nothing rich interprets, and no line is wider than the output. Most commands end with one
    such line (the invoice run, a payment recorded)."""
    if _is_terminal(sys.stdout):
        return False
    width = _width()
    if width is None:
        width = PIPED_WIDTH
    plain = _PLAIN
    if "£" in message and (sys.stdout.encoding or "").lower().replace("-", "") == "utf8":
        plain = plain | {"£"}
    return all(len(line) <= width and plain.issuperset(line) for line in message.split("\n"))


# -- parsing ------------------------------------------------------------------------------
def _date_param(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        parsed = date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD") from None
    return _in_range(parsed)


#: Dates a governance ledger can mean; anything outside is a typo, not a deadline.
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


def _in_range(value: Any) -> Any:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise typer.BadParameter(
            f"{day.isoformat()} is out of range; give a date between "
            f"{EARLIEST.year} and {LATEST.year}"
        )
    return value


def _datetime_param(value: str | None) -> datetime | None:
    if value is None:
        return None
    from plvgov.dates import parse_datetime
    from plvgov.errors import InputError

    try:
        return _in_range(parse_datetime(value))
    except InputError:
        raise typer.BadParameter(
            f"{value!r} is not a date-time; write it as YYYY-MM-DDTHH:MM"
        ) from None


def today() -> date:
    """Today, or ``PLVGOV_TODAY`` (YYYY-MM-DD) for reproducible demos and tests."""
    fixed = os.environ.get("PLVGOV_TODAY")
    if fixed:
        from plvgov.errors import InputError

        try:
            day = date.fromisoformat(fixed.strip())
        except ValueError:
            raise InputError(
                f"PLVGOV_TODAY is {fixed!r}, not a date; set it as YYYY-MM-DD or unset it"
            ) from None
        if not EARLIEST <= day <= LATEST:  # a year after it must still be a date
            raise InputError(
                f"PLVGOV_TODAY is {fixed!r}, out of range; set a date between "
                f"{EARLIEST.year} and {LATEST.year}, or unset it"
            )
        return day
    return date.today()


#: The largest id a ledger can hold (SQLite's and PostgreSQL's 64-bit integer).
ID_MAX = 2**63 - 1


def _id_parser(listing: str | None) -> Callable[[str | int | None], int | None]:
    fix = f"give one that `{listing}` shows" if listing else "give one the ledger shows"

    def parse(value: str | int | None) -> int | None:
        """An id or version number: a whole number a database column can hold (a longer one
        is a typo, and would overflow the driver)."""
        if value is None or isinstance(value, int):
            return value
        try:
            number = int(value.strip())
        except ValueError:
            raise typer.BadParameter(f"{value!r} is not a number; {fix}") from None
        if not -ID_MAX <= number <= ID_MAX:
            raise typer.BadParameter(f"{value.strip()} is too large for an id; {fix}")
        return number

    return parse


def id_argument(help: str, listing: str | None = None) -> Any:
    """A typer.Argument for an id or version: every integer parameter of the CLI uses this or
    :func:`id_option`, so that no number reaches the database outside its 64-bit range."""
    return typer.Argument(help=help, show_default=False, parser=_id_parser(listing))


def id_option(*names: str, help: str, listing: str | None = None) -> Any:
    return typer.Option(*names, help=help, parser=_id_parser(listing))


def cli_value(parse: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a parser of an option's text (``FinancialYear.parse``, ``parse_amount``) and make its
    refusal a usage error (exit 2), as Typer makes a malformed date."""
    from plvgov.errors import InputError, UsageError

    try:
        return parse(*args, **kwargs)
    except InputError as exc:
        raise UsageError(exc.message) from None


def date_option(*names: str, help: str, required: bool = False) -> Any:
    return typer.Option(
        *names,
        help=help,
        parser=_date_param,
        metavar="YYYY-MM-DD",
        show_default=False,
        **({} if not required else {}),
    )


def datetime_option(*names: str, help: str) -> Any:
    return typer.Option(
        *names, help=help, parser=_datetime_param, metavar="YYYY-MM-DDTHH:MM", show_default=False
    )


Json = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
At = Annotated[date | None, date_option("--at", help="As of this date (default today).")]
MemberArg = Annotated[
    str,
    typer.Argument(
        help="The member: GSS code (E09000002), slug (barking-and-dagenham) or name.",
        show_default=False,
    ),
]
Year = Annotated[
    str,
    typer.Option("--year", help="Financial year: 2026, 2026/27 or 2026-27.", show_default=False),
]


def financial_year(text: str) -> FinancialYear:
    """--year's value; a malformed one is a usage error (exit 2), like a malformed date."""
    from plvgov.dates import FinancialYear

    parsed: FinancialYear = cli_value(FinancialYear.parse, text)
    return parsed


def amount(text: str, what: str = "amount", allow_zero: bool = False) -> Decimal:
    """--amount's value in pounds and pence; a malformed one is a usage error (exit 2)."""
    from plvgov.money import parse_amount

    parsed: Decimal = cli_value(parse_amount, text, what, allow_zero=allow_zero)
    return parsed


def gbp(value: Decimal) -> str:
    """``£21,367.52``."""
    from plvgov.money import format_gbp

    return format_gbp(value)


# -- the decisions' shared options (resolution, meeting, articles, director, board) --
RequiredDate = Annotated[date, date_option("--date", help="The date (YYYY-MM-DD).")]
ResolutionId = Annotated[int, id_argument("The resolution's id.", "plvgov resolution list")]
VoteOpt = Annotated[
    str, typer.Option("--vote", help="for, against or abstain.", show_default=False)
]
TextFile = Annotated[
    Path | None,
    typer.Option("--text-file", help="A file holding the exact text (default: the title)."),
]
DirectorArg = Annotated[str, typer.Argument(help="The director: id or name.", show_default=False)]


def text_of(path: Path | None) -> str | None:
    """--text-file's text (UTF-8, not empty, not over 2 MB), or None without one."""
    if path is None:
        return None
    from plvgov.decisions.articles import read_text

    return read_text(path)


# -- the ledger ---------------------------------------------------------------------------
def ledger_target() -> str:
    return STATE.db or os.environ.get("PLVGOV_DB") or "ledger.db"


def open_ledger() -> Ledger:
    from plvgov.db import Ledger

    collector.settle()  # start-up is over: the command has imported what it needs
    return Ledger.open(ledger_target())


@contextmanager
def writing() -> Iterator[Session]:
    """A write transaction on the ledger, recorded under the command line that ran it."""
    ledger = open_ledger()
    try:
        with ledger.write(STATE.invocation) as session:
            yield session
    finally:
        ledger.dispose()


@contextmanager
def reading() -> Iterator[Session]:
    ledger = open_ledger()
    try:
        with ledger.read() as session:
            yield session
    finally:
        ledger.dispose()


# -- output -------------------------------------------------------------------------------
def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        from plvgov.money import json_money

        return json_money(value)  # a Decimal in output is money; other numbers go as str
    if is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "as_json"):
            return value.as_json()
        return asdict(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def to_json(data: Any) -> str:
    return json.dumps(data, default=_default, indent=2, ensure_ascii=False)


def print_json(data: Any) -> None:
    sys.stdout.write(to_json(data) + "\n")


def report(as_json: bool, data: Any, message: str) -> None:
    """What a command that changed the ledger says: ``data`` as JSON, or ``message``."""
    if as_json:
        print_json(data)
    else:
        say(message)


def emit(as_json: bool, data: Any, render: Callable[[Console], None]) -> None:
    """``--json``: one JSON document on stdout, nothing else; otherwise ``render`` a table."""
    if as_json:
        print_json(data)
    else:
        render(out())


@contextmanager
def progress(label: str, total: int | None = None) -> Iterator[Callable[..., None]]:
    """``advance(count, detail=None)`` for a progress bar on stderr when it is a terminal (the
    invoice run, ``send``, a year's papers): ``total`` when known, ``detail`` shown after the
    label (the paper being rendered). Nothing is drawn when stderr is a file or a pipe."""
    bar = None
    if sys.stderr.isatty():
        from rich.markup import escape
        from rich.progress import Progress

        bar = Progress(console=err(), transient=True)  # its columns read the label as markup
        task = bar.add_task(escape(label), total=total)
        bar.start()

    def advance(count: int, detail: str | None = None) -> None:
        if bar is not None:
            described = f"{label}: {detail}" if detail else label
            bar.update(task, advance=count, description=escape(described))

    try:
        yield advance
    finally:
        if bar is not None:
            bar.stop()
