"""What the root command line guarantees for every command (plvgov/cli/__init__.py): one audit
event per change, one `Error:` line with the right exit code, help with an example, no traceback."""

from __future__ import annotations

import pytest

from tests.cli.helpers import admit, audit_events, one_error_line

MUTATIONS = [
    ("member", "add", "--name", "Kent County Council", "--code", "E10000016"),
    (
        "member",
        "decide",
        "camden",
        "--stage",
        "in-principle",
        "--date",
        "2023-03-08",
        "--body",
        "Cabinet",
        "--ref",
        "Item 6",
    ),
    (
        "member",
        "decide",
        "camden",
        "--stage",
        "final",
        "--date",
        "2023-03-27",
        "--body",
        "Director",
    ),
    ("member", "admit", "camden", "--date", "2023-04-01"),
    (
        "member",
        "representative",
        "camden",
        "--name",
        "Marcus Reed",
        "--from",
        "2023-04-01",
        "--authority",
        "Cabinet 2023-03-08",
    ),
    ("member", "withdraw", "camden", "--notice-date", "2025-09-01"),
    ("member", "admit", "hackney", "--date", "2023-04-01"),
    ("member", "cease", "hackney", "--date", "2027-06-30", "--reason", "dissolution"),
    ("settings", "set", "invoice_due_days", "45", "--from", "2027-04-01", "--authority", "Board"),
    ("settings", "set", "registered_office", "1 Town Hall"),
]


def test_every_mutating_command_appends_exactly_one_event(ledger, run):
    for args in MUTATIONS:
        before = audit_events(run)
        result = run(*args)
        assert result.code == 0, (args, result.err)
        assert audit_events(run) == before + 1, args
        assert run("audit", "log", "--limit", "1", "--json").json()[0]["seq"] == before + 1
    log = run("audit", "log", "--limit", "3", "--json").json()
    assert {"seq", "at", "actor", "action", "subject"} <= set(log[0])
    assert log[0]["actor"] == "test-secretary"  # PLVGOV_ACTOR
    assert [e["action"] for e in log] == ["settings.set", "settings.set", "member.cease"]
    assert run("audit", "verify", "--json").json()["ok"] is True


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("member", "admit", "bromley", "--date", "01/04/2023"), 2, "YYYY-MM-DD"),
        (("member", "list", "--at", "2023-02-30"), 2, "YYYY-MM-DD"),
        (("member", "list", "--colour"), 2, "--colour"),
        (("member", "admit", "bromley"), 2, "--date"),
        (("member", "admit", "atlantis", "--date", "2023-04-01"), 1, "no member"),
        (("member", "withdraw", "camden", "--notice-date", "2025-01-01"), 1, "not a member"),
        (
            (
                "member",
                "decide",
                "camden",
                "--stage",
                "maybe",
                "--date",
                "2023-01-01",
                "--body",
                "X",
            ),
            1,
            "unknown stage",
        ),
        (("member", "list", "--status", "gone"), 1, "unknown status"),
    ],
)
def test_errors_are_one_line_with_the_right_exit_code_and_write_nothing(
    ledger, run, args, code, needle
):
    result = run(*args)
    one_error_line(result, code)
    assert needle in result.err
    assert audit_events(run) == 1


def test_admitting_twice_is_refused_and_writes_nothing(ledger, run):
    admit(run, "bromley")
    result = run("member", "admit", "bromley", "--date", "2024-01-01")
    one_error_line(result)
    assert audit_events(run) == 2
    assert run("member", "show", "bromley", "--json").json()["joined_on"] == "2023-04-01"


def test_every_foundation_command_has_help_with_an_example(run):
    for args in (
        ("init",),
        ("backup",),
        ("db", "upgrade"),
        ("settings", "show"),
        ("settings", "set"),
        ("member", "list"),
        ("member", "show"),
        ("member", "add"),
        ("member", "import"),
        ("member", "decide"),
        ("member", "admit"),
        ("member", "withdraw"),
        ("member", "cease"),
        ("member", "representative"),
        ("breaks",),
        ("audit", "log"),
        ("audit", "verify"),
        ("demo",),
    ):
        result = run(*args, "--help")
        assert result.code == 0, args
        assert "Example:" in result.out, args


def test_an_unexpected_failure_is_one_line_without_a_traceback(ledger, run, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("plvgov.membership.members.admit", broken)
    result = run("member", "admit", "bromley", "--date", "2023-04-01")
    one_error_line(result)
    assert "unexpected failure (RuntimeError: disk on fire); nothing was written" in result.err
    assert audit_events(run) == 1


def test_a_failure_after_the_change_was_saved_says_it_was_saved(ledger, run, monkeypatch):
    """The change commits before the command prints; a failure while printing used to end in
    "nothing was written" with the member admitted and its audit event appended."""

    def broken(*_args, **_kwargs):
        raise RuntimeError("terminal gone")

    monkeypatch.setattr("plvgov.cli.members.say", broken)
    result = run("member", "admit", "bromley", "--date", "2023-04-01")
    one_error_line(result)
    assert "unexpected failure (RuntimeError: terminal gone); the change made before it was " \
        "saved (`plvgov audit log` shows it)" in result.err  # fmt: skip
    assert "nothing was written" not in result.err
    assert audit_events(run) == 2  # init, then the admission that stands
    shown = run("member", "show", "bromley", "--json")
    assert shown.json()["joined_on"] == "2023-04-01"
    # the next command starts afresh: a failure before its own change writes nothing
    monkeypatch.setattr("plvgov.membership.members.admit", broken)
    again = run("member", "admit", "camden", "--date", "2023-04-01")
    assert "; nothing was written" in again.err


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (("member", "add", "--name", "Line\nCouncil"),
         r'"Line\x0aCouncil" holds a control character (\x0a)'),
        (("member", "add", "--name", "Red\x1b[31m"), r"(\x1b)"),
        (("resolution", "propose", "--title", "Budget\x1b[2J\x1b[H", "--type", "ordinary",
          "--procedure", "written"), r'"Budget\x1b[2J\x1b[H"'),
        (("director", "appoint", "New\tName", "--date", "2026-11-01"), r"(\x09)"),
        (("member", "add", "--name", "A\u2028B"), r"(\u2028)"),
    ],
)  # fmt: skip
def test_a_command_line_holding_a_control_character_is_refused_before_anything_is_written(
    ledger, run, line, shown
):
    """A name with a line break broke the mail header of every copy sent to the member; an
    escape in a title cleared the screen of whoever listed it; a bell in a reason made an
    e-invoice XML cannot hold. All were stored."""
    before = audit_events(run)
    result = run(*line)
    one_error_line(result, code=2)
    assert shown in result.err
    assert "type it on one line, without line breaks, tabs or escapes" in result.err
    assert "\x1b" not in result.err  # printed as an escape, not acted on
    assert audit_events(run) == before


def test_a_text_file_holding_a_control_character_is_refused_naming_its_line(ledger, run, tmp_path):
    text = tmp_path / "text.md"
    text.write_text("THAT the budget\tbe approved,\r\n\r\nand NUL \x00 here.\n", encoding="utf-8")
    before = audit_events(run)
    result = run("resolution", "propose", "--title", "Budget", "--type", "ordinary",
                 "--procedure", "written", "--text-file", str(text))  # fmt: skip
    one_error_line(result)
    assert f"{text}, line 3: a control character (\\x00); save the text without it" in result.err
    assert audit_events(run) == before
    text.write_text("THAT the budget\tbe approved,\r\n\r\nas tabled.\n", encoding="utf-8")
    result = run("resolution", "propose", "--title", "Budget", "--type", "ordinary",
                 "--procedure", "written", "--text-file", str(text))  # fmt: skip
    assert result.code == 0, result.err  # tabs and Windows line ends are a file's own
