"""Help that can be copied (issue 13, item 10): no internal names, examples whole, summaries
not cut, ``--version``, ``-h`` and shell completion."""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest
import typer

from plvgov import cli


def _paths(command=None, path=()):  # type: ignore[no-untyped-def]
    command = command or typer.main.get_command(cli.app)
    yield path
    for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
        yield from _paths(sub, (*path, name))


PATHS = list(_paths())


@pytest.fixture
def plvgov(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")

    def _run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        code = cli.run(list(args))
        return code, capsys.readouterr().out

    return _run


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "plvgov" for p in PATHS])
def test_help_shows_no_internal_names_and_keeps_examples_whole(plvgov, path):
    code, text = plvgov(*path, "--help")
    assert code == 0
    for internal in (r"<[a-z][a-z\[\], ]*>", r"\{[a-z_]+\}", r"\[\[", r"\bid_\b"):
        assert not re.search(internal, text), f"{internal} in `plvgov {' '.join(path)} -h`"
    listing = text.split("Commands:")[1] if "Commands:" in text else ""
    assert "..." not in listing, "a command summary is cut"
    command = typer.main.get_command(cli.app)
    for word in path:
        command = command.commands[word]
    for example in re.findall(r"^Example: .+$", command.help or "", flags=re.M):
        assert f"  {example}\n" in text, f"`{example}` is wrapped in the help"
    assert not re.search(r"-\n\s+[a-z]", text), "a word is broken at its hyphen"


def test_h_is_help_everywhere(plvgov):
    for path in ([], ["invoice"], ["invoice", "list"], ["member", "statement"]):
        code, text = plvgov(*path, "-h")
        assert code == 0 and text.startswith("Usage: plvgov"), path


def test_arguments_are_named_as_a_user_types_them(plvgov):
    _, text = plvgov("meeting", "vote", "-h")
    assert "Usage: plvgov meeting vote [OPTIONS] ID RESOLUTION MEMBER" in text
    _, text = plvgov("render", "-h")
    assert "KIND [ID]" in text


def test_version(plvgov):
    code, text = plvgov("--version")
    assert (code, text) == (0, f"plvgov {version('plvgov')}\n")
    assert re.fullmatch(r"plvgov \d+\.\d+\.\d+\n", text)


def test_shell_completion_is_offered_and_shown(plvgov):
    _, text = plvgov("--help")
    assert "--install-completion" in text and "--show-completion" in text
    code, script = plvgov("--show-completion", "bash")
    assert code == 0 and "_PLVGOV_COMPLETE" in script
