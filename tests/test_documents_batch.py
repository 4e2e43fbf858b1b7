"""A year's papers (:mod:`plvgov.documents.batch`): every invoice and credit note numbered in
the financial year, in the order issued. A credit note is numbered in its invoice's year, so a
year's papers include the credit notes issued after it ended; what every paper shares is read
once and forgotten after."""

from __future__ import annotations

from datetime import date

import pytest

from plvgov.billing import accounts
from plvgov.dates import FinancialYear
from plvgov.db import Ledger
from plvgov.documents import Request
from plvgov.documents.batch import Paper, render_papers, year_papers
from plvgov.errors import RuleError
from plvgov.money import parse_amount
from tests.stories import build_story


@pytest.fixture
def story(ledger: Ledger) -> Ledger:
    build_story(ledger)
    # Bromley's 2026/27 invoice (PLV-2026-0002) credited again on the last day of the year and
    # on the first day of the next: both are 2026/27's credit notes, CN-2026-0002 and -0003.
    for day in (date(2027, 3, 31), date(2027, 4, 1)):
        with ledger.write("test: credit") as s:
            accounts.credit(
                s, "PLV-2026-0002", "Agreed reduction", day, parse_amount("10.00"), today=day
            )
    return ledger


def test_a_years_papers_are_those_numbered_in_it(story: Ledger) -> None:
    with story.read() as s:
        assert year_papers(s, FinancialYear(2026)) == [
            Paper("invoice", "PLV-2026-0001"),
            Paper("invoice", "PLV-2026-0002"),
            Paper("credit-note", "CN-2026-0001"),
            Paper("credit-note", "CN-2026-0002"),  # 31 March 2027
            Paper("credit-note", "CN-2026-0003"),  # 1 April 2027, in 2027/28, against 2026/27
        ]
        for nothing in (FinancialYear(2025), FinancialYear(2027)):
            with pytest.raises(
                RuleError, match=f"no invoice or credit note is numbered in {nothing.label}"
            ):
                year_papers(s, nothing)


def test_papers_render_in_order_and_the_shared_facts_are_forgotten(story: Ledger) -> None:
    request = Request(generated_on=date(2027, 4, 2))
    with story.read() as s:
        papers = year_papers(s, FinancialYear(2026))
        rendered = list(render_papers(s, papers, "md", request))
        assert [p for p, _ in rendered] == papers
        assert all(not key.startswith("plvgov.") for key in s.info)  # nothing left behind
    texts = {p.number: data.decode("utf-8") for p, data in rendered}
    assert "# Invoice PLV-2026-0002" in texts["PLV-2026-0002"]
    assert "31 March 2027" in texts["CN-2026-0002"]
    assert "1 April 2027" in texts["CN-2026-0003"]
    assert Paper("credit-note", "CN-2026-0002").file_name("pdf") == "CN-2026-0002.pdf"
