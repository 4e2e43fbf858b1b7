"""The audit trail: one event per change, a hash chain that shows any edit or deletion."""

from datetime import date

import pytest
from sqlalchemy import text

from plvgov import audit
from plvgov.errors import RuleError
from tests.stories import admit


def _admit(ledger, slug):
    admit(ledger, slug, command=f"plvgov member admit {slug}")


def test_each_change_appends_one_linked_event(ledger, monkeypatch):
    monkeypatch.setenv("PLVGOV_ACTOR", "clerk")
    _admit(ledger, "bromley")
    _admit(ledger, "camden")
    with ledger.read() as s:
        result = audit.verify(s)
        events = audit.latest(s, 5)
    assert (result.ok, result.events) == (True, 3)
    assert result.head == events[0].hash
    assert [e.seq for e in events] == [3, 2, 1]
    assert events[0].prev_hash == events[1].hash
    assert (events[0].actor, events[0].action, events[0].subject, events[0].command) == (
        "clerk",
        "member.admit",
        "Camden",
        "plvgov member admit camden",
    )
    assert '"admitted_on":"2023-04-01"' in events[0].payload


def test_a_refused_change_writes_no_event(ledger):
    _admit(ledger, "bromley")
    with pytest.raises(RuleError):
        _admit(ledger, "bromley")
    with ledger.read() as s:
        assert audit.head(s)[0] == 2


def _tamper(ledger, sql):
    with ledger.engine.begin() as conn:
        conn.execute(text(sql))


def test_an_edited_event_is_caught_and_named(ledger):
    _admit(ledger, "bromley")
    _admit(ledger, "camden")
    _tamper(ledger, "UPDATE audit_event SET subject = 'Hackney' WHERE seq = 2")
    with ledger.read() as s:
        result = audit.verify(s)
    assert (result.ok, result.first_bad_seq) == (False, 2)
    assert "event 2" in result.problem and "altered" in result.problem


def test_a_deleted_event_is_caught(ledger):
    _admit(ledger, "bromley")
    _admit(ledger, "camden")
    _tamper(ledger, "DELETE FROM audit_event WHERE seq = 2")
    with ledger.read() as s:
        result = audit.verify(s)
    assert (result.ok, result.first_bad_seq) == (False, 2)
    assert "missing" in result.problem


def test_an_edited_first_event_is_caught(ledger):
    _admit(ledger, "bromley")
    _tamper(ledger, "UPDATE audit_event SET actor = 'mallory' WHERE seq = 1")
    with ledger.read() as s:
        assert audit.verify(s).first_bad_seq == 1


def test_fingerprint_names_the_head(ledger):
    with ledger.read() as s:
        seq, digest = audit.head(s)
        assert audit.fingerprint(s) == f"{seq}:{digest[:12]}"


def test_canonical_json_is_byte_exact():
    assert audit.canonical_json({"b": 1, "a": date(2026, 3, 31)}) == '{"a":"2026-03-31","b":1}'
