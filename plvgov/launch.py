"""The ``plvgov`` console script: :func:`plvgov.cli.main`, after starting a PDF worker when
the command line will write a PDF.

A PDF waits for WeasyPrint to start (about a second) as well as for the ledger to be read. This
module imports nothing heavy, so that a ``render`` that writes a PDF can start WeasyPrint on
another core (:func:`plvgov.documents.pdf.start_early`) before the command line is even
parsed; the command then takes that worker. A guess that is wrong costs a worker that exits
with the command.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def will_write_pdf(argv: Sequence[str]) -> bool:
    """Whether ``argv`` (without the program) looks like a render to PDF: ``render`` with
    ``--format pdf``, an ``--out`` file ending ``.pdf``, or ``--year`` (a year's invoices,
    PDF unless told otherwise)."""
    if "render" not in argv or any(a in ("-h", "--help") for a in argv):
        return False
    words = [a.strip().lower() for a in argv]
    formats = [b for a, b in zip(words, words[1:], strict=False) if a == "--format"]
    formats += [a.removeprefix("--format=") for a in words if a.startswith("--format=")]
    if formats:
        return formats[-1] == "pdf"
    return ("--year" in words and "invoice" in words) or any(a.endswith(".pdf") for a in words)


def main() -> None:
    argv = sys.argv[1:]
    if will_write_pdf(argv):
        from plvgov.documents.pdf import MAX_WORKERS, start_early

        # A year's papers: a worker for each core; one paper: one worker.
        start_early(MAX_WORKERS if "--year" in argv else 1)
    from plvgov.cli import main as run

    run()


if __name__ == "__main__":
    main()
