"""The ``resolution`` commands: the contract's JSON keys, exit codes and one-line errors with
nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import admit_four, refused_cleanly


@pytest.fixture
def four(run, ledger):
    return admit_four(run)


def test_written_resolution_commands(four, ledger, tmp_path: Path) -> None:
    run = four
    text = tmp_path / "pricing.md"
    text.write_text("THAT the pricing strategy attached be approved.\n")
    proposed = run(
        "resolution",
        "propose",
        "--title",
        "Approve the pricing strategy",
        "--type",
        "ordinary",
        "--procedure",
        "written",
        "--text-file",
        str(text),
        "--json",
    )
    assert proposed.code == 0 and proposed.json() == {"id": 1}
    circulated = run("resolution", "circulate", "1", "--date", "2026-03-02", "--json").json()
    assert circulated == {"eligible": 4, "required": 3, "lapses_on": "2026-03-29"}
    for slug, day in (("camden", "03"), ("hackney", "04"), ("barnet", "05")):
        assert (
            run(
                "resolution",
                "vote",
                "1",
                slug,
                "--vote",
                "for",
                "--date",
                f"2026-03-{day}",
                "--representative",
                "Rep",
            ).code
            == 0
        )
    shown = run("resolution", "show", "1", "--at", "2026-03-05", "--json").json()
    assert {
        "id",
        "type",
        "procedure",
        "status",
        "eligible",
        "required",
        "votes_for",
        "votes_against",
        "abstentions",
        "passed_on",
    } <= set(shown)
    assert (shown["status"], shown["passed_on"], shown["votes_for"]) == ("passed", "2026-03-05", 3)
    assert (
        run("resolution", "show", "1", "--at", "2026-03-04", "--json").json()["status"]
        == "circulated"
    )
    listed = run("resolution", "list", "--json").json()
    assert [r["id"] for r in listed] == [1]
    assert "Approve the pricing strategy" in run("resolution", "list").out
    refused_cleanly(
        run,
        ledger,
        "resolution",
        "vote",
        "1",
        "bromley",
        "--vote",
        "for",
        "--date",
        "2026-03-30",
        says="already passed",
    )


def test_resolution_refusals(four, ledger) -> None:
    run = four
    refused_cleanly(
        run,
        ledger,
        "resolution",
        "propose",
        "--title",
        "Remove Ann Smith as a director",
        "--type",
        "ordinary",
        "--procedure",
        "written",
        says="s.288(2)",
    )
    refused_cleanly(
        run,
        ledger,
        "resolution",
        "propose",
        "--title",
        "X",
        "--type",
        "extraordinary",
        "--procedure",
        "written",
        says="unknown type",
    )
    run(
        "resolution",
        "propose",
        "--title",
        "Pricing",
        "--type",
        "ordinary",
        "--procedure",
        "written",
    )
    run("resolution", "circulate", "1", "--date", "2026-03-02")
    refused_cleanly(
        run,
        ledger,
        "resolution",
        "vote",
        "1",
        "camden",
        "--vote",
        "for",
        "--date",
        "2026-03-30",
        says="does not count",
    )
    refused_cleanly(
        run,
        ledger,
        "resolution",
        "vote",
        "1",
        "lambeth",
        "--vote",
        "for",
        "--date",
        "2026-03-10",
        says="not entitled",
    )
    refused_cleanly(run, ledger, "resolution", "show", "9", says="no resolution 9")
    refused_cleanly(
        run,
        ledger,
        "resolution",
        "circulate",
        "1",
        "--date",
        "2026-04-01",
        says="circulated on 2026-03-02",
    )
    refused_cleanly(
        run, ledger, "resolution", "file", "1", "--date", "2026-03-10", says="only a passed"
    )
    refused_cleanly(run, ledger, "resolution", "circulate", "1", "--date", "soon", code=2)
    assert (
        run("resolution", "show", "1", "--at", "2026-03-30", "--json").json()["status"] == "lapsed"
    )


# -- the tally after a reply is the tally as it stands (issue 12.6) --------------------------
def test_the_message_after_a_reply_counts_every_reply_whatever_order_they_are_typed_in(
    four, monkeypatch, tmp_path: Path
) -> None:
    run = four
    text = tmp_path / "budget.md"
    text.write_text("THAT the budget be approved.\n")
    proposed = run(
        "resolution", "propose", "--title", "Approve the budget", "--type", "ordinary",
        "--procedure", "written", "--text-file", str(text),
    )  # fmt: skip
    assert proposed.code == 0
    assert run("resolution", "circulate", "1", "--date", "2026-03-02").code == 0
    monkeypatch.setenv("PLVGOV_TODAY", "2026-03-10")

    def reply(slug: str, vote: str, day: str) -> dict:
        args = ("resolution", "vote", "1", slug, "--vote", vote, "--date", day)
        shown = run(*args, "--json")
        assert shown.code == 0, shown.err
        return shown.json()

    # typed out of date order: the later-dated agreement first
    assert reply("camden", "for", "2026-03-06")["votes_for"] == 1
    after = reply("hackney", "for", "2026-03-05")  # earlier-dated, typed later
    assert (after["votes_for"], after["required"], after["status"]) == (2, 3, "circulated")
    after = reply("barnet", "against", "2026-03-03")  # an objection dated before both
    assert (after["votes_for"], after["votes_against"], after["status"]) == (2, 1, "circulated")
    text = run("resolution", "vote", "1", "bromley", "--vote", "for", "--date", "2026-03-04")
    assert text.code == 0 and "3 agreements" in text.out and "passed" in text.out


def test_a_title_and_text_print_as_written_whatever_brackets_and_colons_they_hold(
    four, ledger, tmp_path: Path
) -> None:
    """rich took "[/]" for markup (the command failed after the resolution was stored, saying
    nothing was written), dropped "[new]" and turned ":smile:" into a face."""
    run = four
    title = "Adopt [/] articles [new] :smile:"
    text = tmp_path / "text.md"
    text.write_text("THAT [bold]article 9[/bold] be replaced :x:\n")
    line = ("--type", "ordinary", "--procedure", "written", "--text-file", str(text))
    proposed = run("resolution", "propose", "--title", title, *line)
    assert proposed.code == 0, proposed.err
    assert title in proposed.out
    shown = run("resolution", "show", "1")
    assert shown.code == 0, shown.err
    assert f"Resolution 1: {title}" in shown.out
    assert "THAT [bold]article 9[/bold] be replaced :x:" in shown.out
    listed = run("resolution", "list")
    assert listed.code == 0 and title in listed.out
