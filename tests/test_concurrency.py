"""Concurrency: several real `plvgov` processes writing at once — imports, admissions, votes and
(once billing has it) invoice runs, some of them the same command twice — on SQLite and on
PostgreSQL. Writers are serialised (SQLite BEGIN IMMEDIATE, PostgreSQL advisory lock), so every
effect happens exactly once and the audit chain stays one unbroken line."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from plvgov import audit, settings
from plvgov.membership import members
from tests.conftest import PLVGOV_BIN, TODAY, Result, plvgov_proc, proc_env

pytestmark = pytest.mark.slow

ADMITTED = ["bromley", "camden", "hackney", "lambeth", "sutton", "merton", "barnet", "enfield"]
VOTERS = ADMITTED[:3]  # fewer than the majority of 8, so the resolution stays open


def _start(url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PLVGOV_BIN, *args],
        env=proc_env(url, PLVGOV_BUSY_TIMEOUT="60"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(procs: list[subprocess.Popen[str]]) -> list[Result]:
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        results.append(Result(proc.returncode, out, err))
    return results


def _count(ledger, sql: str) -> int:
    with ledger.engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def test_concurrent_writers_each_take_effect_exactly_once(ledger, ledger_url, tmp_path: Path):
    for slug in ADMITTED:
        with ledger.write(f"plvgov member admit {slug}") as s:
            members.admit(s, members.find(s, slug), date(2023, 4, 1))
    with ledger.write("plvgov settings set launch_date") as s:
        settings.set_value(
            s, "launch_date", "2024-04-01", effective_from=None, authority=None, today=TODAY
        )
    has_votes = plvgov_proc(ledger_url, "resolution", "vote", "--help").code == 0
    has_invoices = plvgov_proc(ledger_url, "invoice", "run", "--help").code == 0
    rid = None
    if has_votes:
        proposed = plvgov_proc(
            ledger_url,
            "resolution",
            "propose",
            "--title",
            "Approve",
            "--type",
            "ordinary",
            "--procedure",
            "written",
            "--json",
        )
        assert proposed.code == 0, proposed.err
        rid = str(proposed.json()["id"])
        assert (
            plvgov_proc(ledger_url, "resolution", "circulate", rid, "--date", "2026-11-20").code
            == 0
        )
    csv = tmp_path / "import.csv"
    csv.write_text(
        "name,code,address,admitted_on\n"
        + "".join(f"Parish Council {n},,{n} High Street,2024-04-01\n" for n in range(60))
    )
    with ledger.read() as s:
        events_before = audit.head(s)[0]
    members_before = _count(ledger, "SELECT count(*) FROM member")

    commands: list[tuple[str, ...]] = [
        ("member", "import", str(csv)),
        ("member", "import", str(csv)),  # the same file twice
        ("member", "admit", "ealing", "--date", "2024-04-01"),
        ("member", "admit", "ealing", "--date", "2024-04-01"),  # the same admission twice
        ("member", "admit", "brent", "--date", "2024-04-01"),
        ("settings", "set", "invoice_due_days", "45", "--from", "2027-04-01"),
    ]
    if rid is not None:
        for slug in VOTERS:
            commands.append(
                ("resolution", "vote", rid, slug, "--vote", "for", "--date", "2026-11-21")
            )
        commands.append(
            ("resolution", "vote", rid, "bromley", "--vote", "for", "--date", "2026-11-21")
        )  # a duplicate reply
    if has_invoices:
        commands += [("invoice", "run", "--year", "2026", "--date", "2026-04-01")] * 2
    results = _finish([_start(ledger_url, *c) for c in commands])

    for command, result in zip(commands, results, strict=True):
        assert result.code in (0, 1), (command, result.err)
        assert "Traceback" not in result.err and "unexpected failure" not in result.err
        assert "busy" not in result.err  # they waited their turn
    # the import: all 60 bodies once (the second run finds nothing to change)
    assert _count(ledger, "SELECT count(*) FROM member") == members_before + 60
    assert (
        _count(
            ledger, "SELECT count(*) FROM member WHERE slug = 'ealing' AND admitted_on IS NOT NULL"
        )
        == 1
    )
    # exactly one of the two identical admissions was refused
    assert sorted(r.code for r in results[2:4]) == [0, 1]
    assert "since 2024-04-01" in (results[2].err + results[3].err)
    expected_events = 1 + 1 + 1 + 1  # import, ealing, brent, setting
    if rid is not None:
        assert _count(ledger, "SELECT count(*) FROM resolution_vote") == len(VOTERS)
        assert (
            _count(
                ledger,
                "SELECT count(*) FROM (SELECT member_id FROM resolution_vote "
                "GROUP BY member_id HAVING count(*) > 1) d",
            )
            == 0
        )
        expected_events += len(VOTERS)
    if has_invoices:
        assert (
            _count(
                ledger,
                "SELECT count(*) FROM (SELECT member_id FROM invoice WHERE "
                "financial_year = 2026 GROUP BY member_id HAVING count(*) > 1) d",
            )
            == 0
        )
        with ledger.engine.connect() as conn:
            seqs = [
                r[0]
                for r in conn.execute(
                    text(
                        "SELECT sequence FROM invoice WHERE financial_year = 2026 ORDER BY sequence"
                    )
                )
            ]
        assert seqs == list(range(1, len(seqs) + 1))  # numbers contiguous, none twice
        assert len(seqs) >= len(ADMITTED)
        # each run that found invoices to issue wrote one event for them (a run after another
        # issues only those admitted in between); together they account for every invoice once
        with ledger.engine.connect() as conn:
            payloads = conn.execute(
                text("SELECT payload FROM audit_event WHERE action = 'invoice.issue'")
            ).scalars()
            counts = [json.loads(p)["details"]["count"] for p in payloads]
        assert 1 <= len(counts) <= 2 and sum(counts) == len(seqs)
        expected_events += len(counts)
    with ledger.read() as s:
        chain = audit.verify(s)
        events_after = audit.head(s)[0]
    assert chain.ok, chain.problem
    assert events_after - events_before == expected_events
