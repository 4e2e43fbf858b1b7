"""A resolution's text is a document (issue 13): its Markdown (headings, lists, bold, tables) is
formatted in the HTML papers, and so in PDF and Word, never printed raw; it cannot carry markup
or scripts; and in Markdown papers the names around it are escaped as HTML escapes them."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from plvgov.db import Ledger
from plvgov.decisions import meetings, proceedings, resolutions
from plvgov.documents import Request, render
from plvgov.documents.engine import Engine, md_escape
from plvgov.membership import importing, members
from tests.conftest import TODAY
from tests.stories import admit

D = date.fromisoformat
REQUEST = Request(generated_on=TODAY)

TEXT = """\
THAT the pricing strategy be adopted.

## Schedule

The strategy has **three** parts:

- a base rate
- a CPI uplift

| Band | Rate |
|---|---|
| Small | 1,000 |
| Large | 2,000 |
"""

HOSTILE = "THAT <script>alert(1)</script> be noted, and [here](javascript:alert(2)).\n"


def _propose(run: Callable[..., Any], tmp_path: Path, procedure: str, text: str) -> int:
    path = tmp_path / f"{procedure}.md"
    path.write_text(text, encoding="utf-8")
    result = run(
        "resolution", "propose", "--title", "Adopt the pricing strategy", "--type", "special",
        "--procedure", procedure, "--text-file", str(path), "--date", "2026-06-01", "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    return int(re.search(r'"id":\s*(\d+)', result.out).group(1))  # type: ignore[union-attr]


@pytest.fixture
def papers(run: Callable[..., Any], ledger: Ledger, tmp_path: Path) -> Ledger:
    """A written resolution with ``TEXT`` agreed by two of two members (resolution 1); a
    meeting resolution with the same text passed at general meeting 1 (resolution 2)."""
    for slug in ("barking-and-dagenham", "bromley"):
        admit(ledger, slug)
    written = _propose(run, tmp_path, "written", TEXT)
    with ledger.write("test: circulate") as s:
        resolutions.circulate(s, resolutions.get(s, written), D("2026-06-02"))
    for slug in ("barking-and-dagenham", "bromley"):
        with ledger.write("test: agree") as s:
            r = resolutions.get(s, written)
            resolutions.vote(s, r, members.find(s, slug), "for", D("2026-06-05"))
    at_meeting = _propose(run, tmp_path, "meeting", TEXT)
    with ledger.write("test: convene") as s:
        meeting = meetings.convene(
            s, datetime(2026, 9, 30, 14), datetime(2026, 9, 1, 10), "email", "Colindale",
            [at_meeting], "Jane Doe",
        )  # fmt: skip
    for slug in ("barking-and-dagenham", "bromley"):
        with ledger.write("test: attend") as s:
            proceedings.attend(s, meetings.get(s, meeting.id), members.find(s, slug), "A Rep")
        with ledger.write("test: vote") as s:
            proceedings.vote(
                s, meetings.get(s, meeting.id), resolutions.get(s, at_meeting),
                members.find(s, slug), "for",
            )  # fmt: skip
    with ledger.write("test: close") as s:
        proceedings.close(s, meetings.get(s, meeting.id), opened=time(14), closed=time(15))
    return ledger


def _render(ledger: Ledger, kind: str, ident: str, fmt: str) -> bytes:
    with ledger.read() as session:
        return render(session, kind, ident, fmt, REQUEST, [])


PAPERS = [
    ("written-resolution", "1"),
    ("resolution-copy", "1"),
    ("resolution-copy", "2"),
    ("notice", "1"),
    ("minutes", "1"),
]


@pytest.mark.parametrize(("kind", "ident"), PAPERS)
def test_the_text_is_formatted_in_html(papers: Ledger, kind: str, ident: str) -> None:
    html = _render(papers, kind, ident, "html").decode()
    block = html[html.index('<div class="resolution-text">') :]
    assert "<h2>Schedule</h2>" in block
    assert "<strong>three</strong>" in block
    assert "<ul>\n<li>a base rate</li>" in block
    assert "<table>" in block and "<td>Large</td>" in block
    assert "**" not in html and "|---|" not in html and "## Schedule" not in html


@pytest.mark.parametrize(("kind", "ident"), PAPERS)
def test_the_text_is_kept_as_markdown_in_md(papers: Ledger, kind: str, ident: str) -> None:
    md = _render(papers, kind, ident, "md").decode()
    # Quoted line by line (indented inside the minutes' list), the Markdown itself.
    assert re.search(r"(?m)^ *> ## Schedule$", md)
    assert re.search(r"(?m)^ *> The strategy has \*\*three\*\* parts:$", md)
    assert re.search(r"(?m)^ *> \| Small \| 1,000 \|$", md)


@pytest.mark.parametrize(("kind", "ident"), [("written-resolution", "1"), ("minutes", "1")])
def test_the_pdf_shows_the_words_not_the_syntax(papers: Ledger, kind: str, ident: str) -> None:
    from pypdf import PdfReader

    pdf = _render(papers, kind, ident, "pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    words = " ".join(text.split())
    assert "The strategy has three parts" in words
    assert "Schedule" in words and "Large" in words and "a CPI uplift" in words
    assert "**" not in text and "|---|" not in text and "## " not in text


def test_markup_in_the_text_is_printed_as_text(
    run: Callable[..., Any], ledger: Ledger, tmp_path: Path
) -> None:
    admit(ledger, "bromley")
    ident = _propose(run, tmp_path, "written", HOSTILE)
    with ledger.write("test: circulate") as s:
        resolutions.circulate(s, resolutions.get(s, ident), D("2026-06-02"))
    html = _render(ledger, "written-resolution", str(ident), "html").decode()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in html  # the link keeps its words, loses its target
    md = _render(ledger, "written-resolution", str(ident), "md").decode()
    assert "<script>" not in md and "&lt;script>alert(1)&lt;/script>" in md


def test_an_html_block_or_image_in_the_text_is_not_html() -> None:
    html = Engine().env.from_string("{% autoescape true %}{{ t | markdown }}{% endautoescape %}")
    rendered = html.render(t='<div onclick="x()">hi</div>\n\n![pic](http://example.org/a.png)')
    assert "<div" not in rendered and "&lt;div" in rendered
    assert "<img" not in rendered and "pic" in rendered  # nothing is fetched


def test_the_words_after_an_image_or_a_link_stay_in_the_paper() -> None:
    """An image became its alt text and took the rest of its sentence with it: members were
    sent "THAT the logo PLV logo" to agree to."""
    html = Engine().env.from_string("{% autoescape true %}{{ t | markdown }}{% endautoescape %}")
    text = "THAT the logo ![PLV logo](logo.png) is adopted, and A ![i](x) B [l](javascript:x) C."
    rendered = html.render(t=text)
    assert rendered == (
        "<p>THAT the logo <span>PLV logo</span> is adopted, and A <span>i</span> B <a>l</a> C.</p>"
    )


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("*Barnet* [x](javascript:alert(1))", r"\*Barnet\* \[x\](javascript:alert(1))"),
        ("# Heading", r"\# Heading"),
        ("A | B", r"A \| B"),
        ("- listed", r"\- listed"),
        ("1. numbered", r"1\. numbered"),
        ("<b>bold</b> &copy;", r"&lt;b\>bold&lt;/b\> &amp;copy;"),
        ("Barking & Dagenham", "Barking & Dagenham"),
        ("Kensington and Chelsea (RBKC)", "Kensington and Chelsea (RBKC)"),
    ],
)
def test_md_escape(name: str, escaped: str) -> None:
    assert md_escape(name) == escaped
    assert md_escape(md_escape(name)) == escaped  # escaped once, whatever is printed after


def test_names_are_data_not_markup_in_markdown(run: Callable[..., Any], ledger: Ledger) -> None:
    # A hostile member name in a Markdown register is shown as its characters: no emphasis,
    # link, heading or table cell of its own (as test_security checks for HTML).
    with ledger.write("plvgov member import") as s:
        importing.import_members(
            s,
            "name,code,address,admitted_on\n"
            '"*Evil* [x](javascript:alert(1)) | # Council",,,2024-04-01\n',
        )
    with ledger.read() as session:
        md = render(session, "register", None, "md", REQUEST, []).decode()
    assert r"\*Evil\* \[x\](javascript:alert(1)) \| \# Council" in md
    assert "[x](" not in md.replace(r"\[x\](", "")
    import markdown

    html = markdown.markdown(md, extensions=["tables"])
    assert "<em>" not in html and "<a " not in html
    assert "*Evil* [x](javascript:alert(1)) | # Council" in html


def test_super_in_a_markdown_override_is_not_escaped_twice(ledger: Ledger, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    (folder / "registers").mkdir(parents=True)
    (folder / "registers" / "members.md").write_text(
        '{% extends "default:registers/members.md" %}'
        "{% block content %}{{ super() }}\nEXTRA{% endblock %}",
        encoding="utf-8",
    )
    with ledger.read() as session:
        md = render(session, "register", None, "md", REQUEST, [folder]).decode()
    # Had super()'s output been escaped again, its heading and table would show backslashes.
    assert "EXTRA" in md
    assert "\\#" not in md and "\\|" not in md and "\\*" not in md


def test_the_text_is_stored_as_written_but_for_blank_lines_before_and_space_after(
    ledger: Ledger,
) -> None:
    """ "Its exact text is stored": the first line's indent was stripped with the blank lines
    (four spaces begin a block in Markdown)."""
    text = "\n  \n    indented first line\n\tand a tab\ntrailing spaces   \n\n\n"
    with ledger.write("test: propose") as s:
        made = resolutions.propose(s, "Indented", "ordinary", "written", D("2026-06-01"), text)
        stored = made.text
    assert stored == "    indented first line\n\tand a tab\ntrailing spaces"
