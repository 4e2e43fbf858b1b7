"""The one exception family the domain raises.

The CLI catches :class:`PlvgovError` once, prints ``Error: <message>`` on one line and exits
with ``exit_code``. Every message names the fix, because the company secretary reading it has
no traceback to go on.
"""

from __future__ import annotations

from collections.abc import Iterable


class PlvgovError(Exception):
    """A refusal: a rule, a missing fact or bad input. Nothing was written."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(PlvgovError):
    """Bad input the user can correct (a malformed date, an unknown setting key, a bad file)."""


class NotFound(PlvgovError):
    """A member, invoice, resolution or meeting that the ledger does not hold."""


class RuleError(PlvgovError):
    """The ledger refuses because a rule (statute, articles or setting) forbids the change."""


class LedgerError(PlvgovError):
    """The ledger itself: missing, already there, locked, or at an older schema."""


class UsageError(PlvgovError):
    """Wrong use of the command line (exit 2), raised where Typer cannot see the mistake."""

    exit_code = 2


def nearest(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The candidates closest to ``name``, for "did you mean" hints in error messages."""
    import difflib

    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    hits = difflib.get_close_matches(name.lower(), list(lowered), n=limit, cutoff=0.5)
    if not hits:
        hits = [c for c in lowered if name.lower() in c][:limit]
    return [lowered[h] for h in hits]
