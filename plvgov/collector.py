"""The cyclic garbage collector in a process that starts, works and ends: a command line or a
PDF worker.

Start-up (typer, the database stack, the domain modules; WeasyPrint and its fonts in a worker)
creates a few hundred thousand objects that live as long as the process. Collecting while they
are made only rescans them (one scan of 100,000 of them cost 30 ms of ``check``'s 0.6 s). So the
process :func:`hold`\\s the collector while it starts and, once started, :func:`settle`\\s it:
what start-up built is frozen out of its scans (``gc.freeze``; a forked worker shares those
pages) and it runs again, every :data:`COLLECT_EVERY` new objects rather than every 700: a
command that reads or writes thousands of rows keeps them until it ends, and the default
rescans them over and over (a list of 100,000 members cost 1.5x per member what 10,000 did).
When the command is done, :func:`leave` freezes what it made too: the interpreter collects once
more as it exits, and would scan it all only to find what the process's exit frees anyway.
"""

from __future__ import annotations

import gc

#: New objects between the collector's scans once start-up is over (the default is 700).
COLLECT_EVERY = 100_000
_settled = False  # start-up is over: what it built is frozen out of the collector's scans
_held = False  # :func:`hold` turned the collector off


def hold() -> None:
    """Turn the collector off while the process starts (unless it has settled already)."""
    global _held
    if not _settled and gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Turn the collector back on if :func:`hold` turned it off, without freezing (a command
    line that opened no ledger: ``--help``, a refusal); it scans every :data:`COLLECT_EVERY`."""
    global _held
    gc.set_threshold(COLLECT_EVERY)
    if _held:
        gc.enable()
        _held = False


def settle() -> None:
    """Once per process, when it has started: freeze what start-up built out of the
    collector's scans, and :func:`release` the collector."""
    global _settled
    if not _settled:
        gc.freeze()
        release()
        _settled = True


def leave() -> None:
    """The process is about to end (its command is done): freeze every object out of the
    collector's scans, so that the collection the interpreter runs as it exits has nothing to
    scan (it scanned what the command made: ~10 ms of ``check``'s 0.5 s). Nothing else changes
    at exit: the streams are flushed, ``atexit`` runs and the modules are torn down as before.
    Only for a process that ends: the console script calls it, never a caller of :func:`run`."""
    gc.freeze()
