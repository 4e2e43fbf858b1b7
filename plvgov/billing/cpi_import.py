"""CPI from a file: the ONS time-series CSV as downloaded, or a plain ``month,index`` CSV,
read strictly (the whole file refused, naming the line of its first problem) and loaded into the
ledger all or nothing: a new month added, a month ONS revised kept as a revision (audited and
shown), never silently overwritten (``cpi import``; ``init`` loads the shipped copy).
:mod:`plvgov.billing.cpi` is the series once it is in the ledger.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path

from sqlmodel import Session

from plvgov import audit, typed
from plvgov.billing.cpi import SERIES, month_label, values
from plvgov.errors import InputError, nearest
from plvgov.models.billing import CpiValue
from plvgov.values import dataclass
from plvgov.words import plural

MAX_FILE_BYTES = 5 * 1024 * 1024
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
# ASCII digits only (``\d`` would read Arabic-Indic digits); \Z, not $, refuses a newline.
_ONS_MONTH = re.compile(r"([0-9]{4}) ([A-Z]{3})\Z")
_ONS_QUARTER = re.compile(r"[0-9]{4} Q[1-4]\Z")
_ONS_YEAR = re.compile(r"[0-9]{4}\Z")
#: An index value as ONS publishes it (134.2): digits, at most 3 decimals, below 10,000.
_INDEX_MAX = Decimal("10000")


# -- parsing ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """Monthly values read from a file, in file order, with the series it names."""

    series: str
    months: list[tuple[str, str]]  # (YYYY-MM, index text)


def _index_text(raw: str, line: int) -> str:
    text = raw.strip()
    try:
        value = typed.decimal(text, places=3, example="123.8")
    except typed.BadValue as wanted:
        raise InputError(
            f"line {line}: {raw!r} is not an index value ({wanted}); "
            "fix the file and import it again"
        ) from None
    if not 0 < value < _INDEX_MAX:
        raise InputError(
            f"line {line}: index {raw!r} must be more than 0 and less than {_INDEX_MAX}; "
            "fix the file and import it again"
        )
    return str(value)


def parse(text: str) -> Reading:
    """Read an ONS time-series CSV (metadata rows, then yearly ``"2024"``, quarterly
    ``"2024 Q1"`` and monthly ``"2024 SEP"`` rows: only monthly rows are index values) or a
    plain ``month,index`` CSV (extra columns, such as a note, are ignored; a column named
    twice or a row longer than the header is refused). Refuses the whole file naming the line
    of the first problem."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) != reader.line_num:  # a quoted field ran over a line break
                raise InputError(
                    f"line {len(rows)}: a value runs over a line break (a quote left open?); "
                    "fix the file and import it again"
                )
    except csv.Error as exc:
        raise InputError(
            f"line {reader.line_num}: the CSV is malformed ({exc}; a quote left open?); "
            "fix the file and import it again"
        ) from None
    first = next((r for r in rows if any(c.strip() for c in r)), None)
    if first is None:
        raise InputError("the CPI file is empty; download the D7BT CSV from the ONS website")
    if first[0].strip().lower() == "month":
        return _parse_plain(rows)
    return _parse_ons(rows)


def _parse_plain(rows: list[list[str]]) -> Reading:
    header = [c.strip().lower() for c in rows[0]]
    for column in header:
        if column and header.count(column) > 1:
            raise InputError(f"line 1: column {column} appears twice; the header reads month,index")
    if "index" not in header:
        hint = [c for c in header if c and c != "month" and nearest(c, ["index"], limit=1)]
        meant = f" (is {hint[0]!r} misspelt?)" if hint else ""
        raise InputError(f"line 1: a plain CPI file needs a header row `month,index`{meant}")
    at_month, at_index = header.index("month"), header.index("index")
    months: list[tuple[str, str]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header) or len(row) <= max(at_month, at_index):
            raise InputError(
                f"line {line}: {plural(len(row), 'field')} where the header has {len(header)} "
                f"({','.join(header)}), found {','.join(row)[:60]!r}; "
                "fix the file and import it again"
            )
        months.append((_plain_month(row[at_month], line), _index_text(row[at_index], line)))
    return _checked(Reading(SERIES, months))


def _plain_month(raw: str, line: int) -> str:
    try:
        return typed.month(raw)
    except typed.BadValue as wanted:
        raise InputError(
            f"line {line}: month {raw!r} is not {wanted}; fix the file and import it again"
        ) from None


def _parse_ons(rows: list[list[str]]) -> Reading:
    series = SERIES
    months: list[tuple[str, str]] = []
    in_data = False
    for line, row in enumerate(rows, start=1):
        if not any(c.strip() for c in row):
            continue
        label = row[0].strip()
        value = row[1].strip() if len(row) > 1 else ""
        upper = label.upper()
        if _ONS_YEAR.match(upper) or _ONS_QUARTER.match(upper):
            in_data = True
            continue  # annual averages and quarters are not index months
        match = _ONS_MONTH.match(upper)
        if match:
            in_data = True
            number = _MONTHS.get(match.group(2))
            if number is None or not typed.YEAR_MIN <= int(match.group(1)) <= typed.YEAR_MAX:
                raise InputError(
                    f"line {line}: {label!r} is not a month such as 2024 SEP "
                    f"(years {typed.YEAR_MIN}-{typed.YEAR_MAX}); "
                    "fix the file and import it again"
                )
            months.append((month_label(int(match.group(1)), number), _index_text(value, line)))
            continue
        if in_data:
            raise InputError(
                f"line {line}: {label!r} is not a year, quarter or month row; "
                "fix the file and import it again"
            )
        if upper == "CDID" and value:
            series = value.upper()  # metadata: Title, CDID, Release date, …
    if not months:
        raise InputError(
            'the CPI file has no monthly rows (such as "2024 SEP","134.2"); '
            "download the D7BT CSV from the ONS website"
        )
    if series != SERIES:
        raise InputError(
            f"the file is ONS series {series}, not {SERIES} (CPI all items 2015=100); download D7BT"
        )
    return _checked(Reading(series, months))


def _checked(reading: Reading) -> Reading:
    seen: dict[str, str] = {}
    for month, value in reading.months:
        if month in seen and seen[month] != value:
            raise InputError(
                f"the file gives {month} twice ({seen[month]} and {value}); "
                "fix the file and import it again"
            )
        seen[month] = value
    if not seen:
        raise InputError("the CPI file has no index rows; nothing imported")
    return Reading(reading.series, sorted(seen.items()))


def read_file(path: Path) -> str:
    if not path.is_file():
        raise InputError(f"no file {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"{path} is over 5 MB; a CPI series is far smaller — check the file")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        try:
            return path.read_text(encoding="cp1252")
        except UnicodeDecodeError:
            raise InputError(f"{path} is not a text CSV file; download it again") from None


# -- loading ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportResult:
    """What ``cpi import`` did with a file: months read, added, revised and unchanged, and each
    revision."""

    loaded: int  # monthly values read from the file
    added: int
    revised: int
    unchanged: int
    first_month: str
    last_month: str
    revisions: list[dict[str, str]]

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def stage_shipped_series(session: Session) -> int:
    """Load the shipped ONS D7BT series into the ledger (``plvgov init``, which records the
    audit event); returns the months loaded."""
    text = resources.files("plvgov").joinpath("data/cpi_d7bt.csv").read_text("utf-8")
    reading = parse(text)
    session.add_all(
        CpiValue(series=reading.series, month=m, index_value=v, source="shipped")
        for m, v in reading.months
    )
    return len(reading.months)


def import_series(session: Session, text: str, source: str) -> ImportResult:
    """Load every monthly value in ``text``, all or nothing. A new month is added; a month
    whose value differs from the ledger's is revised (the old value kept as a revision)."""
    from plvgov.models.cpi_revisions import CpiRevision

    reading = parse(text)
    existing = {row.month: row for row in values(session, reading.series)}
    changed: list[CpiValue | CpiRevision] = []
    added = revised = 0
    revision_notes: list[dict[str, str]] = []
    for month, value in reading.months:
        row = existing.get(month)
        if row is None:
            row = CpiValue(series=reading.series, month=month, index_value=value, source=source)
            session.add(row)
            changed.append(row)
            added += 1
        elif Decimal(row.index_value) != Decimal(value):
            revision = CpiRevision(
                series=reading.series,
                month=month,
                previous_value=row.index_value,
                revised_value=value,
                source=source,
            )
            row.index_value, row.source = value, source
            session.add_all([row, revision])
            changed.extend([row, revision])
            revised += 1
            revision_notes.append(
                {"month": month, "previous": revision.previous_value, "revised": value}
            )
    result = ImportResult(
        len(reading.months),
        added,
        revised,
        len(reading.months) - added - revised,
        reading.months[0][0],
        reading.months[-1][0],
        revision_notes,
    )
    audit.record(
        session,
        "cpi.import",
        f"{reading.series} {result.first_month}"
        + ("" if result.first_month == result.last_month else f" to {result.last_month}"),
        changed,
        {
            "source": source,
            "loaded": result.loaded,
            "added": added,
            "revised": revised,
            "revisions": revision_notes,
        },
    )
    return result
