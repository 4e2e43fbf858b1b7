"""The register of members as CSV, safe to open in Excel."""

from __future__ import annotations

import csv
import io

from plvgov.documents.contexts import RegisterContext
from plvgov.outputs import excel_safe

COLUMNS = ["name", "gss_code", "address", "entered_on", "ceased_on", "note"]


def register_csv(context: RegisterContext) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for e in context.entries:
        cells = (
            e.name,
            e.gss_code or "",
            e.address or "",
            e.entered_on.isoformat(),
            e.ceased_on.isoformat() if e.ceased_on else "",
            e.note,
        )
        writer.writerow([excel_safe(c) for c in cells])
    return out.getvalue()
