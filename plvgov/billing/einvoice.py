"""E-invoices: an invoice or credit note as a Peppol BIS Billing 3.0 document (UBL 2.1), the
EN 16931 e-invoice contracting authorities must accept (Procurement Act 2023 s.67).

The document says what the printed paper says (:mod:`plvgov.billing.papers`): the amounts frozen
at issue, the council's purchase order, the bank account. The subscription is outside the scope
of VAT (``vat_treatment``), which Peppol calls tax category ``O``: no VAT number for the company
and the exemption code ``VATEX-EU-O``. A standard-rated invoice would need the company's VAT
number, which the ledger does not keep, and is refused.

Both parties' Peppol addresses are required: the company's is the ``peppol_id`` fact, each
council's is recorded by ``plvgov member peppol``; ``plvgov check`` names what is missing.
The tests validate every document against the UBL 2.1 schema, the CEN EN 16931 rules and the
Peppol BIS 3 rules (``tests/einvoice``).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from lxml import etree
from sqlmodel import Session

from plvgov import settings, typed
from plvgov.billing.accounts import get, get_credit_note
from plvgov.billing.papers import PayTo, credit_note_document, invoice_document
from plvgov.dates import uk_date
from plvgov.errors import RuleError
from plvgov.membership.einvoicing import address as peppol_address
from plvgov.models.billing import Invoice
from plvgov.models.members import Member
from plvgov.values import dataclass

CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CURRENCY = "GBP"
_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
_ROOT = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
_POSTCODE = re.compile(r"^(.*?)\s*\b([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$", re.IGNORECASE)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class _Party:
    endpoint: str  # SCHEME:ID
    legal_name: str
    name: str | None = None  # a trading or short name, when it differs
    address: str | None = None
    company_id: str | None = None
    contact: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class _Amounts:
    net: Decimal
    vat: Decimal
    gross: Decimal
    vat_rate: str
    vat_treatment: str


# -- the two documents -----------------------------------------------------------------------
def invoice_ubl(session: Session, number: str) -> bytes:
    """Invoice ``number`` as a Peppol BIS Billing 3.0 UBL Invoice (UTF-8 XML)."""
    inv = get(session, number)
    doc = invoice_document(session, number)
    supplier, customer = _parties(session, inv, doc.address)
    amounts = _amounts(doc.net, doc.vat, doc.gross, doc.vat_rate, doc.vat_treatment)
    po = _buyer_reference(session, inv, doc.po_number)
    root = etree.Element(_qn("Invoice"), nsmap={None: _ROOT["Invoice"], "cac": _CAC, "cbc": _CBC})
    _header(root, doc.number, doc.issued_on)
    _cbc(root, "DueDate", doc.due_on.isoformat())
    _cbc(root, "InvoiceTypeCode", "380")
    _cbc(root, "Note", doc.description)
    _cbc(root, "DocumentCurrencyCode", CURRENCY)
    _cbc(root, "BuyerReference", po)
    if doc.po_number:
        _cbc(_cac(root, "OrderReference"), "ID", doc.po_number)
    _party(root, "AccountingSupplierParty", supplier)
    _party(root, "AccountingCustomerParty", customer)
    _payment_means(root, doc.number, doc.pay_to)
    _cbc(_cac(root, "PaymentTerms"), "Note", f"Due by {uk_date(doc.due_on)}.")
    _totals(root, amounts)
    _line(root, "InvoiceLine", "InvoicedQuantity", doc.description, amounts)
    return _bytes(root)


def credit_note_ubl(session: Session, number: str) -> bytes:
    """Credit note ``number`` as a Peppol BIS Billing 3.0 UBL CreditNote (UTF-8 XML), with the
    invoice it credits as its billing reference."""
    note = get_credit_note(session, number)
    inv = session.get(Invoice, note.invoice_id)
    assert inv is not None  # a credit note credits an invoice on the ledger
    doc = credit_note_document(session, number)
    supplier, customer = _parties(session, inv, doc.address)
    amounts = _amounts(doc.net, doc.vat, doc.gross, doc.vat_rate, doc.vat_treatment)
    po = _buyer_reference(session, inv, doc.po_number)
    nsmap = {None: _ROOT["CreditNote"], "cac": _CAC, "cbc": _CBC}
    root = etree.Element(_qn("CreditNote"), nsmap=nsmap)
    _header(root, doc.number, doc.issued_on)
    _cbc(root, "CreditNoteTypeCode", "381")
    _cbc(root, "Note", doc.reason)
    _cbc(root, "DocumentCurrencyCode", CURRENCY)
    _cbc(root, "BuyerReference", po)
    if doc.po_number:
        _cbc(_cac(root, "OrderReference"), "ID", doc.po_number)
    billed = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
    _cbc(billed, "ID", doc.invoice_number)
    _cbc(billed, "IssueDate", doc.invoice_issued_on.isoformat())
    _party(root, "AccountingSupplierParty", supplier)
    _party(root, "AccountingCustomerParty", customer)
    _totals(root, amounts)
    description = f"Credit against invoice {doc.invoice_number}: {doc.reason}"
    _line(root, "CreditNoteLine", "CreditedQuantity", description, amounts)
    return _bytes(root)


# -- what the documents need from the ledger -------------------------------------------------
def _parties(session: Session, inv: Invoice, address: str | None) -> tuple[_Party, _Party]:
    company = settings.fact(session, "peppol_id")
    if not company:
        raise RuleError(
            "an e-invoice needs the company's Peppol address: "
            "plvgov settings set peppol_id SCHEME:ID (e.g. 0088 and the company's GLN)"
        )
    member = session.get(Member, inv.member_id)
    assert member is not None  # an invoice's member is on the ledger
    endpoint = peppol_address(member)
    if endpoint is None:
        raise RuleError(
            f"{member.name} has no Peppol address for e-invoices: ask its accounts payable "
            f"for it, then plvgov member peppol {member.slug} SCHEME:ID"
        )
    supplier = _Party(
        endpoint=company,
        legal_name=settings.fact(session, "company_name"),
        address=settings.fact(session, "registered_office") or None,
        company_id=settings.fact(session, "company_number") or None,
        contact=settings.fact(session, "finance_contact") or None,
        email=settings.fact(session, "remittance_email") or None,
    )
    customer = _Party(
        endpoint=endpoint,
        legal_name=inv.council_name,
        name=inv.member_name if inv.member_name != inv.council_name else None,
        address=address,
    )
    return supplier, customer


def _buyer_reference(session: Session, inv: Invoice, po: str | None) -> str:
    """Peppol requires the buyer's reference (BT-10): the council's purchase order, else its
    GSS code, the identifier its own finance systems know it by."""
    if po:
        return po
    if inv.gss_code:
        return inv.gss_code
    member = session.get(Member, inv.member_id)
    assert member is not None  # an invoice's member is on the ledger
    raise RuleError(
        f"an e-invoice needs {inv.member_name}'s reference: record its purchase order with "
        f"plvgov member po {member.slug} --year {inv.financial_year} --number PO"
    )


def _amounts(net: Decimal, vat: Decimal, gross: Decimal, rate: str, treatment: str) -> _Amounts:
    words = treatment.lower()
    if vat != 0 or Decimal(rate) != 0 or not ("outside" in words and "scope" in words):
        raise RuleError(
            f"an e-invoice is made only for an invoice outside the scope of VAT, not "
            f"'{treatment}' at {rate}%: a VAT invoice needs the company's VAT number"
        )
    return _Amounts(net, vat, gross, rate, treatment)


# -- UBL -------------------------------------------------------------------------------------
def _qn(name: str) -> str:
    return f"{{{_ROOT[name]}}}{name}"


def _cbc(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{_CBC}}}{tag}", attrs)
    if typed.control_character(text) is not None:  # XML cannot hold it; the command line
        raise RuleError(  # refuses one now, but a ledger may hold one typed before
            f"the e-invoice's {tag} ({typed.shown(text)!s}) holds a control character, which "
            "XML cannot carry; send the PDF instead"
        )
    el.text = text
    return el


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{_CAC}}}{name}")


def _money(parent: etree._Element, name: str, amount: Decimal) -> None:
    _cbc(parent, name, str(amount.quantize(_CENT)), currencyID=CURRENCY)


def _header(root: etree._Element, number: str, issued_on: date) -> None:
    _cbc(root, "CustomizationID", CUSTOMIZATION)
    _cbc(root, "ProfileID", PROFILE)
    _cbc(root, "ID", number)
    _cbc(root, "IssueDate", issued_on.isoformat())


def _party(root: etree._Element, role: str, p: _Party) -> None:
    party = _cac(_cac(root, role), "Party")
    scheme, _, ident = p.endpoint.partition(":")
    _cbc(party, "EndpointID", ident, schemeID=scheme)
    if p.name:
        _cbc(_cac(party, "PartyName"), "Name", p.name)
    _postal(_cac(party, "PostalAddress"), p.address)
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", p.legal_name)
    if p.company_id:
        _cbc(legal, "CompanyID", p.company_id)
    if p.contact or p.email:
        contact = _cac(party, "Contact")
        if p.contact:
            _cbc(contact, "Name", p.contact)
        if p.email:
            _cbc(contact, "ElectronicMail", p.email)


def _postal(el: etree._Element, text: str | None) -> None:
    """A UK address as printed ("Civic Centre, Stockwell Close, Bromley BR1 3UH") in UBL's
    parts: the first line as the street, the lines after it as more street, and, when the
    address ends in a postcode, the town before it and the postcode. The country is GB."""
    parts = [p.strip() for p in re.split(r"[,\n]", text or "") if p.strip()]
    postcode = city = None
    if parts and (match := _POSTCODE.match(parts[-1])):
        postcode = match.group(2).upper()
        town = match.group(1).strip()
        parts.pop()
        if town:
            city = town
        elif len(parts) > 1:
            city = parts.pop()
    if parts:
        _cbc(el, "StreetName", parts[0])
    if len(parts) > 1:
        _cbc(el, "AdditionalStreetName", ", ".join(parts[1:]))
    if city:
        _cbc(el, "CityName", city)
    if postcode:
        _cbc(el, "PostalZone", postcode)
    _cbc(_cac(el, "Country"), "IdentificationCode", "GB")


def _payment_means(root: etree._Element, number: str, pay: PayTo) -> None:
    """Credit transfer (UNCL 4461 code 30) to the company's account, the invoice number as the
    remittance reference; left out, as on the paper, while the account is not recorded."""
    if not pay.bank:
        return
    means = _cac(root, "PaymentMeans")
    _cbc(means, "PaymentMeansCode", "30", name="Credit transfer")
    _cbc(means, "PaymentID", number)
    account = _cac(means, "PayeeFinancialAccount")
    _cbc(account, "ID", str(pay.account_number))
    _cbc(account, "Name", str(pay.account_name))
    _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", str(pay.sort_code).replace("-", ""))


def _tax_category(parent: etree._Element, name: str, reason: str | None) -> None:
    category = _cac(parent, name)
    _cbc(category, "ID", "O")
    if reason is not None:
        _cbc(category, "TaxExemptionReasonCode", "VATEX-EU-O")
        _cbc(category, "TaxExemptionReason", reason)
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


def _totals(root: etree._Element, a: _Amounts) -> None:
    tax = _cac(root, "TaxTotal")
    _money(tax, "TaxAmount", a.vat)
    sub = _cac(tax, "TaxSubtotal")
    _money(sub, "TaxableAmount", a.net)
    _money(sub, "TaxAmount", a.vat)
    _tax_category(sub, "TaxCategory", a.vat_treatment[:1].upper() + a.vat_treatment[1:])
    total = _cac(root, "LegalMonetaryTotal")
    _money(total, "LineExtensionAmount", a.net)
    _money(total, "TaxExclusiveAmount", a.net)
    _money(total, "TaxInclusiveAmount", a.gross)
    _money(total, "PayableAmount", a.gross)


def _line(root: etree._Element, name: str, quantity: str, text: str, a: _Amounts) -> None:
    line = _cac(root, name)
    _cbc(line, "ID", "1")
    _cbc(line, quantity, "1", unitCode="C62")
    _money(line, "LineExtensionAmount", a.net)
    item = _cac(line, "Item")
    _cbc(item, "Name", text)
    _tax_category(item, "ClassifiedTaxCategory", None)
    _money(_cac(line, "Price"), "PriceAmount", a.net)


def _bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
