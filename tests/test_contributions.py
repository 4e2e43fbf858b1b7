"""A deficit the members resolve to meet, invoiced as contributions through the invoice
machinery: numbered with the year's invoices, idempotent, paid, credited, rendered and sent as
e-invoices like a subscription. Expected figures are literals worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from plvgov.billing import accounts, issuing, papers
from plvgov.dates import FinancialYear
from plvgov.db import Ledger
from plvgov.decisions import resolutions
from plvgov.errors import PlvgovError, RuleError
from plvgov.finance import contributions, outturn
from plvgov.membership import members
from plvgov.models.audit import AuditEvent
from plvgov.models.billing import Invoice
from tests.einvoice.validation import findings
from tests.stories import admit, build_story
from tests.test_einvoice import addressed, text, ubl

D = date.fromisoformat
FY2026, FY2027 = FinancialYear(2026), FinancialYear(2027)
LATER = D("2028-07-31")  # "today" for the 2027/28 year


def _resolution(ledger: Ledger, slugs: tuple[str, ...], proposed: str, voted: str) -> int:
    with ledger.write("test: propose") as s:
        r = resolutions.propose(s, "Meet the deficit", "ordinary", "written", D(proposed))
    with ledger.write("test: circulate") as s:
        resolutions.circulate(s, resolutions.get(s, r.id), D(proposed))
    for slug in slugs:
        with ledger.write(f"test: vote {slug}") as s:
            resolutions.vote(s, resolutions.get(s, r.id), members.find(s, slug), "for", D(voted))
    assert r.id is not None
    return r.id


def _leap_year_deficit(ledger: Ledger) -> int:
    """2027/28 (366 days, 29 February 2028): Camden all year, Barnet to 30 June 2027 (91
    days), Hackney from 1 October 2027 (183), Sutton from 29 February 2028 (32); a deficit of
    £1,000.00 recorded on 12 July 2028 under a resolution passed on 5 June 2028."""
    for slug in ("camden", "barnet", "bromley"):
        admit(ledger, slug, "2023-04-01")
    admit(ledger, "hackney", "2027-10-01")
    admit(ledger, "sutton", "2028-02-29")
    with ledger.write("test: cease") as s:
        members.cease(s, members.find(s, "bromley"), D("2027-03-31"), "dissolved")
        members.cease(s, members.find(s, "barnet"), D("2027-06-30"), "dissolved")
    number = _resolution(ledger, ("camden", "hackney"), "2028-06-01", "2028-06-05")
    with ledger.write("test: outturn") as s:
        outturn.record(s, FY2027, Decimal("-1000.00"), f"Resolution {number}", D("2028-07-12"))
    return number


def test_contributions_sum_to_the_deficit_and_a_second_run_issues_nothing(
    ledger: Ledger,
) -> None:
    number = _leap_year_deficit(ledger)
    with ledger.write("test: invoice") as s:
        run = contributions.invoice(s, FY2027, D("2028-07-15"), LATER)
    # 100,000p by days / 672 (worked in tests/test_finance.py): 135.42 + 544.64 + 272.32 + 47.62
    assert [(c.number, c.gss_code, c.days, c.amount) for c in run.created] == [
        ("PLV-2027-0001", "E09000003", 91, Decimal("135.42")),  # Barnet, ceased: still pays
        ("PLV-2027-0002", "E09000007", 366, Decimal("544.64")),
        ("PLV-2027-0003", "E09000012", 183, Decimal("272.32")),
        ("PLV-2027-0004", "E09000029", 32, Decimal("47.62")),
    ]
    assert run.total == Decimal("1000.00") == run.deficit
    with ledger.read() as s:
        rows = s.exec(select(Invoice).order_by(Invoice.sequence)).all()
        hackney = rows[2]
        assert {r.kind for r in rows} == {"contribution"}
        assert sum(r.gross_pence for r in rows) == 100000
        assert {(r.vat_pence, r.vat_rate, r.net_pence == r.gross_pence) for r in rows} == {
            (0, "0", True)
        }
        assert hackney.description == (
            f"Contribution to the 2027/28 deficit under Resolution {number}, passed on "
            "5 June 2028: your share, pro rata to your 183 days of membership in its 366"
        )
        assert hackney.issued_on == D("2028-07-15")
        assert hackney.due_on == D("2028-08-14")  # 30 days (invoice_due_days)
        assert hackney.scheme_authority == f"Resolution {number}: Meet the deficit"
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "invoice.issue")).all()
        assert len(events) == 1  # the run is one event
        shares = outturn.view(s, FY2027).as_json()["shares"]
    assert [(r["gss_code"], r["invoice"]) for r in shares] == [
        ("E09000003", "PLV-2027-0001"),
        ("E09000007", "PLV-2027-0002"),
        ("E09000012", "PLV-2027-0003"),
        ("E09000029", "PLV-2027-0004"),
    ]
    with ledger.write("test: again") as s:
        again = contributions.invoice(s, FY2027, D("2028-07-20"), LATER)
    assert (again.created, len(again.existing)) == ([], 4)
    assert again.note == "every member's contribution to the 2027/28 deficit is already invoiced"
    with ledger.read() as s:
        assert len(s.exec(select(Invoice)).all()) == 4


def test_a_dry_run_writes_nothing(ledger: Ledger) -> None:
    _leap_year_deficit(ledger)
    with ledger.write("test: dry") as s:
        run = contributions.invoice(s, FY2027, D("2028-07-15"), LATER, dry_run=True)
    assert [c.number for c in run.created] == [None] * 4 and run.total == Decimal("1000.00")
    with ledger.read() as s:
        assert s.exec(select(Invoice)).all() == []


def test_refusals(ledger: Ledger) -> None:
    _leap_year_deficit(ledger)
    cases = [
        (FY2027, "2028-08-01", "after today"),
        (FY2027, "2028-07-11", "recorded on 12 July 2028; issue its contributions on or after"),
        (FinancialYear(2026), "2028-07-15", "no outturn is recorded for 2026/27"),
    ]
    for fy, on, says in cases:
        with ledger.write("test") as s, pytest.raises(PlvgovError, match=says):
            contributions.invoice(s, fy, D(on), LATER)
    with ledger.write("test: surplus") as s:
        outturn.record(s, FinancialYear(2026), Decimal("10.00"), "Board", LATER)
    with ledger.write("test") as s, pytest.raises(RuleError, match="surplus, which stays"):
        contributions.invoice(s, FinancialYear(2026), LATER, LATER)


def test_an_invoiced_deficit_is_not_corrected(ledger: Ledger) -> None:
    number = _leap_year_deficit(ledger)
    with ledger.write("test: invoice") as s:
        contributions.invoice(s, FY2027, D("2028-07-15"), LATER)
    with (
        ledger.write("test") as s,
        pytest.raises(RuleError, match="PLV-2027-0001 to PLV-2027-0004"),
    ):
        outturn.record(s, FY2027, Decimal("-900.00"), f"Resolution {number}", LATER, correct=True)


# -- beside the year's subscriptions ---------------------------------------------------------
@pytest.fixture
def story(ledger: Ledger) -> Ledger:
    """The story's 2026/27 subscriptions (PLV-2026-0001 Barking and Dagenham, paid; -0002
    Bromley, £1,000 credited); Camden admitted on 1 April 2026, not yet invoiced; a deficit of
    £3,000.00 recorded on 1 June 2027 under a resolution passed on 20 May 2027."""
    build_story(ledger)
    addressed(ledger)
    admit(ledger, "camden", "2026-04-01")
    number = _resolution(ledger, ("barking-and-dagenham", "bromley"), "2027-05-10", "2027-05-20")
    with ledger.write("test: outturn") as s:
        outturn.record(s, FY2026, Decimal("-3000.00"), f"Resolution {number}", D("2027-06-01"))
    return ledger


def test_contributions_are_numbered_after_the_subscriptions_and_leave_them_alone(
    story: Ledger,
) -> None:
    with story.write("test: invoice") as s:
        run = contributions.invoice(s, FY2026, D("2027-06-07"), D("2027-06-30"))
    # three members all year (365 days): 300,000p / 3 = 1,000.00 each
    assert [(c.number, c.member, c.amount) for c in run.created] == [
        ("PLV-2026-0003", "Barking and Dagenham", Decimal("1000.00")),
        ("PLV-2026-0004", "Bromley", Decimal("1000.00")),
        ("PLV-2026-0005", "Camden", Decimal("1000.00")),
    ]
    with story.read() as s:
        bromley = members.find(s, "bromley")
        assert issuing.find_for(s, bromley, FY2026).number == "PLV-2026-0002"
        assert issuing.find_for(s, bromley, FY2026, "contribution").number == "PLV-2026-0004"
        plan = issuing.plan_run(s, FY2026, D("2026-04-01"))
    # Camden's contribution does not count as its subscription: the run still invoices it
    assert [line.member for line in plan.to_issue] == ["Camden"]
    with story.write("test: subscription run") as s:
        issued = issuing.issue(s, FY2026, [members.find(s, "camden").id], D("2026-04-01"))
    assert [i.number for i in issued] == ["PLV-2026-0006"]
    with story.read() as s:
        summary = accounts.year_summary(s, FY2026, D("2027-06-30"))
    assert summary.invoices == 6
    assert [r.number for r in summary.rows][2:5] == [
        "PLV-2026-0003",
        "PLV-2026-0004",
        "PLV-2026-0005",
    ]


def test_a_contribution_is_paid_credited_rendered_and_sent_as_an_e_invoice(
    story: Ledger,
) -> None:
    with story.write("test: invoice") as s:
        contributions.invoice(s, FY2026, D("2027-06-07"), D("2027-06-30"))
    with story.write("test: pay") as s:
        accounts.pay(s, "PLV-2026-0003", Decimal("600.00"), D("2027-06-20"), "BACS 1")
    with story.write("test: credit") as s:
        note = accounts.credit(s, "PLV-2026-0003", "Agreed waiver", D("2027-06-25"))
    assert (note.number, note.amount_pence) == ("CN-2026-0002", 40000)  # the balance
    with story.read() as s:
        v = accounts.view(s, accounts.get(s, "PLV-2026-0003"), D("2027-06-30"))
        doc = papers.invoice_document(s, "PLV-2026-0003", D("2027-06-30"))
        open_one = accounts.view(s, accounts.get(s, "PLV-2026-0004"), D("2027-07-08"))
    assert (v.paid, v.credited, v.balance, v.status) == (
        Decimal("600.00"),
        Decimal("400.00"),
        Decimal("0.00"),
        "paid",
    )
    assert (open_one.balance, open_one.status) == (Decimal("1000.00"), "overdue")  # due 7 July
    assert doc.kind == "contribution" and doc.as_json()["kind"] == "contribution"
    document = ubl(story, "PLV-2026-0004")
    assert findings(document) == []
    assert text(document, "/*/cac:LegalMonetaryTotal/cbc:PayableAmount") == ["1000.00"]
    assert text(document, "/*/cac:InvoiceLine/cac:Item/cbc:Name")[0].startswith(
        "Contribution to the 2026/27 deficit under Resolution"
    )
    assert findings(ubl(story, "CN-2026-0002")) == []


def test_equal_shares_say_so_and_still_sum_to_the_deficit(ledger: Ledger) -> None:
    from plvgov import settings

    for slug in ("camden", "hackney", "sutton"):
        admit(ledger, slug, "2027-04-01")
    with ledger.write("test: basis") as s:
        settings.set_value(
            s, "outturn_share_basis", "equal", effective_from=D("2027-04-01"),
            authority="Board, test", today=D("2027-03-01"),
        )  # fmt: skip
    number = _resolution(ledger, ("camden", "hackney"), "2028-06-01", "2028-06-05")
    with ledger.write("test: outturn") as s:
        outturn.record(s, FY2027, Decimal("-100.00"), f"Resolution {number}", D("2028-07-12"))
    with ledger.write("test: invoice") as s:
        run = contributions.invoice(s, FY2027, D("2028-07-12"), LATER)
    # 10,000p / 3 = 3,333.33...: one penny left, to the first GSS code (Camden, E09000007)
    assert [(c.gss_code, c.amount) for c in run.created] == [
        ("E09000007", Decimal("33.34")),
        ("E09000012", Decimal("33.33")),
        ("E09000029", Decimal("33.33")),
    ]
    with ledger.read() as s:
        first = s.exec(select(Invoice).where(Invoice.number == "PLV-2027-0001")).one()
    assert first.description == (
        f"Contribution to the 2027/28 deficit under Resolution {number}, passed on 5 June 2028: "
        "your share, the deficit divided equally among the year's 3 members"
    )
