"""plvgov's command line: a thin shell over the library.

``main`` is the console script. It runs the Typer app without Typer's own error handling and
turns every refusal into one ``Error:`` line: exit 1 for a rule or a missing fact, exit 2 for a
usage mistake, never a traceback (set ``PLVGOV_DEBUG=1`` to see one).
"""

from __future__ import annotations

import copy
import functools
import importlib
import os
import shlex
import sys
from typing import Annotated, Any

import typer

from plvgov import collector
from plvgov.cli import _common, _help


class _App(typer.Typer):
    """The root app. Calling it (the console script) runs :func:`main`, which wraps Typer in
    plvgov's error handling; tools that inspect the command tree still see a Typer app."""

    def __call__(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        try:
            main()
        finally:
            collector.leave()  # the process ends here: its last collection scans nothing


_APP_SETTINGS: dict[str, Any] = {
    "name": "plvgov",
    "help": "The Pan-London Vehicle's governance and membership ledger.\n\n"
    "Members and their exit points, subscriptions and invoices, resolutions and meetings, "
    "the articles, board papers and every deadline, with an audit trail that shows any "
    "tampering. Start with `plvgov init` (or `plvgov demo`), then `plvgov member list`.",
    "no_args_is_help": True,
    "add_completion": True,  # --install-completion and --show-completion
    "context_settings": {"help_option_names": ["-h", "--help"]},
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
}


class _OnFirstLook:
    """One of the lists Typer keeps on an app (``registered_groups``, ``registered_commands``)
    that registers the whole tree when it is first read (:meth:`_Root._register`)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = f"_{name}"

    def __get__(self, root: _Root | None, owner: type | None = None) -> Any:
        if root is None:
            return self
        root._register()
        return root.__dict__[self.key]

    def __set__(self, root: _Root, value: list[Any]) -> None:
        root.__dict__[self.key] = value


class _Root(_App):
    """The whole tree: its groups and commands are registered when something first looks at
    them (``plvgov --help``, the docs, a test walking the tree). A command line that names a
    command never does: :func:`_app_for` imports only the modules that add that word."""

    _complete = False
    registered_groups = _OnFirstLook()  # type: ignore[assignment]
    registered_commands = _OnFirstLook()  # type: ignore[assignment]

    def _register(self) -> None:
        if not self._complete:
            self._complete = True
            for name in _MODULES:
                groups, commands = _registered(name)
                self.__dict__["_registered_groups"].extend(groups)
                self.__dict__["_registered_commands"].extend(commands)


app = _Root(**_APP_SETTINGS)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        sys.stdout.write(f"plvgov {version('plvgov')}\n")
        raise typer.Exit()


@app.callback()
def _root(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="PLVGOV_DB",
            metavar="PATH_OR_URL",
            help="The ledger: a SQLite file (default ./ledger.db) or an SQLAlchemy URL such as "
            "postgresql+psycopg://host/plvgov.",
        ),
    ] = None,
    templates: Annotated[
        str | None,
        typer.Option(
            "--templates",
            envvar="PLVGOV_TEMPLATES",
            metavar="DIR",
            help="A folder of your own templates that override the shipped ones by name.",
        ),
    ] = None,
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            expose_value=False,
            callback=_show_version,
            help="Print plvgov's version and exit.",
        ),
    ] = False,
) -> None:
    _common.STATE.db = db
    _common.STATE.templates = templates
    from plvgov.outputs import protect

    protect(_common.ledger_target())  # before any command names a file to write


#: The modules that register the root's groups and commands (each has ``register(root)``), in
#: the order the whole tree lists them.
_MODULES = (
    "ledger",
    "settings",
    "members",
    "einvoicing",
    "exits",
    "cpi",
    "subscriptions",
    "invoices",
    "finance",
    "resolutions",
    "meetings",
    "articles",
    "directors",
    "board",
    "registers",
    "documents",
    "calendar_check",
    "audit",
    "sending",
    "demo",
)
#: The modules a word of the root needs: the one that adds it, and those that add commands to
#: its group (``member peppol`` by einvoicing, ``member email`` by sending). A command line
#: imports only these (each module costs start-up time); ``tests/test_docs.py`` checks that
#: each word builds, in a new process, the same subtree as the whole app.
_WORDS: dict[str, tuple[str, ...]] = {
    "init": ("ledger",),
    "backup": ("ledger",),
    "db": ("ledger",),
    "settings": ("settings",),
    "member": ("members", "einvoicing", "sending"),
    "breaks": ("exits",),
    "cpi": ("cpi",),
    "subscription": ("subscriptions",),
    "invoice": ("invoices",),
    "model": ("finance",),
    "outturn": ("finance",),
    "resolution": ("resolutions",),
    "meeting": ("meetings",),
    "articles": ("articles",),
    "director": ("directors",),
    "board": ("board",),
    "psc": ("registers",),
    "request": ("registers",),
    "render": ("documents",),
    "calendar": ("calendar_check",),
    "check": ("calendar_check",),
    "audit": ("audit",),
    "send": ("sending",),
    "sends": ("sending",),
    "demo": ("demo",),
}


@functools.cache
def _registered(name: str) -> tuple[list[Any], list[Any]]:
    """The groups and commands the module ``name`` adds to the root (registered once)."""
    module = importlib.import_module(f"plvgov.cli.{name}")
    scratch = typer.Typer()
    module.register(scratch)
    return scratch.registered_groups, scratch.registered_commands


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    _common.STATE.invocation = shlex.join(["plvgov", *args])
    sys.exit(run(args))


_ROOT_OPTIONS_WITH_VALUES = ("--db", "--templates")


def _first_word(args: list[str]) -> str | None:
    """The command named on the line (``member`` in ``--db x member list``), or None."""
    words = _command_words(args)
    return words[0] if words else None


def _command_words(args: list[str]) -> list[str]:
    """The command named on the line and the word right after it, when that is no option:
    ``["member", "list"]`` in ``--db x member list --json``; none for ``--help``."""
    skip = False
    for index, arg in enumerate(args):
        if skip:
            skip = False
        elif arg in _ROOT_OPTIONS_WITH_VALUES:
            skip = True
        elif arg.startswith(tuple(f"{o}=" for o in _ROOT_OPTIONS_WITH_VALUES)):
            continue
        elif arg.startswith("-"):
            return []  # --help and the like: the whole tree
        else:
            after = args[index + 1 : index + 2]
            return [arg, *(w for w in after if not w.startswith("-"))]
    return []


def _named(within: typer.Typer, word: str) -> tuple[list[Any], list[Any]]:
    """The groups and the commands of ``within`` called ``word``."""
    groups = [g for g in within.registered_groups if g.name == word]
    commands = [
        c
        for c in within.registered_commands
        if (c.name or typer.main.get_command_name(c.callback.__name__ if c.callback else ""))
        == word
    ]
    return groups, commands


def _narrowed(group: Any, word: str | None) -> Any:
    """``group`` (a registered group) holding only its command or subgroup ``word``; the whole
    group when ``word`` names none of them (its help, or Typer's error)."""
    inner = group.typer_instance
    if word is None or inner is None:
        return group
    groups, commands = _named(inner, word)
    if not groups and not commands:
        return group
    only = copy.copy(inner)
    only.registered_groups, only.registered_commands = groups, commands
    narrowed = copy.copy(group)
    narrowed.typer_instance = only
    return narrowed


def _app_for(args: list[str]) -> typer.Typer:
    """Only the group or command the line names, and within a group only the command the line
    names, so that Typer builds one command rather than the whole tree at every start (start-up
    time is a benchmark target); the whole app when the line names none (``plvgov --help``) or
    an unknown one (for Typer's error), the whole group when it names no command of it."""
    words = _command_words(args)
    if not words or words[0] not in _WORDS:
        return app
    scratch = _App()
    for name in _WORDS[words[0]]:
        added_groups, added_commands = _registered(name)
        scratch.registered_groups.extend(added_groups)
        scratch.registered_commands.extend(added_commands)
    groups, commands = _named(scratch, words[0])
    if not groups and not commands:
        return app
    if len(groups) == 1 and not commands:
        groups = [_narrowed(groups[0], words[1] if len(words) > 1 else None)]
    subset = _App(**_APP_SETTINGS)
    subset.registered_callback = app.registered_callback
    subset.registered_groups = groups
    subset.registered_commands = commands
    return subset


def run(args: list[str]) -> int:
    """Run one command line; returns the exit code."""
    collector.hold()  # until the command has imported what it needs and opens the ledger
    try:
        return _run(args)
    finally:
        collector.release()


def _run(args: list[str]) -> int:
    # Typer 0.29 vendors click; its exception classes live in typer._click.exceptions.
    from typer._click import exceptions as tex
    from typer.exceptions import Abort, Exit

    from plvgov.errors import PlvgovError

    refusal = _control_characters(args)
    if refusal is not None:
        _error(refusal)
        return 2
    command = typer.main.get_command(_app_for(args))
    _help.tidy(command)
    saved_before = _commits()
    try:
        result = command.main(args=args, prog_name="plvgov", standalone_mode=False)
    except PlvgovError as exc:
        _error(exc.message)
        return exc.exit_code
    except tex.NoArgsIsHelpError as exc:
        sys.stdout.write(exc.format_message() + "\n")
        return 0
    except tex.UsageError as exc:
        hint = ""
        if exc.ctx is not None:
            hint = f" (see `{exc.ctx.command_path} --help`)"
        _error(exc.format_message().strip().replace("\n", " ") + hint)
        return 2
    except tex.ClickException as exc:
        _error(exc.format_message())
        return exc.exit_code
    except Abort:
        _error(f"aborted; {_what_was_written(saved_before)}")
        return 1
    except Exit as exc:
        return exc.exit_code
    except SystemExit as exc:  # --show-completion and --install-completion end the process
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        _error("interrupted; nothing from the unfinished change was written")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file named on the line: too long a name, a full disk, no access
        if os.environ.get("PLVGOV_DEBUG"):
            raise
        _error(f"{_file_problem(exc)}; {_what_was_written(saved_before)}")
        return 1
    except Exception as exc:  # the last line of defence: no traceback reaches a user
        if os.environ.get("PLVGOV_DEBUG"):
            raise
        stored = _stored_value_problem(exc)
        if stored is not None:
            _error(stored.message)
            return stored.exit_code
        _error(
            f"unexpected failure ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
            f"{_what_was_written(saved_before)}. Rerun with PLVGOV_DEBUG=1 and report the "
            "traceback"
        )
        return 1
    return result if isinstance(result, int) else 0


def _control_characters(args: list[str]) -> str | None:
    """The refusal of a command line that holds a control character (a line break, tab or
    escape): nothing a command takes is text of several lines but a file's, and a name or a
    reason holding one was stored, then cleared the screen it was printed on, broke a mail
    header or made an e-invoice that XML cannot hold."""
    from plvgov.typed import control_character, shown

    for arg in args:
        char = control_character(arg)
        if char is not None:
            return (
                f'"{shown(arg)}" holds a control character ({shown(char)}); type it on one line, '
                "without line breaks, tabs or escapes"
            )
    return None


def _commits() -> int:
    """Write transactions this process has committed so far (none before the database stack
    is imported: reading the count imports nothing)."""
    db = sys.modules.get("plvgov.db")
    return int(getattr(db, "commits", 0))


def _what_was_written(saved_before: int) -> str:
    """The end of a refusal's line: whether the command had saved a change before it failed
    (a change it committed stands: a failure while printing must not say otherwise)."""
    if _commits() == saved_before:
        return "nothing was written"
    return "the change made before it was saved (`plvgov audit log` shows it)"


def _file_problem(exc: OSError) -> str:
    """An operating-system refusal about a file as one line that names the file and the fix."""
    import errno

    name = "" if exc.filename is None else os.fsdecode(exc.filename)
    if len(name) > 80:
        name = f"{name[:40]}…{name[-30:]} ({len(name)} characters)"
    fixes = {
        errno.ENAMETOOLONG: "the name is too long for the file system; give a shorter one",
        errno.ENOSPC: "the disk is full; free some space and try again",
        errno.EDQUOT: "the disk quota is used up; free some space and try again",
        errno.EACCES: "permission denied; check the permissions of the file and its folder",
        errno.EPERM: "not permitted; check the permissions of the file and its folder",
        errno.EROFS: "the file system is read-only; choose a place you can write to",
        errno.ENOENT: "no such file or folder; check the path",
        errno.ENOTDIR: "part of the path is not a folder; check the path",
        errno.EISDIR: "that is a folder; give a file name",
        errno.ELOOP: "too many symbolic links; check the path",
    }
    fix = fixes.get(exc.errno or 0, f"{exc.strerror or type(exc).__name__}; check the path")
    return f"cannot use {name or 'the file'}: {fix}"


def _stored_value_problem(exc: Exception):  # -> PlvgovError | None
    """A value in the ledger its column cannot read back (a malformed date stored in a row):
    the error that names the row, when ``exc`` came out of SQLAlchemy reading results."""
    if not isinstance(exc, ValueError | TypeError | ArithmeticError):
        return None
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    if not any(f"{os.sep}sqlalchemy{os.sep}" in f for f in frames):
        return None
    from plvgov.db import malformed_value, to_url
    from plvgov.errors import PlvgovError

    try:
        return malformed_value(to_url(_common.ledger_target()))
    except PlvgovError:
        return None


def _error(message: str) -> None:
    sys.stderr.write(f"Error: {message}\n")
    sys.stderr.flush()
