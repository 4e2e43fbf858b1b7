"""The demonstration ledger (foundation part): who is a member, who left, who declined."""

from datetime import date

import pytest

from plvgov import audit, settings, settings_catalogue
from plvgov.company.founding import initialise
from plvgov.db import Ledger, to_url
from plvgov.demo import build
from plvgov.demo.membership import DECLINED, FOUNDERS, IN_PRINCIPLE_ONLY
from plvgov.errors import LedgerError
from plvgov.membership import members
from plvgov.membership import views as member_views
from plvgov.membership.particulars import details_by_member, particulars_from
from tests.conftest import TODAY


@pytest.fixture(scope="module", autouse=True)
def membership_chapter_only():
    """The foundation's chapter alone: the other chapters (billing, decisions, the board pack)
    have their own tests, and rendering PDFs would make these slow."""
    from plvgov.demo import membership

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("plvgov.demo._chapters", lambda: [membership.build])
        yield


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    story = build(folder, TODAY)
    return folder, story


def _statuses(folder, on):
    ledger = Ledger.open(folder / "ledger.db")
    try:
        with ledger.read() as s:
            return {v.slug: v.status for v in member_views.list_members(s, on)}
    finally:
        ledger.dispose()


def test_demo_builds_the_membership_story(demo_dir):
    folder, story = demo_dir
    statuses = _statuses(folder, TODAY)
    counts = {status: list(statuses.values()).count(status) for status in set(statuses.values())}
    # 20 admitted: Sutton left at the 2026 break, Havering's late notice runs to 2028
    assert counts == {
        "member": 18,
        "ceased": 1,
        "notice_given": 1,
        "in_principle": 2,
        "declined": 1,
        "prospect": 10,
    }
    assert (statuses["sutton"], statuses["havering"], statuses["bexley"]) == (
        "ceased",
        "notice_given",
        "declined",
    )
    assert len(FOUNDERS) == 20 and len(IN_PRINCIPLE_ONLY) == 2 and len(DECLINED) == 1
    # on 1 April 2023, 17 founders joined (the summary counts them, not a hard-coded number)
    on_day_one = _statuses(folder, date(2023, 4, 1))
    assert list(on_day_one.values()).count("member") == 17
    assert story.summary[0].startswith("20 councils admitted (17 from 1 April 2023)")
    assert _statuses(folder, date(2028, 4, 1))["havering"] == "ceased"


def test_demo_ledger_is_marked_and_its_audit_chain_verifies(demo_dir):
    folder, _ = demo_dir
    ledger = Ledger.open(folder / "ledger.db")
    try:
        with ledger.read() as s:
            assert settings.fact(s, "ledger_kind") == "demonstration"
            assert audit.verify(s).ok
    finally:
        ledger.dispose()


def test_rerunning_the_demo_rebuilds_it(tmp_path):
    build(tmp_path, TODAY)
    ledger = Ledger.open(tmp_path / "ledger.db")
    with ledger.write("t") as s:
        members.decide(s, members.find(s, "brent"), "declined", date(2024, 1, 1), "Cabinet")
    ledger.dispose()
    assert _statuses(tmp_path, TODAY)["brent"] == "declined"
    build(tmp_path, TODAY)  # a fresh demonstration ledger: Brent's decision is gone
    assert _statuses(tmp_path, TODAY)["brent"] == "prospect"


def test_demo_refuses_to_overwrite_a_real_ledger(tmp_path):
    real = Ledger(to_url(tmp_path / "ledger.db"))
    initialise(real, today=TODAY)
    real.dispose()
    with pytest.raises(LedgerError, match="not a demonstration ledger"):
        build(tmp_path, TODAY)
    assert _statuses(tmp_path, TODAY)["bromley"] == "prospect"  # untouched


def test_demo_members_have_addresses_in_the_register(demo_dir):
    """CA 2006 s.113: every member on the demo's register has an address (issue 12.4)."""
    folder, _ = demo_dir
    ledger = Ledger.open(folder / "ledger.db")
    try:
        with ledger.read() as s:
            on_register = members.members_on(s, TODAY)
            changes = details_by_member(s)
            addresses = {
                m.slug: particulars_from(m, changes.get(m.id or 0, []), TODAY).address
                for m in on_register
            }
    finally:
        ledger.dispose()
    assert on_register and all(addresses.values()), addresses
    assert addresses["barnet"] == "2 Bristol Avenue, Colindale, London NW9 4EW"


def test_demo_creates_its_folder_and_records_payment_details(tmp_path):
    """Issue 13.11: `plvgov demo --dir DIR` creates DIR, as its help's example expects; the
    demo's papers can be paid as printed (13.1)."""
    folder = tmp_path / "plv-demo" / "nested"
    build(folder, TODAY)
    ledger = Ledger.open(folder / "ledger.db")
    try:
        with ledger.read() as s:
            assert settings.fact(s, "bank_sort_code") == "60-00-01"
            assert settings.fact(s, "bank_account_number") == "12345678"
            assert all(settings.fact(s, k) for k in settings_catalogue.PAYMENT_FACTS)
    finally:
        ledger.dispose()


def test_demo_refuses_a_file_as_its_folder(tmp_path):
    file = tmp_path / "ledger"
    file.write_text("not a folder")
    with pytest.raises(LedgerError, match="not a folder"):
        build(file, TODAY)
