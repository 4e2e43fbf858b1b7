"""Members from a CSV file (``plvgov member import``), strictly: all rows or none.

The file has the four columns ``name,code,address,admitted_on`` (any order) under a header row.
A row naming an existing prospect admits it, a row naming an existing member must agree with
it, any other row adds a new body. Every malformed or contradicting row is refused naming its
row number, and nothing is written unless every row is good (issue 10, item 7). The register
itself — codes, slugs, the admission checks — is :mod:`plvgov.membership.members`'.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from sqlmodel import Session

from plvgov import audit, typed
from plvgov.errors import InputError, RuleError, nearest
from plvgov.membership import members
from plvgov.models.members import Member
from plvgov.words import plural

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def read_import_file(path: Path) -> str:
    """The text of a member CSV: a UTF-8 file (a byte-order mark is dropped) of at most
    ``MAX_IMPORT_BYTES``."""
    if not path.is_file():
        raise InputError(f"no file {path}")
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise InputError(
            f"{path} is over {MAX_IMPORT_BYTES // (1024 * 1024)} MB; "
            "a member list is far smaller — check the file"
        )
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; save it as CSV UTF-8 and try again") from None


IMPORT_COLUMNS = ("name", "code", "address", "admitted_on")
_IMPORT_LIMITS = {"name": 200, "code": 9, "address": 1000, "admitted_on": 10}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _import_rows(text: str, errors: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """The data rows of a member CSV as ``(row number, {column: text})``, the header being
    row 1. A file whose header is not exactly the four columns (any order), or whose quoting
    is broken, is refused at once; a malformed row (wrong number of fields, a line break or
    control character, an over-long value) is added to ``errors`` naming its row."""
    header_hint = "the header row reads name,code,address,admitted_on"
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            records.append((start, record))
    except csv.Error as exc:
        raise InputError(
            f"row {start}: the CSV is malformed ({exc}; a quote left open?); "
            "fix the quoting and import it again"
        ) from None
    filled = [(n, r) for n, r in records if any(c.strip() for c in r)]
    if not filled:
        raise InputError(f"the CSV is empty; {header_hint}")
    first, header = filled[0]
    columns = [c.strip().lower() for c in header]
    if not set(columns) & set(IMPORT_COLUMNS):
        raise InputError(
            f"row {first}: the CSV needs a header row first; {header_hint}, "
            f"not {','.join(header)[:60]!r}"
        )
    for column in columns:
        if column not in IMPORT_COLUMNS:
            hint = nearest(column, IMPORT_COLUMNS, limit=1) if column else []
            meant = f" (did you mean {hint[0]}?)" if hint else ""
            raise InputError(f"row {first}: unknown column {column!r}{meant}; {header_hint}")
        if columns.count(column) > 1:
            raise InputError(f"row {first}: column {column} appears twice; {header_hint}")
    missing = [c for c in IMPORT_COLUMNS if c not in columns]
    if missing:
        raise InputError(
            f"row {first}: the header has no {', '.join(missing)} column; {header_hint} "
            "(leave admitted_on empty for a prospect)"
        )
    for number, record in filled[1:]:
        if len(record) != len(columns):
            errors.append(
                f"row {number}: {plural(len(record), 'field')} where the header has {len(columns)} "
                f"({','.join(columns)}); quote a value that contains a comma"
            )
            continue
        row = {c: v.strip() for c, v in zip(columns, record, strict=True)}
        bad = next((c for c in columns if _CONTROL.search(row[c])), None)
        if bad is not None:
            errors.append(
                f"row {number}: {bad} holds a line break or control character; "
                "put the value on one line"
            )
            continue
        long = next((c for c in columns if len(row[c]) > _IMPORT_LIMITS[c]), None)
        if long is not None:
            errors.append(
                f"row {number}: {long} is over {_IMPORT_LIMITS[long]} characters; shorten it"
            )
            continue
        yield number, row


def import_members(session: Session, text: str) -> int:
    """Load ``name,code,address,admitted_on`` rows, all or nothing; returns rows that changed
    the ledger. A row naming an existing prospect admits it; one naming an existing member
    must agree with it."""
    errors: list[str] = []
    changed: list[Member] = []
    seen: set[str] = set()
    directory = members.Directory.load(session)
    for number, row in _import_rows(text, errors):
        name, code = row["name"], row["code"].upper()
        address, admitted_text = row["address"], row["admitted_on"]
        try:
            admitted = typed.iso_date(admitted_text) if admitted_text else None
        except typed.BadValue as wanted:
            errors.append(f"row {number}: admitted_on {admitted_text!r} is not {wanted}")
            continue
        # A name or a code once per file: a second row with the same name (even under another
        # code) would otherwise be refused as "already in the ledger" by the first row's member.
        keys = {k.lower() for k in (code, name.strip()) if k}
        repeated = sorted(keys & seen)
        if repeated:
            again = code if code and code.lower() in repeated else name
            errors.append(f"row {number}: {again} appears twice in the file")
            continue
        seen.update(keys)
        if not name:
            errors.append(f"row {number}: name is empty")
            continue
        try:
            member = _import_row(session, directory, name, code or None, address or None, admitted)
        except (InputError, RuleError) as exc:
            errors.append(f"row {number}: {exc.message}")
            continue
        if member is not None:
            changed.append(member)
    if errors:
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise InputError("nothing imported: " + "; ".join(errors[:3]) + more)
    if changed:
        audit.record(
            session,
            "member.import",
            plural(len(changed), "member"),
            changed,
            {"rows": len(changed)},
        )
    return len(changed)


def _import_row(
    session: Session,
    directory: members.Directory,
    name: str,
    code: str | None,
    address: str | None,
    admitted: date | None,
) -> Member | None:
    existing = None
    if code:
        existing = directory.by_code.get(code)
        if existing is not None and name.lower() not in (
            existing.name.lower(),
            existing.council_name.lower(),
            existing.slug,
        ):
            raise RuleError(f"code {code} is {existing.name}, not {name!r}")
    else:
        existing = directory.by_name.get(name.lower())
    if existing is None:
        member = members.new_member(session, directory, name, code, address)
        member.admitted_on = admitted  # a new member has no council decisions to check
        return member
    recorded = directory.latest(existing).address  # as entered, or as last changed
    if address and recorded and address != recorded:
        raise RuleError(
            f"{existing.name}'s address is {recorded!r} in the ledger, not {address!r}; "
            f"change it with `plvgov member update {existing.slug} --address`"
        )
    if existing.admitted_on is not None:
        if admitted != existing.admitted_on:
            said = f"admitted_on {admitted}" if admitted else "an empty admitted_on (a prospect)"
            raise RuleError(
                f"{existing.name} has been a member since {existing.admitted_on}, "
                f"but the row says {said}"
            )
        if address and not recorded:
            existing.address = address
            session.add(existing)
            return existing
        return None
    changed = False
    if address and not recorded:
        existing.address = address
        changed = True
    if admitted is not None:
        members.enter_in_register(session, existing, admitted, None)
        changed = True
    session.add(existing)
    return existing if changed else None
