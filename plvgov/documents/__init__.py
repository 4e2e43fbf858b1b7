"""Documents: notices, resolutions, minutes, invoices, letters, registers and the board pack,
each rendered from one Jinja template per format through one engine.

:func:`render` is the whole public interface: a kind (``plvgov render KIND``), the record it
concerns, a format (Markdown, HTML, PDF from the HTML, or CSV for the register) and a
:class:`Request` carrying the dates. :func:`kinds` lists every kind with its context
dataclass; the contexts and their builders are in :mod:`plvgov.documents.contexts` (the
register and the exit letters), :mod:`.records` (billing and decisions) and :mod:`.board_pack`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from plvgov.documents.kinds import Kind, Request
from plvgov.errors import InputError, UsageError

if TYPE_CHECKING:
    from plvgov.documents.contexts import DocumentContext

FORMATS = ("md", "html", "pdf", "csv")
EXTENSIONS = {"md": "md", "html": "html", "pdf": "html"}


def kinds() -> dict[str, Kind[DocumentContext]]:
    """Every document kind, by the name ``plvgov render`` takes, with the context dataclass its
    templates may use: the one place that says which context each kind has."""
    from plvgov.documents import board_pack, contexts, records

    found: list[Kind[DocumentContext]] = [
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
        Kind(
            "notice",
            "notices/general_meeting",
            records.NoticeContext,
            records.notice,
            True,
            "meeting id",
        ),
        Kind(
            "written-resolution",
            "resolutions/written_resolution",
            records.WrittenResolutionContext,
            records.written_resolution,
            True,
            "resolution id",
        ),
        Kind(
            "minutes",
            "minutes/general_meeting",
            records.MinutesContext,
            records.minutes,
            True,
            "meeting id",
        ),
        Kind(
            "resolution-copy",
            "resolutions/certified_copy",
            records.ResolutionCopyContext,
            records.resolution_copy,
            True,
            "resolution id",
        ),
        Kind(
            "invoice",
            "invoices/invoice",
            records.InvoiceContext,
            records.invoice,
            True,
            "invoice number (PLV-2026-0001)",
        ),
        Kind(
            "credit-note",
            "invoices/credit_note",
            records.CreditNoteContext,
            records.credit_note,
            True,
            "credit note number (CN-2026-0001)",
        ),
        Kind(
            "subscription-notice",
            "letters/subscription_notice",
            records.SubscriptionNoticeContext,
            records.subscription_notice,
            False,
            "member (omit for a letter to every member)",
        ),
    ]
    return {k.name: k for k in found}


def kind(name: str) -> Kind[DocumentContext]:
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
        from plvgov.documents.contexts import RegisterContext
        from plvgov.documents.registers import register_csv

        assert isinstance(context, RegisterContext)  # only the register comes as csv
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
    """A PDF from a self-contained HTML document (WeasyPrint; nothing fetched), tagged for a
    screen reader (PDF/UA-1): the structure of headings, tables and figures, the language
    (``<html lang>``), and the title, author, subject and creation date the template's
    ``<title>`` and ``<meta>`` give (``_partials/base.html``)."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    def _refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
        raise InputError(f"a document may not fetch {url}; inline it in the template")

    result = HTML(string=html, url_fetcher=_refuse).write_pdf(pdf_variant="pdf/ua-1")
    assert result is not None
    return bytes(result)


__all__ = ["EXTENSIONS", "FORMATS", "Kind", "Request", "html_to_pdf", "kind", "kinds", "render"]
