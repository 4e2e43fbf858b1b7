"""What the confirmation statement needs since ECCTA 2023: a registered email address and
every director's identity verified (plvgov/registers/identity.py), and `check`'s warning."""

from __future__ import annotations

from datetime import date

import pytest

from plvgov import settings
from plvgov.decisions import appointments
from plvgov.errors import InputError
from plvgov.oversight import checks
from plvgov.registers import directors, identity
from tests.conftest import TODAY

D = date.fromisoformat


def setup(ledger, email: bool) -> None:
    with ledger.write("test: facts") as s:
        settings.stage_fact(s, "incorporation_date", D("2023-02-14"))
        settings.stage_fact(s, "confirmation_date", D("2026-02-13"))
        if email:
            settings.stage_fact(s, "registered_email", "secretary@plv.example")
    with ledger.write("test: directors") as s:
        appointments.appoint(s, "Helen Brooks", D("2023-04-01"))
        appointments.appoint(s, "Marcus Reed", D("2023-04-01"))


def verify(ledger, name: str, code: str, on: str) -> None:
    with ledger.write("test: verify") as s:
        identity.verify(s, appointments.find_director(s, name), code, D(on), today=TODAY)


#: 90 days (``confirmation_readiness_days``) before the statement due 27 February 2027
WARN_FROM = D("2026-11-29")


def ready(ledger, at: date = WARN_FROM) -> list[checks.Finding]:
    with ledger.read() as s:
        return list(checks.confirmation_statement_ready(s, at))


def test_check_names_what_the_next_confirmation_statement_lacks(ledger) -> None:
    setup(ledger, email=False)
    [finding] = ready(ledger)
    assert finding.severity == "warning"
    # incorporated 14 February 2023: review periods end 13 February, due 14 days later
    assert "due 2027-02-27" in finding.message
    assert "no registered email address" in finding.message
    assert "identity not verified for Helen Brooks, Marcus Reed" in finding.message


def test_the_warning_comes_confirmation_readiness_days_ahead(ledger) -> None:
    setup(ledger, email=False)
    assert ready(ledger, D("2026-11-28")) == []  # 91 days ahead
    assert len(ready(ledger, D("2026-11-29"))) == 1
    with ledger.write("test: a longer window") as s:
        settings.set_value(
            s,
            "confirmation_readiness_days",
            "120",
            effective_from=D("2026-11-01"),
            authority=None,
            today=TODAY,
        )
    assert len(ready(ledger, D("2026-11-01"))) == 1  # 118 days ahead


def test_nothing_missing_once_recorded(ledger) -> None:
    setup(ledger, email=True)
    verify(ledger, "Helen Brooks", "abc12def345", "2025-11-18")
    [finding] = ready(ledger)
    assert "registered email" not in finding.message
    assert "identity not verified for Marcus Reed" in finding.message
    verify(ledger, "Marcus Reed", "XYZ98KLM765", "2026-02-27")
    assert ready(ledger) == []
    with ledger.read() as s:
        rows = {r.name: r.verified_on for r in directors.register(s, TODAY)}
        assert rows == {"Helen Brooks": D("2025-11-18"), "Marcus Reed": D("2026-02-27")}
        assert appointments.find_director(s, "Helen Brooks").verification_code == "ABC12DEF345"


def test_verification_was_not_needed_before_18_november_2025(ledger) -> None:
    setup(ledger, email=True)
    with ledger.write("test: an earlier statement") as s:
        settings.stage_fact(s, "confirmation_date", D("2024-02-13"))
    # the statement due 27 February 2025, filed in January 2025, needed no verified directors
    assert ready(ledger, D("2025-01-10")) == []
    # filed on or after 18 November 2025 it does
    assert "Helen Brooks" in ready(ledger, D("2025-11-18"))[0].message


def test_verification_dates_and_codes_are_checked(ledger) -> None:
    setup(ledger, email=True)
    with pytest.raises(InputError, match="8 April 2025"):
        verify(ledger, "Helen Brooks", "ABC12DEF345", "2025-04-07")
    with pytest.raises(InputError, match="after today"):
        verify(ledger, "Helen Brooks", "ABC12DEF345", "2026-11-24")
    with pytest.raises(InputError, match="not a Companies House personal code"):
        verify(ledger, "Helen Brooks", "ABC 12!", "2026-01-05")


def test_no_warning_without_an_incorporation_date(ledger) -> None:
    assert ready(ledger) == []  # company_filings says the deadline is unknown
