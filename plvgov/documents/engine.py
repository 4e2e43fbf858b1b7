"""The one template engine every document uses.

Templates are found in the user's own folders first (``--templates DIR`` / ``PLVGOV_TEMPLATES``,
then ``./templates`` beside the ledger) and in the shipped folder last; ``{% extends
"default:invoices/invoice.html" %}`` always reaches the shipped template, so an override can
change one block of it (datasette's pattern). The environment is sandboxed (a user's template
cannot reach Python internals), undefined names fail loudly (a notice with a blank member name
must not print), and only ``.html`` templates are autoescaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from plvgov.dates import uk_date
from plvgov.errors import InputError, NotFound
from plvgov.money import format_gbp


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


class Engine:
    """A sandboxed Jinja environment over the override folders and the shipped templates."""

    def __init__(self, overrides: Sequence[Path] = ()) -> None:
        shipped = str(shipped_templates())
        folders = [str(p) for p in overrides if Path(p).is_dir()]
        loader = ChoiceLoader(
            [
                FileSystemLoader([*folders, shipped]),
                PrefixLoader({"default": FileSystemLoader(shipped)}, delimiter=":"),
            ]
        )
        self.env = SandboxedEnvironment(
            loader=loader,
            undefined=StrictUndefined,
            autoescape=_autoescape,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(FILTERS)

    def render(self, name: str, context: Any) -> str:
        """Render template ``name`` with a context dataclass; template mistakes become one-line
        errors that name the template."""
        data = context_dict(context)
        try:
            return self.env.get_template(name).render(data)
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


def context_dict(context: Any) -> dict[str, Any]:
    """A context dataclass's fields as template variables (shallow: nested objects stay)."""
    if not is_dataclass(context) or isinstance(context, type):
        raise TypeError("a document context is a dataclass instance")
    return {f.name: getattr(context, f.name) for f in fields(context)}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
