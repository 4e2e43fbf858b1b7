"""Floors: the least the same work can cost, with plain sqlite3, json and hashlib and no plvgov.
A benchmark prints plvgov's time beside its floor; the ratio is what plvgov's rules, ORM, audit
trail and safety cost on top. Not a test.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import time
from pathlib import Path

_HASHED = (
    "seq",
    "at",
    "actor",
    "command",
    "action",
    "entity",
    "entity_id",
    "subject",
    "payload",
    "prev_hash",
)


def write_rows(before: Path, after: Path, tables: dict[str, str]) -> float:
    """Insert into ``before`` the rows of ``after`` that ``tables`` selects (table → WHERE
    clause), with executemany in one transaction: what writing the same rows costs."""
    with contextlib.closing(sqlite3.connect(after)) as src:
        wanted = {}
        for table, where in tables.items():
            cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
            rows = src.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE {where}").fetchall()
            wanted[table] = (cols, rows)
    conn = sqlite3.connect(before, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for table, (cols, rows) in wanted.items():
            marks = ", ".join("?" for _ in cols)
            conn.executemany(
                f"INSERT OR REPLACE INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows
            )
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


def invoice_run_rows(year: int, seq: int) -> dict[str, str]:
    """What an invoice run for ``year`` writes (table → WHERE clause over the ledger after it):
    its invoices, their numbers in the register of document numbers, and its audit events
    (those after ``seq``)."""
    return {
        "invoice": f"financial_year = {year}",
        "document_number": f"number IN (SELECT number FROM invoice WHERE financial_year = {year})",
        "audit_event": f"seq > {seq}",
    }


def verify_chain(db: Path) -> float:
    """Read every audit event and SHA-256 the same bytes plvgov hashes (the canonical JSON
    prepared beforehand: the floor is the reading and the hashing)."""
    from plvgov.audit import canonical_json

    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        events = [dict(r) for r in conn.execute("SELECT * FROM audit_event ORDER BY seq")]
    blobs = [(e["prev_hash"] + canonical_json({k: e[k] for k in _HASHED})).encode() for e in events]
    started = time.perf_counter()
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("SELECT * FROM audit_event ORDER BY seq").fetchall()
    for blob in blobs:
        hashlib.sha256(blob).hexdigest()
    return time.perf_counter() - started


def list_members(db: Path) -> float:
    """Read every member and write them as JSON."""
    started = time.perf_counter()
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        json.dumps([dict(r) for r in conn.execute("SELECT * FROM member ORDER BY name")])
    return time.perf_counter() - started


#: What the board pack draws on: the register, its decisions, representatives and notices,
#: the money, the decisions of the company, the articles and the audit head.
PACK_TABLES = (
    "member",
    "member_decision",
    "representative",
    "withdrawal_notice",
    "setting_value",
    "invoice",
    "payment",
    "credit_note",
    "resolution",
    "general_meeting",
    "director",
    "board_meeting",
    "articles_version",
)


def read_pack_tables(db: Path) -> float:
    """Read every row of the tables the board pack draws on (and the audit head)."""
    started = time.perf_counter()
    with contextlib.closing(sqlite3.connect(db)) as conn:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        for table in PACK_TABLES:
            if table in present:
                conn.execute(f"SELECT * FROM {table}").fetchall()
        conn.execute("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchall()
    return time.perf_counter() - started


def pdf(html: Path, target: Path) -> None:
    """WeasyPrint alone on a document's HTML, as plvgov calls it (PDF/UA-1, nothing fetched):
    the floor of every PDF figure, run as its own process."""
    from weasyprint import HTML

    def refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
        raise ValueError(url)

    target.write_bytes(
        HTML(string=html.read_text("utf-8"), url_fetcher=refuse).write_pdf(pdf_variant="pdf/ua-1")
    )


def chain(db: Path, after_seq: int) -> str:
    """SHA-256 each audit row after ``after_seq`` in turn, each over the previous hash and the
    row as canonical JSON: what keeping the chain costs (plvgov's rows are copied as written)."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            "SELECT * FROM audit_event WHERE seq > ? ORDER BY seq", (after_seq,)
        ).fetchall()
    digest = ""
    for row in rows:
        blob = json.dumps({k: row[k] for k in _HASHED if k != "prev_hash"}, sort_keys=True)
        digest = hashlib.sha256((digest + blob).encode()).hexdigest()
    return digest


def main(argv: list[str]) -> None:
    """``python benchmarks/floors.py pdf IN.html OUT.pdf`` or ``write-rows BEFORE AFTER YEAR
    SEQ``: a floor as a whole process, beside a plvgov command's process."""
    if argv[0] == "pdf":
        pdf(Path(argv[1]), Path(argv[2]))
    elif argv[0] == "write-rows":
        before, after, year, seq = Path(argv[1]), Path(argv[2]), int(argv[3]), int(argv[4])
        chain(after, seq)
        write_rows(before, after, invoice_run_rows(year, seq))
    else:
        raise SystemExit(f"unknown floor {argv[0]!r}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
