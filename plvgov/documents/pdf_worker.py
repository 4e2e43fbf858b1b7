"""A PDF worker process (:mod:`plvgov.documents.pdf`): ``python -m plvgov.documents.pdf_worker``.

It answers on the standard output it was given; anything a library prints goes to standard
error instead, so that nothing but answers reaches the parent.
"""

from __future__ import annotations

import os
import sys
import traceback

from plvgov.documents.pdf import serve


def main() -> None:
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        serve(sys.stdin.buffer, answers, traceback.format_exc)
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    # Every answer is written: skip tearing WeasyPrint's modules down.
    os._exit(0)


if __name__ == "__main__":
    main()
