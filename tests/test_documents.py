"""The template system: override precedence, ``default:`` extension, the sandbox,
StrictUndefined, documented contexts, and golden files for every document kind."""

from __future__ import annotations

import io
import re
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import TypeVar

import jinja2
import pytest
from jinja2 import meta
from sqlmodel import Session

from plvgov import audit
from plvgov.db import Ledger
from plvgov.documents import Request, contexts, kinds, render
from plvgov.documents.contexts import DocumentContext, ExitReminderContext, RegisterContext
from plvgov.documents.engine import Engine, shipped_templates
from plvgov.errors import InputError, RuleError, UsageError
from plvgov.membership import members
from tests.conftest import TODAY
from tests.stories import at_two_sizes, build_story

D = date.fromisoformat
T = TypeVar("T")
GOLDEN = Path(__file__).parent / "golden"
REQUEST = Request(generated_on=TODAY)


@pytest.fixture
def story(ledger: Ledger) -> Ledger:
    build_story(ledger)
    return ledger


def render_text(
    ledger: Ledger,
    kind: str,
    ident: str | None = None,
    fmt: str = "md",
    overrides: list[Path] | None = None,
    request: Request = REQUEST,
) -> str:
    with ledger.read() as session:
        return render(session, kind, ident, fmt, request, overrides or []).decode("utf-8")


def fingerprint(ledger: Ledger) -> str:
    with ledger.read() as session:
        return audit.fingerprint(session)


def test_register_and_exit_reminders_cost_the_same_for_more_members(ledger: Ledger) -> None:
    def papers(session: Session) -> tuple[RegisterContext, ExitReminderContext]:
        return (
            contexts.register(session, TODAY, TODAY),
            contexts.exit_reminder(session, None, TODAY, TODAY),
        )

    (small, (register, reminders)), (grown, (register2, reminders2)) = at_two_sizes(ledger, papers)
    # 53 members; one in three gave notice, half of those are gone (former members stay on the
    # register), and a member that gave notice gets no reminder.
    assert (len(register.entries), len(register2.entries)) == (33, 53)
    assert (len(reminders.letters), len(reminders2.letters)) == (22, 35)
    assert grown == small


# -- golden files -----------------------------------------------------------------------------
#: (kind, id, financial year) for every kind; ids are the story's.
GOLDEN_CASES = [
    ("register", None, None),
    ("psc-register", None, None),
    ("directors-register", None, None),
    ("exit-reminder", None, None),
    ("exit-reminder", "bromley", None),
    ("board-pack", None, None),
    ("notice", "1", None),
    ("written-resolution", "1", None),
    ("minutes", "1", None),
    ("resolution-copy", "1", None),
    ("invoice", "PLV-2026-0001", None),
    ("invoice", "PLV-2026-0002", None),
    ("credit-note", "CN-2026-0001", None),
    ("reminder", "PLV-2026-0002", None),
    ("statement", "bromley", None),
    ("subscription-notice", "bromley", "2026"),
]


#: The print CSS every HTML document inlines in its head: left out of the golden files, so a
#: change of style does not rewrite every one of them (the SVG chart's own style stays).
PRINT_STYLE = re.compile(r"^<style>\n.*?^</style>\n", re.DOTALL | re.MULTILINE)


def without_print_style(text: str) -> str:
    return PRINT_STYLE.sub("", text, count=1)


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(("kind", "ident", "year"), GOLDEN_CASES)
def test_golden(
    story: Ledger,
    kind: str,
    ident: str | None,
    year: str | None,
    fmt: str,
    request: pytest.FixtureRequest,
) -> None:
    if story.url.startswith("postgresql"):
        pytest.skip("golden files are compared once, on SQLite")
    text = render_text(story, kind, ident, fmt, request=Request(TODAY, year=year))
    # The audit hash depends on the events' clock times; the sequence number does not.
    text = text.replace(fingerprint(story), "SEQ:FINGERPRINT")
    if fmt == "html":
        assert PRINT_STYLE.search(text), "the HTML no longer inlines its print CSS in <head>"
        text = without_print_style(text)
    name = f"{kind}{'-' + ident if ident else ''}.{fmt}"
    path = GOLDEN / name
    if request.config.getoption("--update-golden"):
        path.write_text(text, encoding="utf-8")
    elif not path.exists():
        pytest.fail(f"no golden file {name}; run pytest --update-golden and review it")
    golden = path.read_text(encoding="utf-8")
    if fmt == "html":
        golden = without_print_style(golden)
    assert text == golden, f"{name} differs; review, then --update-golden"


def test_footer_names_company_date_and_fingerprint(story: Ledger) -> None:
    for fmt in ("md", "html"):
        text = render_text(story, "register", fmt=fmt)
        assert "Pan-London Vehicle Limited" in text
        assert "Company number 14712345" in text
        assert "2 Bristol Avenue, London NW9 4EW" in text
        assert "generated 23 November 2026" in text
        assert f"ledger fingerprint {fingerprint(story)}" in text


# -- what the documents say -------------------------------------------------------------------
def test_register_keeps_former_members_and_dates(story: Ledger) -> None:
    # CA 2006 s.113: name, address, date entered, date ceased; s.121: former members kept.
    text = render_text(story, "register")
    assert "| London Borough of Sutton (E09000029) | — | 1 April 2023 | 31 March 2026 |" in text
    assert "1 Town Square, Barking IG11 7LU" in text
    assert "2 current members, 1 former member." in text
    # Before the break Sutton is still a member, its notice noted; the prospect never appears.
    earlier = render_text(story, "register", request=Request(TODAY, at=D("2026-03-31")))
    assert "notice of withdrawal given; ceases at the end of 31 March 2026" in earlier
    assert "Westminster" not in earlier


def test_register_csv_is_excel_safe(story: Ledger) -> None:
    with story.write("test: address") as s:
        members.find(s, "bromley").address = '=HYPERLINK("x")'
        audit.record(s, "member.address", "bromley")
    lines = render_text(story, "register", fmt="csv").splitlines()
    assert lines[0] == "name,gss_code,address,entered_on,ceased_on,note"
    bromley = next(line for line in lines if line.startswith("London Borough of Bromley"))
    assert bromley.startswith("London Borough of Bromley,E09000006,\"'=HYPERLINK")


def test_exit_reminder_names_deadline_subscription_and_guarantee(story: Ledger) -> None:
    text = render_text(story, "exit-reminder", "bromley")
    # The next exit point after 23 November 2026 is the cycle end, 31 March 2028; notice must
    # be received six months before (month-end aware): 30 September 2027.
    assert "**31 March 2028**" in text
    assert "no later than **30 September 2027**" in text
    assert "up to and including financial year 2027/28" in text
    assert "£1.00 on a winding up continues until 31 March 2029" in text  # IA 1986 s.74(2)(a)
    assert "Dear Priya Shah" in text


def test_exit_reminder_for_every_member_leaves_out_those_that_gave_notice(story: Ledger) -> None:
    text = render_text(story, "exit-reminder")
    assert "London Borough of Bromley may leave" in text
    assert "London Borough of Barking and Dagenham may leave" in text
    assert "Sutton" not in text.split("---")[0]
    with pytest.raises(RuleError, match="gave notice on 2025-09-12"):
        render_text(story, "exit-reminder", "sutton")


def test_unknown_kind_and_format_are_usage_errors(story: Ledger) -> None:
    with pytest.raises(UsageError, match="unknown document kind 'agenda'"):
        render_text(story, "agenda")
    with pytest.raises(UsageError, match="exit-reminder comes as md, html, pdf, docx, not csv"):
        render_text(story, "exit-reminder", fmt="csv")
    with pytest.raises(UsageError, match="needs an ID"):
        render_text(story, "notice")


# -- overrides, default:, sandbox, StrictUndefined --------------------------------------------
def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return folder


def test_override_wins_and_first_folder_wins(story: Ledger, tmp_path: Path) -> None:
    first = _write(tmp_path / "a", "registers/members.md", "FIRST {{ current_count }}\n")
    second = _write(tmp_path / "b", "registers/members.md", "SECOND\n")
    assert render_text(story, "register", overrides=[first, second]) == "FIRST 2\n"
    assert render_text(story, "register", overrides=[second, first]) == "SECOND\n"
    # A folder without that template falls through to the shipped one.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "# Register of members" in render_text(story, "register", overrides=[empty])


def test_override_extends_one_block_of_the_default(story: Ledger, tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        "registers/members.html",
        '{% extends "default:registers/members.html" %}'
        "{% block content %}<p>Our own preface</p>{{ super() }}{% endblock %}",
    )
    html = render_text(story, "register", fmt="html", overrides=[folder])
    assert "<p>Our own preface</p>" in html
    assert "<h1>Register of members</h1>" in html  # the stock block, via super()
    assert "ledger fingerprint" in html  # the stock layout around it


def test_override_of_a_partial_changes_every_document(story: Ledger, tmp_path: Path) -> None:
    folder = _write(tmp_path, "_partials/footer.md", "\nOUR FOOTER {{ fingerprint }}\n")
    text = render_text(story, "register", overrides=[folder])
    assert text.rstrip().endswith(f"OUR FOOTER {fingerprint(story)}")


def test_html_and_markdown_are_each_escaped(story: Ledger) -> None:
    with story.write("test: address") as s:
        members.find(s, "bromley").address = "<script>alert(1)</script> & *Co*"
        audit.record(s, "member.address", "bromley")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *Co*" in render_text(
        story, "register", fmt="html"
    )
    # Markdown: no raw HTML, no emphasis; a plain ampersand stays one.
    assert r"&lt;script\>alert(1)&lt;/script\> & \*Co\*" in render_text(story, "register")


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ entries.__class__.__subclasses__() }}",
        "{{ company.__init__.__globals__ }}",
        "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_sandbox_refuses_python_internals(story: Ledger, tmp_path: Path, attack: str) -> None:
    folder = _write(tmp_path, "registers/members.md", attack)
    with pytest.raises(InputError) as caught:
        render_text(story, "register", overrides=[folder])
    assert "sandbox forbids" in caught.value.message
    assert "\n" not in caught.value.message


def test_undefined_name_fails_loudly(story: Ledger, tmp_path: Path) -> None:
    folder = _write(tmp_path, "registers/members.md", "Dear {{ member_name }},\n")
    with pytest.raises(InputError, match="'member_name' is undefined"):
        render_text(story, "register", overrides=[folder])
    folder = _write(tmp_path, "registers/members.md", "{{ entries[0].nmae }}\n")
    with pytest.raises(InputError, match="nmae"):
        render_text(story, "register", overrides=[folder])


def test_template_syntax_error_names_file_and_line(story: Ledger, tmp_path: Path) -> None:
    folder = _write(tmp_path, "registers/members.md", "ok\n{% if %}\n")
    with pytest.raises(InputError, match=r"registers/members.md line 2"):
        render_text(story, "register", overrides=[folder])


# -- every template uses only its context's documented names ----------------------------------
def _names(env: jinja2.Environment, name: str) -> set[str]:
    source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    return meta.find_undeclared_variables(env.parse(source))


def test_templates_use_only_documented_context_names() -> None:
    env = Engine().env
    shipped = shipped_templates()
    checked = set()
    base_names = {f.name for f in fields(DocumentContext)}
    for spec in kinds().values():
        allowed = {f.name for f in fields(spec.context)}
        assert base_names <= allowed, f"{spec.context.__name__} lacks the common fields"
        for ext in ("md", "html"):
            name = f"{spec.template}.{ext}"
            assert (shipped / name).is_file(), f"{spec.name} has no {name}"
            undocumented = _names(env, name) - allowed
            assert not undocumented, f"{name} uses {undocumented}, not in {spec.context.__name__}"
            checked.add(name)
        # a kind's own sections (board_pack/_home.html) see the kind's context
        folder = (shipped / spec.template).parent
        for path in sorted(folder.glob("_*.*")) if folder != shipped else []:
            name = str(path.relative_to(shipped))
            undocumented = _names(env, name) - allowed
            assert not undocumented, f"{name} uses {undocumented}, not in {spec.context.__name__}"
            checked.add(name)
    for path in sorted((shipped / "_partials").glob("*.*")):
        name = f"_partials/{path.name}"
        if path.suffix in (".md", ".html"):
            assert not _names(env, name) - base_names, f"{name} uses names beyond DocumentContext"
            checked.add(name)
    every = {
        str(p.relative_to(shipped)) for p in shipped.rglob("*.*") if p.suffix in (".md", ".html")
    }
    assert every == checked, f"templates no kind uses: {sorted(every - checked)}"


def test_documented_names_check_catches_a_stray_name(tmp_path: Path) -> None:
    folder = _write(tmp_path, "registers/members.md", "{{ entries }} {{ secret_thing }}")
    env = Engine([folder]).env
    allowed = {f.name for f in fields(kinds()["register"].context)}
    assert _names(env, "registers/members.md") - allowed == {"secret_thing"}


def test_golden_files_have_no_stray_paths() -> None:
    # Golden files name only what the story made: nothing machine-specific leaks in.
    for path in GOLDEN.glob("*.*"):
        assert not re.search(r"/tmp/|/home/|/work/", path.read_text("utf-8")), path.name


def test_subscription_notice_without_a_member_writes_one_letter_each(story: Ledger) -> None:
    text = render_text(story, "subscription-notice", request=Request(TODAY, year="2026"))
    # Members on 1 April 2026: Sutton left at the end of 31 March 2026.
    assert text.count("# Annual subscription notice 2026/27") == 2
    assert "London Borough of Bromley" in text and "Sutton" not in text
    # £20,000 × 139.3 (CPI 2025-09) ÷ 123.8 (CPI 2022-09) = £22,504.04, rounded once.
    assert "**Subscription per member for 2026/27: £22,504.04**" in text


@pytest.mark.parametrize(
    ("kind", "ident", "year", "phrase"),
    [
        ("exit-reminder", "bromley", None, "Your next exit point: 31 March 2028"),
        ("notice", "1", None, "Notice of general meeting"),
        ("written-resolution", "1", None, "Reply slip — London Borough of Bromley"),
        ("minutes", "1", None, "Minutes of a general meeting"),
        ("psc-register", None, None, "Register of people with significant control"),
        ("directors-register", None, None, "Register of directors"),
        ("resolution-copy", "1", None, "SPECIAL RESOLUTION"),
        ("invoice", "PLV-2026-0002", None, "£21,504.04"),
        ("credit-note", "CN-2026-0001", None, "Credit note CN-2026-0001"),
        ("reminder", "PLV-2026-0002", None, "Reminder: invoice PLV-2026-0002 is overdue"),
        ("statement", "bromley", None, "Closing balance"),
        ("subscription-notice", "bromley", "2026", "£22,504.04"),
    ],
)
def test_pdf_of_each_kind_carries_its_text_and_footer(
    story: Ledger, kind: str, ident: str, year: str | None, phrase: str, tmp_path: Path
) -> None:

    from pypdf import PdfReader

    with story.read() as session:
        pdf = render(session, kind, ident, "pdf", Request(TODAY, year=year))
    assert pdf.startswith(b"%PDF-")
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    text = " ".join(" ".join(pages).split())
    assert phrase in text
    assert all(fingerprint(story) in page for page in pages)  # the footer on every page
    # And as a reader's program opens it: poppler's pdfinfo and pdftotext.
    import shutil
    import subprocess

    if shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed (apt-get install poppler-utils; .ci/run does)")
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout and "Author:" in info.stdout
    shown = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert phrase in " ".join(shown.split())
