"""What the CLI tests share: the audit head, the checks on a refusal, members admitted."""

from __future__ import annotations

from plvgov import audit


def head_of(ledger) -> int:
    """The audit chain's last sequence number, read from the ledger."""
    with ledger.read() as session:
        return audit.head(session)[0]


def audit_events(run) -> int:
    """The number of audit events, as `audit verify --json` reports it."""
    return run("audit", "verify", "--json").json()["events"]


def one_error_line(result, code: int = 1) -> None:
    assert result.code == code, (result.out, result.err)
    assert result.err.startswith("Error: ")
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err + result.out


def refused(result, fragment: str, code: int = 1) -> None:
    """``result`` is one `Error:` line with ``fragment`` in it and exit ``code``."""
    one_error_line(result, code)
    assert fragment in result.err


def refused_cleanly(run, ledger, *args: str, code: int = 1, says: str = "") -> str:
    """Run ``args``: one `Error:` line saying ``says``, exit ``code``, nothing on stdout and
    nothing written (the audit head is where it was)."""
    before = head_of(ledger)
    result = run(*args)
    assert result.code == code, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.err
    assert "Traceback" not in result.err and result.out == ""
    assert says.lower() in lines[0].lower()
    assert head_of(ledger) == before  # nothing written
    return lines[0]


def admit(run, slug: str, on: str = "2023-04-01") -> None:
    result = run("member", "admit", slug, "--date", on)
    assert result.code == 0, result.err


def admit_four(run):
    for slug in ("camden", "hackney", "barnet", "bromley"):
        admit(run, slug)
    return run
