"""How long records are kept (CA 2006 s.121, s.248, s.355): plvgov/registers/retention.py and
the papers that say it."""

from __future__ import annotations

from datetime import date

import pytest

from plvgov.documents import Request, render
from plvgov.membership import members
from plvgov.registers import retention
from tests.conftest import TODAY
from tests.stories import admit

D = date.fromisoformat


@pytest.mark.parametrize(
    ("on", "kept", "removable"),
    [
        # company_law.md §8: minutes of the GM on 2027-01-06 kept to 2037-01-06 at least
        ("2027-01-06", "2037-01-06", "2037-01-07"),
        # §7: Bromley withdraws with effect 2027-03-31: keep until at least 2037-03-31
        ("2027-03-31", "2037-03-31", "2037-04-01"),
        # a leap day: the tenth anniversary falls in a common year
        ("2024-02-29", "2034-02-28", "2034-03-01"),
    ],
)
def test_ten_years(on, kept, removable) -> None:
    assert retention.kept_until(D(on)) == D(kept)
    assert retention.removable_from(D(on)) == D(removable)


def test_the_register_of_members_says_when_a_former_entry_may_be_removed(ledger) -> None:
    admit(ledger, "camden", "2023-04-01")
    admit(ledger, "sutton", "2023-04-01")
    with ledger.write("test: cease") as s:
        members.cease(s, members.find(s, "sutton"), D("2024-02-29"), "withdrawal")
    with ledger.read() as s:
        text = render(s, "register", None, "md", Request(TODAY)).decode()
    assert "withdrawal; may be removed from 1 March 2034 (s.121)" in text
    assert text.count("may be removed") == 1  # Camden is still a member
