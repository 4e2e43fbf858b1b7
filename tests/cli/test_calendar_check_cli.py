"""`plvgov calendar` and `plvgov check` on the command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from plvgov.db import Ledger
from tests.conftest import Result, proc_env

Run = Callable[..., Result]


def _story(run: Run) -> None:
    for args in (
        ("settings", "set", "incorporation_date", "2026-02-10"),
        (
            "member",
            "decide",
            "bromley",
            "--stage",
            "in-principle",
            "--date",
            "2026-01-10",
            "--body",
            "Cabinet",
        ),
        # admitted after the company's incorporation (2026-02-10): never before it existed
        ("member", "admit", "bromley", "--date", "2026-04-01"),
        ("member", "admit", "hackney", "--date", "2026-04-01"),
        ("member", "withdraw", "hackney", "--notice-date", "2026-11-01"),
    ):
        assert run(*args).code == 0


def test_calendar_json_defaults_to_twelve_months_from_today(ledger: Ledger, run: Run) -> None:
    _story(run)
    result = run("calendar", "--json")
    assert result.code == 0, result.err
    rows = result.json()
    assert all({"on", "kind", "subject", "detail", "source"} <= set(r) for r in rows)
    # today is 2026-11-23: to 2027-11-23
    assert [(r["on"], r["kind"]) for r in rows] == [
        ("2027-02-23", "confirmation_statement"),
        ("2027-09-30", "notice_deadline"),
        ("2027-11-10", "accounts"),  # first period to 2027-03-31 is over 12 months: s.442(3)
    ]


def test_calendar_range_and_table(ledger: Ledger, run: Run) -> None:
    _story(run)
    rows = run("calendar", "--from", "2028-03-01", "--to", "2028-03-31", "--json").json()
    assert [(r["on"], r["kind"], r["subject"]) for r in rows] == [
        ("2028-03-31", "exit_point", "All members"),
        ("2028-03-31", "withdrawal_effective", "Hackney"),
    ]
    table = run("calendar", "--from", "2028-03-01", "--to", "2028-03-31")
    assert table.code == 0 and "withdrawal effective" in table.out and "2 deadlines" in table.out


def test_calendar_ics_parses_back_and_refuses_to_overwrite(
    ledger: Ledger, run: Run, tmp_path: Path
) -> None:
    _story(run)
    target = tmp_path / "plv.ics"
    first = run("calendar", "--to", "2028-12-31", "--ics", str(target), "--json")
    assert first.code == 0, first.err
    events = list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert len(events) == len(first.json())
    assert [e.decoded("dtstart").isoformat() for e in events] == [r["on"] for r in first.json()]
    uids = [str(e["uid"]) for e in events]

    again = run("calendar", "--to", "2028-12-31", "--ics", str(target))
    assert again.code == 1 and "--force" in again.err and "Traceback" not in again.err
    assert run("calendar", "--to", "2028-12-31", "--ics", str(target), "--force").code == 0
    assert [str(e["uid"]) for e in Calendar.from_ical(target.read_bytes()).walk("VEVENT")] == uids


def test_calendar_refuses_a_backwards_range(ledger: Ledger, run: Run) -> None:
    result = run("calendar", "--from", "2027-01-01", "--to", "2026-01-01")
    assert result.code == 2 and result.err.startswith("Error:")


def test_check_json_keys_and_exit_zero(ledger: Ledger, run: Run) -> None:
    _story(run)
    result = run("check", "--at", "2027-02-10", "--json")
    assert result.code == 0, result.err
    findings = result.json()
    assert all({"severity", "subject", "message"} <= set(f) for f in findings)
    severities = [f["severity"] for f in findings]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    subjects = {f["subject"] for f in findings}
    assert "Bromley" in subjects  # no representative, no final determination
    assert "Confirmation statement, review period to 2027-02-09" in subjects  # due in 13 days


def test_check_table(ledger: Ledger, run: Run) -> None:
    _story(run)
    result = run("check")
    assert result.code == 0 and "no corporate representative" in result.out


# -- one notice deadline per exit point (issue 12.2) -----------------------------------------
def _deadline_for(run: Run, exit_on: str, *window: str) -> list[str]:
    shown = run("calendar", *window, "--json").json()
    return [d["on"] for d in shown if d["kind"] == "notice_deadline" and exit_on in d["detail"]]


def test_breaks_calendar_and_withdraw_agree_after_the_notice_period_changes(
    ledger: Ledger, run: Run, monkeypatch
) -> None:
    # today 2026-11-23: six months' notice; three months from 2027-01-01
    assert run("member", "admit", "lambeth", "--date", "2023-04-01").code == 0
    assert run("settings", "set", "withdrawal_notice_months", "3", "--from", "2027-01-01").code == 0
    breaks = run("breaks", "--until", "2028-03-31", "--json").json()["exit_points"]
    assert {p["on"]: p["notice_deadline"] for p in breaks}["2028-03-31"] == "2027-12-31"
    assert "Exit points (notice 3 or 6 months before)" in run("breaks", "--until", "2028-03-31").out
    # the same exit point has the same deadline whichever window the calendar shows
    assert _deadline_for(run, "2028-03-31", "--from", "2026-11-23", "--to", "2028-01-31") == [
        "2027-12-31"
    ]
    assert _deadline_for(run, "2028-03-31", "--from", "2027-06-01", "--to", "2027-12-31") == [
        "2027-12-31"
    ]
    # and the ledger applies it: a notice received on that day meets it
    monkeypatch.setenv("PLVGOV_TODAY", "2027-12-31")
    result = run("member", "withdraw", "lambeth", "--notice-date", "2027-12-31", "--json").json()
    assert (result["effective_on"], result["deadline_met"], result["notice_deadline"]) == (
        "2028-03-31",
        True,
        "2027-12-31",
    )


def test_calendar_ics_cancels_a_paid_invoice_and_times_a_meeting(
    billed: Run, tmp_path: Path
) -> None:
    """Outlook (issue 13, item 8): a paid invoice's due date comes back cancelled with a higher
    SEQUENCE under the same UID; a general meeting is a timed, busy event with its place."""
    assert billed("invoice", "run", "--year", "2026", "--date", "2026-04-01").code == 0
    meeting = billed(
        "meeting",
        "convene",
        "--at",
        "2027-01-06T10:00",
        "--sent",
        "2026-12-18T14:00",
        "--place",
        "Barnet House",
    )
    assert meeting.code == 0, meeting.err
    target = tmp_path / "plv.ics"
    window = ("calendar", "--from", "2026-04-01", "--to", "2027-03-31", "--ics", str(target))

    def events() -> dict[str, Any]:
        return {
            str(e["summary"]): e for e in Calendar.from_ical(target.read_bytes()).walk("VEVENT")
        }

    assert billed(*window).code == 0
    before = events()
    due = next(e for s, e in before.items() if s.startswith("Invoice due") and "Bromley" in s)
    assert str(due["status"]) == "CONFIRMED"
    held = next(e for s, e in before.items() if s.startswith("General meeting"))
    assert str(held["location"]) == "Barnet House" and str(held["transp"]) == "OPAQUE"
    assert held.decoded("dtstart").hour == 10
    assert "Rule:" not in target.read_text() and "settings:" not in target.read_text()

    paid = billed("invoice", "pay", "PLV-2026-0002", "--amount", "22504.04", "--date", "2026-04-20")
    assert paid.code == 0, paid.err
    listed = billed("calendar", "--from", "2026-04-01", "--to", "2027-03-31", "--json").json()
    assert not [r for r in listed if r["kind"] == "invoice_due" and r["subject"] == "Bromley"]
    written = billed(*window, "--force")
    assert written.code == 0 and "1 cancelled" in written.out
    after = events()
    gone = next(e for s, e in after.items() if s.startswith("Invoice due") and "Bromley" in s)
    assert str(gone["uid"]) == str(due["uid"])
    assert str(gone["status"]) == "CANCELLED"
    assert int(gone["sequence"]) > int(due["sequence"])
    assert billed(*window, "--force").code == 0
    assert events().keys() == after.keys()  # the same ledger, the same file


# -- what the commands build ----------------------------------------------------------------------
# Every SQLModel table class costs start-up time (a few ms each), so `calendar` and `check` import
# only the table modules they read. A command that begins to build another table fails here:
# import that table where it is used (or, if the command now reads it, add it below). On a new
# ledger, as here: a meeting whose notice has gone makes `check` read (and build) its proceedings
# and the send log, imported in the functions that read them.
_READ_BY_BOTH = {
    "articles_version",
    "credit_note",
    "general_meeting",
    "hard_copy_request",
    "invoice",
    "invoice_reminder",
    "member",
    "payment",
    "request",
    "resolution",
    "resolution_vote",
    "setting_value",
    "subscription_scheme",
    "withdrawal_notice",
}
_BUILT = {
    # models.billing (cpi_value), models.members (member_detail) and models.council_acts come
    # with the tables calendar reads beside them
    "calendar": _READ_BY_BOTH | {"cpi_value", "member_decision", "member_detail", "representative"},
    "check": _READ_BY_BOTH
    | {"cpi_value", "director", "member_decision", "member_detail", "representative"},
}
_NEVER = {  # the board, a meeting's proceedings, a written resolution's circulation, the send log
    "audit_event",  # plvgov.audit imports it where it reads or writes the chain, not at import
    "board_attendance",
    "board_meeting",
    "board_resolution",
    "board_vote",
    "dispatch",
    "email_agreement",
    "meeting_attendance",
    "meeting_business",
    "meeting_consent",
    "meeting_officer",
    "resolution_eligible",
}

_TABLES_AFTER = """
import json, sys
from sqlmodel import SQLModel
from plvgov.cli import app
out, sys.argv = sys.argv[1], ["plvgov", *sys.argv[2:]]
code = 0
try:
    app()
except SystemExit as stop:
    code = stop.code
with open(out, "w") as f:
    json.dump({"code": code, "tables": sorted(SQLModel.metadata.tables)}, f)
"""


def _run_and_report(
    script: str, line: list[str], sqlite_template: Path, tmp_path: Path
) -> dict[str, Any]:
    """Run ``script`` in its own process on a copy of a new ledger, with the command line
    ``line``; what it wrote to the file named first (after the command exited 0)."""
    db, out = tmp_path / "ledger.db", tmp_path / "report.json"
    shutil.copy(sqlite_template, db)
    done = subprocess.run(
        [sys.executable, "-c", script, str(out), *line],
        env=proc_env(str(db)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    after: dict[str, Any] = json.loads(out.read_text())
    assert after["code"] in (0, None), done.stderr
    return after


@pytest.mark.parametrize("command", sorted(_BUILT))
def test_calendar_and_check_build_no_table_but_those_listed(
    command: str, sqlite_template: Path, tmp_path: Path
) -> None:
    after = _run_and_report(_TABLES_AFTER, [command], sqlite_template, tmp_path)
    built = set(after["tables"])
    assert not built & _NEVER
    assert built == _BUILT[command]


# -- the cyclic collector at start-up -------------------------------------------------------------
# Start-up creates a few hundred thousand objects that live as long as the process; the collector
# is held off until the command opens the ledger, then what start-up built is frozen out of its
# scans and it runs again, rarely (one scan of them cost `check` 30 ms of its 0.6 s).
_COLLECTIONS = """
import gc, json, sys
from plvgov import collector
from plvgov.cli import app
out, sys.argv = sys.argv[1], ["plvgov", *sys.argv[2:]]
starting = []  # the generations collected after the line was read, before the ledger opened
gc.callbacks.append(
    lambda phase, info: phase == "start" and not collector._settled
    and starting.append(info["generation"])
)
code = 0
try:
    app()
except SystemExit as stop:
    code = stop.code
with open(out, "w") as f:
    json.dump({"code": code, "starting": starting, "enabled": gc.isenabled(),
               "every": gc.get_threshold()[0], "frozen": gc.get_freeze_count()}, f)
"""


# When the command is done, what it made is frozen too: the collection the interpreter runs as it
# exits would scan all of it only to find what the process's exit frees anyway.
_AT_EXIT = """
import atexit, gc, json, sys
from plvgov.cli import app
out, sys.argv = sys.argv[1], ["plvgov", *sys.argv[2:]]
def report():  # atexit runs before the interpreter's last collection
    with open(out, "w") as f:
        json.dump({"scanned": len(gc.get_objects()), "frozen": gc.get_freeze_count()}, f)
atexit.register(report)
app()
"""


@pytest.mark.parametrize("line", [["check"], ["calendar", "--json"], ["--help"]])
def test_the_console_script_leaves_nothing_for_the_last_collection(
    line: list[str], sqlite_template: Path, tmp_path: Path
) -> None:
    db, out = tmp_path / "ledger.db", tmp_path / "report.json"
    shutil.copy(sqlite_template, db)
    done = subprocess.run(
        [sys.executable, "-c", _AT_EXIT, str(out), *line],
        env=proc_env(str(db)), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout  # what the command printed was written before it left
    report = json.loads(out.read_text())
    assert report["frozen"] > 10_000
    assert report["scanned"] < 100  # against thousands made after start-up without it


@pytest.mark.parametrize("line", [["check"], ["calendar", "--json"], ["--help"]])
def test_the_collector_waits_for_start_up_and_is_given_back(
    line: list[str], sqlite_template: Path, tmp_path: Path
) -> None:
    after = _run_and_report(_COLLECTIONS, line, sqlite_template, tmp_path)
    assert after["starting"] == []  # no scan while start-up builds what lives as long as it
    assert after["enabled"] and after["every"] == 100_000  # given back, scanning rarely
    if line != ["--help"]:  # the ledger was opened: start-up's objects are out of the scans
        assert after["frozen"] > 100_000
