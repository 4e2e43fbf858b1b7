"""Reading once: a reader that asks the same question many times loads each answer once and
shares it (``plvgov check`` asks for settings and the register of members dozens of times
between its checks).

Inside a :func:`reading` block, :func:`shared` keeps what a loader returned on the session for
the block's other callers; nothing outlives the block. Adding a row to the session ends the
block early (what was loaded may no longer hold), so a write inside one is still read back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import event
from sqlmodel import Session

T = TypeVar("T")

#: ``session.info`` key of the block's answers, by the name each caller gives its own
_ANSWERS = "plvgov.once"


@contextmanager
def reading(session: Session) -> Iterator[None]:
    """A block in which :func:`shared` answers are loaded once. One inside another is part of
    the outer block."""
    if _ANSWERS in session.info:
        yield
        return

    def end(*_: Any) -> None:
        session.info.pop(_ANSWERS, None)

    session.info[_ANSWERS] = {}
    event.listen(session, "transient_to_pending", end)  # a row added: the block is over
    try:
        yield
    finally:
        event.remove(session, "transient_to_pending", end)
        end()


def active(session: Session) -> bool:
    """True inside a :func:`reading` block."""
    return _ANSWERS in session.info


def shared(session: Session, name: str, load: Callable[[], T]) -> T:
    """``load()``, loaded once in a :func:`reading` block and shared by every caller that
    gives the same ``name``; outside a block, loaded at each call."""
    answers: dict[str, Any] | None = session.info.get(_ANSWERS)
    if answers is None:
        return load()
    if name not in answers:
        answers[name] = load()
    return answers[name]  # type: ignore[no-any-return]
