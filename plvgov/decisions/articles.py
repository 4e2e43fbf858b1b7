"""The articles of association: every version with its adoption date and, after the first, the
special resolution that adopted it (CA 2006 s.21), the version in force on any date, diffs, and
the registrar filing of amended articles (s.26: within 15 days of taking effect).
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from plvgov import audit, settings, typed
from plvgov.dates import Deadline, require_past
from plvgov.decisions import resolutions
from plvgov.decisions.notice_timing import filing_due_on
from plvgov.errors import InputError, NotFound, RuleError
from plvgov.models.articles import ArticlesVersion
from plvgov.values import dataclass

MAX_BYTES = 2 * 1024 * 1024


def read_text(path: Path) -> str:
    if not path.is_file():
        raise InputError(f"no file {path}")
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"{path} is over 2 MB; articles are far shorter — check the file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; save it as UTF-8 Markdown") from None
    if not text.strip():
        raise InputError(f"{path} is empty")
    char = typed.control_character(text, allowed="\n\r\t")
    if char is not None:
        line = text[: text.index(char)].count("\n") + 1
        raise InputError(
            f"{path}, line {line}: a control character ({typed.shown(char)}); save the text "
            "without it"
        )
    return text


def versions(session: Session) -> list[ArticlesVersion]:
    return list(session.exec(select(ArticlesVersion).order_by(col(ArticlesVersion.version))))


def get(session: Session, version: int) -> ArticlesVersion:
    row = session.exec(select(ArticlesVersion).where(ArticlesVersion.version == version)).first()
    if row is None:
        raise NotFound(
            f"no version {version} of the articles; `plvgov articles history` lists them"
        )
    return row


def in_force(session: Session, on: date) -> ArticlesVersion | None:
    """The version of the articles in force on ``on`` (None before the first)."""
    current = [v for v in versions(session) if v.adopted_on <= on]
    return current[-1] if current else None


def adopt(
    session: Session,
    text: str,
    on: date,
    resolution_id: int | None = None,
    source: str | None = None,
    *,
    today: date | None = None,
) -> ArticlesVersion:
    """A new version of the articles from ``on``, once adopted (not after ``today``) and not
    before the company existed. The first needs no resolution; every later one needs a special
    resolution passed on or before ``on`` (CA 2006 s.21)."""
    from plvgov.company import filings as company

    require_past(on, today, "the adoption date", "record the articles once they are adopted")
    company.require_existed(session, on, "the adoption date")
    existing = versions(session)
    number = (existing[-1].version + 1) if existing else 1
    if existing:
        if on < existing[-1].adopted_on:
            raise RuleError(
                f"version {existing[-1].version} took effect on "
                f"{existing[-1].adopted_on}; a new version cannot take effect before"
            )
        if resolution_id is None:
            raise RuleError(
                "amended articles need the special resolution that adopted them "
                "(CA 2006 s.21); pass --resolution ID"
            )
        resolution = resolutions.get(session, resolution_id)
        state = resolutions.tally(session, resolution, on)
        if resolution.type != resolutions.SPECIAL:
            raise RuleError(
                f"resolution {resolution_id} is an ordinary resolution; the articles "
                "are amended only by special resolution (CA 2006 s.21)"
            )
        if state.status != resolutions.PASSED:
            raise RuleError(
                f"resolution {resolution_id} is {state.status} on {on}; the articles "
                "are amended only by a passed special resolution (CA 2006 s.21)"
            )
        if any(v.resolution_id == resolution_id for v in existing):
            raise RuleError(f"resolution {resolution_id} already adopted another version")
    elif resolution_id is not None:
        resolutions.get(session, resolution_id)
    row = ArticlesVersion(
        version=number, text=text, adopted_on=on, resolution_id=resolution_id, source=source
    )
    session.add(row)
    audit.record(
        session,
        "articles.adopt",
        f"Articles version {number}",
        [row],
        {"resolution_id": resolution_id},
    )
    return row


def filing_due(session: Session, row: ArticlesVersion) -> date | None:
    """When amended articles must reach the registrar (s.26); None for the first version,
    which went with the incorporation documents."""
    if row.version == 1:
        return None
    return filing_due_on(
        row.adopted_on, settings.get(session, "articles_filing_days", row.adopted_on)
    )


def file(
    session: Session, row: ArticlesVersion, on: date, *, today: date | None = None
) -> ArticlesVersion:
    """Record that version ``row`` went to the registrar on ``on`` (s.26), not after
    ``today``."""
    require_past(on, today, "the filing date", "record a filing once it has been delivered")
    if row.filed_on is not None:
        raise RuleError(f"articles version {row.version} was filed on {row.filed_on}")
    if on < row.adopted_on:
        raise RuleError(
            f"articles version {row.version} took effect on {row.adopted_on}; "
            "it cannot be filed before that"
        )
    row.filed_on = on
    session.add(row)
    audit.record(
        session,
        "articles.file",
        f"Articles version {row.version}",
        [row],
        {"due_on": filing_due(session, row)},
    )
    return row


def diff(session: Session, a: int, b: int) -> str:
    """A unified diff of two versions."""
    first, second = get(session, a), get(session, b)
    return "".join(
        difflib.unified_diff(
            first.text.splitlines(keepends=True),
            second.text.splitlines(keepends=True),
            fromfile=f"articles v{a} ({first.adopted_on})",
            tofile=f"articles v{b} ({second.adopted_on})",
        )
    )


@dataclass
class VersionView:
    """A version of the articles: when and by which resolution it was adopted, its filing and
    whether it is in force."""

    version: int
    adopted_on: date
    resolution_id: int | None
    source: str | None
    filed_on: date | None
    filing_due_on: date | None
    in_force: bool


def history(session: Session, on: date) -> list[VersionView]:
    current = in_force(session, on)
    return [
        VersionView(
            v.version,
            v.adopted_on,
            v.resolution_id,
            v.source,
            v.filed_on,
            filing_due(session, v),
            current is not None and current.id == v.id,
        )
        for v in versions(session)
    ]


@dataclass
class ArticlesText:
    """One version of the articles as ``articles show`` prints it: its number, adoption date,
    the special resolution that adopted it (None for the first), its filing and its text."""

    version: int
    adopted_on: date
    resolution_id: int | None
    filed_on: date | None
    text: str

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def show(session: Session, version: int | None, on: date) -> ArticlesText:
    """Version ``version`` of the articles, or (without one) the version in force on ``on``."""
    row = get(session, version) if version else in_force(session, on)
    if row is None:
        raise NotFound("no articles are in force; adopt them with `plvgov articles adopt`")
    return ArticlesText(row.version, row.adopted_on, row.resolution_id, row.filed_on, row.text)


def deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """Amended articles not yet filed with the registrar (s.26)."""
    found = []
    for row in versions(session):
        due = filing_due(session, row)
        if due is not None and row.filed_on is None and start <= due <= end:
            found.append(
                Deadline(
                    due,
                    "filing_articles",
                    f"Articles version {row.version}",
                    f"send the amended articles to the registrar (in force {row.adopted_on})",
                    "CA 2006 s.26",
                    outstanding=True,  # listed only while unfiled
                )
            )
    return found
