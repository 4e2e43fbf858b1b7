"""Demo chapter: the papers — the board pack (PDF and HTML) and the register of members
(PDF and CSV), written to ``out/`` beside the demonstration ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plvgov.documents import Request, render

if TYPE_CHECKING:
    from plvgov.demo.story import Story

PAPERS = [  # (file name, kind, format)
    ("board-pack.pdf", "board-pack", "pdf"),
    ("board-pack.html", "board-pack", "html"),
    ("register-of-members.pdf", "register", "pdf"),
    ("register-of-members.csv", "register", "csv"),
]


def build(story: Story) -> list[str]:
    out = story.folder / "out"
    out.mkdir(exist_ok=True)
    request = Request(generated_on=story.today)
    written = []
    with story.ledger.read() as session:
        for name, kind, fmt in PAPERS:
            # The demo's own out/ folder: rebuilding the demo replaces its papers.
            (out / name).write_bytes(render(session, kind, None, fmt, request))
            written.append(name)
    return [f"Papers in {out}: {', '.join(written)}"]
