"""Documents: notices, resolutions, minutes, invoices, letters, registers and the board pack,
each rendered from one Jinja template per format through one engine.

:func:`render` is the whole public interface: a kind (``plvgov render KIND``), the record it
concerns, a format (Markdown, HTML, PDF from the HTML, or CSV for the register) and a
:class:`Request` carrying the dates. Contexts and their builders are in
:mod:`plvgov.documents.contexts` (foundation kinds), :mod:`.records` (billing and decisions)
and :mod:`.board_pack`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from plvgov.errors import InputError, UsageError

FORMATS = ("md", "html", "pdf", "csv")
EXTENSIONS = {"md": "md", "html": "html", "pdf": "html"}


@dataclass(frozen=True)
class Request:
    """What a render needs besides the record: ``generated_on`` is printed in the footer (the
    CLI passes today, honouring ``PLVGOV_TODAY``); ``at``/``since``/``year`` as the kind uses."""

    generated_on: date
    at: date | None = None
    since: date | None = None
    year: str | None = None  # a financial year as typed: 2026, 2026/27

    @property
    def on(self) -> date:
        return self.at or self.generated_on


@dataclass(frozen=True)
class Kind:
    name: str
    template: str  # shipped path without extension: "registers/members"
    context: type  # the context dataclass its templates may use
    build: Callable[[Session, str | None, Request], Any]
    id_required: bool
    id_meaning: str  # what ID names, for help and errors; "" when it takes none
    formats: tuple[str, ...] = ("md", "html", "pdf")


def kinds() -> dict[str, Kind]:
    """Every document kind, by the name ``plvgov render`` takes."""
    from plvgov.documents import board_pack, contexts, records

    found = [
        Kind(
            "register",
            "registers/members",
            contexts.RegisterContext,
            lambda s, i, r: contexts.register(s, r.on, r.generated_on),
            False,
            "",
            ("md", "html", "pdf", "csv"),
        ),
        Kind(
            "exit-reminder",
            "letters/exit_reminder",
            contexts.ExitReminderContext,
            lambda s, i, r: contexts.exit_reminder(s, i, r.on, r.generated_on),
            False,
            "member (omit for a letter to every member)",
        ),
        Kind(
            "board-pack",
            "board_pack/pack",
            board_pack.BoardPackContext,
            lambda s, i, r: board_pack.build(s, r.on, r.since, r.generated_on),
            False,
            "",
        ),
        *records.kinds(),
    ]
    return {k.name: k for k in found}


def kind(name: str) -> Kind:
    table = kinds()
    if name not in table:
        raise UsageError(f"unknown document kind {name!r}; choose from {', '.join(table)}")
    return table[name]


def render(
    session: Session,
    kind_name: str,
    ident: str | None,
    fmt: str,
    request: Request,
    overrides: Sequence[Path] = (),
) -> bytes:
    """The document as bytes (UTF-8 text for md, html and csv; a PDF file for pdf)."""
    spec = kind(kind_name)
    if fmt not in spec.formats:
        raise UsageError(f"{spec.name} comes as {', '.join(spec.formats)}, not {fmt}")
    if spec.id_required and not ident:
        raise UsageError(f"render {spec.name} needs an ID: the {spec.id_meaning}")
    if not spec.id_required and not spec.id_meaning and ident:
        raise UsageError(f"render {spec.name} takes no ID; drop {ident!r}")
    if request.since is not None and spec.name != "board-pack":
        raise UsageError(f"--since is for board-pack, not {spec.name}")
    if request.year is not None and spec.name != "subscription-notice":
        raise UsageError(f"--year is for subscription-notice, not {spec.name}")
    context = spec.build(session, ident, request)
    if fmt == "csv":
        from plvgov.documents.registers import register_csv

        return register_csv(context).encode("utf-8")
    from plvgov.documents.engine import Engine

    text = Engine(overrides).render(f"{spec.template}.{EXTENSIONS[fmt]}", context)
    if fmt == "pdf":
        return html_to_pdf(text)
    if fmt == "md":
        # Templates may be generous with blank lines; Markdown needs one between blocks.
        text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text.encode("utf-8")


def html_to_pdf(html: str) -> bytes:
    """A PDF from a self-contained HTML document (WeasyPrint; nothing fetched)."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    def _refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
        raise InputError(f"a document may not fetch {url}; inline it in the template")

    result = HTML(string=html, url_fetcher=_refuse).write_pdf()
    assert result is not None
    return bytes(result)
