"""The register of directors' particulars (CA 2006 s.162-163) and the private register of
usual residential addresses (s.165): plvgov/registers/directors.py and `director list`."""

from __future__ import annotations

from datetime import date

import pytest

from plvgov.decisions import appointments
from plvgov.errors import InputError
from plvgov.registers import directors
from tests.cli.helpers import refused_cleanly
from tests.conftest import TODAY

D = date.fromisoformat


def appoint(ledger, name: str, on: str) -> None:
    with ledger.write("test: appoint") as s:
        appointments.appoint(s, name, D(on))


def record(ledger, name: str, **given) -> None:
    with ledger.write("test: particulars") as s:
        directors.record(s, appointments.find_director(s, name), today=TODAY, **given)


@pytest.mark.parametrize(
    ("born", "age", "on"),
    [
        ("2008-02-29", 16, "2024-02-29"),  # a leap year: the anniversary itself
        ("2007-02-28", 16, "2023-02-28"),
        ("2008-02-29", 15, "2023-03-01"),  # a common year: 1 March (FLRA 1969 s.9)
        ("2010-12-31", 16, "2026-12-31"),
    ],
)
def test_birthdays(born, age, on) -> None:
    assert directors.birthday(D(born), age) == D(on)


def test_a_director_must_be_sixteen_when_appointed(ledger) -> None:
    appoint(ledger, "Ann Leap", "2024-02-28")
    with pytest.raises(InputError, match="under 16 when appointed on 2024-02-28"):
        record(ledger, "Ann Leap", born=D("2008-02-29"))  # 16 on 29 February 2024
    appoint(ledger, "Ben Leap", "2024-02-29")
    record(ledger, "Ben Leap", born=D("2008-02-29"))
    with pytest.raises(InputError, match="after today"):
        record(ledger, "Ben Leap", born=D("2026-11-24"))


def test_particulars_kept_and_others_unchanged(ledger) -> None:
    appoint(ledger, "Jane Doe", "2023-04-01")
    record(ledger, "Jane Doe", nationality="British", residential_address="12 Acacia Avenue")
    record(ledger, "Jane Doe", occupation="Director of Children's Services")
    with ledger.read() as s:
        [entry] = directors.register(s, TODAY, full=True)
    assert entry.nationality == "British" and entry.residential_address == "12 Acacia Avenue"
    assert entry.occupation == "Director of Children's Services"
    with pytest.raises(InputError, match="--occupation takes text on one line"):
        record(ledger, "Jane Doe", occupation="two\nlines")


def test_the_public_register_leaves_out_the_private_particulars(ledger, run) -> None:
    appoint(ledger, "Jane Doe", "2023-04-01")
    result = run(
        "director",
        "particulars",
        "Jane Doe",
        "--born",
        "1971-06-14",
        "--nationality",
        "British",
        "--occupation",
        "Director",
        "--country",
        "England",
        "--service-address",
        "2 Bristol Avenue, London NW9 4EW",
        "--residential-address",
        "12 Acacia Avenue, N3 1AA",
    )
    assert result.code == 0, result.err
    public = run("director", "list", "--json").json()[0]
    assert public["born"] == "1971-06"
    assert public["service_address"] == "2 Bristol Avenue, London NW9 4EW"
    assert "residential_address" not in public and "date_of_birth" not in public
    text = run("director", "list").out
    assert "1971-06" in text and "Acacia" not in text and "1971-06-14" not in text
    full = run("director", "list", "--full", "--json").json()[0]
    assert full["residential_address"] == "12 Acacia Avenue, N3 1AA"
    assert full["date_of_birth"] == "1971-06-14"
    assert "12 Acacia Avenue" in run("director", "list", "--full").out
    refused_cleanly(run, ledger, "director", "particulars", "Jane Doe", says="at least one")
