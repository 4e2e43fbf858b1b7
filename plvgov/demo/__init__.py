"""The demonstration ledger: the seeds' story, told through the library.

Each chapter is a module with ``build(story) -> list[str]`` that records its part of the story
through ordinary domain functions (one transaction and one audit event per step, as a company
secretary's commands would) and returns lines for the summary. The company number and some
councils' decisions are illustrative; Barking and Dagenham's and Bromley's come from the seeds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from plvgov.db import Ledger, is_sqlite, sqlite_path, to_url
from plvgov.demo.story import Story
from plvgov.errors import LedgerError

__all__ = ["Story", "build"]


def _chapters() -> list[Callable[[Story], list[str]]]:
    from plvgov.demo import billing, decisions, documents, finance, membership, registers, sending

    return [
        membership.build,
        billing.build,
        decisions.build,
        registers.build,
        finance.build,
        documents.build,
        sending.build,
    ]


def build(folder: Path, today: date) -> Story:
    """Build (or rebuild) the demonstration ledger at ``folder/ledger.db``, creating
    ``folder`` if it does not exist.

    Refuses to replace a ledger that is not itself a demonstration ledger.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise LedgerError(f"{folder} is a file, not a folder; name a folder with --dir")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(
            f"cannot create the folder {folder} ({exc.strerror}); name another with --dir"
        ) from None
    url = to_url(folder / "ledger.db")
    path = sqlite_path(url) if is_sqlite(url) else None
    if path is not None and path.exists():
        existing = Ledger(url)
        try:
            from plvgov import settings

            with existing.read() as session:
                kind = settings.fact(session, "ledger_kind")
        except Exception:
            kind = None
        finally:
            existing.dispose()
        if kind != "demonstration":
            raise LedgerError(
                f"{path} is not a demonstration ledger; plvgov demo never "
                "overwrites a real one — use another --dir"
            )
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    from plvgov.company.founding import initialise

    ledger = Ledger(url)
    story = Story(ledger, today, folder)
    try:
        initialise(
            ledger,
            today=today,
            company_name="Pan-London Vehicle Limited",
            company_number="14712345",
            kind="demonstration",
        )
        for chapter in _chapters():
            story.summary.extend(chapter(story))
    finally:
        ledger.dispose()
    return story
