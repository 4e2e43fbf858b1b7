"""Every command documents itself: help text with an example, and the README only shows
commands that exist (sqlite-utils' habit)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from plvgov.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _commands(command=None, path=()):  # type: ignore[no-untyped-def]
    command = command or typer.main.get_command(app)
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name, sub in subcommands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield " ".join(path), command


COMMANDS = dict(_commands())


def test_the_command_tree_is_not_empty() -> None:
    assert {"init", "member admit", "breaks", "audit verify"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(name: str) -> None:
    help_text = COMMANDS[name].help or ""
    assert len(help_text.strip()) > 20, f"`plvgov {name}` has no help text"
    assert "Example: plvgov " in help_text, f"`plvgov {name}` help lacks an 'Example: plvgov …'"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_has_help(name: str) -> None:
    for param in COMMANDS[name].params:
        if getattr(param, "param_type_name", "") == "option" and param.name != "help":
            assert getattr(param, "help", None), f"`plvgov {name}` option {param.opts} has no help"


def test_readme_shows_only_commands_that_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    groups = {name.split()[0] for name in COMMANDS}
    for line in re.findall(r"^\$ plvgov (.+)$", readme, flags=re.M):
        words = [w for w in line.split() if not w.startswith("-")]
        assert words and words[0] in groups, f"README shows an unknown command: plvgov {line}"
        if len(words) > 1 and words[0] not in COMMANDS:
            assert f"{words[0]} {words[1]}" in COMMANDS, f"README: unknown `plvgov {line}`"


@pytest.mark.parametrize("word", sorted({name.split()[0] for name in COMMANDS}))
def test_each_command_line_builds_the_same_subtree_as_the_whole_app(word: str) -> None:
    """`run` builds only the group a line names (start-up time); it must hold exactly the
    commands the whole app has under that word, including those other modules add to it."""
    from plvgov.cli import _app_for

    subset = dict(_commands(typer.main.get_command(_app_for(["--db", "x.db", word, "--help"]))))
    expected = {name: cmd for name, cmd in COMMANDS.items() if name.split()[0] == word}
    assert set(subset) == set(expected)
    assert all(subset[name].help == expected[name].help for name in expected)


def test_every_word_of_the_root_names_the_modules_that_add_it() -> None:
    """`run` imports only the modules `_WORDS` names for a line's first word."""
    from plvgov.cli import _WORDS

    assert set(_WORDS) == {name.split()[0] for name in COMMANDS}


_SUBTREE = """
import json, sys, typer
from plvgov.cli import _app_for
def paths(command, path=()):
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        return [" ".join(path)]
    return [p for name, sub in subcommands.items() for p in paths(sub, (*path, name))]
print(json.dumps(paths(typer.main.get_command(_app_for([sys.argv[1], "--help"])))))
"""


@pytest.mark.parametrize("word", sorted({name.split()[0] for name in COMMANDS}))
def test_in_a_new_process_each_word_builds_the_whole_apps_subtree(word: str) -> None:
    """As a command line does: only the modules `_WORDS` names are imported, so a module that
    adds to another's group (`member email`, `member peppol`) must be named there too."""
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _SUBTREE, word], capture_output=True, text=True, check=True
    )
    assert sorted(json.loads(done.stdout)) == sorted(n for n in COMMANDS if n.split()[0] == word)


@pytest.mark.parametrize("name", sorted(n for n in COMMANDS if len(n.split()) == 2))
def test_a_line_naming_a_groups_command_builds_that_command_alone(name: str) -> None:
    """Within a group, `run` builds only the command the line names, with the same help and
    options as in the whole app; a line naming none of the group's commands gets all of them."""
    from plvgov.cli import _app_for

    group, word = name.split()
    built = dict(_commands(typer.main.get_command(_app_for(["--db", "x.db", group, word, "-h"]))))
    assert set(built) == {name} | {n for n in COMMANDS if n.startswith(f"{name} ")}
    assert built[name].help == COMMANDS[name].help
    assert [p.name for p in built[name].params] == [p.name for p in COMMANDS[name].params]
    whole = dict(_commands(typer.main.get_command(_app_for([group, "no-such-command"]))))
    assert set(whole) == {n for n in COMMANDS if n.split()[0] == group}


def test_lines_naming_no_known_command_get_the_whole_app() -> None:
    from plvgov.cli import _app_for, app

    assert _app_for(["--help"]) is app
    assert _app_for(["no-such-command"]) is app
    assert _app_for([]) is app


def test_the_cli_reference_in_docs_is_current():
    """docs/cli.md is generated from the commands' help; regenerate it with `make docs`."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    cog = Path(sys.executable).with_name("cog")
    result = subprocess.run(
        [str(cog), "--check", "docs/cli.md"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, "docs/cli.md is stale: run `make docs`\n" + result.stdout
