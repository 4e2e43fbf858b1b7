"""Contributions: a deficit the members resolved to meet, invoiced to each member as its share.

Once a year's deficit is recorded under the members' resolution that resolved to meet it
(:mod:`plvgov.finance.outturn`), ``outturn invoice`` issues each member with a share other
than nil an invoice of kind ``contribution`` for that share, through the invoice machinery of
the subscriptions: numbered on from the year's last invoice in the one register of document
numbers (``PLV-2026-0034``), due on the usual payment terms (``invoice_due_days``), then paid,
credited, reminded, exported and rendered like any invoice. The contributions of a year sum to
its deficit to the penny, because the shares do.

One contribution per member and year (UNIQUE(member_id, financial_year, kind)): a second run
issues nothing new and says so. The run is one transaction with one audit event. A
contribution is outside the scope of VAT: it is not paid for a supply.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from plvgov import checkpoints, settings
from plvgov.billing.issuing import insert_invoices
from plvgov.billing.numbering import format_number, next_sequence
from plvgov.dates import FinancialYear, require_past, uk_date
from plvgov.decisions import resolutions
from plvgov.errors import RuleError
from plvgov.finance import outturn
from plvgov.membership.particulars import details_by_member, particulars_from
from plvgov.models.billing import CONTRIBUTION, Invoice
from plvgov.models.finance import Outturn, OutturnShare
from plvgov.models.members import Member
from plvgov.models.resolutions import Resolution
from plvgov.money import from_pence
from plvgov.values import dataclass

VAT_TREATMENT = "outside the scope of VAT"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Contribution:
    """One member's contribution invoice: issued (``number``) or, in a dry run, to issue."""

    member: str
    gss_code: str | None
    days: int
    amount: Decimal  # what the member pays: its share of the deficit, above nil
    number: str | None

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ContributionRun:
    """What ``outturn invoice`` issued (or, in a dry run, would issue) for a year's deficit."""

    year: FinancialYear
    deficit: Decimal
    authority: str
    issued_on: date
    dry_run: bool
    created: list[Contribution]
    existing: list[str] = field(default_factory=list)  # numbers issued by earlier runs

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.created), ZERO)

    @property
    def note(self) -> str | None:
        """Why the run issued nothing; None when it issued something."""
        if self.created:
            return None
        return f"every member's contribution to the {self.year.label} deficit is already invoiced"

    def as_json(self) -> dict[str, object]:
        return {
            "year": self.year.label,
            "deficit": self.deficit,
            "authority": self.authority,
            "issued_on": self.issued_on,
            "dry_run": self.dry_run,
            "created": len(self.created),
            "existing": len(self.existing),
            "total": self.total,
            "invoices": [c.as_json() for c in self.created],
            "note": self.note,
        }


def _deficit(session: Session, fy: FinancialYear, issued_on: date) -> tuple[Outturn, Resolution]:
    """``fy``'s recorded deficit and the passed resolution that resolved to meet it."""
    outturn.view(session, fy)  # refuses a year with no outturn, naming the command
    row = outturn.find(session, fy)
    assert row is not None
    if row.result_pence >= 0:
        raise RuleError(
            f"{fy.label} ended in a surplus, which stays in the company (a company limited by "
            "guarantee distributes no profit); only a deficit the members resolve to meet is "
            "invoiced"
        )
    resolution = None if row.resolution_id is None else session.get(Resolution, row.resolution_id)
    if resolution is None:
        raise RuleError(
            f"the {fy.label} deficit cites no members' resolution; record it again with "
            '`plvgov outturn record --correct --authority "Resolution N"`'
        )
    if issued_on < row.recorded_on:
        raise RuleError(
            f"the {fy.label} deficit was recorded on {uk_date(row.recorded_on)}; issue its "
            "contributions on or after that day"
        )
    if resolutions.tally(session, resolution, issued_on).status != resolutions.PASSED:
        raise RuleError(
            f"{resolutions.label(resolution)} had not passed by {uk_date(issued_on)}; "
            "contributions are invoiced under a passed members' resolution"
        )
    return row, resolution


def _description(
    fy: FinancialYear, row: Outturn, passed_on: date | None, days: int, members: int
) -> str:
    cited = row.authority.split(":", 1)[0]  # "Resolution 7"
    passed = "" if passed_on is None else f", passed on {uk_date(passed_on)}"
    if row.basis == "days":
        why = f"pro rata to your {days} days of membership in its {fy.days}"
    else:
        why = f"the deficit divided equally among the year's {members} members"
    return f"Contribution to the {fy.label} deficit under {cited}{passed}: your share, {why}"


def invoice(
    session: Session, fy: FinancialYear, issued_on: date, today: date, *, dry_run: bool = False
) -> ContributionRun:
    """Issue (or, ``dry_run``, plan) ``fy``'s contribution invoices on ``issued_on``: one to
    each member with a share of the recorded deficit and no contribution invoice yet. Refuses a
    surplus, a deficit without a passed resolution, and an issue date after ``today``."""
    require_past(issued_on, today, "the issue date", "issue invoices on the day they go out")
    row, resolution = _deficit(session, fy, issued_on)
    issued = outturn.contributions(session, fy)
    pairs = session.exec(
        select(OutturnShare, Member).where(
            OutturnShare.outturn_id == row.id,
            col(OutturnShare.member_id) == col(Member.id),
            col(OutturnShare.days) > 0,
        )
    ).all()
    todo = sorted(
        ((s, m) for s, m in pairs if s.share_pence < 0 and m.id not in issued),
        key=lambda pair: (pair[1].gss_code or "\uffff", pair[1].slug),
    )
    passed_on = resolutions.tally(session, resolution, issued_on).passed_on
    prefix = str(settings.get(session, "invoice_prefix", issued_on))
    sequence = next_sequence(session, Invoice, fy.start_year)
    changed = details_by_member(session)
    rows: list[list[Any]] = []
    created = []
    for share, member in todo:
        number = format_number(prefix, fy.start_year, sequence)
        pence = -share.share_pence
        to = particulars_from(member, changed.get(member.id or 0, []), issued_on)
        description = _description(fy, row, passed_on, share.days, len(pairs))
        rows.append(
            [number, sequence, member.id, member.name, to.name, member.gss_code, to.address]
            + [None, description, share.days, pence, 0, pence]
        )
        created.append(
            Contribution(
                member.name,
                member.gss_code,
                share.days,
                from_pence(pence),
                None if dry_run else number,
            )
        )
        sequence += 1
    if rows and not dry_run:
        due_days = int(settings.get(session, "invoice_due_days", issued_on))
        insert_invoices(session, fy, rows, _shared(fy, row, issued_on, due_days))
        checkpoints.take_if_configured(session)
    return ContributionRun(
        fy,
        from_pence(-row.result_pence),
        row.authority,
        issued_on,
        dry_run,
        created,
        sorted(issued.values()),
    )


def _shared(fy: FinancialYear, row: Outturn, issued_on: date, due_days: int) -> dict[str, Any]:
    """What every contribution of the year has in common; the "full-year amount" of a
    contribution is the whole deficit its share is of."""
    return {
        "financial_year": fy.start_year,
        "kind": CONTRIBUTION,
        "issued_on": issued_on,
        "due_on": issued_on + timedelta(days=due_days),
        "days_in_year": fy.days,
        "full_year_pence": -row.result_pence,
        "vat_rate": "0",
        "vat_treatment": VAT_TREATMENT,
        "scheme_id": None,
        "scheme_authority": row.authority,
        "indexed": False,
        "series": None,
        "base_month": None,
        "base_index": None,
        "reference_month": None,
        "reference_index": None,
        "factor": "1",
    }
