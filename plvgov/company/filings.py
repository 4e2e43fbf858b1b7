"""The company's own filings at Companies House: confirmation statements and annual accounts.

Both deadlines follow from two company facts, ``incorporation_date`` and
``accounting_reference_date`` (MM-DD), and advance once a filing is recorded in the facts
``confirmation_date`` and ``accounts_made_up_to``. Without an incorporation date the ledger
cannot know them, and says so (``plvgov check``) rather than guess.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from sqlmodel import Session

from plvgov import settings
from plvgov.dates import (
    COMPANIES_ACT_2006_FORMATION,
    Deadline,
    add_months,
    add_years,
    require_not_before,
)
from plvgov.values import dataclass

CONFIRMATION_STATEMENT = "confirmation_statement"
ACCOUNTS = "accounts"

# CA 2006 s.853A(1): deliver before the end of 14 days after the end of the review period.
CONFIRMATION_FILING_DAYS = 14
# CA 2006 s.442(2)(a): a private company files within 9 months of the end of the period.
ACCOUNTS_FILING_MONTHS = 9
# CA 2006 s.442(3)(b): first accounts of a period over 12 months: 3 months after it ends at least.
FIRST_ACCOUNTS_MIN_MONTHS = 3


def require_existed(session: Session, on: date, what: str) -> None:
    """Refuse a fact of the company's (an admission, a director, its articles) dated before the
    company existed: before its ``incorporation_date``, or, while that fact is not set, before
    the Companies Act 2006 let any company be formed (:data:`COMPANIES_ACT_2006_FORMATION`)."""
    incorporated = settings.fact(session, "incorporation_date")
    if incorporated is not None:
        reason = f"the company was incorporated on {incorporated}"
        require_not_before(on, incorporated, what, reason)
    else:
        require_not_before(
            on,
            COMPANIES_ACT_2006_FORMATION,
            what,
            f"{COMPANIES_ACT_2006_FORMATION}, when the Companies Act 2006 began forming companies",
        )


@dataclass(frozen=True)
class Filing:
    """One filing the company owes: what it covers and when it is due."""

    kind: str  # "confirmation_statement" or "accounts"
    period_start: date
    period_end: date
    due_on: date

    @property
    def subject(self) -> str:
        if self.kind == CONFIRMATION_STATEMENT:
            return f"Confirmation statement, review period to {self.period_end.isoformat()}"
        return f"Accounts for the period to {self.period_end.isoformat()}"


# -- confirmation statement ------------------------------------------------------------------
def review_periods(
    incorporated: date, until: date, confirmed_to: date | None = None
) -> list[Filing]:
    """Confirmation-statement review periods whose due date is on or before ``until``.

    CA 2006 s.853A: the first review period is 12 months beginning with the day of
    incorporation; each later one is 12 months from the day after the previous one ends, or
    from the day after the confirmation date of a statement filed early (``confirmed_to``).
    The finer points of s.853A(5)-(7) are [U]."""
    found: list[Filing] = []
    start = incorporated
    restarted = False
    while True:
        end = add_years(start, 1) - timedelta(days=1)
        if confirmed_to is not None and not restarted and start <= confirmed_to <= end:
            # a statement was filed with this confirmation date: the next period runs from
            # the day after it
            if end > confirmed_to:
                end = confirmed_to
            restarted = True
        due = end + timedelta(days=CONFIRMATION_FILING_DAYS)
        if due > until:
            return found
        found.append(Filing(CONFIRMATION_STATEMENT, start, end, due))
        start = end + timedelta(days=1)


# -- accounts --------------------------------------------------------------------------------
def reference_date_in(year: int, month_day: str) -> date:
    """The accounting reference date falling in ``year``. A month-end ARD stays a month end:
    "02-28" and "02-29" both mean the last day of February (s.391; treating 28 February as the
    month end in a leap year is [U])."""
    month, day = (int(x) for x in month_day.split("-"))
    last = calendar.monthrange(year, month)[1]
    common_year_last = calendar.monthrange(2027, month)[1]
    if day >= common_year_last:
        return date(year, month, last)
    return date(year, month, day)


def first_reference_date(incorporated: date, month_day: str) -> date:
    """CA 2006 s.391(5)/s.392: the first accounting reference period runs from incorporation
    for more than 6 months (and at most 18) to the first accounting reference date."""
    earliest = add_months(incorporated, 6)
    year = incorporated.year
    while reference_date_in(year, month_day) < earliest:
        year += 1
    return reference_date_in(year, month_day)


def accounts_due(
    period_start: date, period_end: date, *, first: bool, incorporated: date | None = None
) -> date:
    """The last day to deliver the accounts for the period ``period_start``-``period_end``."""
    # CA 2006 s.442(2)(a), s.443: calendar months; a month-end period end gives a month-end
    # deadline (30 June -> 31 March, not 30 March)
    due = add_months(period_end, ACCOUNTS_FILING_MONTHS)
    if first and incorporated is not None and period_end >= add_years(incorporated, 1):
        # CA 2006 s.442(3): a first period of more than 12 months -> the later of 9 months
        # from the first anniversary of incorporation and 3 months after the period ends
        anniversary = add_years(incorporated, 1)
        due = max(
            add_months(anniversary, ACCOUNTS_FILING_MONTHS),
            add_months(period_end, FIRST_ACCOUNTS_MIN_MONTHS),
        )
    return due


def accounting_periods(incorporated: date, month_day: str, until: date) -> list[Filing]:
    """Accounting reference periods whose accounts fall due on or before ``until``."""
    found: list[Filing] = []
    start, end = incorporated, first_reference_date(incorporated, month_day)
    first = True
    while True:
        due = accounts_due(start, end, first=first, incorporated=incorporated)
        if due > until:
            return found
        found.append(Filing(ACCOUNTS, start, end, due))
        start, end, first = (
            end + timedelta(days=1),
            reference_date_in(end.year + 1, month_day),
            False,
        )


# -- what the ledger knows -------------------------------------------------------------------
def filings(session: Session, until: date) -> list[Filing]:
    """Every filing due on or before ``until`` since incorporation; [] without an incorporation
    date."""
    incorporated = settings.fact(session, "incorporation_date")
    if incorporated is None:
        return []
    month_day = settings.fact(session, "accounting_reference_date")
    confirmed_to = settings.fact(session, "confirmation_date")
    return sorted(
        review_periods(incorporated, until, confirmed_to)
        + accounting_periods(incorporated, month_day, until),
        key=lambda f: (f.due_on, f.kind),
    )


def outstanding(session: Session, until: date) -> list[Filing]:
    """Filings due on or before ``until`` that the facts do not record as made: a review period
    ending after ``confirmation_date``, accounts for a period after ``accounts_made_up_to``."""
    confirmed_to = settings.fact(session, "confirmation_date")
    accounts_to = settings.fact(session, "accounts_made_up_to")
    result = []
    for filing in filings(session, until):
        done_to = confirmed_to if filing.kind == CONFIRMATION_STATEMENT else accounts_to
        if done_to is None or filing.period_end > done_to:
            result.append(filing)
    return result


def deadlines(session: Session, start: date, end: date) -> list[Deadline]:
    """Confirmation statement and accounts deadlines between ``start`` and ``end``, each
    outstanding until the facts record it made (:func:`outstanding`)."""
    result = []
    undone = set(outstanding(session, end))
    for filing in filings(session, end):
        if filing.due_on < start:
            continue
        if filing.kind == CONFIRMATION_STATEMENT:
            detail = (
                f"Deliver the confirmation statement for the review period "
                f"{filing.period_start.isoformat()} to {filing.period_end.isoformat()}."
            )
            source = "CA 2006 s.853A: within 14 days after the review period ends"
        else:
            detail = (
                f"Deliver the accounts for {filing.period_start.isoformat()} to "
                f"{filing.period_end.isoformat()} to Companies House."
            )
            source = "CA 2006 s.442, s.443"
        result.append(
            Deadline(
                filing.due_on,
                filing.kind,
                filing.subject,
                detail,
                source,
                outstanding=filing in undone,
            )
        )
    return result
