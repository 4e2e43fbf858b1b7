"""A year's invoices and credit notes as papers, one file each, rendered in one go.

``plvgov render invoice --year FY --out DIR`` renders every invoice and credit note numbered
in the financial year. What every paper of the batch shares is built once (:class:`Shared`):
the template environment (its compiled templates cached), the PDF renderer's font
configuration, and the facts every paper prints (company, audit fingerprint, signing key),
read once from the one reading session the whole batch is rendered from, so that every paper
carries the same state of the ledger.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from plvgov.documents.kinds import Request
from plvgov.documents.pdf import InProcess, Renderer
from plvgov.errors import RuleError
from plvgov.values import dataclass

if TYPE_CHECKING:
    from sqlmodel import Session

    from plvgov.dates import FinancialYear
    from plvgov.documents.engine import Engine

#: How many papers a batch fills ahead of the PDF renderer.
AHEAD = 8

T = TypeVar("T")


@dataclass(frozen=True)
class Paper:
    """One paper of a batch: its kind (``plvgov render KIND``) and its number."""

    kind: str  # "invoice" or "credit-note"
    number: str  # "PLV-2026-0001", "CN-2026-0001"

    def file_name(self, fmt: str) -> str:
        """The paper's file: its number and the format's extension (PLV-2026-0001.pdf)."""
        return f"{self.number}.{fmt}"


@dataclass
class Shared:
    """What the papers of one batch build once instead of once each."""

    renderer: Renderer = field(default_factory=InProcess)
    _engines: dict[tuple[str, ...], Engine] = field(default_factory=dict)

    def engine(self, overrides: Sequence[Path]) -> Engine:
        """The template environment for these override folders (its templates compiled once)."""
        from plvgov.documents.engine import Engine

        key = tuple(str(p) for p in overrides)
        if key not in self._engines:
            self._engines[key] = Engine(overrides)
        return self._engines[key]


def year_papers(session: Session, fy: FinancialYear) -> list[Paper]:
    """Every invoice and credit note numbered in ``fy``, invoices first, each in the order it
    was issued (a credit note is numbered in its invoice's year, even when issued after it).
    A year with neither is refused, naming the command that issues invoices."""
    from plvgov.billing.papers import numbers_of_year

    invoices, notes = numbers_of_year(session, fy)
    if not invoices and not notes:
        raise RuleError(
            f"no invoice or credit note is numbered in {fy.label}; "
            f"`plvgov invoice run --year {fy.start_year}` issues the year's invoices"
        )
    return [Paper("invoice", n) for n in invoices] + [Paper("credit-note", n) for n in notes]


def render_papers(
    session: Session,
    papers: Sequence[Paper],
    fmt: str,
    request: Request,
    overrides: Sequence[Path] = (),
    renderer: Renderer | None = None,
) -> Iterator[tuple[Paper, bytes]]:
    """Each paper with its bytes (as :func:`plvgov.documents.render` gives them), in order, so
    that a caller can write each and show progress. PDFs go to ``renderer`` (default: this
    process) while the next papers are filled: with workers, several render at once."""
    from plvgov.documents import render

    with common_facts(session):
        shared = Shared(renderer or InProcess())
        if fmt != "pdf":
            for paper in papers:
                yield (
                    paper,
                    render(session, paper.kind, paper.number, fmt, request, overrides, shared),
                )
            return
        filled = (
            (paper, render(session, paper.kind, paper.number, "html", request, overrides, shared))
            for paper in papers
        )
        yield from pdfs_in_order(((p, html.decode("utf-8")) for p, html in filled), shared.renderer)


@contextmanager
def common_facts(session: Session) -> Iterator[None]:
    """The company facts, audit fingerprint and signing key read once for every paper rendered
    from ``session`` inside the block (:func:`plvgov.documents.contexts.remember_common`)."""
    from plvgov.documents.contexts import forget_common, remember_common

    remember_common(session)
    try:
        yield
    finally:
        forget_common(session)


def pdfs_in_order(jobs: Iterable[tuple[T, str]], renderer: Renderer) -> Iterator[tuple[T, bytes]]:
    """Each job's PDF with its job, in the order given. The HTML of the next jobs is drawn from
    ``jobs`` (filled) while earlier ones render, at most :data:`AHEAD` waiting; with workers,
    several render at once."""
    pending: deque[tuple[T, Future[bytes]]] = deque()
    for job, html in jobs:
        pending.append((job, renderer.submit(html)))
        while len(pending) > AHEAD or pending[0][1].done():
            done, future = pending.popleft()
            yield done, future.result()
            if not pending:
                break
    while pending:
        done, future = pending.popleft()
        yield done, future.result()
