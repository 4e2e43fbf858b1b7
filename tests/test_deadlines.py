"""The deadline registry and the terms' feeder: exit points, notice deadlines, withdrawals."""

from __future__ import annotations

from datetime import date

import pytest

from plvgov import settings
from plvgov.dates import Deadline
from plvgov.db import Ledger
from plvgov.membership import exits as terms
from plvgov.membership import members
from plvgov.oversight import deadlines
from tests.conftest import TODAY


def _admit_and_withdraw(ledger: Ledger) -> None:
    with ledger.write("test") as session:
        members.admit(session, members.find(session, "bromley"), date(2023, 4, 1))
    with ledger.write("test") as session:
        # received 2025-09-30: meets the deadline for the 2026-03-31 break point
        terms.withdraw(session, members.find(session, "bromley"), date(2025, 9, 30))


def test_terms_deadlines_list_exit_points_and_notice_deadlines(ledger: Ledger) -> None:
    with ledger.read() as session:
        found = terms.deadlines(session, date(2025, 1, 1), date(2028, 12, 31))
    # break 2026-03-31 (deadline 2025-09-30); cycle end 2028-03-31 (deadline 2027-09-30,
    # six months before, month-end aware)
    assert [(d.on, d.kind, d.subject) for d in found] == [
        (date(2025, 9, 30), "notice_deadline", "All members"),
        (date(2026, 3, 31), "exit_point", "All members"),
        (date(2027, 9, 30), "notice_deadline", "All members"),
        (date(2028, 3, 31), "exit_point", "All members"),
        # the next exit point is the 2033-03-31 break (deadline 2032-09-30), outside
    ]


def test_notice_deadline_in_range_even_when_its_exit_point_is_not(ledger: Ledger) -> None:
    with ledger.read() as session:
        found = terms.deadlines(session, date(2032, 9, 1), date(2032, 9, 30))
    assert [(d.on, d.kind) for d in found] == [(date(2032, 9, 30), "notice_deadline")]
    assert "2033-03-31" in found[0].detail


def test_notice_deadline_follows_the_notice_setting(ledger: Ledger) -> None:
    with ledger.write("test") as session:
        settings.set_value(
            session,
            "withdrawal_notice_months",
            "12",
            effective_from=date(2026, 1, 1),
            authority="test",
            today=TODAY,
        )
    with ledger.read() as session:
        found = terms.deadlines(session, date(2026, 11, 23), date(2027, 12, 31))
    # 12 months before the 2028-03-31 cycle end
    assert [(d.on, d.kind) for d in found] == [(date(2027, 3, 31), "notice_deadline")]


def test_lodged_notice_gives_a_withdrawal_effective_date(ledger: Ledger) -> None:
    _admit_and_withdraw(ledger)
    with ledger.read() as session:
        found = terms.deadlines(session, date(2026, 1, 1), date(2026, 12, 31))
    assert (date(2026, 3, 31), "withdrawal_effective", "Bromley") in [
        (d.on, d.kind, d.subject) for d in found
    ]


@pytest.fixture
def extra_feeder(monkeypatch: pytest.MonkeyPatch) -> None:
    """One more feeder, which also returns a date outside the range asked for."""

    def feed(session: object, start: date, end: date) -> list[Deadline]:
        return [
            Deadline(date(2027, 1, 6), "meeting", "General meeting"),
            Deadline(date(2040, 1, 1), "meeting", "Too late"),
        ]

    monkeypatch.setattr(deadlines, "FEEDERS", (*deadlines.FEEDERS, feed))


@pytest.mark.usefixtures("extra_feeder")
def test_collect_gathers_every_feeder_in_range_and_in_date_order(ledger: Ledger) -> None:
    _admit_and_withdraw(ledger)
    with ledger.write("test") as session:
        settings.set_value(
            session,
            "incorporation_date",
            "2026-02-10",
            effective_from=None,
            authority="test",
            today=TODAY,
        )
    with ledger.read() as session:
        found = deadlines.collect(session, date(2026, 11, 23), date(2027, 11, 30))
    kinds = [(d.on, d.kind) for d in found]
    assert (date(2027, 1, 6), "meeting") in kinds  # the extra feeder
    assert (date(2027, 2, 23), "confirmation_statement") in kinds  # company
    assert (date(2027, 9, 30), "notice_deadline") in kinds  # terms
    assert all(date(2026, 11, 23) <= d.on <= date(2027, 11, 30) for d in found)
    assert "Too late" not in [d.subject for d in found]
    assert [d.on for d in found] == sorted(d.on for d in found)


def test_deadline_json_keys() -> None:
    d = Deadline(date(2027, 9, 30), "notice_deadline", "All members", "detail", "source")
    assert set(d.as_json()) >= {"on", "kind", "subject"}
