"""Facts are recorded once they have happened, and never before the company existed (issue 10,
item 5). Every command that records a fact refuses a date after today (PLVGOV_TODAY, here
2026-11-23) and a date before the company could exist, with one `Error:` line, exit 1 and the
audit head where it was; the commands that plan (`meeting convene`, `board meeting`,
`settings set --from`, `invoice run --dry-run`) still take future dates and say they plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from plvgov import audit
from plvgov.billing import accounts
from plvgov.decisions import appointments, meetings, proceedings, resolutions
from plvgov.errors import InputError, RuleError
from plvgov.membership import exits, members
from tests.conftest import TODAY

D = date.fromisoformat
AFTER = "2026-11-24"  # the day after TODAY
FAR = "2199-01-01"


def head(ledger) -> tuple[int, str]:
    with ledger.read() as session:
        return audit.head(session)


def refused(run, ledger, *args: str, says: str) -> str:
    """``args`` exits 1 with one ``Error:`` line containing ``says`` and writes nothing."""
    before = head(ledger)
    result = run(*args)
    assert result.code == 1, (args, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.err
    assert "Traceback" not in result.err and result.out == ""
    assert says in lines[0], lines[0]
    assert head(ledger) == before, f"a refused command changed the ledger: {args}"
    return lines[0]


def ok(run, *args: str):
    result = run(*args)
    assert result.code == 0, (args, result.err)
    return result


@pytest.fixture
def story(run, ledger, tmp_path: Path):
    """Four members admitted 1 April 2023, each with a representative; the provision launched
    1 October 2025 and FY 2025/26 invoiced on that day; a written resolution circulated
    2026-11-20; a special resolution for a general meeting convened for 30 December 2026
    (notice sent today: a plan); a written resolution not yet circulated; three directors, a
    board meeting planned for 2026-12-10 and a written board resolution circulated 2026-11-20."""
    for slug in ("camden", "hackney", "barnet", "bromley"):
        ok(run, "member", "admit", slug, "--date", "2023-04-01")
        ok(run, "member", "representative", slug, "--name", f"Rep {slug}", "--from", "2023-04-01")
    ok(run, "settings", "set", "launch_date", "2025-10-01")
    ok(run, "invoice", "run", "--year", "2025", "--date", "2025-10-01")
    ok(
        run,
        "resolution",
        "propose",
        "--title",
        "Budget",
        "--type",
        "ordinary",
        "--procedure",
        "written",
    )
    ok(run, "resolution", "circulate", "1", "--date", "2026-11-20")
    ok(
        run,
        "resolution",
        "propose",
        "--title",
        "Amend the articles",
        "--type",
        "special",
        "--procedure",
        "meeting",
    )
    ok(
        run,
        "resolution",
        "propose",
        "--title",
        "Auditors",
        "--type",
        "ordinary",
        "--procedure",
        "written",
    )
    convened = ok(
        run,
        "meeting",
        "convene",
        "--at",
        "2026-12-30T10:00",
        "--sent",
        "2026-11-23T09:00",
        "--resolution",
        "2",
    )
    assert "Planned for 2026-12-30 10:00" in convened.out  # convening plans, and says so
    for name in ("Ann Lee", "Ben Ng", "Cat Roy"):
        ok(run, "director", "appoint", name, "--date", "2023-04-01")
    planned = ok(run, "board", "meeting", "--date", "2026-12-10", "--chair", "Ann Lee")
    assert "planned" in planned.out
    ok(run, "board", "propose", "1", "--title", "Bank mandate")
    ok(run, "board", "written", "--title", "Insurance", "--date", "2026-11-20")
    (tmp_path / "v1.md").write_text("# Articles\n\n1. Notice: 14 clear days.\n")
    (tmp_path / "v2.md").write_text("# Articles\n\n1. Notice: 21 clear days.\n")
    ok(run, "articles", "adopt", str(tmp_path / "v1.md"), "--date", "2023-02-14")
    return run


# -- the issue's own story --------------------------------------------------------------------
def test_a_payment_dated_2199_is_refused_and_todays_real_payment_is_taken(story, ledger):
    run = story
    balance = run("invoice", "list", "--json").json()[0]["balance"]
    message = refused(
        run,
        ledger,
        "invoice",
        "pay",
        "PLV-2025-0001",
        "--amount",
        balance,
        "--date",
        FAR,
        says="the payment date 2199-01-01 is after today (2026-11-23)",
    )
    assert "record a payment once it has been received" in message
    paid = ok(
        run,
        "invoice",
        "pay",
        "PLV-2025-0001",
        "--amount",
        balance,
        "--date",
        TODAY.isoformat(),
        "--json",
    )
    assert paid.json()["balance"] == "0.00"


def test_a_meeting_cannot_close_before_it_is_held_nor_articles_be_adopted_on_it(
    story, ledger, tmp_path, monkeypatch
):
    run = story
    refused(run, ledger, "meeting", "attend", "1", "camden", says="after today")
    refused(run, ledger, "meeting", "vote", "1", "2", "camden", "--vote", "for", says="after today")
    message = refused(run, ledger, "meeting", "close", "1", says="after today")
    assert "meeting 1's date 2026-12-30" in message and "once it is held" in message
    assert run("resolution", "show", "2", "--json").json()["status"] != "passed"
    refused(
        run,
        ledger,
        "articles",
        "adopt",
        str(tmp_path / "v2.md"),
        "--date",
        "2026-12-30",
        "--resolution",
        "2",
        says="the adoption date 2026-12-30 is after today",
    )
    # once the meeting has been held, the same commands record it
    monkeypatch.setenv("PLVGOV_TODAY", "2026-12-30")
    for slug in ("camden", "hackney", "barnet"):
        ok(run, "meeting", "attend", "1", slug)
        ok(run, "meeting", "vote", "1", "2", slug, "--vote", "for")
    closed = ok(run, "meeting", "close", "1", "--json").json()
    assert [(r["id"], r["status"]) for r in closed["resolutions"]] == [(2, "passed")]
    ok(
        run,
        "articles",
        "adopt",
        str(tmp_path / "v2.md"),
        "--date",
        "2026-12-30",
        "--resolution",
        "2",
    )


def test_a_written_resolution_reply_and_a_short_notice_consent_after_today_are_refused(
    story, ledger
):
    run = story
    refused(
        run,
        ledger,
        "resolution",
        "vote",
        "1",
        "camden",
        "--vote",
        "for",
        "--date",
        AFTER,
        says="the reply date 2026-11-24 is after today",
    )
    refused(
        run,
        ledger,
        "meeting",
        "consent",
        "1",
        "camden",
        "--date",
        AFTER,
        says="the consent date 2026-11-24 is after today",
    )
    ok(run, "resolution", "vote", "1", "camden", "--vote", "for", "--date", "2026-11-23")
    ok(run, "meeting", "consent", "1", "camden", "--date", "2026-11-23")


# -- every command that records a fact ----------------------------------------------------------
FUTURE = [  # (command line, what the error names)
    ("member decide lambeth --stage in-principle --date 2026-11-24 --body Cabinet",
     "the decision date"),
    ("member admit lambeth --date 2026-11-24", "the admission date"),
    ("member withdraw camden --notice-date 2026-11-24", "the notice date"),
    ("member representative camden --name Jo --from 2026-11-24", "the appointment date"),
    ("invoice pay PLV-2025-0001 --amount 100 --date 2026-11-24", "the payment date"),
    ("invoice credit PLV-2025-0001 --reason goodwill --amount 100 --date 2026-11-24",
     "the credit note date"),
    ("invoice run --year 2026 --date 2026-11-24", "the issue date"),
    ("resolution circulate 3 --date 2026-11-24", "the circulation date"),
    ("resolution vote 1 camden --vote for --date 2026-11-24", "the reply date"),
    ("resolution file 1 --date 2026-11-24", "the filing date"),
    ("meeting consent 1 camden --date 2026-11-24", "the consent date"),
    ("meeting attend 1 camden", "meeting 1's date"),
    ("meeting vote 1 2 camden --vote for", "meeting 1's date"),
    ("meeting close 1", "meeting 1's date"),
    ("articles file 1 --date 2026-11-24", "the filing date"),
    ("director appoint Dan --date 2026-11-24", "the appointment date"),
    ("director resign 3 --date 2026-11-24", "the resignation date"),
    ("board attend 1 1", "board meeting 1's date"),
    ("board vote 1 1 --vote for", "board meeting 1's date"),
    ("board close 1", "board meeting 1's date"),
    ("board written --title Auditors --date 2026-11-24", "the circulation date"),
    ("board sign 2 1 --date 2026-11-24", "the signature date"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "what"), FUTURE, ids=[" ".join(c.split()[:2]) for c, _ in FUTURE])
def test_a_fact_dated_after_today_is_refused(story, ledger, line, what):
    message = refused(story, ledger, *line.split(), says=what)
    assert "after today (2026-11-23)" in message


def test_the_articles_refuse_an_adoption_after_today(story, ledger, tmp_path):
    message = refused(
        story,
        ledger,
        "articles",
        "adopt",
        str(tmp_path / "v2.md"),
        "--date",
        FAR,
        "--resolution",
        "2",
        says="the adoption date",
    )
    assert "after today" in message


# -- facts before the company existed ---------------------------------------------------------
BEFORE = [
    ("member admit lambeth --date 1900-01-01", "the admission date 1900-01-01"),
    ("director appoint Old --date 1900-01-01", "the appointment date 1900-01-01"),
    ("member decide lambeth --stage in-principle --date 1900-01-01 --body Vestry",
     "the decision date 1900-01-01"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "what"), BEFORE, ids=[" ".join(c.split()[:2]) for c, _ in BEFORE])
def test_a_fact_before_any_company_could_exist_is_refused(run, ledger, line, what):
    message = refused(run, ledger, *line.split(), says=what)
    assert "2009-10-01, when the Companies Act 2006 began forming companies" in message


def test_the_incorporation_date_is_the_floor_once_it_is_known(run, ledger, tmp_path):
    ok(run, "settings", "set", "incorporation_date", "2023-02-14")
    message = refused(
        run,
        ledger,
        "member",
        "admit",
        "lambeth",
        "--date",
        "2023-02-13",
        says="the admission date 2023-02-13",
    )
    assert "before the company was incorporated on 2023-02-14" in message
    refused(
        run,
        ledger,
        "director",
        "appoint",
        "Early Bird",
        "--date",
        "2022-12-31",
        says="incorporated on 2023-02-14",
    )
    articles = tmp_path / "v1.md"
    articles.write_text("# Articles\n")
    refused(
        run,
        ledger,
        "articles",
        "adopt",
        str(articles),
        "--date",
        "2023-01-01",
        says="incorporated on 2023-02-14",
    )
    # a council may decide before the company exists; it joins on or after incorporation
    ok(
        run,
        "member",
        "decide",
        "lambeth",
        "--stage",
        "in-principle",
        "--date",
        "2023-01-10",
        "--body",
        "Cabinet",
    )
    ok(run, "member", "admit", "lambeth", "--date", "2023-02-14")
    ok(run, "director", "appoint", "Ann Lee", "--date", "2023-02-14")
    ok(run, "articles", "adopt", str(articles), "--date", "2023-02-14")


def test_a_representative_cannot_act_before_the_councils_admission(run, ledger):
    message = refused(
        run,
        ledger,
        "member",
        "representative",
        "lambeth",
        "--name",
        "Jo Bloggs",
        "--from",
        "2023-04-01",
        says="Lambeth is not a member",
    )
    assert "admit it before appointing its representative" in message
    ok(run, "member", "admit", "lambeth", "--date", "2023-04-01")
    message = refused(
        run,
        ledger,
        "member",
        "representative",
        "lambeth",
        "--name",
        "Jo Bloggs",
        "--from",
        "2023-03-31",
        says="admitted on 2023-04-01",
    )
    assert "from 2023-03-31, before that" in message
    ok(run, "member", "representative", "lambeth", "--name", "Jo Bloggs", "--from", "2023-04-01")


# -- commands that plan keep taking future dates -------------------------------------------------
def test_planning_commands_take_future_dates(story, ledger):
    run = story
    ok(run, "settings", "set", "invoice_due_days", "45", "--from", "2027-04-01")
    dry = ok(run, "invoice", "run", "--year", "2025", "--date", "2027-01-01", "--dry-run", "--json")
    assert dry.json()["dry_run"] is True
    ok(run, "meeting", "convene", "--at", "2027-03-01T10:00", "--sent", "2026-11-23T12:00")
    ok(run, "board", "meeting", "--date", "2027-01-15")
    ok(
        run,
        "resolution",
        "propose",
        "--title",
        "Next year's budget",
        "--type",
        "ordinary",
        "--procedure",
        "written",
        "--date",
        "2027-01-04",
    )


# -- the library refuses too when told today ------------------------------------------------------
def test_domain_functions_refuse_a_future_fact_given_today(story, ledger):
    with ledger.read() as s:
        camden = members.find(s, "camden")
    cases = [
        lambda s: accounts.pay(s, "PLV-2025-0001", Decimal(1), D(FAR), today=TODAY),
        lambda s: accounts.credit(s, "PLV-2025-0001", "x", D(FAR), Decimal(1), today=TODAY),
        lambda s: members.admit(s, members.find(s, "lambeth"), D(AFTER), today=TODAY),
        lambda s: exits.withdraw(s, members.find(s, "camden"), D(AFTER), today=TODAY),
        lambda s: resolutions.vote(
            s, resolutions.get(s, 1), members.find(s, "camden"), "for", D(AFTER), today=TODAY
        ),
        lambda s: proceedings.close(s, meetings.get(s, 1), today=TODAY),
        lambda s: appointments.appoint(s, "Dan Fox", D(AFTER), today=TODAY),
    ]
    before = head(ledger)
    for case in cases:
        with pytest.raises(InputError, match="after today"), ledger.write("test") as s:
            case(s)
    assert head(ledger) == before
    assert camden.admitted_on == D("2023-04-01")
    # and, whatever the day, no admission before the company could exist
    with pytest.raises(InputError, match="before 2009-10-01"), ledger.write("test") as s:
        members.admit(s, members.find(s, "lambeth"), D("1900-01-01"))
    with pytest.raises(RuleError, match="not a member"), ledger.write("test") as s:
        members.appoint_representative(s, members.find(s, "lambeth"), "Jo", D("2023-04-01"))
