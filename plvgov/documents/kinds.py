"""What a document kind is, and what a render asks for: the value types the registry
(:func:`plvgov.documents.kinds`) and the builders share. They live apart from the registry so a
builder module can name them without importing the package that lists it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from importlib import import_module
from typing import TYPE_CHECKING, Generic, TypeVar

from plvgov.values import dataclass

if TYPE_CHECKING:
    from sqlmodel import Session

    from plvgov.documents.contexts import DocumentContext


@dataclass(frozen=True)
class Request:
    """What a render needs besides the record: ``generated_on`` is printed in the footer (the
    CLI passes today, honouring ``PLVGOV_TODAY``); ``at``, ``since``, ``year``, ``from_on`` and
    ``to_on`` as the kind uses."""

    generated_on: date
    at: date | None = None
    since: date | None = None
    year: str | None = None  # a financial year as typed: 2026, 2026/27
    from_on: date | None = None  # statement: the period's first day
    to_on: date | None = None  # statement: its last day
    #: one member's own copy, as `plvgov send` renders it (a written resolution's reply slip)
    member: str | None = None
    #: the day `plvgov send` sends it: a written resolution not yet circulated is circulated
    #: that day by its first copy (s.290), and its paper shows what that day fixes
    sending_on: date | None = None

    @property
    def on(self) -> date:
        return self.at or self.generated_on


C = TypeVar("C", bound="DocumentContext", covariant=True)


@dataclass(frozen=True)
class Kind(Generic[C]):
    """One document kind: its template, the context dataclass its templates may use (and
    nothing else: ``tests/test_documents.py`` checks) and the builder that fills it. The
    context is named by where it lives in :mod:`plvgov.documents` (``"records.InvoiceContext"``)
    and imported when asked for, so listing the kinds imports none of their modules."""

    name: str
    template: str  # shipped path without extension: "registers/members"
    context_name: str  # "records.InvoiceContext"
    build: Callable[[Session, str | None, Request], C]
    id_required: bool
    id_meaning: str  # what ID names, for help and errors; "" when it takes none
    formats: tuple[str, ...] = ("md", "html", "pdf", "docx")

    @property
    def context(self) -> type[C]:
        """The context dataclass (its module imported now)."""
        module, _, name = self.context_name.rpartition(".")
        found: type[C] = getattr(import_module(f"plvgov.documents.{module}"), name)
        return found
