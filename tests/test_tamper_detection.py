"""Tampering that the chain alone cannot show (issue 10, item 3), and one snapshot for a verify
(item 4).

- Numbers are unique across invoices and credit notes, enforced by the database.
- A paper's footer fingerprint (``audit verify --fingerprint SEQ:HASH``) proves the ledger still
  holds the state the paper was made from: tail deletion and a re-hashed history both fail it.
- Signed checkpoints (Ed25519, the key in a file outside the ledger) are taken at each invoice
  run and meeting close: a history rewritten and re-hashed without the key breaks a signature;
  with the key, the journal beside it still names the old hash; a tail cut off, checkpoints and
  all, leaves the journal naming events the ledger no longer holds.
- Values are stored in one canonical form: SQLite refuses a re-spelt date, and ``--deep``
  compares stored values exactly, so one written with the guard dropped is named.
- ``--deep`` runs SQLite's integrity check: a damaged index is named.
- ``verify --deep`` reads one snapshot, whatever another writer commits meanwhile.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from plvgov import audit, checkpoints
from plvgov.membership import members
from plvgov.models.audit import AuditEvent


def _tamper(ledger, sql, **params):
    with ledger.engine.begin() as conn:
        conn.execute(text(sql), params)


def _story(run, year="2026/27", on="2026-04-01"):
    for slug in ("bromley", "camden", "sutton"):
        assert run("member", "admit", slug, "--date", "2023-04-01").code == 0
    assert run("settings", "set", "launch_date", "2025-10-01").code == 0
    result = run("invoice", "run", "--year", year, "--date", on)
    assert result.code == 0, result.err


def _fingerprint(ledger) -> str:
    with ledger.read() as session:
        return audit.fingerprint(session)


def _rehash_from(ledger, first_seq: int) -> None:
    """What an adversary with write access does after editing event ``first_seq``'s payload:
    recompute every hash from it on, so that the chain verifies again."""
    with ledger.engine.begin() as conn:
        rows = conn.execute(
            text("SELECT seq FROM audit_event WHERE seq >= :s ORDER BY seq"), {"s": first_seq}
        ).scalars()
        seqs = list(rows)
    for seq in seqs:
        with ledger.write("adversary") as session:
            event = session.get(AuditEvent, seq)
            before = session.get(AuditEvent, seq - 1)
            event.prev_hash = before.hash if before else audit.GENESIS
            event.hash = audit._digest(event.prev_hash, audit._body(event))
            session.add(event)


def _forge_gross(ledger, number: str, pence: int) -> None:
    """Change an invoice's amount and the run's event that recorded it."""
    _tamper(ledger, "UPDATE invoice SET gross_pence = :p WHERE number = :n", p=pence, n=number)
    with ledger.write("adversary") as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "invoice.issue")).first()
        payload = json.loads(event.payload)
        block = payload["tables"][0]
        at = block["columns"].index("gross_pence")
        for values in block["values"]:
            if values[block["columns"].index("number")] == number:
                values[at] = pence
        event.payload = audit.canonical_json(payload)
        session.add(event)
        seq = event.seq
    _rehash_from(ledger, seq)


@pytest.fixture
def key(run, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "keys" / "audit-key.pem"
    path.parent.mkdir()
    result = run("audit", "keygen", str(path))
    assert result.code == 0, result.err
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    monkeypatch.setenv("PLVGOV_AUDIT_KEY", str(path))
    return path


# -- numbers ------------------------------------------------------------------------------------
def test_an_invoice_number_cannot_be_issued_twice_by_the_database(run, ledger):
    _story(run)
    with pytest.raises(DBAPIError):
        _tamper(ledger, "INSERT INTO document_number (number, kind) VALUES ('PLV-2026-0001', 'x')")
    with ledger.read() as session:
        assert audit.verify_deep(session).ok


def test_a_credit_note_numbered_like_an_invoice_is_refused(run, ledger):
    """Even when the prefixes were made equal behind the settings' own check."""
    _story(run)
    _tamper(
        ledger,
        "INSERT INTO setting_value (key, value, effective_from, authority) "
        "VALUES ('credit_note_prefix', '\"PLV\"', '2026-01-01', 'forged')",
    )
    with ledger.read() as session:
        head = audit.head(session)
    result = run("invoice", "credit", "PLV-2026-0002", "--reason", "test", "--amount", "10")
    assert result.code == 1 and "PLV-2026-0001 is already the number of an invoice" in result.err
    with ledger.read() as session:
        assert audit.head(session) == head


# -- fingerprints from papers ---------------------------------------------------------------------
def test_a_paper_fingerprint_proves_the_state_is_still_there(run, ledger):
    _story(run)
    paper = _fingerprint(ledger)
    assert run("member", "admit", "hackney", "--date", "2024-04-01").code == 0  # life goes on
    result = run("audit", "verify", "--fingerprint", paper, "--json")
    assert result.code == 0
    assert result.json()["fingerprints"] == [
        {
            "fingerprint": paper,
            "ok": True,
            "message": f"the ledger still holds the paper's state {paper}",
        }
    ]


def test_tail_deletion_passes_the_chain_but_not_the_papers_fingerprint(run, ledger):
    """Delete the invoice run's event and its invoices: the chain and the rows agree again, so
    only an outside anchor shows it. Re-running then issues the same numbers."""
    _story(run)
    paper = _fingerprint(ledger)  # the invoices printed with this footer
    seq = int(paper.split(":")[0])
    _tamper(ledger, "DELETE FROM document_number")
    _tamper(ledger, "DELETE FROM invoice")
    _tamper(ledger, "DELETE FROM audit_event WHERE seq = :s", s=seq)
    assert run("audit", "verify", "--deep").code == 0  # the limit of an unanchored chain
    result = run("audit", "verify", "--deep", "--fingerprint", paper)
    assert result.code == 1
    assert f"the paper's state {paper} is gone: the ledger ends at event {seq - 1}" in result.err


def test_a_rehashed_history_fails_the_papers_fingerprint(run, ledger):
    _story(run)
    paper = _fingerprint(ledger)
    _forge_gross(ledger, "PLV-2026-0001", 100)
    assert run("audit", "verify", "--deep").code == 0  # re-hashed: the chain alone is fooled
    result = run("audit", "verify", "--fingerprint", paper)
    assert result.code == 1 and "the history up to it was rewritten" in result.err


def test_a_malformed_fingerprint_is_a_usage_error(run, ledger):
    for bad in ("201", "x:4a40e8d9d78c", "201:zz", "201:4a40", "-1:4a40e8d9d78c"):
        result = run("audit", "verify", "--fingerprint", bad)
        assert result.code == 2 and "copy it from a paper's footer" in result.err, bad


# -- signed checkpoints ---------------------------------------------------------------------------
def test_an_invoice_run_is_signed_and_papers_print_the_key(run, ledger, key, tmp_path):
    _story(run)
    result = run("audit", "verify", "--json")
    assert result.code == 0, result.out
    signed = result.json()["checkpoints"]
    assert signed["checkpoints"] == 1 and signed["unsigned_tail"] == 0 and signed["problems"] == []
    fingerprint = checkpoints.key_fingerprint(
        checkpoints.raw_public(checkpoints.load_public_key(key))
    )
    assert signed["keys"] == [fingerprint]
    assert signed["last_good"]["seq"] == signed["last_good"]["event"] - 1
    out = tmp_path / "register.md"
    assert run("render", "register", "--format", "md", "--out", str(out)).code == 0
    assert f"signed with key {fingerprint}" in out.read_text()
    journal = checkpoints.journal_path(key).read_text().splitlines()
    assert len(journal) == 1 and json.loads(journal[0])["seq"] == signed["last_good"]["seq"]


def test_checkpoint_on_demand_and_the_unsigned_tail(run, ledger, key):
    _story(run)
    assert run("member", "admit", "hackney", "--date", "2024-04-01").code == 0
    assert run("member", "admit", "islington", "--date", "2024-04-01").code == 0
    verify = run("audit", "verify")
    assert verify.code == 0 and "2 events after it are not yet signed" in verify.out
    made = run("audit", "checkpoint", "--json")
    assert made.code == 0
    data = made.json()
    assert set(data) >= {"seq", "head", "signed_at"}
    with ledger.read() as session:
        seq, _ = audit.head(session)
        signed = session.get(AuditEvent, seq - 1).hash
    assert (data["seq"], data["head"]) == (seq - 1, signed)
    assert "nothing after it is unsigned" in run("audit", "verify").out


def test_checkpoint_without_a_key_says_how_to_make_one(run, ledger, monkeypatch):
    monkeypatch.delenv("PLVGOV_AUDIT_KEY", raising=False)
    result = run("audit", "checkpoint")
    assert result.code == 2 and "plvgov audit keygen" in result.err


def test_a_rehash_without_the_key_breaks_the_checkpoint(run, ledger, key, monkeypatch):
    _story(run)
    monkeypatch.delenv("PLVGOV_AUDIT_KEY")  # the adversary has the database, not the key
    _forge_gross(ledger, "PLV-2026-0001", 100)
    result = run("audit", "verify", "--deep")
    assert result.code == 1 and "the history up to it was rewritten" in result.err
    # The auditor with only the public key sees it too.
    result = run("audit", "verify", "--public-key", f"{key}.pub")
    assert result.code == 1 and "rewritten" in result.err


def test_a_rehash_resigned_with_the_wrong_key_is_named(run, ledger, key, tmp_path, monkeypatch):
    _story(run)
    _forge_gross(ledger, "PLV-2026-0001", 100)
    other = tmp_path / "adversary.pem"
    assert run("audit", "keygen", str(other)).code == 0
    monkeypatch.setenv("PLVGOV_AUDIT_KEY", str(other))
    assert run("audit", "checkpoint").code == 0  # the adversary signs the forged head
    result = run("audit", "verify", "--public-key", str(key) + ".pub")
    assert result.code == 1 and "not the company's key" in result.out


def test_a_rehash_resigned_with_the_key_is_caught_by_the_journal(run, ledger, key):
    """Even whoever holds the key cannot make the journal beside it forget the old head."""
    _story(run)
    with ledger.read() as session:
        signed = session.exec(
            select(AuditEvent).where(AuditEvent.action == "audit.checkpoint")
        ).one()
    _tamper(ledger, "DELETE FROM audit_event WHERE seq = :s", s=signed.seq)
    _forge_gross(ledger, "PLV-2026-0001", 100)
    assert run("audit", "checkpoint").code == 0
    result = run("audit", "verify", "--deep")
    assert result.code == 1
    assert "is not the event the journal's checkpoint signed" in result.err + result.out


def test_a_tail_cut_off_with_its_checkpoints_is_caught_by_the_journal(run, ledger, key):
    _story(run)
    with ledger.read() as session:
        last, _ = audit.head(session)
    _tamper(ledger, "DELETE FROM document_number")
    _tamper(ledger, "DELETE FROM invoice")
    _tamper(ledger, "DELETE FROM audit_event WHERE seq >= :s", s=last - 1)  # run + checkpoint
    result = run("audit", "verify", "--deep")
    assert result.code == 1
    assert f"the journal records a checkpoint at event {last}, but the ledger ends" in result.err


def test_a_meeting_close_is_signed(run, ledger, key):
    for slug in ("bromley", "camden"):
        assert run("member", "admit", slug, "--date", "2023-04-01").code == 0
    assert (
        run(
            "meeting",
            "convene",
            "--at",
            "2026-11-10T10:00",
            "--sent",
            "2026-10-20T09:00",
            "--method",
            "email",
        ).code
        == 0
    )
    assert run("meeting", "close", "1").code == 0
    with ledger.read() as session:
        actions = [e.action for e in audit.latest(session, 2)]
    assert actions == ["audit.checkpoint", "meeting.close"]


# -- canonical values ----------------------------------------------------------------------------
def _sqlite_only(ledger_url):
    if not ledger_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's date and integer columns cannot hold another spelling")


def test_a_respelt_date_is_refused_by_the_database(run, ledger, ledger_url):
    _sqlite_only(ledger_url)
    _story(run)
    for sql in (
        "UPDATE invoice SET due_on = '2026-W18-5' WHERE number = 'PLV-2026-0002'",
        "UPDATE invoice SET due_on = '2026-02-30' WHERE number = 'PLV-2026-0002'",
        "UPDATE invoice SET gross_pence = 22504.5 WHERE number = 'PLV-2026-0002'",
        "UPDATE invoice SET gross_pence = '2250404x' WHERE number = 'PLV-2026-0002'",
        "UPDATE invoice SET indexed = 2 WHERE number = 'PLV-2026-0002'",
    ):
        with pytest.raises(DBAPIError, match="canonical form"):
            _tamper(ledger, sql)
    assert run("audit", "verify", "--deep").code == 0


def test_a_respelt_date_written_around_the_guard_is_named(run, ledger, ledger_url):
    """The adversary drops the trigger; the debt would vanish from `arrears`; --deep names it."""
    _sqlite_only(ledger_url)
    _story(run)
    assert "PLV-2026-0002" in run("invoice", "arrears").out
    _tamper(ledger, "DROP TRIGGER canonical_invoice_update")
    _tamper(ledger, "UPDATE invoice SET due_on = '2026-W18-5' WHERE number = 'PLV-2026-0002'")
    result = run("audit", "verify", "--deep", "--json")
    assert result.code == 1
    changed = [d for d in result.json()["differences"] if d["kind"] == "changed"]
    assert [(d["table"], d["columns"]) for d in changed] == [("invoice", ["due_on"])]


def test_every_table_has_its_canonical_guard(ledger, ledger_url):
    _sqlite_only(ledger_url)
    with ledger.engine.connect() as conn:
        tables = set(
            conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
            ).scalars()
        )
        triggers = set(
            conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars()
        )
    missing = sorted(t for t in tables if f"canonical_{t}_insert" not in triggers)
    assert missing == []


def test_a_damaged_index_is_named_by_deep_verify(run, ledger, ledger_url):
    _sqlite_only(ledger_url)
    _story(run)
    path = ledger_url.removeprefix("sqlite:///")
    ledger.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    sql = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'member' "
        "AND sql IS NOT NULL"
    ).fetchone()
    if sql is None:  # no named index on member: make the autoindex of a UNIQUE column lie
        conn.execute("CREATE INDEX tmp_member_name ON member(name)")
        conn.commit()
        conn.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX tmp_member_name ON member(address)' "
            "WHERE name = 'tmp_member_name'"
        )
    conn.commit()
    conn.close()
    assert run("audit", "verify").code == 0  # the chain knows nothing of indexes
    result = run("audit", "verify", "--deep", "--json")
    assert result.code == 1
    kinds = {d["kind"] for d in result.json()["differences"]}
    assert "integrity" in kinds


# -- one snapshot ---------------------------------------------------------------------------------
def test_deep_verify_reads_one_snapshot_while_another_command_writes(ledger, monkeypatch):
    """A writer commits between the verify's reading of the chain and of the rows: the verify
    must not see the new row (PostgreSQL's READ COMMITTED would: 'has no audited state')."""
    original = audit._current_rows
    other = type(ledger)(ledger.url)

    def rows_after_a_commit(session):
        with other.write("plvgov member admit bromley") as s:
            members.admit(s, members.find(s, "bromley"), date(2023, 4, 1), today=date(2026, 11, 23))
        with other.write("plvgov member add") as s:
            members.add(s, "Surrey County Council", "E10000030", "Woodhatch Place")
        yield from original(session)

    monkeypatch.setattr(audit, "_current_rows", rows_after_a_commit)
    with ledger.read() as session:
        result = audit.verify_deep(session)
    other.dispose()
    assert result.ok, [d.message for d in result.differences]
    monkeypatch.setattr(audit, "_current_rows", original)
    with ledger.read() as session:  # and the next verify sees the new state, whole
        assert audit.verify_deep(session).ok
