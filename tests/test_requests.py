"""Members' and others' requests and their deadlines (plvgov/registers/requests.py): s.292-293
written resolutions, s.303-304 meetings, s.116-117 inspection, FOIA 2000 s.10."""

from __future__ import annotations

from datetime import date

import pytest

from plvgov.decisions.notice_timing import Calendar
from plvgov.errors import InputError, RuleError
from plvgov.membership import members
from plvgov.oversight import checks
from plvgov.oversight import deadlines as registry
from plvgov.registers import requests, workdays
from tests.conftest import TODAY
from tests.stories import admit

D = date.fromisoformat


def admit_all(ledger, count: int, on: str = "2023-04-01") -> list[str]:
    with ledger.write("test: admit") as s:
        chosen = members.everyone(s)[:count]
        for m in chosen:
            members.admit(s, m, D(on))
        return [m.slug for m in chosen]


def log(ledger, kind: str, on: str, slugs: list[str] = (), **extra) -> requests.Logged:
    with ledger.write("test: request") as s:
        logged = requests.log(
            s, kind, D(on), [members.find(s, x) for x in slugs], today=TODAY, **extra
        )
        s.flush()
        return logged


# -- working days ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("received", "n", "due", "because"),
    [
        # company_law.md §15: St Andrew's Day (Scotland) is Monday 30 November 2026
        ("2026-11-23", 20, "2026-12-22", "St Andrew's Day"),
        # 12 July 2026 is a Sunday: Northern Ireland's substitute is Monday 13 July
        ("2026-07-01", 20, "2026-07-30", "Battle of the Boyne (substitute)"),
        # St Patrick's Day (Northern Ireland), Tuesday 17 March 2026
        ("2026-03-02", 20, "2026-03-31", "St Patrick's Day"),
        # 2 January 2027 is a Saturday: Scotland's substitute is Monday 4 January
        ("2026-12-31", 1, "2027-01-05", "2 January (Scotland, substitute)"),
        # the first Monday in August is Scotland's summer bank holiday (3 August 2026)
        ("2026-07-31", 1, "2026-08-04", "Summer bank holiday (Scotland)"),
    ],
)
def test_foi_working_days_leave_out_every_uk_nations_bank_holidays(received, n, due, because):
    assert workdays.nth_uk_working_day_after(D(received), n) == D(due), because


def test_companies_act_working_days_are_england_and_wales_only() -> None:
    calendar = Calendar()
    # the same requests counted under s.1173 land a day earlier
    assert workdays.nth_working_day_after(calendar, D("2026-11-23"), 20) == D("2026-12-21")
    assert workdays.nth_working_day_after(calendar, D("2026-07-01"), 20) == D("2026-07-29")
    # company_law.md §14: received Thursday 24 December 2026, due Tuesday 5 January 2027
    assert workdays.nth_working_day_after(calendar, D("2026-12-24"), 5) == D("2027-01-05")


# -- members' requests: the threshold on the day ----------------------------------------------
def test_two_councils_of_33_may_require_a_meeting_one_may_not(ledger) -> None:
    slugs = admit_all(ledger, 33)
    one = log(ledger, "meeting", "2026-01-05", slugs[:1])
    assert one.request.binding is False and one.request.due_on is None
    assert one.reason.startswith("does not bind the company")
    assert "3.03%" in one.reason and "s.303 needs 5%" in one.reason
    two = log(ledger, "meeting", "2026-01-05", slugs[:2])
    assert two.request.binding is True
    assert two.request.due_on == D("2026-01-26")  # 21 days (s.304(1))
    assert "6.06%" in two.reason


def test_one_council_of_20_holds_exactly_five_percent_one_of_21_does_not(ledger) -> None:
    slugs = admit_all(ledger, 20, "2023-04-01")
    assert log(ledger, "written-resolution", "2024-02-08", slugs[:1]).request.binding
    with ledger.write("test: admit 21st") as s:
        members.admit(s, members.everyone(s)[20], D("2024-02-09"))
    late = log(ledger, "written-resolution", "2024-02-09", slugs[:1])
    assert late.request.binding is False and "4.76%" in late.reason
    assert "s.292 needs 5%" in late.reason


def test_written_resolution_circulated_within_21_days_across_a_month_end(ledger) -> None:
    slugs = admit_all(ledger, 4)
    logged = log(ledger, "written-resolution", "2024-02-15", slugs[:1], text="Adopt new articles")
    assert logged.request.due_on == D("2024-03-07")  # leap year: 14 days of February left


def test_the_articles_can_lower_the_threshold(ledger) -> None:
    from plvgov import settings

    slugs = admit_all(ledger, 33)
    with ledger.write("test: settings") as s:
        settings.set_value(
            s,
            "member_request_percent",
            "3",
            effective_from=D("2026-01-01"),
            authority="articles",
            today=TODAY,
        )
    assert not log(ledger, "meeting", "2025-12-31", slugs[:1]).request.binding
    assert log(ledger, "meeting", "2026-01-01", slugs[:1]).request.binding


def test_weighted_votes_count_towards_the_threshold(ledger) -> None:
    from plvgov import settings

    slugs = admit_all(ledger, 33)
    with ledger.write("test: settings") as s:
        settings.set_value(
            s,
            "articles_member_votes",
            f"{slugs[0]}=2",
            effective_from=D("2026-01-01"),
            authority="articles",
            today=TODAY,
        )
    assert log(ledger, "meeting", "2026-01-05", slugs[:1]).request.binding  # 2 of 34: 5.88%


def test_only_members_on_the_day_may_require(ledger) -> None:
    admit(ledger, "camden", "2026-02-01")
    with pytest.raises(RuleError, match="not a member on 2026-01-31"):
        log(ledger, "meeting", "2026-01-31", ["camden"])
    with pytest.raises(InputError, match="--member"):
        log(ledger, "meeting", "2026-02-02")


def test_a_request_cannot_be_logged_before_it_arrives(ledger) -> None:
    admit(ledger, "camden", "2026-02-01")
    with pytest.raises(InputError, match="after today"):
        log(ledger, "meeting", "2026-11-24", ["camden"])


# -- inspection and FOI ---------------------------------------------------------------------------
def test_inspection_needs_what_s116_4_requires(ledger) -> None:
    with pytest.raises(InputError, match=r"--address, --purpose, --disclose or --no-disclose"):
        log(ledger, "inspection", "2026-11-20", requester="A. Journalist")
    logged = log(
        ledger,
        "inspection",
        "2026-11-20",
        requester="A. Journalist",
        address="1 Fleet Street, London EC4Y 1AA",
        purpose="an article on shared services",
        disclosed=True,
    )
    # Friday 20 November 2026: 23, 24, 25, 26, 27 November
    assert logged.request.due_on == D("2026-11-27")
    assert logged.request.binding and logged.request.disclosed is True


def test_a_member_inspecting_gives_its_own_name_and_address(ledger) -> None:
    admit(ledger, "camden", "2023-04-01")
    with ledger.write("test: address") as s:
        members.find(s, "camden").address = "5 Pancras Square, London N1C 4AG"
    logged = log(ledger, "inspection", "2026-11-20", ["camden"], purpose="audit", disclosed=False)
    assert logged.request.requester == "London Borough of Camden"
    assert logged.request.address == "5 Pancras Square, London N1C 4AG"


def test_foi_request_needs_a_name_and_counts_uk_working_days(ledger) -> None:
    with pytest.raises(InputError, match="--name"):
        log(ledger, "foi", "2026-11-23")
    logged = log(ledger, "foi", "2026-11-23", requester="R. Citizen", text="Board minutes 2025")
    assert logged.request.due_on == D("2026-12-22")


# -- closing, listing, the calendar and check -----------------------------------------------------
def test_requests_list_close_and_their_deadlines(ledger) -> None:
    slugs = admit_all(ledger, 33)
    late = log(ledger, "meeting", "2026-10-01", slugs[:2]).request  # due 2026-10-22
    not_binding = log(ledger, "meeting", "2026-10-01", slugs[:1]).request
    foi = log(ledger, "foi", "2026-11-23", requester="R. Citizen").request
    with ledger.read() as s:
        state = {r.id: r.status for r in requests.rows(s, TODAY)}
        assert state == {late.id: "overdue", not_binding.id: "not binding", foi.id: "open"}
        kinds = [(d.on, d.kind) for d in registry.collect(s, D("2026-10-01"), D("2027-01-31"))]
        assert (D("2026-10-22"), "request_meeting") in kinds
        assert (D("2026-11-19"), "request_meeting_held") in kinds  # 28 days after the last day
        assert (D("2026-12-22"), "request_foi") in kinds
        overdue = [f for f in checks.passed_deadlines(s, TODAY) if "Request" in f.subject]
        assert [f.subject for f in overdue] == [
            f"Request {late.id}: members' requisition of a general meeting, received 1 October 2026"
        ]
    with ledger.write("test: close") as s:
        with pytest.raises(InputError, match="before the request was received"):
            requests.close(s, requests.get(s, foi.id), D("2026-11-22"), "sent", today=TODAY)
    with ledger.write("test: close") as s:
        requests.close(
            s, requests.get(s, late.id), D("2026-10-20"), "GM called for 2026-11-10", today=TODAY
        )
    with ledger.read() as s:
        assert requests.rows(s, TODAY)[0].status == "closed"
        kinds = [(d.on, d.kind) for d in registry.collect(s, D("2026-10-01"), D("2027-01-31"))]
        assert (D("2026-10-22"), "request_meeting") not in kinds
        assert not [f for f in checks.passed_deadlines(s, TODAY) if "Request" in f.subject]
    with ledger.write("test: close again") as s, pytest.raises(RuleError, match="was closed"):
        requests.close(s, requests.get(s, late.id), D("2026-10-21"), "again", today=TODAY)
