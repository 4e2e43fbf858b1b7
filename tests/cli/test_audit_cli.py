"""`plvgov audit verify` on an edited or deleted event (plvgov/cli/audit.py)."""

from __future__ import annotations

from sqlalchemy import text

from tests.cli.helpers import admit, one_error_line


def test_audit_verify_catches_an_edited_and_a_deleted_event(ledger, run):
    admit(run, "bromley")
    admit(run, "camden")
    good = run("audit", "verify", "--json").json()
    assert (good["events"], good["ok"], len(good["head"])) == (3, True, 64)
    assert "Audit trail intact: 3 events" in run("audit", "verify").out
    with ledger.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET subject = 'Hackney' WHERE seq = 2"))
    edited = run("audit", "verify")
    one_error_line(edited)
    assert "event 2" in edited.err
    as_json = run("audit", "verify", "--json")
    assert as_json.code == 1 and as_json.json()["ok"] is False
    with ledger.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE seq = 2"))
    deleted = run("audit", "verify")
    one_error_line(deleted)
    assert "event 2" in deleted.err and "missing" in deleted.err
