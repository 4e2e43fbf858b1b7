"""Issuing invoices: numbering, purchase orders and the annual run.

One subscription per member and FY, never two (UNIQUE(member_id, financial_year, kind): a
contribution to a deficit is the other kind, :mod:`plvgov.finance.contributions`). Both kinds
and the credit notes (:mod:`plvgov.billing.accounts`) are numbered through the one register of
document numbers (:mod:`plvgov.billing.numbering`).

A run is one transaction, planned and issued inside it, with one audit event per thousand
invoices: it is issued whole or not at all, so a run killed part-way leaves nothing and the
next run issues it all. An issued invoice is never edited: corrections are credit notes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from plvgov import audit, checkpoints, settings, words
from plvgov.billing import schemes
from plvgov.billing.numbering import claim_numbers, format_number, next_sequence
from plvgov.dates import FinancialYear, require_past, uk_date
from plvgov.db import bulk_insert
from plvgov.errors import InputError, NotFound, RuleError
from plvgov.membership.particulars import details_by_member, particulars_from
from plvgov.models.billing import SUBSCRIPTION, Invoice
from plvgov.models.members import Member
from plvgov.models.purchase_orders import PurchaseOrder
from plvgov.money import ZERO, from_pence, round_pounds, to_pence
from plvgov.values import dataclass

if TYPE_CHECKING:
    from plvgov.db import Ledger
    from plvgov.membership.members import Tenure


# -- purchase orders --------------------------------------------------------------------------
def record_po(session: Session, member: Member, fy: FinancialYear, number: str) -> PurchaseOrder:
    """Record (or replace) a council's purchase-order number for its invoice for ``fy``; an
    invoice not yet issued prints it."""
    number = number.strip()
    if not number:
        raise InputError("give the purchase-order number with --number")
    issued = find_for(session, member, fy)
    if issued is not None and issued.po_number and issued.po_number != number:
        raise RuleError(
            f"invoice {issued.number} was issued with PO {issued.po_number}; an "
            "issued invoice is never edited — credit it and re-invoice"
        )
    row = session.exec(
        select(PurchaseOrder).where(
            PurchaseOrder.member_id == member.id, PurchaseOrder.financial_year == fy.start_year
        )
    ).first()
    if row is None:
        assert member.id is not None
        row = PurchaseOrder(member_id=member.id, financial_year=fy.start_year, number=number)
    row.number = number
    session.add(row)
    audit.record(session, "invoice.po", f"{member.name} {fy.label}", [row], {"number": number})
    return row


def po_for(session: Session, member_id: int, fy: int) -> str | None:
    row = session.exec(
        select(PurchaseOrder).where(
            PurchaseOrder.member_id == member_id, PurchaseOrder.financial_year == fy
        )
    ).first()
    return None if row is None else row.number


def po_of(session: Session, invoice: Invoice) -> str | None:
    """The purchase order ``invoice`` quotes: its own, else (a subscription only: the PO is
    for the year's subscription) the one the council gave since it was issued."""
    if invoice.po_number or invoice.kind != SUBSCRIPTION:
        return invoice.po_number
    return po_for(session, invoice.member_id, invoice.financial_year)


# -- the run ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Deferred:
    """A member liable for part of the year that a run leaves for a later one: it is admitted
    after the run's issue date, and an invoice is never dated before a council joins."""

    member_id: int
    member: str
    gss_code: str | None
    admitted_on: date
    days: int
    amount: Decimal  # what the later run will invoice, pro rata from admission

    def as_json(self) -> dict[str, object]:
        return {
            "member": self.member,
            "gss_code": self.gss_code,
            "admitted_on": self.admitted_on,
            "days": self.days,
            "amount": self.amount,
        }


def later_note(later: Sequence[Deferred], issued_on: date) -> str | None:
    """What a run says about the members it left for later, and why; None when none."""
    if not later:
        return None
    names = "; ".join(f"{d.member}, admitted {uk_date(d.admitted_on)}" for d in later)
    return (
        f"Left {len(later)} for later (admitted after {uk_date(issued_on)}: invoice them "
        f"with a later run): {names}."
    )


@dataclass(frozen=True)
class RunPlan:
    """What an invoice run for ``year`` issued on ``issued_on`` would issue, what it leaves
    for a later run (members admitted after the issue date) and what already exists."""

    year: FinancialYear
    quote: schemes.Quote
    to_issue: list[schemes.QuoteLine]
    existing: list[str]  # numbers already issued for the year
    payers: dict[int, schemes.Payer] = field(repr=False)  # every member, by id
    purchase_orders: dict[int, str] = field(repr=False)  # the year's PO numbers, by member id
    issued_on: date | None = None
    later: list[Deferred] = field(default_factory=list)  # admitted after issued_on

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.to_issue), ZERO)

    @property
    def later_note(self) -> str | None:
        return None if self.issued_on is None else later_note(self.later, self.issued_on)

    @property
    def note(self) -> str | None:
        """Why the run would issue nothing (a clause: "the launch date is …, so nothing is
        payable for 2024/25"); None when it would issue something."""
        if self.to_issue:
            return None
        fy, q = self.year, self.quote
        launch = q.launch_date
        if launch is None:  # plan_run refuses first; kept for completeness
            return f"the provision has not launched, so nothing is payable for {fy.label}"
        if launch > fy.ends_on:
            return f"the launch date is {uk_date(launch)}, so nothing is payable for {fy.label}"
        if not q.lines:
            since = "" if launch <= fy.starts_on else f" from the launch on {uk_date(launch)}"
            return (
                f"no council is a member on any day of {fy.label}{since}; "
                "`plvgov member admit` records an admission"
            )
        if all(line.amount <= 0 for line in q.lines):
            return (
                f"the subscription for {fy.label} is nil "
                f"({words.authority(q.rate.scheme.authority)}), "
                "so there is nothing to invoice"
            )
        if self.later:
            return None  # the later note says who is left and why
        return f"every member liable for {fy.label} is already invoiced"

    def as_json(self) -> dict[str, object]:
        """What ``invoice run --dry-run --json`` prints."""
        return {
            "year": self.year.label,
            "dry_run": True,
            "issued_on": self.issued_on,
            "created": len(self.to_issue),
            "existing": len(self.existing),
            "total": self.total,
            "lines": [line.as_json() for line in self.to_issue],
            "later": [d.as_json() for d in self.later],
            "note": self.note,
        }


def find_for(
    session: Session, member: Member, fy: FinancialYear, kind: str = SUBSCRIPTION
) -> Invoice | None:
    """``member``'s invoice of ``kind`` for ``fy``, if issued."""
    return session.exec(
        select(Invoice).where(
            Invoice.member_id == member.id,
            Invoice.financial_year == fy.start_year,
            Invoice.kind == kind,
        )
    ).first()


def plan_run(session: Session, fy: FinancialYear, issued_on: date | None = None) -> RunPlan:
    """The run for ``fy`` issued on ``issued_on``: one invoice for each member liable for a
    day of it and admitted on or before the issue date, except those already invoiced; the
    members admitted after it are left for a later run (:attr:`RunPlan.later`). Without
    ``issued_on``, every liable member. Refuses before launch or without the CPI months it
    needs."""
    if settings.fact(session, "launch_date") is None:
        # PRODUCT.md: the subscription is payable only once the provision has launched.
        raise RuleError(
            f"the provision has not launched, so nothing is payable for "
            f"{fy.label}; {schemes.LAUNCH_HINT}"
        )
    everyone = schemes.payers(session)
    by_id = {p.id: p for p in everyone}
    q = schemes.quote(session, fy, among=everyone)
    issued = dict(
        session.exec(
            select(Invoice.member_id, Invoice.number).where(
                Invoice.financial_year == fy.start_year, Invoice.kind == SUBSCRIPTION
            )
        ).all()
    )
    todo: list[schemes.QuoteLine] = []
    later: list[Deferred] = []
    for line in q.lines:
        if line.member_id in issued or line.amount <= 0:
            continue
        admitted_on = by_id[line.member_id].admitted_on
        assert admitted_on is not None  # a quote line has days on the register
        if issued_on is not None and admitted_on > issued_on:
            # An invoice is never dated before the council joins: a later run issues it.
            later.append(
                Deferred(
                    line.member_id, line.member, line.gss_code, admitted_on, line.days, line.amount
                )
            )
        else:
            todo.append(line)
    return RunPlan(
        fy,
        q,
        todo,
        sorted(issued.values()),
        by_id,
        purchase_orders(session, fy),
        issued_on,
        sorted(later, key=lambda d: (d.admitted_on, d.member)),
    )


def purchase_orders(
    session: Session, fy: FinancialYear, member_ids: list[int] | None = None
) -> dict[int, str]:
    stmt = select(PurchaseOrder.member_id, PurchaseOrder.number).where(
        PurchaseOrder.financial_year == fy.start_year
    )
    if member_ids is not None:
        stmt = stmt.where(col(PurchaseOrder.member_id).in_(member_ids))
    return dict(session.exec(stmt).all())


@dataclass(frozen=True)
class IssueTerms:
    """What every invoice of one run shares: the rate (and its working) and the settings on the
    issue date."""

    year: FinancialYear
    issued_on: date
    rate: schemes.Rate
    launch: date
    due_days: int
    vat_rate: Decimal
    vat_treatment: str
    prefix: str


def issue_terms(
    session: Session,
    fy: FinancialYear,
    issued_on: date,
    rate: schemes.Rate | None = None,
    *,
    today: date | None = None,
) -> IssueTerms:
    """The terms invoices for ``fy`` issued on ``issued_on`` share; refuses before launch and
    an issue date after ``today`` (an invoice is dated the day it is issued)."""
    require_past(issued_on, today, "the issue date", "issue invoices on the day they go out")
    launch = settings.fact(session, "launch_date")
    if launch is None:
        raise RuleError(f"the provision has not launched; {schemes.LAUNCH_HINT}")
    return IssueTerms(
        fy,
        issued_on,
        rate or schemes.rate(session, fy),
        launch,
        settings.get(session, "invoice_due_days", issued_on),
        Decimal(settings.get(session, "vat_rate", issued_on)),
        str(settings.get(session, "vat_treatment", issued_on)),
        str(settings.get(session, "invoice_prefix", issued_on)),
    )


class Issued(NamedTuple):
    """An invoice just issued, as a run reports it."""

    id: int
    number: str
    member_id: int
    gross: Decimal


def issue(
    session: Session,
    fy: FinancialYear,
    member_ids: Iterable[int],
    issued_on: date,
    rate: schemes.Rate | None = None,
    *,
    today: date | None = None,
) -> list[Issued]:
    """Issue ``fy``'s invoice to each member named that has none yet, with one audit event;
    returns the invoices created (none for a member already invoiced, or owing nothing).
    Refuses a member admitted after ``issued_on``: an invoice is never dated before a council
    joins."""
    terms = issue_terms(session, fy, issued_on, rate, today=today)
    wanted = list(dict.fromkeys(member_ids))
    found = {p.id: p for p in schemes.payers(session, wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(f"no member with id {missing[0]}")
    invoiced = set(
        session.exec(
            select(Invoice.member_id).where(
                Invoice.financial_year == fy.start_year,
                Invoice.kind == SUBSCRIPTION,
                col(Invoice.member_id).in_(wanted),
            )
        )
    )
    early = next(
        (
            found[i]
            for i in wanted
            if i not in invoiced and (found[i].admitted_on or date.min) > issued_on
        ),
        None,
    )
    if early is not None:
        assert early.admitted_on is not None
        raise RuleError(
            f"{early.name} is admitted on {uk_date(early.admitted_on)}, after the issue date "
            f"{uk_date(issued_on)}; invoice it on or after the day it joins"
        )
    owing = [
        (found[i], schemes.active_days(found[i], fy, terms.launch))
        for i in wanted
        if i not in invoiced
    ]
    return _issue(session, terms, owing, purchase_orders(session, fy, wanted))


#: An invoice's own columns, in the order :func:`_issue` builds them; the rest it shares with
#: every invoice issued on the same terms (:func:`_shared_columns`), and its id comes last.
OWN_COLUMNS = (
    "number",
    "sequence",
    "member_id",
    "member_name",
    "council_name",
    "gss_code",
    "address",
    "po_number",
    "description",
    "days",
    "net_pence",
    "vat_pence",
    "gross_pence",
)
_NUMBER, _SEQUENCE, _MEMBER_ID, _DAYS = (
    OWN_COLUMNS.index(c) for c in ("number", "sequence", "member_id", "days")
)


def _issue(
    session: Session,
    terms: IssueTerms,
    owing: Sequence[tuple[schemes.Payer, int]],
    purchase_orders: Mapping[int, str],
) -> list[Issued]:
    """Issue ``terms.year``'s invoice to each payer of ``owing`` (none yet invoiced) for its
    days of the year, if that comes to something, numbered on from the year's last, with one
    audit event.

    Each invoice is one row of values: inserted in bulk, then (with its id) its after-image,
    so that a run over thousands of members builds no ORM objects."""
    fy = terms.year
    sequence = next_sequence(session, Invoice, fy.start_year)
    amounts: dict[int, tuple[int, int, int]] = {}  # by days: most owe for the whole year
    grosses: dict[int, Decimal] = {}
    described: dict[tuple[date | None, date | None], str] = {}
    changed = details_by_member(session)  # names and addresses recorded since entry
    rows: list[list[Any]] = []
    for payer, days in owing:
        if days not in amounts:
            amounts[days] = _amounts(terms, days)
            grosses[days] = from_pence(amounts[days][2])
        if amounts[days][0] <= 0:
            continue
        tenure = (payer.admitted_on, payer.ceased_on)
        if tenure not in described:
            described[tenure] = _description(fy, payer, terms.launch, days)
        # addressed as the register stands on the day of issue (as entered, for most)
        name, address = payer.council_name, payer.address
        if payer.id in changed:
            to = particulars_from(payer, changed[payer.id], terms.issued_on)
            name, address = to.name, to.address
        rows.append(
            [
                format_number(terms.prefix, fy.start_year, sequence),
                sequence,
                payer.id,
                payer.name,
                name,
                payer.gss_code,
                address,
                purchase_orders.get(payer.id),
                described[tenure],
                days,
                *amounts[days],
            ]
        )
        sequence += 1
    if not rows:
        return []
    insert_invoices(session, fy, rows, _shared_columns(terms))
    return [Issued(row[-1], row[_NUMBER], row[_MEMBER_ID], grosses[row[_DAYS]]) for row in rows]


def insert_invoices(
    session: Session, fy: FinancialYear, rows: list[list[Any]], shared: dict[str, Any]
) -> None:
    """Issue ``rows`` (:data:`OWN_COLUMNS` values, numbered on from ``fy``'s last) with the
    ``shared`` columns: their numbers entered in the register, one audit event; each row gains
    its id at the end."""
    first = rows[0][_SEQUENCE]
    table = Invoice.__table__  # type: ignore[attr-defined]
    claim_numbers(session, "invoice", [row[_NUMBER] for row in rows])
    bulk_insert(session, table, OWN_COLUMNS, rows, same=shared)
    # Writers are serialised, so the sequences just allocated are this transaction's alone.
    ids: dict[int, int] = dict(
        session.connection()
        .execute(
            sa_select(table.c.sequence, table.c.id).where(
                table.c.financial_year == fy.start_year, table.c.sequence >= first
            )
        )
        .all()
    )
    for row in rows:
        row.append(ids[row[_SEQUENCE]])
    audit.record(
        session,
        "invoice.issue",
        rows[0][_NUMBER] if len(rows) == 1 else f"{rows[0][_NUMBER]} to {rows[-1][_NUMBER]}",
        details={"year": fy.label, "count": len(rows), "kind": shared["kind"]},
        tables=[audit.table_image("invoice", (*OWN_COLUMNS, "id"), rows, same=shared)],
    )


def _shared_columns(terms: IssueTerms) -> dict[str, Any]:
    """The columns every invoice issued on the same terms has in common: the dates and the
    working (scheme, index values, factor), frozen at issue."""
    fy, w = terms.year, terms.rate.working
    return {
        "financial_year": fy.start_year,
        "kind": SUBSCRIPTION,
        "issued_on": terms.issued_on,
        "due_on": terms.issued_on + timedelta(days=terms.due_days),
        "days_in_year": fy.days,
        "full_year_pence": to_pence(w.full_year_amount),
        "vat_rate": str(terms.vat_rate),
        "vat_treatment": terms.vat_treatment,
        "scheme_id": terms.rate.scheme.id,
        "scheme_authority": w.authority,
        "indexed": w.indexed,
        "series": w.series,
        "base_month": w.base_month,
        "base_index": w.base_index,
        "reference_month": w.reference_month,
        "reference_index": w.reference_index,
        "factor": w.factor,
    }


def _amounts(terms: IssueTerms, days: int) -> tuple[int, int, int]:
    """Net, VAT and gross pence for ``days`` of the year: pro rata, each rounded once, half
    up (in :data:`OWN_COLUMNS` order)."""
    net = schemes.pro_rata(terms.rate.exact, days, terms.year.days)
    vat = round_pounds(net * terms.vat_rate / 100)
    return to_pence(net), to_pence(vat), to_pence(net + vat)


def _description(fy: FinancialYear, member: Tenure, launch: date, days: int) -> str:
    if days == fy.days:
        return f"Annual subscription {fy.label} ({uk_date(fy.starts_on)} to {uk_date(fy.ends_on)})"
    first = max(fy.starts_on, launch, member.admitted_on or fy.starts_on)
    last = min(fy.ends_on, member.ceased_on or fy.ends_on)
    return (
        f"Subscription {fy.label}, part year: {days} of {fy.days} days "
        f"({uk_date(first)} to {uk_date(last)})"
    )


#: Invoices per audit event in a run: events (and the memory a run holds) stay bounded.
RUN_CHUNK = 1000


@dataclass(frozen=True)
class RunOutcome:
    """What a run issued, how many of the year's invoices existed before it, and the members
    it left for a later run (admitted after its issue date)."""

    year: FinancialYear
    created: list[Issued]
    existing: int
    issued_on: date | None = None
    later: list[Deferred] = field(default_factory=list)
    note: str | None = None  # why nothing was issued, when nothing was

    @property
    def total(self) -> Decimal:
        return sum((i.gross for i in self.created), ZERO)

    @property
    def later_note(self) -> str | None:
        return None if self.issued_on is None else later_note(self.later, self.issued_on)

    def as_json(self) -> dict[str, object]:
        return {
            "year": self.year.label,
            "created": len(self.created),
            "existing": self.existing,
            "total": self.total,
            "numbers": [i.number for i in self.created],
            "issued_on": self.issued_on,
            "later": [d.as_json() for d in self.later],
            "note": self.note,
        }


def run(
    ledger: Ledger,
    fy: FinancialYear,
    issued_on: date,
    command: str,
    *,
    chunk: int = RUN_CHUNK,
    after_chunk: Callable[[int], None] | None = None,
    today: date | None = None,
) -> RunOutcome:
    """The invoice run for ``fy``: plans it and issues every invoice in one write
    transaction, so a run is issued whole or not at all — a run killed part-way leaves
    nothing, and the next run issues it all. Planning inside the transaction means two runs
    at once cannot both issue an invoice: the second finds the first's.

    Unlike the domain functions that take a session, the run owns its transaction. It writes
    one audit event per ``chunk`` invoices; ``after_chunk(count)`` is called after each (a
    progress bar), before the commit. An issue date after ``today`` is refused."""
    require_past(issued_on, today, "the issue date", "issue invoices on the day they go out")
    with ledger.write(command) as session:
        plan = plan_run(session, fy, issued_on)
        created: list[Issued] = []
        if plan.to_issue:
            terms = issue_terms(session, fy, issued_on, plan.quote.rate)
            owing = [(plan.payers[line.member_id], line.days) for line in plan.to_issue]
            for start in range(0, len(owing), chunk):
                part = owing[start : start + chunk]
                created += _issue(session, terms, part, plan.purchase_orders)
                if after_chunk is not None:
                    after_chunk(len(part))
            checkpoints.take_if_configured(session)  # a year's invoices, signed as issued
    return RunOutcome(
        fy,
        created,
        len(plan.existing),
        issued_on,
        plan.later,
        None if created else plan.note,
    )
