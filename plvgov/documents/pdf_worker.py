"""A PDF worker process (:mod:`plvgov.documents.pdf`): ``python -m plvgov.documents.pdf_worker``.

It answers on the standard output it was given; anything a library prints goes to standard
error instead, so that nothing but answers reaches the parent.
"""

from __future__ import annotations

import signal

from plvgov import collector

# Starting WeasyPrint makes objects that live as long as the worker: the cyclic collector waits
# until it has started (plvgov.documents.pdf.serve), instead of scanning them as they are made.
collector.hold()
# Ctrl-C at the terminal reaches the whole process group: the command stops its workers itself
# (it closes their pipes), and a worker killed by the keystroke would only lose its paper.
signal.signal(signal.SIGINT, signal.SIG_IGN)
# The workers forked from this one (plvgov.documents.pdf) are reaped as they exit.
signal.signal(signal.SIGCHLD, signal.SIG_IGN)

import os  # noqa: E402 - after the signal, so that an import cut short cannot lose the worker
import sys  # noqa: E402
import traceback  # noqa: E402

from plvgov.documents.pdf import serve  # noqa: E402


def main() -> None:
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        serve(sys.stdin.buffer, answers, traceback.format_exc)
    except BrokenPipeError:
        pass
    # Every answer is written: skip tearing WeasyPrint's modules down.
    os._exit(0)


if __name__ == "__main__":
    main()
