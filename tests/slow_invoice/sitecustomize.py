"""Test only: an invoice run that pauses after each step, so that the process tests
(``tests/test_invoice_processes.py``) can kill a run while its transaction is open.

A ``plvgov`` process started with this folder on ``PYTHONPATH`` imports this module at start-up
(Python's ``sitecustomize`` hook), which wraps :func:`plvgov.billing.issuing.run` to sleep
``PLVGOV_TEST_SLOW_INVOICE_MS`` milliseconds after each chunk of invoices, before the commit.
plvgov itself reads no such switch.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from typing import Any

PAUSE = int(os.environ.get("PLVGOV_TEST_SLOW_INVOICE_MS", "0") or 0) / 1000

if PAUSE:
    from plvgov.billing import issuing

    _run = issuing.run

    @functools.wraps(_run)
    def _slow_run(
        *args: Any, after_chunk: Callable[[int], None] | None = None, **kwargs: Any
    ) -> Any:
        def paused(count: int) -> None:
            if after_chunk is not None:
                after_chunk(count)
            time.sleep(PAUSE)

        return _run(*args, after_chunk=paused, **kwargs)

    issuing.run = _slow_run  # type: ignore[assignment]
