"""Members: finding, statuses for any date, admission, representatives, cessation."""

from datetime import date

import pytest

from plvgov import audit, settings
from plvgov.errors import InputError, NotFound, RuleError
from plvgov.membership import exits, members
from plvgov.membership import views as member_views
from tests.conftest import TODAY
from tests.stories import admit

D = date.fromisoformat


def _withdraw(ledger, slug, notice_on):
    with ledger.write("test") as s:
        return exits.withdraw(s, members.find(s, slug), D(notice_on))


def _show(ledger, slug, on):
    with ledger.read() as s:
        return member_views.show(s, members.find(s, slug), D(on))


def test_init_loads_33_london_authorities_as_prospects_with_one_event(ledger):
    with ledger.read() as s:
        views = member_views.list_members(s, TODAY)
        assert len(views) == 33
        assert {v.status for v in views} == {"prospect"}
        assert audit.head(s)[0] == 1 and audit.verify(s).ok


@pytest.mark.parametrize(
    "text",
    [
        "E09000002",
        "e09000002",
        "barking-and-dagenham",
        "Barking and Dagenham",
        "BARKING AND DAGENHAM",
        "London Borough of Barking and Dagenham",
    ],
)
def test_find_by_code_slug_or_name_case_insensitively(ledger, text):
    with ledger.read() as s:
        assert members.find(s, text).slug == "barking-and-dagenham"


def test_unknown_member_lists_nearest_matches(ledger):
    with ledger.read() as s, pytest.raises(NotFound, match="did you mean.*Bromley"):
        members.find(s, "Bromly")


def test_ambiguous_name_lists_the_candidates(ledger):
    with ledger.write("test") as s:
        members.add(s, "Kent County Council", "E10000016")
        # a second body whose council name equals the first's name
        m = members.add(s, "Kent Fire", None)
        m.council_name = "Kent County Council"
    with ledger.read() as s, pytest.raises(InputError, match="names 2 members.*GSS code or slug"):
        members.find(s, "kent county council")


def test_statuses_follow_decisions_admission_and_withdrawal_by_date(ledger):
    with ledger.write("test") as s:
        b = members.find(s, "bromley")
        members.decide(s, b, "in-principle", D("2023-03-14"), "Portfolio Holder")
    with ledger.write("test") as s:
        members.decide(s, members.find(s, "bromley"), "final", D("2023-03-29"), "Director")
    admit(ledger, "bromley")
    # notice on 2025-11-03 misses the 2026 break (deadline 2025-09-30) → exit 2028-03-31
    outcome = _withdraw(ledger, "bromley", "2025-11-03")
    assert (outcome.effective_on, outcome.deadline_met, outcome.missed_exit_on) == (
        D("2028-03-31"),
        False,
        D("2026-03-31"),
    )
    with ledger.read() as s:
        b = members.find(s, "bromley")
        status = {
            on: members.status_of(s, b, D(on))
            for on in (
                "2023-03-13",
                "2023-03-14",
                "2023-03-31",
                "2023-04-01",
                "2025-11-02",
                "2025-11-03",
                "2028-03-31",
                "2028-04-01",
            )
        }
    assert status == {
        "2023-03-13": "prospect",
        "2023-03-14": "in_principle",
        "2023-03-31": "in_principle",
        "2023-04-01": "member",
        "2025-11-02": "member",
        "2025-11-03": "notice_given",
        "2028-03-31": "notice_given",  # membership ends at the END of the exit date
        "2028-04-01": "ceased",
    }
    # nothing is ever deleted: the former member is still listed
    with ledger.read() as s:
        listed = {v.slug: v for v in member_views.list_members(s, D("2030-01-01"))}
    assert listed["bromley"].status == "ceased"
    assert listed["bromley"].ceased_on == D("2028-03-31")


def test_declined_status_and_admission_refused_after_a_decline(ledger):
    with ledger.write("test") as s:
        members.decide(s, members.find(s, "bexley"), "declined", D("2023-03-20"), "Cabinet")
    with ledger.read() as s:
        assert members.status_of(s, members.find(s, "bexley"), TODAY) == "declined"
    with pytest.raises(RuleError, match="declined on 2023-03-20"):
        admit(ledger, "bexley", "2023-04-01")


def test_final_decision_needs_an_in_principle_one_first(ledger):
    with ledger.write("test") as s, pytest.raises(RuleError, match="in-principle"):
        members.decide(s, members.find(s, "camden"), "final", D("2023-03-27"), "Director")


@pytest.mark.parametrize(
    ("ceased", "until"),
    [
        ("2027-03-31", "2028-03-31"),  # IA 1986 s.74(2)(a): liable for one year after ceasing
        ("2028-02-29", "2029-02-28"),  # no 29 February in 2029
    ],
)
def test_guarantee_until_is_one_year_after_ceasing(ledger, ceased, until):
    admit(ledger, "bromley")
    with ledger.write("test") as s:
        members.cease(s, members.find(s, "bromley"), D(ceased), "dissolution")
    assert _show(ledger, "bromley", "2030-01-01").guarantee_until == D(until)


def test_guarantee_tail_is_a_setting(ledger):
    admit(ledger, "bromley")
    with ledger.write("test") as s:
        settings.set_value(
            s,
            "guarantee_tail_years",
            "2",
            effective_from=D("2023-01-01"),
            authority="test",
            today=TODAY,
        )
    with ledger.write("test") as s:
        members.cease(s, members.find(s, "bromley"), D("2027-03-31"), "dissolution")
    assert _show(ledger, "bromley", "2030-01-01").guarantee_until == D("2029-03-31")


def test_show_gives_next_exit_point_and_deadline(ledger):
    admit(ledger, "hackney")
    detail = _show(ledger, "hackney", "2025-06-01")
    assert (detail.next_exit_on, detail.notice_deadline) == (D("2026-03-31"), D("2025-09-30"))
    detail = _show(ledger, "hackney", "2025-10-01")  # too late for the break
    assert (detail.next_exit_on, detail.notice_deadline) == (D("2028-03-31"), D("2027-09-30"))
    assert detail.guarantee_until is None
    assert _show(ledger, "camden", "2025-06-01").next_exit_on is None  # a prospect


def test_admit_refuses_twice(ledger):
    admit(ledger, "camden")
    with pytest.raises(RuleError, match="member since 2023-04-01"):
        admit(ledger, "camden", "2024-01-01")


def test_representatives_history(ledger):
    admit(ledger, "bromley")
    with ledger.write("t") as s:
        members.appoint_representative(s, members.find(s, "bromley"), "Cllr A", D("2023-04-01"))
    with ledger.write("t") as s:
        members.appoint_representative(s, members.find(s, "bromley"), "Cllr B", D("2024-05-01"))
    assert _show(ledger, "bromley", "2024-04-30").representative["name"] == "Cllr A"
    detail = _show(ledger, "bromley", "2024-05-01")
    assert detail.representative["name"] == "Cllr B"
    assert detail.representatives[0]["until"] == D("2024-05-01")


def test_representative_from_is_the_latest_appointment_on_or_before_the_day(ledger):
    admit(ledger, "bromley")
    # Appointed out of date order: the rule goes by from_on, not by when it was recorded.
    for name, from_on in (("Cllr B", "2024-05-01"), ("Cllr A", "2023-04-01")):
        with ledger.write("t") as s:
            members.appoint_representative(s, members.find(s, "bromley"), name, D(from_on))
    with ledger.read() as s:
        appointments = members.representatives(s, members.find(s, "bromley"))
        assert [r.name for r in appointments] == ["Cllr A", "Cllr B"]
        assert members.representative_from(appointments, D("2023-03-31")) is None
        assert members.representative_from(appointments, D("2024-04-30")).name == "Cllr A"
        assert members.representative_from(appointments, D("2024-05-01")).name == "Cllr B"
        assert members.representative_from([], D("2024-05-01")) is None


def test_readers_for_every_member_agree_with_the_one_member_readers(ledger):
    for slug in ("bromley", "sutton", "camden"):
        with ledger.write("t") as s:
            members.decide(s, members.find(s, slug), "in-principle", D("2023-03-01"), "Cabinet")
    with ledger.write("t") as s:
        members.decide(s, members.find(s, "bromley"), "final", D("2023-03-14"), "Council")
    for slug in ("bromley", "sutton"):
        admit(ledger, slug)
        for name, from_on in (("Later", "2025-01-01"), ("First", "2023-04-01")):
            with ledger.write("t") as s:
                members.appoint_representative(s, members.find(s, slug), name, D(from_on))
    _withdraw(ledger, "sutton", "2025-09-12")
    with ledger.read() as s:
        decided = members.decisions_by_member(s)
        appointed = members.representatives_by_member(s)
        lodged = members.notices_by_member(s)
        everyone = members.everyone(s)
        assert len(everyone) == 33
        for m in everyone:
            assert decided.get(m.id, []) == members.decisions(s, m)
            assert appointed.get(m.id, []) == members.representatives(s, m)
            assert lodged.get(m.id) == members.notice(s, m)
        bromley, sutton = members.find(s, "bromley"), members.find(s, "sutton")
    assert [d.stage for d in decided[bromley.id]] == ["in_principle", "final"]
    assert [r.name for r in appointed[sutton.id]] == ["First", "Later"]
    assert set(lodged) == {sutton.id}
    assert len(decided) == 3 and len(appointed) == 2


def test_add_refuses_a_bad_or_existing_code(ledger):
    with ledger.write("t") as s, pytest.raises(InputError, match="not a GSS code"):
        members.add(s, "Surrey", "X123")
    with ledger.write("t") as s, pytest.raises(RuleError, match="E09000002 already exists"):
        members.add(s, "Somewhere", "E09000002")
    with ledger.write("t") as s, pytest.raises(RuleError, match="already in the ledger"):
        members.add(s, "bromley")


def test_a_member_ceased_before_its_withdrawal_takes_effect_has_no_exit_ahead(ledger):
    admit(ledger, "hackney")
    _withdraw(ledger, "hackney", "2025-11-01")  # → 2028-03-31
    with ledger.write("t") as s:
        # the withdrawal set the last day to 2028-03-31; a dissolution ends it earlier
        members.cease(s, members.find(s, "hackney"), D("2027-06-30"), "dissolution")
    detail = _show(ledger, "hackney", "2027-07-01")
    assert (detail.status, detail.next_exit_on, detail.guarantee_until) == (
        "ceased",
        None,
        D("2028-06-30"),
    )


def test_the_same_decision_cannot_be_recorded_twice(ledger):
    """A re-run (or a crash-and-retry) must not duplicate a council's decision."""
    from datetime import date as _date

    from plvgov.errors import RuleError as _RuleError
    from plvgov.membership import members as _members

    with ledger.write("first") as s:
        _members.decide(s, _members.find(s, "bromley"), "in-principle", _date(2023, 3, 14), "PH")
    with pytest.raises(_RuleError, match="already recorded"), ledger.write("again") as s:
        _members.decide(s, _members.find(s, "bromley"), "in-principle", _date(2023, 3, 14), "PH")
    with ledger.read() as s:
        assert len(_members.decisions(s, _members.find(s, "bromley"))) == 1


def test_a_name_with_accents_gets_its_letters_in_its_slug(ledger):
    # "h-mmersmith" could not be typed from the name; the accents are folded instead.
    with ledger.write("t") as s:
        assert members.add(s, "Hämmersmith & Fülham Trust").slug == "hammersmith-and-fulham-trust"
        assert members.add(s, "Saint-Étienne Œuvre").slug == "saint-etienne-oeuvre"
        # A name with no Latin letter or digit at all: a placeholder, numbered on.
        assert members.add(s, "Δήμος Αθηναίων").slug == "member"
        assert members.add(s, "Δήμος Πειραιώς").slug == "member-2"
    with ledger.read() as s:
        assert members.find(s, "hammersmith-and-fulham-trust").name == "Hämmersmith & Fülham Trust"
