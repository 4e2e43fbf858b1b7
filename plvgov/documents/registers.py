"""The register of members as CSV, safe to open in Excel."""

from __future__ import annotations

import csv
import io

from plvgov.documents.contexts import RegisterContext

COLUMNS = ["name", "gss_code", "address", "entered_on", "ceased_on", "note"]


def _safe(text: str) -> str:
    # A cell starting = + - @ is a formula to Excel; a leading apostrophe keeps it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def register_csv(context: RegisterContext) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for e in context.entries:
        writer.writerow(
            [
                _safe(e.name),
                e.gss_code or "",
                _safe(e.address or ""),
                e.entered_on.isoformat(),
                e.ceased_on.isoformat() if e.ceased_on else "",
                _safe(e.note),
            ]
        )
    return out.getvalue()
