"""The board pack: what a director reads, checked in its context, its Markdown and its PDF."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from plvgov import audit
from plvgov.db import Ledger
from plvgov.documents import Request, render
from plvgov.documents.board_pack import build, opt_in_percent, opt_in_summary
from plvgov.documents.charts import (
    TITLE,
    draw_subscription,
    subscription_chart,
    subscription_description,
)
from plvgov.oversight import checks
from tests.conftest import TODAY
from tests.stories import at_two_sizes, build_story

D = date.fromisoformat


@pytest.fixture
def story(ledger: Ledger) -> Ledger:
    build_story(ledger)
    return ledger


def test_membership_counts_and_opt_in_progress(story: Ledger) -> None:
    with story.read() as session:
        pack = build(session, TODAY, None, TODAY)
    counts = {c.status: c.count for c in pack.counts}
    # Sutton left at the end of the 2026 break (31 March 2026); Westminster agreed in principle.
    assert counts == {
        "member": 2,
        "notice_given": 0,
        "in_principle": 1,
        "prospect": 29,
        "declined": 0,
        "ceased": 1,
    }
    assert (pack.opt_in.target, pack.opt_in.on_register, pack.opt_in.remaining) == (17, 2, 15)
    # 2 of 17 is 11.76…%: rounded half up, 12% (not 11%, which truncating gave).
    assert pack.opt_in.percent == 12
    assert pack.opt_in.summary == (
        "2 of the 17 councils needed are members (12%); 15 more are needed. "
        "1 more has agreed in principle."
    )
    assert [m.name for m in pack.members] == [
        "Barking and Dagenham",
        "Bromley",
        "Westminster",
        "Sutton",
    ]
    sutton = pack.members[-1]
    assert (sutton.status, sutton.leaving, sutton.representative) == (
        "Former member",
        "left 31 March 2026",
        None,
    )
    assert pack.members[0].representative == "Alex Morgan"
    assert pack.members[0].in_principle == "14 March 2023, Cabinet (Item 9)"


def test_opt_in_target_is_a_setting(story: Ledger) -> None:
    from plvgov import settings

    with story.write("test: target") as s:
        settings.set_value(
            s, "opt_in_target", "2", effective_from=D("2026-01-01"), authority="board", today=TODAY
        )
    with story.read() as session:
        pack = build(session, TODAY, None, TODAY)
    assert (pack.opt_in.remaining, pack.opt_in.percent) == (0, 100)
    assert pack.opt_in.summary == (
        "2 councils are members; 2 were needed: the target is met. 1 more has agreed in principle."
    )


@pytest.mark.parametrize(
    ("on_register", "target", "percent"),
    [(9, 17, 53), (2, 17, 12), (1, 8, 13), (1, 3, 33), (16, 17, 94), (17, 17, 100), (19, 17, 100)],
)
def test_opt_in_percent_rounds_the_exact_fraction_half_up(
    on_register: int, target: int, percent: int
) -> None:
    assert opt_in_percent(on_register, target) == percent


def test_opt_in_percent_says_100_only_once_the_target_is_met() -> None:
    assert opt_in_percent(199, 200) == 99  # 99.5% rounds to 100, but one council is missing
    assert opt_in_percent(200, 200) == 100


def test_opt_in_past_the_target_reads_as_a_person_writes_it() -> None:
    text = opt_in_summary(19, 17, 0, opt_in_percent(19, 17))
    assert text == (
        "19 councils are members; 17 were needed: the target is met. "
        "No other council has agreed in principle."
    )
    assert "of the 17" not in text
    assert opt_in_summary(9, 17, 2, 53) == (
        "9 of the 17 councils needed are members (53%); 8 more are needed. "
        "2 more have agreed in principle."
    )
    assert opt_in_summary(1, 17, 0, 6).startswith("1 of the 17 councils needed is a member (6%)")
    assert opt_in_summary(16, 17, 0, 94).startswith(
        "16 of the 17 councils needed are members (94%); 1 more is needed."
    )


def test_next_notice_deadline_is_highlighted(story: Ledger) -> None:
    with story.read() as session:
        pack = build(session, TODAY, None, TODAY)
    # After 23 November 2026 the next exit point is the cycle end, 31 March 2028, whose notice
    # deadline is 30 September 2027 (six months, month-end aware).
    assert pack.next_exit is not None
    assert (pack.next_exit.on, pack.next_exit.notice_deadline) == (D("2028-03-31"), D("2027-09-30"))
    assert [e.on for e in pack.exit_points] == [
        D("2026-03-31"),
        D("2028-03-31"),
        D("2033-03-31"),
        D("2038-03-31"),
    ]
    assert pack.exit_points[0].leaving == ["Sutton"] and pack.exit_points[0].deadline_passed
    assert [e.is_next for e in pack.exit_points] == [False, True, False, False]
    # On the deadline day itself it is still the next deadline; the day after, it is not.
    with story.read() as session:
        assert build(session, D("2027-09-30"), None, TODAY).next_exit.on == D("2028-03-31")
        assert build(session, D("2027-10-01"), None, TODAY).next_exit.on == D("2033-03-31")


def test_decisions_since(story: Ledger) -> None:
    with story.read() as session:
        recent = build(session, TODAY, D("2026-09-01"), TODAY)
        all_year = build(session, TODAY, D("2026-01-01"), TODAY)
    assert [(d.on, d.title, d.outcome) for d in recent.decisions] == [
        (D("2026-09-30"), "Receive the annual accounts", "passed")
    ]
    assert [d.kind for d in all_year.decisions] == [
        "special written resolution",
        "ordinary meeting resolution",
    ]


def test_markdown_reads_as_a_board_paper(story: Ledger) -> None:
    with story.read() as session:
        text = render(
            session, "board-pack", None, "md", Request(TODAY, since=D("2026-01-01"))
        ).decode("utf-8")
    for heading in (
        "# Board pack",
        "## 1. Membership",
        "## 2. Exit points and notices",
        "## 3. Money",
        "## 4. Decisions since 1 January 2026",
        "## 5. Deadlines to 23 May 2027",
        "## 6. Articles and the ledger check",
    ):
        assert f"\n{heading}\n" in f"\n{text}"
    assert "**Next notice deadline: 30 September 2027**" in text
    assert "| Sutton | 12 September 2025 | 31 March 2026 | Yes |" in text


def test_pdf_has_page_numbers_and_the_key_text(story: Ledger) -> None:
    with story.read() as session:
        pdf = render(session, "board-pack", None, "pdf", Request(TODAY))
        fingerprint = audit.fingerprint(session)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    text = " ".join(" ".join(pages).split())  # table cells wrap: compare words, not lines
    assert len(pages) >= 3
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    for phrase in (
        "Board pack",
        "Opt-in progress",
        "Barking and Dagenham",
        "Alex Morgan",
        "Next notice deadline: 30 September 2027",
        "Notices of withdrawal lodged",
        f"ledger fingerprint {fingerprint}",
        "Company number 14712345",
    ):
        assert phrase in text, phrase
    # The footer is on every page, not only the last.
    assert all("Pan-London Vehicle Limited" in page and fingerprint in page for page in pages)


def test_chart_is_deterministic_svg() -> None:
    years = ["2023/24", "2024/25", "2025/26", "2026/27"]
    amounts = [Decimal("20000.00"), Decimal("22135.27"), None, Decimal("23130.14")]
    cpi = [Decimal("20000.00"), Decimal("21400.00"), Decimal("21800.00"), None]
    first = draw_subscription(years, amounts, cpi)
    assert (
        first == draw_subscription(years, amounts, cpi) == subscription_chart(years, amounts, cpi)
    )
    assert first.startswith("<svg")
    assert "2026/27" in first and "£22,135" in first  # text stays text (svg.fonttype none)
    assert "<dc:date>" not in first


def test_chart_has_a_text_alternative() -> None:
    years = ["2025/26", "2026/27", "2027/28"]
    amounts = [Decimal("22135.27"), Decimal("22504.04"), None]
    cpi = [Decimal("21400.00"), Decimal("21800.00"), None]
    svg = subscription_chart(years, amounts, cpi)
    described = (
        "Subscription per member: 2025/26 £22,135.27; 2026/27 £22,504.04; 2027/28 not yet "
        "known. The base amount moved by CPI alone: 2025/26 £21,400.00; 2026/27 £21,800.00; "
        "2027/28 not yet known."
    )
    assert subscription_description(years, amounts, cpi) == described
    opening = svg[: svg.index(">") + 1]
    assert 'role="img"' in opening and f'aria-label="{TITLE}. {described}"' in opening
    # <title> is what a tagged PDF gives a screen reader for the figure (its /Alt).
    assert f"<title>{TITLE}. {described}</title>" in svg
    assert f"<desc>{described}</desc>" in svg


#: What a board paper must not show a director: a command line, a setting's name.
SECRETARY_WORDS = re.compile(r"`|plvgov |settings:|\b[a-z]+(?:_[a-z]+)+\b")
#: Dates on which the pack's deadlines come from settings and the terms, and check finds
#: commands to run (an unpaid invoice, a missing address, no incorporation date).
PACK_DATES = [D("2025-09-01"), D("2025-12-01"), D("2026-04-01"), TODAY]


def test_board_pack_is_written_for_directors_not_the_secretary(story: Ledger) -> None:
    texts = []
    with story.read() as session:
        for at in PACK_DATES:
            texts.append(render(session, "board-pack", None, "md", Request(at)).decode("utf-8"))
        pdf = render(session, "board-pack", None, "pdf", Request(D("2025-12-01")))
        secretary = " ".join(f.message for f in checks.run(session, TODAY))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    texts.append(" ".join(" ".join(pages).split()))
    for text in texts:
        assert SECRETARY_WORDS.findall(text) == [], text
    md = "\n".join(texts)
    # The rules behind deadlines, in words ...
    assert "| The notice period for withdrawal (6 months) |" in md
    assert "| The company's yearly date for subscription notices |" in md
    assert "| The company's payment terms |" in md
    assert "| The terms of membership (exit points) |" in md
    # ... the findings without their commands, their dates written the UK way ...
    assert "- **error** — Bromley: invoice PLV-2026-0002 £21,504.04 unpaid, due 1 May 2026\n" in md
    assert "- **info** — Incorporation date: no incorporation date, so no confirmation " in md
    assert "The company's payment terms" in texts[-1]  # the PDF too
    # ... while `plvgov check` still tells the secretary what to run.
    assert "record the payment with `plvgov invoice pay`" in secretary
    assert "`plvgov settings set incorporation_date YYYY-MM-DD`" in secretary


def _pdfinfo(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return {
        k.strip(): v.strip()
        for k, _, v in (line.partition(":") for line in out.stdout.splitlines())
    }


@pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) is not installed"
)
@pytest.mark.parametrize("kind", ["board-pack", "register"])
def test_pdf_is_tagged_for_a_screen_reader(story: Ledger, tmp_path: Path, kind: str) -> None:
    with story.read() as session:
        pdf = render(session, kind, None, "pdf", Request(D("2026-11-20"), at=TODAY))
    info = _pdfinfo(pdf, tmp_path)
    assert info["Tagged"] == "yes"
    assert info["Author"] == "Pan-London Vehicle Limited"
    assert info["Title"].endswith("— Pan-London Vehicle Limited")
    assert info["CreationDate"].startswith("Fri Nov 20 ")  # the paper's generated date
    assert info["CreationDate"].endswith(" 2026 UTC")
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    if kind == "board-pack":
        assert info["Title"] == "Board pack — Pan-London Vehicle Limited"
        assert info["Subject"] == "Board pack as at 23 November 2026"
        # the chart is a tagged figure whose alternative text gives its figures
        alts = _figure_alts(pdf)
        assert alts.startswith(f"{TITLE}. Subscription per member: ")
        assert "2026/27 £22,504.04" in alts


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)
def test_a_pdf_draws_its_charts_while_a_worker_lays_out_its_pages(
    story: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plvgov.documents import pdf
    from plvgov.documents.batch import Shared

    monkeypatch.setenv("PLVGOV_CACHE_DIR", str(tmp_path / "cache"))  # no chart kept yet
    request = Request(D("2026-11-20"), at=TODAY)
    sent: list[str] = []
    with pdf.Workers(1) as workers, story.read() as session:
        submit = workers.submit
        monkeypatch.setattr(
            workers, "submit", lambda html, late: sent.append(html) or submit(html, late)
        )
        late = render(session, "board-pack", None, "pdf", request, shared=Shared(workers))
        # the chart is named in the document the worker got, and drawn (and kept) meanwhile
        assert "plvgov-late:chart-subscription-" in sent[0] and "<path" not in sent[0]
        assert len(list((tmp_path / "cache").glob("chart-subscription-*.svg"))) == 1
        inline = render(session, "board-pack", None, "pdf", request)  # the chart kept: inline

    # The same paper, pixel for pixel, its figure described the same way for a screen reader.
    def pages(made: bytes, name: str) -> list[bytes]:
        (tmp_path / f"{name}.pdf").write_bytes(made)
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(tmp_path / f"{name}.pdf"),
                        str(tmp_path / name)], check=True)  # fmt: skip
        return [png.read_bytes() for png in sorted(tmp_path.glob(f"{name}-*.png"))]

    assert len(pages(late, "late")) > 3
    assert pages(late, "late") == pages(inline, "inline")
    assert _figure_alts(late) == _figure_alts(inline) and TITLE in _figure_alts(late)


def test_markdown_draws_no_chart_and_html_has_it_inline(
    story: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "cache"
    monkeypatch.setenv("PLVGOV_CACHE_DIR", str(kept))  # no chart kept yet
    request = Request(D("2026-11-20"), at=TODAY)
    with story.read() as session:
        md = render(session, "board-pack", None, "md", request).decode()
        assert md.startswith("**Pan-London Vehicle Limited**") and "# Board pack" in md
        assert not list(kept.glob("chart-*.svg"))  # Markdown shows no chart: none drawn
        html = render(session, "board-pack", None, "html", request).decode()
    assert "plvgov-late:" not in html
    (chart,) = kept.glob("chart-subscription-*.svg")  # drawn for the HTML, and kept
    assert chart.read_text(encoding="utf-8") in html


def _figure_alts(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    found: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                found.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return " ".join(found)


def test_money_for_the_current_year_and_arrears(story: Ledger) -> None:
    with story.read() as session:
        pack = build(session, TODAY, None, TODAY)
    money = pack.money
    # Two 2026/27 invoices of £22,504.04 (£20,000 × 139.3 ÷ 123.8, rounded once, half up).
    assert money.year == "2026/27" and money.invoices == 2
    assert money.invoiced == Decimal("45008.08")
    assert (money.paid, money.credited) == (Decimal("22504.04"), Decimal("1000.00"))
    assert money.outstanding == Decimal("21504.04")
    # Bromley's invoice was due on 1 May 2026: 206 days overdue on 23 November 2026.
    assert [(a.member, a.balance, a.days_overdue) for a in money.arrears] == [
        ("Bromley", Decimal("21504.04"), 206)
    ]
    assert pack.chart_svg is not None and "<svg" in pack.chart_svg
    # Before the due date nothing is in arrears.
    with story.read() as session:
        assert build(session, D("2026-05-01"), None, TODAY).money.arrears == []


def test_demo_chapter_writes_the_papers(story: Ledger, tmp_path: Path) -> None:
    from plvgov.demo import documents as chapter
    from plvgov.demo.story import Story

    lines = chapter.build(Story(story, TODAY, tmp_path))
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "board-pack.html",
        "board-pack.pdf",
        "register-of-members.csv",
        "register-of-members.pdf",
    ]
    assert (out / "board-pack.pdf").read_bytes().startswith(b"%PDF-")
    html = (out / "board-pack.html").read_text("utf-8")
    assert "<h2>1. Membership</h2>" in html
    assert lines == [
        f"Papers in {out}: board-pack.pdf, board-pack.html, "
        "register-of-members.pdf, register-of-members.csv"
    ]


def test_board_pack_costs_the_same_statements_for_more_members(ledger: Ledger) -> None:
    (small, pack), (grown, bigger) = at_two_sizes(ledger, lambda s: build(s, TODAY, None, TODAY))
    # 20 more members, each with decisions, most with a representative, 7 with a notice: the
    # pack lists them all, yet reads them in the same statements.
    assert (len(pack.members), len(bigger.members)) == (33, 53)
    assert (len(pack.notices), len(bigger.notices)) == (11, 18)
    assert sum(m.representative is not None for m in bigger.members) > sum(
        m.representative is not None for m in pack.members
    )
    assert grown == small
