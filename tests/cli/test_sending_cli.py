"""Sending the papers through a real SMTP server on 127.0.0.1 (aiosmtpd): agreements to email
(CA 2006 Sch. 5), the send log, at most once per document and member, deemed service from the
log (s.1147)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
from collections.abc import Iterator
from datetime import date

import pytest
from pypdf import PdfReader

from plvgov.correspondence import agreements, log
from plvgov.membership import members
from plvgov.sending import mail
from tests.cli.helpers import head_of, refused_cleanly
from tests.conftest import PLVGOV_BIN, proc_env
from tests.smtp_server import Server, free_port
from tests.stories import admit

NOW = "2026-11-23T14:00"  # a Monday: 48 working hours later is Wednesday 25 November 14:00
FROM = "secretary@plv.london"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    server = Server().start()
    monkeypatch.setenv("PLVGOV_SMTP_URL", server.url)
    monkeypatch.setenv("PLVGOV_NOW", NOW)
    try:
        yield server
    finally:
        server.stop()


def _slug_of(message, slugs: list[str]) -> str:
    (slug,) = [s for s in slugs if f"clerk@{s}.gov.uk" in message["To"]]
    return slug


def _members(ledger, slugs: list[str] | None, paper: tuple[str, ...] = ()) -> list[str]:
    """Admit councils (all 33 when ``slugs`` is None) and record their agreements to email,
    except those in ``paper``."""
    with ledger.read() as s:
        every = [m.slug for m in members.everyone(s)]
    chosen = every if slugs is None else slugs
    for slug in chosen:
        admit(ledger, slug)
        if slug in paper:
            continue
        with ledger.write("test: email") as s:
            agreements.agree(s, members.find(s, slug), f"clerk@{slug}.gov.uk", date(2026, 4, 1))
    return chosen


@pytest.fixture
def company(run, ledger) -> None:
    assert run("settings", "set", "registered_email", FROM).code == 0


def _convene(run) -> int:
    result = run(
        "meeting", "convene", "--at", "2026-12-15T10:00", "--place", "Barnet House", "--json"
    )
    assert result.code == 0, result.err
    data = result.json()
    assert data["deemed_served_at"] is None and data["notice_ok"] is False
    return int(data["id"])


def test_notice_goes_to_33_councils_and_fixes_deemed_service(run, ledger, company, smtp, tmp_path):
    chosen = _members(ledger, None)
    assert len(chosen) == 33
    meeting = _convene(run)
    result = run("send", "notice", str(meeting), "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert len(data["sent"]) == 33 and data["failed"] == [] and data["posted_needed"] == []
    box = smtp.box
    assert len(box.messages) == 33
    to = sorted(rcpts[0] for _, rcpts in box.envelopes)
    assert to == sorted(f"clerk@{slug}.gov.uk" for slug in chosen)
    assert {sender for sender, _ in box.envelopes} == {FROM}
    first = box.messages[0]
    assert first["Subject"].startswith(f"Notice of general meeting {meeting} on 15 December 2026")
    assert "Pan-London Vehicle Limited" in first["From"] and FROM in first["From"]
    assert first["Reply-To"] == FROM
    assert first["Date"] == "Mon, 23 Nov 2026 14:00:00 +0000"
    ids = {m["Message-ID"] for m in box.messages}
    assert len(ids) == 33 and all(i.startswith("<") and i.endswith("@plv.london>") for i in ids)
    body = first.get_body(("plain",)).get_content()
    assert "s.1145" in body and "Company Secretary" in body and "company number 14712345" in body
    (attachment,) = list(first.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"notice-{meeting}-{_slug_of(first, chosen)}.pdf"
    pdf = attachment.get_content()
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "Barnet House" in text and "15 December 2026" in text
    assert "deemed given 48 hours after it is sent" in text
    # every council gets the same notice: each copy is filled from the ledger as it was before
    # the first went (the first delivery fixes the meeting's deemed service, not the papers)
    last = box.messages[-1]
    (last_pdf,) = list(last.iter_attachments())
    last_pages = PdfReader(io.BytesIO(last_pdf.get_content())).pages
    assert " ".join(" ".join(p.extract_text() for p in last_pages).split()) == text

    # the log is the record: 33 rows sent, each with the Message-ID the server got
    listing = run("sends", "list", "--kind", "notice", "--json").json()
    assert len(listing) == 33 and {r["status"] for r in listing} == {"sent"}
    assert {r["message_id"] for r in listing} == ids
    assert {r["sent_at"] for r in listing} == {"2026-11-23T14:00:00"}

    # the law's clock follows from the last copy (s.1147: 48 working hours; 14 clear days)
    shown = run("meeting", "show", str(meeting), "--json").json()
    assert shown["deemed_served_at"] == "2026-11-25T14:00:00"
    assert shown["earliest_valid_on"] == "2026-12-10"
    assert shown["notice_ok"] is True
    assert shown["notice_fixed_by"]["message_id"] in ids
    text_view = run("meeting", "show", str(meeting))
    assert "Fixed by" in text_view.out

    # a re-run sends nothing
    again = run("send", "notice", str(meeting), "--json")
    assert again.code == 0
    assert again.json()["sent"] == [] and len(again.json()["skipped"]) == 33
    assert len(box.messages) == 33


def test_a_refused_recipient_is_retried_next_run_and_only_then_fixes_the_notice(
    run, ledger, company, smtp
):
    _members(ledger, ["camden", "hackney", "barnet", "bromley"])
    meeting = _convene(run)
    smtp.box.refuse = {"clerk@hackney.gov.uk"}
    first = run("send", "notice", str(meeting), "--json")
    assert first.code == 0
    data = first.json()
    assert len(data["sent"]) == 3
    assert [(f["member"], f["status"]) for f in data["failed"]] == [("Hackney", "refused")]
    assert "550" in data["failed"][0]["detail"]
    rows = {r["member"]: r for r in run("sends", "list", "--json").json()}
    assert rows["Hackney"]["status"] == "refused" and rows["Hackney"]["sent_at"] is None
    shown = run("meeting", "show", str(meeting), "--json").json()
    assert shown["deemed_served_at"] is None and shown["notice_waiting"] == ["Hackney"]

    smtp.box.refuse = set()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLVGOV_NOW", "2026-11-27T16:30")  # a Friday: deemed Tuesday 16:30
        second = run("send", "notice", str(meeting), "--json")
    assert second.code == 0
    assert [s["member"] for s in second.json()["sent"]] == ["Hackney"]
    assert len(smtp.box.messages) == 4
    assert [rcpt for _, (rcpt,) in smtp.box.envelopes].count("clerk@hackney.gov.uk") == 1
    shown = run("meeting", "show", str(meeting), "--json").json()
    assert shown["deemed_served_at"] == "2026-12-01T16:30:00"
    assert shown["notice_fixed_by"]["member"] == "Hackney"


def test_a_server_that_breaks_off_halfway_leaves_the_log_exact(run, ledger, company, smtp):
    chosen = _members(ledger, ["camden", "hackney", "barnet", "bromley", "sutton", "merton"])
    meeting = _convene(run)
    smtp.box.break_after = 2
    result = run("send", "notice", str(meeting), "--json")
    assert result.code == 1
    assert result.err.startswith("Error: the mail server broke off (421")
    data = result.json()
    assert len(data["sent"]) == 2 and len(data["failed"]) == 1
    rows = run("sends", "list", "--json").json()
    assert sorted(r["status"] for r in rows) == ["failed", "sent", "sent"]  # the rest not tried
    got = {rcpt for _, (rcpt,) in smtp.box.envelopes}
    sent_rows = {r["address"] for r in rows if r["status"] == "sent"}
    assert got == sent_rows

    smtp.box.break_after = None
    again = run("send", "notice", str(meeting), "--json")
    assert again.code == 0
    assert len(again.json()["sent"]) == 4 and len(again.json()["skipped"]) == 2
    delivered = [rcpt for _, (rcpt,) in smtp.box.envelopes]
    assert sorted(delivered) == sorted(f"clerk@{s}.gov.uk" for s in chosen)  # each once


def test_server_down_logs_nothing_and_says_so(run, ledger, company, monkeypatch):
    _members(ledger, ["camden"])
    meeting = _convene(run)
    monkeypatch.setenv("PLVGOV_SMTP_URL", f"smtp://127.0.0.1:{free_port()}")
    line = refused_cleanly(
        run, ledger, "send", "notice", str(meeting), says="cannot reach the mail server 127.0.0.1"
    )
    assert "run the same command again" in line
    assert run("sends", "list", "--json").json() == []


def test_an_uncertain_copy_is_not_sent_again_unless_asked(run, ledger, company, smtp):
    _members(ledger, ["camden", "hackney"])
    meeting = _convene(run)
    # a run killed between its two commits leaves the row `sending`
    with ledger.write("test: crashed run") as s:
        log.begin(
            s,
            kind="notice",
            document=f"notice:{meeting}",
            member=members.find(s, "camden"),
            address="clerk@camden.gov.uk",
            subject="Notice",
            message_id="<crash@plv.london>",
            at=date(2026, 11, 23) and __import__("datetime").datetime(2026, 11, 23, 13),
        )
    result = run("send", "notice", str(meeting), "--json")
    assert result.code == 0
    data = result.json()
    assert [s["member"] for s in data["sent"]] == ["Hackney"]
    assert data["failed"][0]["status"] == "uncertain"
    assert data["failed"][0]["message_id"] == "<crash@plv.london>"
    assert len(smtp.box.messages) == 1
    shown = run("meeting", "show", str(meeting), "--json").json()
    assert shown["deemed_served_at"] is None  # not known that Camden has it
    plain = run("send", "notice", str(meeting))
    assert "--retry-uncertain" in plain.out and "<crash@plv.london>" in plain.out
    again = run("send", "notice", str(meeting), "--retry-uncertain", "--json")
    assert [s["member"] for s in again.json()["sent"]] == ["Camden"]
    assert len(smtp.box.messages) == 2
    assert run("meeting", "show", str(meeting), "--json").json()["deemed_served_at"] is not None


def test_paper_for_members_without_agreement_and_posting_counts(run, ledger, company, smtp):
    _members(ledger, ["camden", "hackney"], paper=("hackney",))
    meeting = _convene(run)
    data = run("send", "notice", str(meeting), "--json").json()
    assert [p["member"] for p in data["posted_needed"]] == ["Hackney"]
    assert run("meeting", "show", str(meeting), "--json").json()["deemed_served_at"] is None
    posted = run("send", "notice", str(meeting), "--posted", "hackney", "--at", "2026-11-23T17:00")
    assert posted.code == 0, posted.err
    shown = run("meeting", "show", str(meeting), "--json").json()
    assert shown["deemed_served_at"] == "2026-11-25T17:00:00"  # s.1147(2): post, 48 hours
    assert shown["notice_fixed_by"]["method"] == "post"
    refused_cleanly(
        run,
        ledger,
        "send",
        "notice",
        str(meeting),
        "--posted",
        "hackney",
        "--at",
        "2026-11-23T18:00",
        says="already posted",
    )
    refused_cleanly(
        run,
        ledger,
        "send",
        "notice",
        str(meeting),
        "--posted",
        "camden",
        "--at",
        "2026-11-30T09:00",
        says="after today",
    )


def test_outbox_writes_eml_files_and_logs_them(run, ledger, company, tmp_path, monkeypatch):
    monkeypatch.setenv("PLVGOV_NOW", NOW)
    monkeypatch.delenv("PLVGOV_SMTP_URL", raising=False)
    _members(ledger, ["camden", "hackney"])
    meeting = _convene(run)
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    dry = run("send", "notice", str(meeting), "--dry-run", "--json")
    assert [s["status"] for s in dry.json()["sent"]] == ["would-send", "would-send"]
    assert list(outbox.iterdir()) == [] and run("sends", "list", "--json").json() == []
    result = run("send", "notice", str(meeting), "--outbox", str(outbox), "--json")
    assert result.code == 0, result.err
    files = sorted(p.name for p in outbox.iterdir())
    assert files == [f"notice-{meeting}-camden.eml", f"notice-{meeting}-hackney.eml"]
    rows = run("sends", "list", "--json").json()
    assert {r["status"] for r in rows} == {"outbox"}
    # handed to another system: the notice is not deemed served until its sending is recorded
    assert run("meeting", "show", str(meeting), "--json").json()["deemed_served_at"] is None
    assert (
        run("send", "notice", str(meeting), "--outbox", str(outbox), "--json").json()["sent"] == []
    )


def test_member_email_agreement_and_revocation(run, ledger):
    admit(ledger, "camden")
    before = head_of(ledger)
    ok = run(
        "member",
        "email",
        "camden",
        "--address",
        "dem.services@camden.gov.uk",
        "--agreed-on",
        "2026-04-01",
    )
    assert ok.code == 0, ok.err
    assert head_of(ledger) == before + 1
    assert run("member", "show", "camden", "--json").json()["documents_by"] == {
        "method": "email",
        "address": "dem.services@camden.gov.uk",
        "agreed_on": "2026-04-01",
    }
    shown = run("member", "show", "camden").out
    assert "Documents by:" in shown
    assert "email to dem.services@camden.gov.uk (agreed 1 April 2026)" in shown
    refused_cleanly(
        run,
        ledger,
        "member",
        "email",
        "camden",
        "--address",
        "not an address",
        "--agreed-on",
        "2026-05-01",
        says="is not an email address",
    )
    refused_cleanly(
        run, ledger, "member", "email", "camden", "--revoked-on", "2026-12-01", says="after today"
    )
    refused_cleanly(run, ledger, "member", "email", "camden", code=2, says="--address")
    assert run("member", "email", "camden", "--revoked-on", "2026-10-01").code == 0
    assert run("member", "show", "camden", "--json").json()["documents_by"]["method"] == "post"
    assert "post: no agreement to email" in run("member", "show", "camden").out
    before_revoked = run("member", "show", "camden", "--at", "2026-09-30", "--json").json()
    assert before_revoked["documents_by"]["method"] == "email"
    with ledger.read() as s:
        m = members.find(s, "camden")
        assert agreements.address_on(s, m, date(2026, 9, 30)) == "dem.services@camden.gov.uk"
        assert agreements.address_on(s, m, date(2026, 10, 1)) is None


def test_relay_url_forms(monkeypatch):
    monkeypatch.setenv("PLVGOV_SMTP_URL", "smtps://plv%40council.gov.uk@relay.council.gov.uk")
    monkeypatch.setenv("PLVGOV_SMTP_PASSWORD", "s3cret")
    relay = mail.Relay.from_environment()
    assert (relay.host, relay.port, relay.tls, relay.user) == (
        "relay.council.gov.uk",
        465,
        True,
        "plv@council.gov.uk",
    )
    monkeypatch.delenv("PLVGOV_SMTP_PASSWORD")
    with pytest.raises(Exception, match="PLVGOV_SMTP_PASSWORD"):
        mail.Relay.from_environment()
    monkeypatch.setenv("PLVGOV_SMTP_URL", "http://relay")
    with pytest.raises(Exception, match="not smtp://"):
        mail.Relay.from_environment()


def test_a_written_resolution_is_circulated_by_its_first_copy(run, ledger, company, smtp):
    """s.290: copies sent on different days circulate it on the first; s.289 eligible members
    are those entitled that day; s.297 lapse 28 days beginning with it. Each member's copy
    carries its own reply slip only."""
    _members(ledger, ["camden", "hackney", "barnet"])
    proposed = run(
        "resolution",
        "propose",
        "--title",
        "Approve the pricing strategy",
        "--type",
        "ordinary",
        "--procedure",
        "written",
        "--json",
    )
    rid = str(proposed.json()["id"])
    smtp.box.refuse = {"clerk@hackney.gov.uk"}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLVGOV_NOW", "2026-11-20T09:30")
        mp.setenv("PLVGOV_TODAY", "2026-11-20")
        first = run("send", "written-resolution", rid, "--json")
    assert first.code == 0, first.err
    assert len(first.json()["sent"]) == 2
    shown = run("resolution", "show", rid, "--json").json()
    assert shown["circulated_on"] == "2026-11-20" and shown["lapses_on"] == "2026-12-17"
    assert shown["eligible"] == 3
    assert shown["circulated_by"]["sent_at"] == "2026-11-20T09:30:00"
    smtp.box.refuse = set()
    second = run("send", "written-resolution", rid, "--json")  # 23 November: the last copy
    assert [s["member"] for s in second.json()["sent"]] == ["Hackney"]
    shown = run("resolution", "show", rid, "--json").json()
    assert shown["circulated_on"] == "2026-11-20"  # the first day, not the last
    for message in smtp.box.messages:
        (pdf,) = [a.get_content() for a in message.iter_attachments()]
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        slips = text.count("Reply slip")
        assert slips == 1, text
        own = message["To"].split("<")[0].strip()
        assert f"Reply slip — {own}" in " ".join(text.split())
        assert "17 December 2026" in " ".join(text.split())


def test_a_hard_copy_on_request_is_due_in_21_days(run, ledger, company, smtp):
    """s.1145: asked for on Monday 23 November 2026, due by Monday 14 December."""
    _members(ledger, ["camden", "hackney"], paper=("hackney",))
    meeting = _convene(run)
    assert run("send", "notice", str(meeting)).code == 0
    refused_cleanly(
        run,
        ledger,
        "sends",
        "hard-copy",
        "notice",
        str(meeting),
        "hackney",
        "--requested-on",
        "2026-11-23",
        says="has not had notice 1 by email",
    )
    asked = run(
        "sends", "hard-copy", "notice", str(meeting), "camden", "--requested-on", "2026-11-23"
    )
    assert asked.code == 0, asked.err
    assert "due by 2026-12-14" in asked.out
    refused_cleanly(
        run,
        ledger,
        "sends",
        "hard-copy",
        "notice",
        str(meeting),
        "camden",
        "--requested-on",
        "2026-11-23",
        says="already asked",
    )
    due = [d for d in run("calendar", "--json").json() if d["kind"] == "hard_copy_due"]
    assert [(d["on"], d["subject"]) for d in due] == [("2026-12-14", "Camden")]
    late = run("check", "--at", "2026-12-15", "--json").json()
    assert any("hard copy" in f["message"] and f["subject"] == "Camden" for f in late)
    on_time = run("check", "--at", "2026-12-14", "--json").json()
    assert not any("hard copy" in f["message"] for f in on_time)
    posted = run("send", "notice", str(meeting), "--posted", "camden", "--at", "2026-11-23T16:00")
    assert posted.code == 0, posted.err
    assert [d for d in run("calendar", "--json").json() if d["kind"] == "hard_copy_due"] == []
    assert not any(
        "hard copy" in f["message"] for f in run("check", "--at", "2026-12-15", "--json").json()
    )
    # the copy by email still fixes the notice: posting a hard copy changes nothing
    rows = {r["member"]: r for r in run("sends", "list", "--json").json()}
    assert rows["Camden"]["status"] == "sent"


def test_a_send_killed_mid_message_sends_nothing_twice(run, ledger, ledger_url, company, smtp):
    """SIGKILL while the server holds message 3 unanswered: the log says 2 sent and 1
    uncertain with the Message-ID the server got; the re-run sends the rest, not that one;
    every message the server received is in the log, and no member gets two."""
    chosen = _members(ledger, ["camden", "hackney", "barnet", "bromley", "sutton", "merton"])
    meeting = _convene(run)
    smtp.box.hold_at = 3
    proc = subprocess.Popen(
        [PLVGOV_BIN, "send", "notice", str(meeting)],
        env=proc_env(ledger_url, PLVGOV_SMTP_URL=smtp.url, PLVGOV_NOW=NOW),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert smtp.box.holding.wait(120), "the send never reached message 3"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        smtp.box.release.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    rows = run("sends", "list", "--json").json()
    statuses = sorted(r["status"] for r in rows)
    assert statuses == ["sending", "sent", "sent"]
    received = {m["Message-ID"] for m in smtp.box.messages}
    assert len(received) == 3
    assert received == {r["message_id"] for r in rows}  # nothing received and unlogged
    (uncertain,) = [r for r in rows if r["status"] == "sending"]

    smtp.box.hold_at = None
    again = run("send", "notice", str(meeting), "--json")
    assert again.code == 0, again.err
    data = again.json()
    assert len(data["sent"]) == 3 and len(data["skipped"]) == 2
    assert [(f["member"], f["status"]) for f in data["failed"]] == [
        (uncertain["member"], "uncertain")
    ]
    delivered = sorted(rcpt for _, (rcpt,) in smtp.box.envelopes)
    assert delivered == sorted(f"clerk@{s}.gov.uk" for s in chosen)  # each exactly once
    assert run("meeting", "show", str(meeting), "--json").json()["deemed_served_at"] is None
    # the relay's log shows it arrived: record it, and the notice is served
    went = run("send", "notice", str(meeting), "--went", uncertain["member"], "--at", NOW)
    assert went.code == 0, went.err
    assert run("meeting", "show", str(meeting), "--json").json()["deemed_served_at"] == (
        "2026-11-25T14:00:00"
    )
    assert run("send", "notice", str(meeting), "--json").json()["sent"] == []
    assert len(smtp.box.messages) == 6


def test_a_notice_not_yet_sent_is_on_the_calendar_and_in_check_once_late(run, ledger, company):
    """Meeting on Tuesday 15 December 2026: 14 clear days need notice deemed given by Monday
    30 November; by email that is sent by Thursday 26 November (sent on Friday 27th it is
    deemed given on Tuesday 1 December, s.1147(5))."""
    _members(ledger, ["camden"])
    meeting = _convene(run)
    due = [d for d in run("calendar", "--json").json() if d["kind"] == "meeting_notice_by"]
    assert [d["on"] for d in due] == ["2026-11-26"]
    assert not any("notice" in f["message"] for f in run("check", "--json").json())
    late = run("check", "--at", "2026-11-27", "--json").json()
    assert any(f["subject"] == f"General meeting {meeting} on 2026-12-15 10:00" for f in late)


def test_billing_papers_and_exit_reminders_go_to_their_members(run, ledger, company, smtp):
    """Each kind's copy goes to the member it concerns, with that member's own paper."""
    from tests.stories import build_story

    build_story(ledger)
    with ledger.write("test: email") as s:
        for slug in ("barking-and-dagenham", "bromley", "sutton"):
            agreements.agree(s, members.find(s, slug), f"clerk@{slug}.gov.uk", date(2026, 4, 1))
    invoices = {i["member"]: i["number"] for i in run("invoice", "list", "--json").json()}
    bromley = invoices["Bromley"]
    sent = run("send", "invoice", bromley, "--json").json()
    assert [(s["member"], s["address"]) for s in sent["sent"]] == [
        ("Bromley", "clerk@bromley.gov.uk")
    ]
    credited = run("send", "credit-note", "CN-2026-0001", "--json").json()  # Bromley's £1,000
    assert [s["member"] for s in credited["sent"]] == ["Bromley"]
    year = run("send", "subscription-notice", "2026/27", "--json")
    assert year.code == 0, year.err
    year = year.json()
    assert sorted(s["member"] for s in year["sent"]) == ["Barking and Dagenham", "Bromley"]
    reminders = run("send", "exit-reminder", "2026-11-23", "--json")
    assert reminders.code == 0, reminders.err
    assert sorted(s["member"] for s in reminders.json()["sent"]) == [
        "Barking and Dagenham",
        "Bromley",
    ]  # Sutton gave notice: no reminder
    subjects = [m["Subject"] for m in smtp.box.messages]
    assert subjects[0] == f"Invoice {bromley} — Pan-London Vehicle Limited"
    for message in smtp.box.messages:
        (pdf,) = [a.get_content() for a in message.iter_attachments()]
        text = " ".join(
            " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split()
        )
        council = message["To"].split("<")[0].strip()
        assert council in text, (message["Subject"], council)
    kinds = {r["kind"] for r in run("sends", "list", "--json").json()}
    assert kinds == {"invoice", "credit-note", "subscription-notice", "exit-reminder"}
    only = run("sends", "list", "--kind", "invoice", "--json").json()
    assert [(r["member"], r["status"]) for r in only] == [("Bromley", "sent")]
    refused_cleanly(run, ledger, "send", "minutes", "1", says="cannot send 'minutes'")
    refused_cleanly(run, ledger, "send", "exit-reminder", "23/11/2026", says="YYYY-MM-DD")
