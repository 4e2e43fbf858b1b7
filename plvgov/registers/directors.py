"""The register of directors' particulars (CA 2006 s.162-163) and of their usual residential
addresses (s.165). The public register gives each director's name, service address, country
of residence, nationality, occupation and the month and year of birth; the usual residential
address and the day of birth are kept, but shown only in the full register, on request.
A director must be at least 16 (s.157)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from plvgov import audit, typed
from plvgov.dates import require_past
from plvgov.decisions import appointments
from plvgov.errors import InputError
from plvgov.models.directors import Director
from plvgov.models.members import Member
from plvgov.values import dataclass

MINIMUM_AGE = 16  # s.157(1)
TEXT_FIELDS = (
    "service_address",
    "residential_address",
    "nationality",
    "occupation",
    "country_of_residence",
)
_LIMIT = 200


def birthday(born: date, age: int) -> date:
    """The day a person born on ``born`` attains ``age``: the anniversary, or 1 March for a
    29 February birthday in a common year (Family Law Reform Act 1969 s.9)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # 29 February in a common year
        return date(born.year + age, 3, 1)


def record(
    session: Session,
    director: Director,
    *,
    today: date,
    born: date | None = None,
    **particulars: str | None,
) -> Director:
    """Record the particulars given (the others keep their values) in one audit event."""
    unknown = set(particulars) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"unknown particulars {sorted(unknown)}")
    given = {k: v for k, v in particulars.items() if v is not None}
    if not given and born is None:
        raise InputError(
            "give at least one particular: --service-address, --residential-address, --born, "
            "--nationality, --occupation or --country"
        )
    for key, value in given.items():
        try:
            setattr(director, key, typed.single_line(value, limit=_LIMIT))
        except ValueError as exc:
            option = "--country" if key == "country_of_residence" else "--" + key.replace("_", "-")
            raise InputError(f"{option} takes {exc}") from None
    if born is not None:
        require_past(born, today, "the date of birth", "check the date")
        sixteen = birthday(born, MINIMUM_AGE)
        if director.appointed_on < sixteen:
            raise InputError(
                f"born {born}, {director.name} was under {MINIMUM_AGE} when appointed on "
                f"{director.appointed_on}; a director must be at least {MINIMUM_AGE} (s.157), "
                "so check the date"
            )
        director.date_of_birth = born
    session.add(director)
    audit.record(
        session,
        "director.particulars",
        director.name,
        [director],
        {"changed": sorted([*given, *(["date_of_birth"] if born else [])])},
    )
    return director


@dataclass(frozen=True)
class Entry:
    """A director's entry. ``residential_address`` and ``date_of_birth`` are None in the
    public register (``full`` False) whatever is recorded."""

    id: int
    name: str
    nominated_by: str | None
    appointed_on: date
    resigned_on: date | None
    in_office: bool
    verified_on: date | None
    service_address: str | None
    country_of_residence: str | None
    nationality: str | None
    occupation: str | None
    born: str | None  # the month and year of birth, YYYY-MM
    residential_address: str | None = None
    date_of_birth: date | None = None

    @property
    def recorded(self) -> bool:
        """Whether any public particular is recorded."""
        return any(
            (
                self.service_address,
                self.country_of_residence,
                self.nationality,
                self.occupation,
                self.born,
            )
        )


def register(session: Session, on: date, *, full: bool = False) -> list[Entry]:
    """Every director, past and present, as the public register shows them, or with the
    private particulars when ``full``."""
    names = {m.id: m.name for m in session.exec(select(Member))}
    return [
        Entry(
            d.id or 0,
            d.name,
            names.get(d.nominating_member_id),
            d.appointed_on,
            d.resigned_on,
            appointments.in_office(d, on),
            d.verified_on,
            d.service_address,
            d.country_of_residence,
            d.nationality,
            d.occupation,
            f"{d.date_of_birth:%Y-%m}" if d.date_of_birth else None,
            d.residential_address if full else None,
            d.date_of_birth if full else None,
        )
        for d in appointments.directors(session)
    ]
