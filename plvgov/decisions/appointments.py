"""Who is a director: appointments and resignations, read by the register of directors
(CA 2006 s.162, :mod:`plvgov.registers.directors`).
Apart from the board's meetings and decisions (:mod:`plvgov.decisions.board`) so that reading
the register (``check``: directors' identity verification) builds none of their tables.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from plvgov import audit
from plvgov.dates import require_past
from plvgov.errors import InputError, NotFound, RuleError
from plvgov.models.directors import Director
from plvgov.models.members import Member


# -- the register of directors ----------------------------------------------------------------
def in_office(director: Director, on: date) -> bool:
    """In office on ``on`` (a resignation takes effect at the end of ``resigned_on``)."""
    return director.appointed_on <= on and (
        director.resigned_on is None or on <= director.resigned_on
    )


#: As the register of directors' particulars holds a name (``registers.directors``).
NAME_MAX = 200


def directors(session: Session) -> list[Director]:
    return list(
        session.exec(select(Director).order_by(col(Director.appointed_on), col(Director.id)))
    )


def directors_on(session: Session, on: date) -> list[Director]:
    return [d for d in directors(session) if in_office(d, on)]


def find_director(session: Session, text: str) -> Director:
    """A director by id or by name (case-insensitive)."""
    wanted = text.strip()
    if wanted.isascii() and wanted.isdigit() and len(wanted) <= 18:  # an id, not an overflow
        director = session.get(Director, int(wanted))
        if director is not None:
            return director
    hits = [d for d in directors(session) if d.name.lower() == wanted.lower()]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise InputError(
            f"{text!r} names {len(hits)} directors; use the id "
            f"({', '.join(str(d.id) for d in hits)})"
        )
    raise NotFound(f"no director {text!r}; `plvgov director list` shows them")


def appoint(
    session: Session,
    name: str,
    on: date,
    nominating_member: Member | None = None,
    *,
    today: date | None = None,
) -> Director:
    """Enter a director in the register from ``on``: not before the company existed, nor
    after ``today``."""
    from plvgov.company import filings as company

    if not name.strip():
        raise InputError("give the director's name")
    if len(name.strip()) > NAME_MAX:
        raise InputError(f"the name is over {NAME_MAX} characters; shorten it")
    if name.strip().isdigit():
        raise InputError(
            f"{name.strip()!r} is a number, which commands take as a director's id "
            "(`director resign 2`); give the director's name"
        )
    require_past(on, today, "the appointment date", "record a director once appointed")
    company.require_existed(session, on, "the appointment date")
    if any(d.name.lower() == name.strip().lower() and in_office(d, on) for d in directors(session)):
        raise RuleError(f"{name.strip()} is already a director on {on}")
    director = Director(
        name=name.strip(),
        appointed_on=on,
        nominating_member_id=nominating_member.id if nominating_member else None,
    )
    session.add(director)
    audit.record(
        session,
        "director.appoint",
        director.name,
        [director],
        {"nominated_by": nominating_member.name if nominating_member else None},
    )
    return director


def resign(
    session: Session, director: Director, on: date, *, today: date | None = None
) -> Director:
    """Record a director's resignation; ``on`` is the last day in office, not after
    ``today``."""
    require_past(on, today, "the resignation date", "record a resignation once it has happened")
    if director.resigned_on is not None:
        raise RuleError(f"{director.name} already resigned on {director.resigned_on}")
    if on < director.appointed_on:
        raise RuleError(
            f"{director.name} was appointed on {director.appointed_on}; "
            "a resignation cannot come before that"
        )
    director.resigned_on = on
    session.add(director)
    audit.record(session, "director.resign", director.name, [director])
    return director
