"""What the decisions' CLI tests share: the audit head, a refusal that writes nothing, four
members admitted."""

from __future__ import annotations

from plvgov import audit


def events(ledger) -> int:
    with ledger.read() as session:
        return audit.head(session)[0]


def refused(run, ledger, *args: str, code: int = 1, says: str = "") -> str:
    before = events(ledger)
    result = run(*args)
    assert result.code == code, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.err
    assert "Traceback" not in result.err and result.out == ""
    assert says.lower() in lines[0].lower()
    assert events(ledger) == before  # nothing written
    return lines[0]


def admit_four(run):
    for slug in ("camden", "hackney", "barnet", "bromley"):
        assert run("member", "admit", slug, "--date", "2023-04-01").code == 0
    return run
