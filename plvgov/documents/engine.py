"""The one template engine every document uses.

Templates are found in the user's own folders first (``--templates DIR`` / ``PLVGOV_TEMPLATES``,
then ``./templates`` beside the ledger) and in the shipped folder last; ``{% extends
"default:invoices/invoice.html" %}`` always reaches the shipped template, so an override can
change one block of it (datasette's pattern). The environment is sandboxed (a user's template
cannot reach Python internals), undefined names fail loudly (a notice with a blank member name
must not print), and only ``.html`` templates are autoescaped.

Markdown output is escaped too: every value a ``.md`` template prints is escaped for Markdown
(:func:`md_escape`, the ``finalize`` hook), so a member called ``*Barnet* [x](…)`` or ``# Heading``
is printed as those characters, never as emphasis, a link or a heading — as ``.html`` templates
escape HTML. Text that *is* Markdown (a resolution's text) goes through the ``markdown`` filter:
formatted, safe HTML in ``.html`` templates; the text itself in ``.md`` ones. In a user's
``.md`` template, ``{{ super() }}`` prints the parent block as it is; a macro's output, already
escaped, is printed with ``| safe``.
"""

from __future__ import annotations

import operator
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, pass_context
from jinja2.runtime import BlockReference, Context
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup

from plvgov.dates import uk_date
from plvgov.errors import InputError, NotFound
from plvgov.money import format_gbp

if TYPE_CHECKING:
    from plvgov.documents.contexts import DocumentContext


def shipped_templates() -> Path:
    """The shipped templates: ``plvgov/templates`` in a wheel, the repo's ``templates/``
    in an editable install."""
    packaged = Path(str(resources.files("plvgov").joinpath("templates")))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def _uk_date(value: date | None) -> str:
    return "—" if value is None else uk_date(value)


def _gbp(value: Decimal | None) -> str:
    return "—" if value is None else format_gbp(value)


# -- Markdown: escaping values, rendering text that is Markdown ---------------------------------
class MarkdownSafe(str):
    """Text already fit to print in a Markdown document as it is (escaped, or Markdown meant as
    such): the ``.md`` templates' ``finalize`` hook leaves it alone. Not HTML-safe: an
    ``.html`` template still escapes it."""

    __slots__ = ()


#: Characters that make Markdown anywhere in a line: emphasis, code, links, images, tables,
#: headings, quotes, strikethrough, and the escape itself.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|>~])")
#: ``<`` opening what would be raw HTML or an autolink, ``&`` opening an entity.
_MD_TAG = re.compile(r"<")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
#: What makes a block only at the start of a line: a list item, a setext underline, a
#: numbered item (``1.``/``1)`` followed by a space or the end).
_MD_LINE_START = re.compile(r"(?m)^([ \t]*)(?:([-+=])|(\d+)([.)])(?=[ \t]|$))")


def md_escape(value: object) -> MarkdownSafe:
    """``value`` as Markdown that prints exactly its characters: ``*``, ``_``, ``[``, ``#``,
    ``|`` and the like are backslash-escaped, ``<`` and entity-like ``&`` become HTML
    entities, and a line may not begin a list or an underline. Idempotent on
    :class:`MarkdownSafe` values."""
    if isinstance(value, MarkdownSafe | Markup):
        return MarkdownSafe(value)
    text = _MD_SPECIAL.sub(r"\\\1", str(value))
    text = _MD_ENTITY.sub("&amp;", text)
    text = _MD_TAG.sub("&lt;", text)

    def _line_start(m: re.Match[str]) -> str:
        if m.group(2):
            return f"{m.group(1)}\\{m.group(2)}"
        return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"

    return MarkdownSafe(_MD_LINE_START.sub(_line_start, text))


def _is_markdown(context: Context) -> bool:
    """Whether the template being rendered writes Markdown (its name ends ``.md``)."""
    return bool(context.name) and str(context.name).endswith(".md")


@pass_context
def _finalize(context: Context, value: Any) -> Any:
    """Escape each value a ``.md`` template prints (numbers, dates and booleans cannot make
    Markdown and are printed as they are); other templates print values unchanged (``.html``
    ones are autoescaped)."""
    if not _is_markdown(context) or isinstance(
        value, MarkdownSafe | Markup | bool | int | float | Decimal | date
    ):
        return value
    return md_escape(value)


class _BlockReference(BlockReference):
    """``{{ super() }}`` in a ``.md`` template: the parent block's output, already escaped,
    is not escaped again."""

    def __call__(self) -> str:
        rv = super().__call__()
        return MarkdownSafe(rv) if _is_markdown(self._context) else rv


class _Context(Context):
    def super(self, name: str, current: Callable[[Context], Iterator[str]]) -> Any:
        ref = super().super(name, current)
        if isinstance(ref, BlockReference):
            ref.__class__ = _BlockReference
        return ref


_SAFE_HREF = re.compile(r"(?i)^(?:https?://|mailto:|#)")


def _markdown_html(text: str) -> str:
    """``text`` (Markdown: headings, lists, bold, tables) as HTML that cannot carry markup of
    its own: raw HTML in the text is printed as text, links keep only http(s), mailto and
    in-page targets, images are shown as their alt text (nothing is fetched). A line break
    stays one, as the secretary typed it."""
    import xml.etree.ElementTree as etree

    import markdown
    from markdown.treeprocessors import Treeprocessor

    class _Sanitise(Treeprocessor):
        def run(self, root: etree.Element) -> None:
            for el in root.iter():
                if el.tag == "a":
                    href = (el.get("href") or "").strip()
                    if not _SAFE_HREF.match(href):
                        el.attrib.pop("href", None)
                    for attr in list(el.attrib):
                        if attr not in ("href", "title"):
                            del el.attrib[attr]
                elif el.tag == "img":
                    alt, tail = el.get("alt") or "", el.tail
                    el.clear()  # clears the text after the image too: it is put back
                    el.tag = "span"
                    el.text, el.tail = alt, tail

    md = markdown.Markdown(extensions=["tables", "sane_lists", "nl2br"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_Sanitise(md), "plvgov_sanitise", 1)
    return md.convert(text)


#: ``<`` opening an HTML tag, comment or declaration in Markdown text.
_HTML_OPEN = re.compile(r"<(?=[A-Za-z/!?])")


@pass_context
def _markdown(context: Context, value: object, quote: bool = False, indent: int = 0) -> str:
    """A resolution's text (Markdown) in the document: formatted, safe HTML in an ``.html``
    template; in a ``.md`` one the Markdown itself (HTML tags in it escaped), as a block quote
    when ``quote`` (the template writes the first ``> ``, ``indent`` spaces in, inside a list
    item say)."""
    text = str(value)
    if context.eval_ctx.autoescape:
        return Markup(_markdown_html(text))
    if _is_markdown(context):
        text = _HTML_OPEN.sub("&lt;", text)
        if quote:
            text = text.replace("\n", "\n" + " " * max(0, min(int(indent), 40)) + "> ")
        return MarkdownSafe(text)
    return text


@pass_context
def _md_cell(context: Context, value: object) -> str:
    """Text safe inside a Markdown table cell: no pipes, no line breaks (escaped for
    Markdown in an ``.md`` template)."""
    text = " ".join(str(value).split())
    if _is_markdown(context):
        return md_escape(text)
    return text.replace("|", "\\|")


#: Filters every template may use.
FILTERS = {
    "uk_date": _uk_date,  # 9 February 2026
    "gbp": _gbp,  # £5,108.19
    "md_cell": _md_cell,
    "markdown": _markdown,  # a resolution's text: formatted in HTML, as written in Markdown
}


def _autoescape(name: str | None) -> bool:
    return bool(name) and str(name).endswith(".html")


# -- bounds on a user's template -------------------------------------------------------------
#: The longest one render may take, and the most memory it may add: a user's template that
#: loops for ever or builds a gigabyte string is stopped with an error naming it. The largest
#: documents (a board pack of 100,000 members) render in a fraction of both.
RENDER_SECONDS = 120.0
RENDER_MEMORY = 2 * 1024**3
#: The most items a ``*`` may build, the most bits a ``**`` may, paragraphs ``lipsum`` may.
MAX_REPEAT = 10_000_000
MAX_POWER_BITS = 100_000
MAX_LIPSUM = 100


class _TooLong(Exception):
    """The render deadline passed."""


class _BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox (no Python internals; ``range`` capped at 100,000 items) with ``*`` and
    ``**`` bounded too: ``'x' * 10**10`` and ``9 ** 10**9`` stop at once instead of eating
    the machine."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0:
                if max(abs(left), 1).bit_length() * right > MAX_POWER_BITS:
                    raise SecurityError(f"{left} ** {right} is too large a number")
            return operator.pow(left, right)
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, str | bytes | list | tuple) and isinstance(times, int):
                if len(seq) * times > MAX_REPEAT:
                    raise SecurityError(f"repeating {len(seq)} items {times} times is too large")
        return super().call_binop(context, operator_, left, right)


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    from jinja2.utils import generate_lorem_ipsum

    if not (0 <= n <= MAX_LIPSUM and 0 <= min <= max <= 1000):
        raise SecurityError(f"lipsum({n}) is too long; ask for at most {MAX_LIPSUM} paragraphs")
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


@contextmanager
def _bounded() -> Iterator[None]:
    """Run a render under :data:`RENDER_SECONDS` (a timer signal, in the main thread) and
    :data:`RENDER_MEMORY` more address space (``RLIMIT_AS``, where the platform has it)."""
    timer = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous_handler: Any = None
    if timer:

        def _stop(_signum: int, _frame: Any) -> None:
            raise _TooLong

        previous_handler = signal.signal(signal.SIGALRM, _stop)
        signal.setitimer(signal.ITIMER_REAL, RENDER_SECONDS)
    limits = _limit_memory()
    try:
        yield
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_handler)
        if limits is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, limits)


def _limit_memory() -> tuple[int, int] | None:
    """Cap the address space at what the process uses now plus :data:`RENDER_MEMORY`;
    returns the limits to restore (None where they cannot be set)."""
    try:
        import resource

        before = resource.getrlimit(resource.RLIMIT_AS)
        with open(f"/proc/{os.getpid()}/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cap = used + RENDER_MEMORY
        if before[0] != resource.RLIM_INFINITY and before[0] <= cap:
            return None
        resource.setrlimit(resource.RLIMIT_AS, (cap, before[1]))
        return before
    except (ImportError, OSError, ValueError):
        return None


def _template_file(exc: BaseException, name: str) -> str:
    """The template file where ``exc`` was raised (an included one too): Jinja names the
    frames of template code after their files."""
    found = name
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename and not filename.endswith(".py") and not filename.startswith("<"):
            found = filename
        tb = tb.tb_next
    return found


class Engine:
    """A sandboxed Jinja environment over the override folders and the shipped templates."""

    def __init__(self, overrides: Sequence[Path] = ()) -> None:
        shipped = str(shipped_templates())
        folders = [str(p) for p in overrides if Path(p).is_dir()]
        self.folders = folders
        loader = ChoiceLoader(
            [
                FileSystemLoader([*folders, shipped]),
                PrefixLoader({"default": FileSystemLoader(shipped)}, delimiter=":"),
            ]
        )
        self.env = _BoundedSandbox(
            loader=loader,
            undefined=StrictUndefined,
            autoescape=_autoescape,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=_finalize,
        )
        self.env.context_class = _Context
        self.env.filters.update(FILTERS)
        self.env.globals["lipsum"] = _lipsum

    def render(self, name: str, context: DocumentContext) -> str:
        """Render template ``name`` with a context dataclass; template mistakes become one-line
        errors that name the template."""
        data = context_dict(context)
        where = self._file(name)
        try:
            with _bounded():
                return self.env.get_template(name).render(data)
        except _TooLong:
            raise InputError(
                f"template {where} took over {RENDER_SECONDS:g}s to render and was stopped; "
                "look for a loop that never ends in your template"
            ) from None
        except MemoryError:
            raise InputError(
                f"template {where} needed over {RENDER_MEMORY // 1024**2:,} MB and was stopped; "
                "look for a value your template repeats or grows without end"
            ) from None
        except RecursionError as exc:
            raise InputError(
                f"template {_template_file(exc, where)} includes or calls itself without end; "
                "remove the self-reference"
            ) from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"template {where} is not UTF-8 text ({exc.reason} at byte {exc.start}); "
                "save it as UTF-8"
            ) from None
        except SecurityError as exc:
            raise InputError(
                f"template {name} tried something the sandbox forbids "
                f"({_first_line(exc)}); remove it from your template"
            ) from None
        except jinja2.UndefinedError as exc:
            raise InputError(
                f"template {name} uses a name its context does not have "
                f"({_first_line(exc)}); see the context for "
                f"{type(context).__name__} in plvgov/documents"
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise NotFound(
                f"no template {exc.name}; look in {shipped_templates()} "
                "for the names you can override"
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise InputError(
                f"template {exc.filename or exc.name or name} line {exc.lineno}: "
                f"{_first_line(exc)}; fix the template"
            ) from None
        except jinja2.TemplateError as exc:
            raise InputError(f"template {name} failed: {_first_line(exc)}") from None
        except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
            # 1/0, range(10**9) (OverflowError), a bad index or operand in a user's template
            raise InputError(
                f"template {_template_file(exc, where)} failed: {type(exc).__name__}: "
                f"{_first_line(exc)}; fix the template"
            ) from None

    def _file(self, name: str) -> str:
        """The user's file that overrides ``name``, for messages; else ``name``."""
        for folder in self.folders:
            candidate = Path(folder) / name
            try:
                if candidate.is_file():
                    return str(candidate)
            except (OSError, ValueError):
                continue
        return name


def context_dict(context: DocumentContext) -> dict[str, Any]:
    """A context dataclass's fields as template variables (shallow: nested objects stay)."""
    if not is_dataclass(context) or isinstance(context, type):
        raise TypeError("a document context is a dataclass instance")
    return {f.name: getattr(context, f.name) for f in fields(context)}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
