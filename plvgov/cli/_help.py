"""Help a reader can copy: the command tree as Typer builds it, tidied once before it runs.

Typer names parameters by their Python names and types (``id_ <int>``, ``{file}``,
``--resolution <list[int]>``), lets click rewrap an example until an option breaks at its
hyphen (``--company-`` / ``number``), and cuts summaries in group listings with "...".
:func:`tidy` gives every argument and option a metavar a user types (``ID``, ``FILE``,
``FY``), keeps each ``Example:`` paragraph exactly as written (click's ``\\b`` marker) and
gives every command a short summary: its first sentence, up to its first colon or semicolon
when that is long.
"""

from __future__ import annotations

import re
from typing import Any

import typer
from typer.core import TyperArgument, TyperOption


class _Argument(TyperArgument):
    """An argument shown as ``ID`` in the usage line and the help, ``[ID]`` when optional."""

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        if not self.required:
            name = f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


#: What an option's value is, in the words a user types; other text options take TEXT, other
#: numbers N, other paths PATH.
_OPTION_METAVARS = {
    "--year": "FY",
    "--from-year": "FY",
    "--member": "MEMBER",
    "--resolution": "ID",
    "--limit": "N",
    "--version": "N",
    "--from": "YYYY-MM",  # months (cpi show); the date options have their own metavars
    "--to": "YYYY-MM",
    "--base-month": "YYYY-MM",
    "--amount": "AMOUNT",
    "--vote": "VOTE",
    "--stage": "STAGE",
    "--type": "TYPE",
    "--procedure": "PROCEDURE",
    "--status": "STATUS",
    "--method": "METHOD",
    "--format": "FORMAT",
    "--code": "CODE",
    "--number": "NUMBER",
    "--company-number": "NUMBER",
    "--email": "EMAIL",
    "--purpose": "PURPOSE",
    "--text-file": "FILE",
    "--dir": "DIR",
}

#: Summaries longer than this stop at their first colon, semicolon or bracket.
_SUMMARY = 60


def summary(help_text: str) -> str:
    """A command's one-line summary for its group's listing: never cut with "..."."""
    paragraph = " ".join(help_text.strip().split("\n\n")[0].split())
    sentence = re.split(r"(?<=[.!?])\s", paragraph)[0].rstrip(".")
    if len(sentence) > _SUMMARY:
        head = re.split(r":\s|;\s|\s\(|\s—\s", sentence)[0]
        if len(head) >= 12:
            sentence = head
    return sentence


def _metavar(param: TyperOption) -> str | None:
    if param.metavar is not None or param.is_flag or param.count:
        return None
    descriptor = param.type_descriptor
    if descriptor.is_choice:
        return None  # shown as its choices: csv|xlsx
    known = next((_OPTION_METAVARS[o] for o in param.opts if o in _OPTION_METAVARS), None)
    if known:
        return known
    annotation = str(descriptor.annotation)
    if descriptor.is_path:
        return "PATH"
    if re.search(r"\bint\b", annotation):
        return "N"
    return "TEXT"


def _keep_hyphenated_words() -> None:
    """Help text wraps between words, never at a hyphen inside one: ``credit-note``,
    ``--company-number`` and ``withdrawal-notice`` are typed or read whole. (click wraps with
    textwrap's default, which breaks after hyphens; the Typer pinned vendors click.)"""
    from typer._click import _textwrap

    class Wrapper(_textwrap.TextWrapper):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["break_on_hyphens"] = False
            super().__init__(*args, **kwargs)

    if not getattr(_textwrap.TextWrapper, "_plvgov", False):
        Wrapper._plvgov = True  # type: ignore[attr-defined]
        _textwrap.TextWrapper = Wrapper  # type: ignore[misc]


def tidy(command: Any) -> None:
    """Tidy ``command`` and every command under it (idempotent)."""
    _keep_hyphenated_words()
    for param in command.params:
        if isinstance(param, TyperArgument):
            if param.metavar is None:
                param.metavar = (param.name or "value").strip("_").upper()
            if type(param) is TyperArgument:
                param.__class__ = _Argument
        elif isinstance(param, TyperOption):
            metavar = _metavar(param)
            if metavar is not None:
                param.metavar = metavar
    if command.help:
        if "\b\nExample:" not in command.help:
            command.help = re.sub(r"(^|\n)Example:", "\\1\b\nExample:", command.help)
        if command.short_help is None:
            command.short_help = summary(command.help)
    for sub in (getattr(command, "commands", None) or {}).values():
        tidy(sub)


def command_tree(app: typer.Typer) -> Any:
    """The click command of ``app``, tidied."""
    command = typer.main.get_command(app)
    tidy(command)
    return command
