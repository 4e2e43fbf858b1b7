"""The one template engine every document uses.

Templates are found in the user's own folders first (``--templates DIR`` / ``PLVGOV_TEMPLATES``,
then ``./templates`` beside the ledger) and in the shipped folder last; ``{% extends
"default:invoices/invoice.html" %}`` always reaches the shipped template, so an override can
change one block of it (datasette's pattern). The environment is sandboxed (a user's template
cannot reach Python internals), undefined names fail loudly (a notice with a blank member name
must not print), and only ``.html`` templates are autoescaped.
"""

from __future__ import annotations

import operator
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment, SecurityError

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


def _md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: no pipes, no line breaks."""
    return " ".join(str(value).split()).replace("|", "\\|")


#: Filters every template may use.
FILTERS = {
    "uk_date": _uk_date,  # 9 February 2026
    "gbp": _gbp,  # £5,108.19
    "md_cell": _md_cell,
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
        )
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
