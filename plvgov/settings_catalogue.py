"""Every setting plvgov knows, declared once: its key, its kind (how its text is read), its
range, its default and the source of the rule it feeds. :mod:`plvgov.settings` stores and reads
the values; this module says what a valid value is, so ``settings set``, ``init`` and the demo
all read a value the same way.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from plvgov.errors import InputError
from plvgov.setting_kinds import Setting

_D = Decimal
DEFINITIONS: tuple[Setting, ...] = (
    # -- company facts -------------------------------------------------------------------
    Setting(
        "company_name",
        "text",
        "Pan-London Vehicle Limited",
        "the company's registered name",
        fact=True,
    ),
    Setting(
        "company_number",
        "company_number",
        "",
        "the Companies House number: 8 digits, or 2 letters and 6 digits (SC123456)",
        fact=True,
    ),
    Setting("registered_office", "text", "", "the registered office address", fact=True),
    Setting(
        "incorporation_date",
        "optional_date",
        None,
        "date of incorporation (confirmation statement, s.853A)",
        fact=True,
        not_after_today=True,
    ),
    Setting(
        "accounting_reference_date",
        "month_day",
        "03-31",
        "accounting reference date, MM-DD (accounts deadline, s.442)",
        fact=True,
    ),
    Setting("host_council", "text", "", "the council that hosts the PLV", fact=True),
    Setting(
        "registered_email",
        "email",
        "",
        "the company's registered email address at Companies House (CA 2006 s.88A)",
        fact=True,
    ),
    # what an invoice, credit note and subscription notice print so that a council can pay
    # it as printed; `plvgov check` names any missing while members are liable
    Setting(
        "bank_account_name",
        "text",
        "",
        "the name of the company's bank account that councils pay into",
        fact=True,
    ),
    Setting(
        "bank_sort_code",
        "sort_code",
        "",
        "the sort code of that bank account, NN-NN-NN",
        fact=True,
    ),
    Setting(
        "bank_account_number",
        "account_number",
        "",
        "the number of that bank account, 8 digits",
        fact=True,
    ),
    Setting(
        "remittance_email",
        "email",
        "",
        "where a council sends its remittance advice",
        fact=True,
    ),
    Setting(
        "finance_contact",
        "text",
        "",
        "whom a council asks about an invoice: a name, with a telephone number or email",
        fact=True,
    ),
    # where e-invoices come from on the Peppol network (`render invoice N --format ubl`)
    Setting(
        "peppol_id",
        "peppol",
        "",
        "the company's Peppol address SCHEME:ID (e.g. 0088:5060123450002, a GLN) that "
        "e-invoices come from",
        fact=True,
    ),
    Setting(
        "launch_date",
        "optional_date",
        None,
        "the day the provision launched; nothing is payable for a day before it",
        fact=True,
    ),
    Setting(
        "ledger_kind",
        "choice",
        "live",
        "'live', or 'demonstration' for a demo ledger (set by init and demo only)",
        fact=True,
        choices=("live", "demonstration"),
        internal=True,
    ),
    Setting(
        "confirmation_date",
        "optional_date",
        None,
        "confirmation date of the latest confirmation statement filed; the next review "
        "period runs from the day after it (CA 2006 s.853A)",
        fact=True,
    ),
    Setting(
        "psc_notified_to",
        "optional_date",
        None,
        "the latest change in the PSC register the registrar has been told of (CA 2006 "
        "s.790VA: within 14 days after the register must be updated)",
        fact=True,
        not_after_today=True,
    ),
    Setting(
        "accounts_made_up_to",
        "optional_date",
        None,
        "the accounting reference date of the latest accounts filed (CA 2006 s.441)",
        fact=True,
    ),
    # -- membership and commitment -------------------------------------------------------
    Setting("term_start", "date", date(2023, 4, 1), "first day of the initial commitment period"),
    Setting(
        "initial_term_years",
        "int",
        5,
        "length of the initial commitment period, years",
        minimum=1,
        maximum=50,
    ),
    Setting(
        "initial_break_years",
        "int",
        3,
        "break point this many years into the initial period",
        minimum=1,
        maximum=50,
    ),
    Setting(
        "renewal_term_years",
        "int",
        10,
        "length of each renewal cycle, years",
        minimum=1,
        maximum=50,
    ),
    Setting(
        "renewal_break_years",
        "int",
        5,
        "break point this many years into each renewal cycle",
        minimum=1,
        maximum=50,
    ),
    Setting(
        "withdrawal_notice_months",
        "int",
        6,
        "notice of withdrawal must be received this many months before the exit point",
        minimum=0,
        maximum=60,
    ),
    Setting(
        "guarantee_amount",
        "money",
        _D("1.00"),
        "each member's guarantee on a winding up, £ (IA 1986 s.74(3))",
        minimum=_D("0"),
        maximum=_D("1000000"),
    ),
    Setting(
        "guarantee_tail_years",
        "int",
        1,
        "years after ceasing that a past member stays liable (IA 1986 s.74(2)(a))",
        minimum=0,
        maximum=10,
    ),
    Setting(
        "opt_in_target",
        "int",
        17,
        "councils the DfE gateway needs to opt in (unconfirmed: the seeds give no number)",
        minimum=1,
        maximum=1000,
    ),
    Setting(
        "notice_deadline_warning_days",
        "int",
        60,
        "`check` warns this many days before a withdrawal-notice deadline",
        minimum=0,
        maximum=3650,
    ),
    Setting(
        "filing_warning_days",
        "int",
        30,
        "`check` warns this many days before a confirmation statement or accounts are due",
        minimum=0,
        maximum=365,
    ),
    Setting(
        "confirmation_readiness_days",
        "int",
        90,
        "`check` warns this many days before a confirmation statement is due if it lacks the "
        "registered email or a director's identity verification (ECCTA 2023)",
        minimum=0,
        maximum=365,
    ),
    Setting(
        "former_member_retention_years",
        "int",
        10,
        "keep a former member's register entry this many years after it ceased "
        "(CA 2006 s.121 [U]: unconfirmed)",
        minimum=0,
        maximum=100,
    ),
    # -- subscriptions and invoices ------------------------------------------------------
    Setting(
        "invoice_prefix",
        "prefix",
        "PLV",
        "invoice numbers read PREFIX-YYYY-NNNN; never the credit note prefix",
    ),
    Setting(
        "credit_note_prefix",
        "prefix",
        "CN",
        "credit note numbers read PREFIX-YYYY-NNNN; never the invoice prefix",
    ),
    Setting(
        "invoice_due_days",
        "int",
        30,
        "an invoice is due this many days after issue",
        minimum=0,
        maximum=365,
    ),
    Setting(
        "reminder_first_days",
        "int",
        14,
        "the first reminder of an unpaid invoice falls due this many days after its due date "
        "(on the next working day when that is a weekend or bank holiday)",
        minimum=1,
        maximum=365,
    ),
    Setting(
        "reminder_final_days",
        "int",
        30,
        "the final reminder falls due this many days after the due date, and no sooner after "
        "the first reminder than the gap between the two settings; more than reminder_first_days",
        minimum=2,
        maximum=730,
    ),
    Setting(
        "vat_rate",
        "percent",
        _D("0"),
        "VAT rate in percent; 0 with vat_treatment 'outside the scope of VAT'",
        minimum=_D("0"),
        maximum=_D("100"),
    ),
    Setting(
        "vat_treatment", "text", "outside the scope of VAT", "the VAT statement printed on invoices"
    ),
    Setting(
        "subscription_notice_day",
        "month_day",
        "10-31",
        "each year's subscription notice goes out by this day (after September's CPI)",
    ),
    Setting(
        "subscription_base_amount",
        "money",
        _D("20000.00"),
        "the default scheme's subscription per member per full FY, base year 2023/24 "
        "(seeds: £20,000 subject to inflation adjustment)",
        minimum=_D("0"),
        maximum=_D("100000000"),
    ),
    Setting(
        "cpi_series",
        "series",
        "D7BT",
        "the default scheme's index: ONS D7BT, CPI all items 2015=100",
    ),
    Setting(
        "subscription_base_month",
        "month",
        "2022-09",
        "the default scheme's base CPI month (YYYY-MM): FY 2023/24 is the base year",
    ),
    Setting(
        "subscription_reference_month",
        "int",
        9,
        "the CPI month (1-12) of the year before the FY that uprates it (9: September, "
        "as UK public-sector uprating uses [U])",
        minimum=1,
        maximum=12,
    ),
    # -- the home's financial model (Bromley report §4.2-4.11; `model show`) --------------
    Setting(
        "model_places", "int", 24, "places in the secure children's home", minimum=1, maximum=1000
    ),
    Setting(
        "model_operating_cost",
        "money",
        _D("7500000.00"),
        "the home's operating cost a year at model_cost_base_month prices, £ (Bromley report "
        "§4.2: £7.5 million, 2019 figures)",
        minimum=_D("0"),
        maximum=_D("1000000000"),
    ),
    Setting(
        "model_cost_base_month",
        "month",
        "2019-09",
        "the CPI month (YYYY-MM) of the operating cost's prices; uprated by cpi_series to "
        "model_reference_month ([U]: the report says only '2019 figures')",
    ),
    Setting(
        "model_reference_month",
        "int",
        9,
        "the CPI month (1-12) of the year before the FY that uprates the operating cost "
        "(9: September, as the subscription)",
        minimum=1,
        maximum=12,
    ),
    Setting(
        "model_provider_margin",
        "percent",
        _D("10"),
        "the provider's margin on the operating cost, % (Bromley report §4.9)",
        minimum=_D("0"),
        maximum=_D("100"),
    ),
    Setting(
        "model_transport_cost",
        "money",
        _D("0.00"),
        "secure transport a year, £ (§4.7 counts it; [U]: the report gives no figure)",
        minimum=_D("0"),
        maximum=_D("1000000000"),
    ),
    Setting(
        "model_running_cost",
        "money",
        _D("0.00"),
        "the PLV's own running cost a year, £ (§4.7 counts it; [U]: the report gives no figure)",
        minimum=_D("0"),
        maximum=_D("1000000000"),
    ),
    Setting("model_weeks", "int", 52, "weeks charged a year", minimum=1, maximum=53),
    Setting(
        "model_occupancies",
        "percent_list",
        [_D("100"), _D("90"), _D("85")],
        "the occupancy scenarios, % (Bromley report §4.7)",
        minimum=_D("1"),
        maximum=_D("100"),
    ),
    Setting(
        "model_profile",
        "percent_list",
        [_D("50"), _D("85"), _D("85")],
        "occupancy in each year of the opening profile, % (Bromley report §4.7: 50% in "
        "year 1, then 85%)",
        minimum=_D("1"),
        maximum=_D("100"),
    ),
    Setting(
        "model_charges",
        "money_list",
        [_D("8250"), _D("10000"), _D("12000")],
        "the weekly placement charges, £ (Bromley report §4.8)",
        minimum=_D("1"),
        maximum=_D("1000000"),
    ),
    Setting(
        "model_fee_occupancy",
        "percent",
        _D("85"),
        "the occupancy at which a member's weekly fee covers cost (§4.11: members at cost; "
        "[U]: the report names no occupancy)",
        minimum=_D("1"),
        maximum=_D("100"),
    ),
    Setting(
        "model_void_margin",
        "percent",
        _D("15"),
        "a non-member's weekly fee exceeds a member's by this %, to cover voids (§4.11; [U]: "
        "the report gives no figure)",
        minimum=_D("0"),
        maximum=_D("500"),
    ),
    Setting(
        "outturn_share_basis",
        "choice",
        "days",
        "members share a year's outturn by 'days' of membership in it, or in 'equal' shares",
        choices=("days", "equal"),
    ),
    # -- members' decisions (CA 2006) ----------------------------------------------------
    Setting(
        "written_resolution_lapse_days",
        "int",
        28,
        "a written resolution lapses at the end of this many days beginning with the "
        "circulation date (CA 2006 s.297(1); the articles may set another period)",
        minimum=1,
        maximum=365,
    ),
    Setting(
        "general_meeting_notice_days",
        "int",
        14,
        "clear days' notice of a general meeting (CA 2006 s.307(1), s.360)",
        minimum=14,
        maximum=365,
    ),
    Setting(
        "deemed_service_hours",
        "int",
        48,
        "post and email are deemed received this many working hours after sending "
        "(CA 2006 s.1147(2)-(3); the articles may shorten it, s.1147(6) [U])",
        minimum=0,
        maximum=240,
    ),
    Setting(
        "short_notice_consent_percent",
        "int",
        90,
        "short notice needs consents holding this % of voting rights (CA 2006 s.307(6): "
        "90, raised by the articles to at most 95)",
        minimum=90,
        maximum=95,
    ),
    Setting(
        "general_meeting_quorum",
        "int",
        2,
        "qualifying persons for a quorum at a general meeting (CA 2006 s.318(2))",
        minimum=1,
        maximum=100,
    ),
    Setting(
        "poll_demand_min_persons",
        "int",
        2,
        "persons with a vote who may demand a poll (Model Articles art 30 [U]); CA 2006 "
        "s.321 caps it at 5 members or 10% of voting rights",
        minimum=1,
        maximum=5,
    ),
    Setting(
        "extra_non_working_days",
        "date_list",
        [],
        "one-off non-working days the holidays package does not know yet (CA 2006 s.1173)",
    ),
    Setting(
        "special_resolution_filing_days",
        "int",
        15,
        "a special resolution goes to the registrar within this many days (CA 2006 s.30)",
        minimum=1,
        maximum=365,
    ),
    Setting(
        "articles_filing_days",
        "int",
        15,
        "amended articles go to the registrar within this many days (CA 2006 s.26)",
        minimum=1,
        maximum=365,
    ),
    # -- registers and requests --------------------------------------------------------
    Setting(
        "articles_member_votes",
        "member_votes",
        {},
        "members the articles give other than one vote each, MEMBER=VOTES,... (CA 2006 "
        "s.284; the PSC register and members' requests count them)",
    ),
    Setting(
        "articles_director_appointer",
        "text",
        "",
        "a member (slug or GSS code) the articles give the right to appoint or remove a "
        "majority of the directors (Sch. 1A para 4: a PSC condition); empty for none",
    ),
    Setting(
        "member_request_percent",
        "int",
        5,
        "% of the voting rights members need to require a written resolution or a general "
        "meeting (CA 2006 s.292(5), s.303(2): 5, or lower if the articles say so)",
        minimum=1,
        maximum=5,
    ),
    # -- board ---------------------------------------------------------------------------
    Setting(
        "board_quorum",
        "int",
        2,
        "directors needed for a quorum (Model Articles art 11: never less than two)",
        minimum=2,
        maximum=100,
    ),
    Setting(
        "board_chair_casting_vote",
        "bool",
        True,
        "the chair of a board meeting has a casting vote on a tie (Model Articles art 13 [U])",
    ),
)
BY_KEY: dict[str, Setting] = {s.key: s for s in DEFINITIONS}

#: The company facts a paper that asks for money prints so that it can be paid as printed.
PAYMENT_FACTS: tuple[str, ...] = (
    "bank_account_name",
    "bank_sort_code",
    "bank_account_number",
    "remittance_email",
    "finance_contact",
)


def definition(key: str) -> Setting:
    try:
        return BY_KEY[key]
    except KeyError:
        from plvgov.errors import nearest

        hint = nearest(key, BY_KEY)
        did_you_mean = f"did you mean {', '.join(hint)}? " if hint else ""
        raise InputError(
            f"unknown setting {key!r}; {did_you_mean}valid keys: {', '.join(sorted(BY_KEY))}"
        ) from None
