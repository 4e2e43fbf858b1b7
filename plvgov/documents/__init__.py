"""Documents: notices, resolutions, minutes, invoices, letters, registers and the board pack,
each rendered from one Jinja template per format through one engine.

:func:`render` is the whole public interface: a kind (``plvgov render KIND``), the record it
concerns, a format (Markdown, HTML, PDF or Word from the HTML, CSV for the register, or a
Peppol e-invoice in UBL for an invoice or credit note) and a
:class:`Request` carrying the dates. :func:`kinds` lists every kind with its context
dataclass; the contexts and their builders are in :mod:`plvgov.documents.contexts` (the
register and the exit letters), :mod:`.records` (billing and decisions) and :mod:`.board_pack`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plvgov.documents.kinds import Kind, Request
from plvgov.errors import InputError, UsageError

if TYPE_CHECKING:
    from sqlmodel import Session

    from plvgov.documents.batch import Shared
    from plvgov.documents.charts import Later
    from plvgov.documents.contexts import DocumentContext

FORMATS = ("md", "html", "pdf", "docx", "csv", "ubl")
#: The template each format renders from: PDF and Word are made from the HTML.
EXTENSIONS = {"md": "md", "html": "html", "pdf": "html", "docx": "html"}
#: The kinds that come as a Peppol BIS Billing 3.0 e-invoice (UBL 2.1 XML), and their builders.
UBL = {"invoice": "invoice_ubl", "credit-note": "credit_note_ubl"}
#: The formats that are files, not text: ``plvgov render`` writes them only to ``--out``.
BINARY = ("pdf", "docx")


def kinds() -> dict[str, Kind[DocumentContext]]:
    """Every document kind, by the name ``plvgov render`` takes, with the context dataclass its
    templates may use: the one place that says which context each kind has. A kind names its
    context and builder by where they live (``"billing.invoice"``, in this package), imported
    only when that kind is rendered: an invoice does not import the board pack's modules."""
    found: list[Kind[DocumentContext]] = [
        Kind(
            "register",
            "registers/members",
            "contexts.RegisterContext",
            lambda s, i, r: _ref("contexts.register")(s, r.on, r.generated_on),
            False,
            "",
            ("md", "html", "pdf", "docx", "csv"),
        ),
        Kind(
            "psc-register",
            "registers/psc",
            "statutory.PscRegisterContext",
            lambda s, i, r: _ref("statutory.psc_register")(s, r.on, r.generated_on),
            False,
            "",
        ),
        Kind(
            "directors-register",
            "registers/directors",
            "statutory.DirectorsRegisterContext",
            lambda s, i, r: _ref("statutory.directors_register")(s, r.on, r.generated_on),
            False,
            "",
        ),
        Kind(
            "exit-reminder",
            "letters/exit_reminder",
            "contexts.ExitReminderContext",
            lambda s, i, r: _ref("contexts.exit_reminder")(s, i, r.on, r.generated_on),
            False,
            "member (omit for a letter to every member)",
        ),
        Kind(
            "board-pack",
            "board_pack/pack",
            "board_pack.BoardPackContext",
            lambda s, i, r: _ref("board_pack.build")(s, r.on, r.since, r.generated_on),
            False,
            "",
        ),
        Kind(
            "notice",
            "notices/general_meeting",
            "records.NoticeContext",
            _builder("records.notice"),
            True,
            "meeting id",
        ),
        Kind(
            "written-resolution",
            "resolutions/written_resolution",
            "records.WrittenResolutionContext",
            _builder("records.written_resolution"),
            True,
            "resolution id",
        ),
        Kind(
            "minutes",
            "minutes/general_meeting",
            "records.MinutesContext",
            _builder("records.minutes"),
            True,
            "meeting id",
        ),
        Kind(
            "resolution-copy",
            "resolutions/certified_copy",
            "records.ResolutionCopyContext",
            _builder("records.resolution_copy"),
            True,
            "resolution id",
        ),
        Kind(
            "invoice",
            "invoices/invoice",
            "billing.InvoiceContext",
            _builder("billing.invoice"),
            True,
            "invoice number (PLV-2026-0001)",
            ("md", "html", "pdf", "docx", "ubl"),
        ),
        Kind(
            "credit-note",
            "invoices/credit_note",
            "billing.CreditNoteContext",
            _builder("billing.credit_note"),
            True,
            "credit note number (CN-2026-0001)",
            ("md", "html", "pdf", "docx", "ubl"),
        ),
        Kind(
            "reminder",
            "letters/reminder",
            "billing.ReminderContext",
            _builder("billing.reminder"),
            True,
            "invoice number (PLV-2026-0001)",
        ),
        Kind(
            "statement",
            "letters/statement",
            "billing.StatementContext",
            _builder("billing.statement"),
            True,
            "member",
        ),
        Kind(
            "subscription-notice",
            "letters/subscription_notice",
            "billing.SubscriptionNoticeContext",
            _builder("billing.subscription_notice"),
            False,
            "member (omit for a letter to every member)",
        ),
    ]
    return {k.name: k for k in found}


def _ref(where: str) -> Any:
    """The object ``where`` names in this package (``"billing.invoice"``), its module imported
    now."""
    from importlib import import_module

    module, _, name = where.rpartition(".")
    return getattr(import_module(f"plvgov.documents.{module}"), name)


def _builder(where: str) -> Callable[[Session, str | None, Request], DocumentContext]:
    """A builder that imports the function ``where`` names when it is first called."""
    return lambda s, i, r: _ref(where)(s, i, r)  # type: ignore[no-any-return]


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
    shared: Shared | None = None,
) -> bytes:
    """The document as bytes (UTF-8 text for md, html and csv; a PDF file for pdf, a Word file
    for docx; UTF-8 XML for ubl). ``shared`` carries what a batch of papers builds once (the
    template engine and the PDF renderer's fonts): :mod:`plvgov.documents.batch`."""
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
        raise UsageError(
            f"--year is for subscription-notice (and invoice with --out DIR), not {spec.name}"
        )
    if (request.from_on or request.to_on) is not None and spec.name != "statement":
        raise UsageError(f"--from and --to are for statement, not {spec.name}")
    if fmt == "ubl":
        from plvgov.billing import einvoice

        assert ident is not None  # both kinds that come as ubl need their number
        return bytes(getattr(einvoice, UBL[spec.name])(session, ident.strip()))
    from plvgov.documents import charts

    with charts.later() as late:  # a chart is drawn only if the template shows it
        context = spec.build(session, ident, request)
    if fmt == "csv":
        from plvgov.documents.contexts import RegisterContext
        from plvgov.documents.registers import register_csv

        assert isinstance(context, RegisterContext)  # only the register comes as csv
        return register_csv(context).encode("utf-8")
    from plvgov.documents.engine import Engine

    engine = shared.engine(overrides) if shared is not None else Engine(overrides)
    text = engine.render(f"{spec.template}.{EXTENSIONS[fmt]}", context)
    if fmt == "pdf":
        return _pdf(text, late, shared)
    text = late.inline(text)
    if fmt == "docx":
        title = f"{context.title} — {context.company.name}"
        return html_to_docx(text, title, context.company.name, context.generated_on)
    if fmt == "md":
        # Templates may be generous with blank lines; Markdown needs one between blocks.
        text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text.encode("utf-8")


def _pdf(html: str, late: Later, shared: Shared | None) -> bytes:
    """``html`` as PDF. A chart it names that is not kept from an earlier run is drawn while
    the renderer lays the pages out (:func:`plvgov.documents.charts.later`): the HTML goes to
    the renderer first, and WeasyPrint asks for the chart as it draws."""
    from plvgov.documents.pdf import InProcess

    paper = (shared.renderer if shared is not None else InProcess()).submit(html, late.fetch)
    late.draw_all(html)  # here, while a worker lays the pages out (in process: drawn already)
    return paper.result()


def html_to_pdf(html: str, fonts: object | None = None) -> bytes:
    """A PDF from a self-contained HTML document, in this process
    (:func:`plvgov.documents.pdf.html_to_pdf`)."""
    from plvgov.documents import pdf

    return pdf.html_to_pdf(html, fonts)


_WORD_TEMPLATE = Path(__file__).with_name("word.openxml")
_FOOTER = re.compile(r"<footer\b[^>]*>.*?</footer>", re.DOTALL | re.IGNORECASE)
_BOX = re.compile(r"<(/?)(?:header|footer|main)\b", re.IGNORECASE)
_STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.DOTALL | re.IGNORECASE)


def html_to_docx(
    html: str, title: str, author: str, created: date | None = None, lang: str = "en-GB"
) -> bytes:
    """A Word document from a self-contained HTML document, converted by pandoc (the binary
    ``pypandoc-binary`` ships): headings, tables, bold and lists become Word's own, in its
    standard styles. ``title``, ``author``, ``lang`` and ``created`` (midnight UTC; the file is
    the same for the same day) go to the file's properties, not into the text.

    Nothing is fetched: pandoc reads the HTML in its sandbox, and an image that is not inline
    (``data:``) is refused, as :func:`html_to_pdf` refuses. The print CSS is dropped; the
    letterhead, footer and ``<main>`` become plain blocks (pandoc would skip a header and a
    footer, and read only ``<main>``), the footer with the ledger fingerprint moved to the end
    where a reader expects it."""
    import json
    import os
    import subprocess
    from datetime import UTC, datetime, time

    import pypandoc

    footers = _FOOTER.findall(html)
    body = _STYLE.sub("", _FOOTER.sub("", html))
    if footers:
        end = body.lower().rfind("</body>")
        end = len(body) if end < 0 else end
        body = body[:end] + "\n".join(footers) + body[end:]
    body = _BOX.sub(r"<\1div", body)

    pandoc = pypandoc.get_pandoc_path()

    def run(args: list[str], data: bytes, env: dict[str, str] | None = None) -> bytes:
        done = subprocess.run(
            [pandoc, *args], input=data, capture_output=True, env=env, timeout=120, check=False
        )
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip()
            raise InputError(f"pandoc could not make the Word document: {message}")
        return done.stdout

    tree = run(["--sandbox", "-f", "html", "-t", "json"], body.encode("utf-8"))
    _refuse_remote_images(json.loads(tree))
    env = dict(os.environ)
    if created is not None:
        moment = datetime.combine(created, time(), tzinfo=UTC)
        env["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    metadata = {"title": title, "author": author, "lang": lang}
    return run(
        [
            "-f",
            "json",
            "-t",
            "docx",
            f"--template={_WORD_TEMPLATE}",
            *(arg for key, value in metadata.items() for arg in ("--metadata", f"{key}={value}")),
            "-o",
            "-",
        ],
        tree,
        env,
    )


def _refuse_remote_images(node: object) -> None:
    """Raise :class:`InputError` for an image in pandoc's document tree that is not inline."""
    if isinstance(node, list):
        for item in node:
            _refuse_remote_images(item)
    elif isinstance(node, dict):
        if node.get("t") == "Image":
            url = node["c"][2][0]
            if not str(url).startswith("data:"):
                raise InputError(f"a document may not fetch {url}; inline it in the template")
        for value in node.values():
            _refuse_remote_images(value)


__all__ = [
    "BINARY",
    "EXTENSIONS",
    "FORMATS",
    "Kind",
    "Request",
    "html_to_docx",
    "html_to_pdf",
    "kind",
    "kinds",
    "render",
]
