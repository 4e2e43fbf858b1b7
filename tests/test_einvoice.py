"""E-invoices (plvgov.billing.einvoice): every invoice and credit note passes the official
Peppol BIS Billing 3.0 validation offline (OASIS UBL 2.1 schema, CEN EN 16931 rules, Peppol BIS 3
rules: tests/einvoice/artefacts), and a broken one fails naming the rule it breaks."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from sqlmodel import select

from plvgov import audit, eas, settings
from plvgov.billing import einvoice
from plvgov.db import Ledger
from plvgov.demo import billing as demo_billing
from plvgov.errors import InputError, RuleError
from plvgov.membership import einvoicing, members
from plvgov.models.accounts import CreditNote
from plvgov.models.billing import Invoice
from tests.conftest import TODAY
from tests.einvoice.validation import ARTEFACTS, findings, validate
from tests.stories import build_story

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
COMPANY = "0088:5060000000009"


def addressed(ledger: Ledger) -> Ledger:
    """The story ledger with the company's and every invoiced member's Peppol address."""
    with ledger.write("test: peppol_id") as s:
        row = settings.stage_fact(s, "peppol_id", COMPANY)
        audit.record(s, "settings.set", "peppol_id", [row])
    for n, slug in enumerate(("barking-and-dagenham", "bromley"), start=1):
        with ledger.write(f"test: peppol {slug}") as s:
            einvoicing.set_address(s, members.find(s, slug), f"0088:{demo_billing.demo_gln(n)}")
    return ledger


@pytest.fixture
def story(ledger: Ledger) -> Ledger:
    build_story(ledger)
    return addressed(ledger)


def numbers(ledger: Ledger) -> tuple[list[str], list[str]]:
    with ledger.read() as s:
        invoices = [i.number for i in s.exec(select(Invoice).order_by(Invoice.id))]
        notes = [c.number for c in s.exec(select(CreditNote).order_by(CreditNote.id))]
    return invoices, notes


def ubl(ledger: Ledger, number: str) -> bytes:
    with ledger.read() as s:
        if number.startswith("CN-"):
            return einvoice.credit_note_ubl(s, number)
        return einvoice.invoice_ubl(s, number)


def text(document: bytes, path: str) -> list[str]:
    return [str(t) for t in etree.fromstring(document).xpath(f"{path}/text()", namespaces=NS)]


def rules(document: bytes) -> set[str]:
    return {f.rule for f in validate(document)}


# -- the story ledger: invoices and a credit note, on both backends ---------------------------
def test_every_invoice_and_credit_note_passes_the_official_rules(story: Ledger) -> None:
    invoices, notes = numbers(story)
    assert len(invoices) == 2 and len(notes) == 1
    for number in invoices + notes:
        assert findings(ubl(story, number)) == [], number  # not even a warning


def test_the_invoice_says_what_the_paper_says(story: Ledger) -> None:
    doc = ubl(story, "PLV-2026-0001")
    assert text(doc, "/*/cbc:ID") == ["PLV-2026-0001"]
    assert text(doc, "/*/cbc:IssueDate") == ["2026-04-01"]
    assert text(doc, "/*/cbc:DueDate") == ["2026-05-01"]  # 30 days
    assert text(doc, "/*/cbc:DocumentCurrencyCode") == ["GBP"]
    supplier = "/*/cac:AccountingSupplierParty/cac:Party"
    customer = "/*/cac:AccountingCustomerParty/cac:Party"
    assert text(doc, f"{supplier}/cbc:EndpointID") == ["5060000000009"]
    assert etree.fromstring(doc).xpath(f"{supplier}/cbc:EndpointID/@schemeID", namespaces=NS) == [
        "0088"
    ]
    assert text(doc, f"{supplier}/cac:PartyLegalEntity/cbc:CompanyID") == ["14712345"]
    assert text(doc, f"{customer}/cac:PartyLegalEntity/cbc:RegistrationName") == [
        "London Borough of Barking and Dagenham"
    ]
    assert text(doc, f"{customer}/cac:PostalAddress/cbc:PostalZone") == ["IG11 7LU"]
    assert text(doc, f"{customer}/cac:PostalAddress/cbc:CityName") == ["Barking"]
    with story.read() as s:
        inv = s.exec(select(Invoice).where(Invoice.number == "PLV-2026-0001")).one()
    net = f"{Decimal(inv.net_pence) / 100:.2f}"
    assert text(doc, "/*/cac:LegalMonetaryTotal/cbc:PayableAmount") == [net]
    assert text(doc, "/*/cac:InvoiceLine/cbc:LineExtensionAmount") == [net]
    assert text(doc, "/*/cac:TaxTotal/cbc:TaxAmount") == ["0.00"]
    assert text(doc, "//cac:TaxSubtotal/cac:TaxCategory/cbc:ID") == ["O"]  # outside scope
    assert text(doc, "//cac:TaxCategory/cbc:TaxExemptionReasonCode") == ["VATEX-EU-O"]
    # no VAT number for a supply outside the scope of VAT (BR-O-02)
    assert text(doc, "//cac:PartyTaxScheme/cbc:CompanyID") == []
    # the story's company has no bank account recorded: no payment means, as on the paper
    assert text(doc, "/*/cac:PaymentMeans/cbc:PaymentMeansCode") == []
    # no purchase order: the council's GSS code is the buyer's reference
    assert text(doc, "/*/cbc:BuyerReference") == ["E09000002"]
    assert text(doc, "/*/cac:OrderReference/cbc:ID") == []


def test_the_credit_note_references_the_invoice_it_credits(story: Ledger) -> None:
    doc = ubl(story, "CN-2026-0001")
    assert etree.fromstring(doc).tag.endswith("}CreditNote")
    assert text(doc, "/*/cbc:CreditNoteTypeCode") == ["381"]
    ref = "/*/cac:BillingReference/cac:InvoiceDocumentReference"
    assert text(doc, f"{ref}/cbc:ID") == ["PLV-2026-0002"]
    assert text(doc, f"{ref}/cbc:IssueDate") == ["2026-04-01"]
    assert text(doc, "/*/cac:LegalMonetaryTotal/cbc:PayableAmount") == ["1000.00"]
    assert text(doc, "/*/cac:CreditNoteLine/cbc:CreditedQuantity") == ["1"]
    assert text(doc, "/*/cbc:Note") == ["Agreed reduction for the first year"]


def test_a_purchase_order_and_the_bank_account_go_on_the_e_invoice(story: Ledger) -> None:
    from plvgov.billing import issuing
    from plvgov.dates import FinancialYear

    with story.write("test: po") as s:
        issuing.record_po(s, members.find(s, "bromley"), FinancialYear(2026), "BR-PO-448812")
    facts = {
        "bank_account_name": "Pan-London Vehicle Limited",
        "bank_sort_code": "60-00-01",
        "bank_account_number": "01234567",
    }
    with story.write("test: bank") as s:
        rows = [settings.stage_fact(s, k, v) for k, v in facts.items()]
        audit.record(s, "settings.set", "bank", rows)
    doc = ubl(story, "PLV-2026-0002")
    assert text(doc, "/*/cbc:BuyerReference") == ["BR-PO-448812"]
    assert text(doc, "/*/cac:OrderReference/cbc:ID") == ["BR-PO-448812"]
    assert text(doc, "/*/cac:PaymentMeans/cbc:PaymentMeansCode") == ["30"]  # credit transfer
    assert text(doc, "/*/cac:PaymentMeans/cbc:PaymentID") == ["PLV-2026-0002"]
    account = "/*/cac:PaymentMeans/cac:PayeeFinancialAccount"
    assert text(doc, f"{account}/cbc:ID") == ["01234567"]  # the leading zero kept
    assert text(doc, f"{account}/cac:FinancialInstitutionBranch/cbc:ID") == ["600001"]
    assert findings(doc) == []
    assert text(ubl(story, "CN-2026-0001"), "/*/cbc:BuyerReference") == ["BR-PO-448812"]
    assert findings(ubl(story, "CN-2026-0001")) == []


def test_names_with_markup_characters_are_escaped_not_broken(story: Ledger) -> None:
    with story.write("test: rename") as s:
        members.update(
            s,
            members.find(s, "barking-and-dagenham"),
            date(2026, 3, 1),
            name='London Borough of Barking & Dagenham <"Civic">',
            address="Town Hall, 1 Town Square, Barking & Dagenham IG11 7LU",
            today=TODAY,
        )
    with story.write("test: invoice") as s:
        from plvgov.billing import issuing
        from plvgov.dates import FinancialYear

        issuing.issue(
            s, FinancialYear(2025), [members.find(s, "barking-and-dagenham").id], date(2026, 3, 2)
        )
    doc = ubl(story, "PLV-2025-0001")
    assert b'Barking &amp; Dagenham &lt;"Civic"&gt;' in doc
    customer = "/*/cac:AccountingCustomerParty/cac:Party"
    assert text(doc, f"{customer}/cac:PartyLegalEntity/cbc:RegistrationName") == [
        'London Borough of Barking & Dagenham <"Civic">'
    ]
    assert text(doc, f"{customer}/cac:PostalAddress/cbc:CityName") == ["Barking & Dagenham"]
    assert findings(doc) == []


def test_a_control_character_stored_before_it_was_refused_is_a_refusal_naming_the_field(
    story: Ledger,
) -> None:
    """A credit note's reason typed with a bell before the command line refused one: XML cannot
    carry it, and lxml's ValueError reached the user as an 'unexpected failure'."""
    from plvgov.models.accounts import CreditNote

    with story.write("test: an old reason") as s:
        note = s.exec(select(CreditNote).where(CreditNote.number == "CN-2026-0001")).one()
        note.reason = "fee\x07"
        s.add(note)
    with story.read() as s, pytest.raises(RuleError, match=r"\(fee\\x07\) holds a control"):
        einvoice.credit_note_ubl(s, "CN-2026-0001")


# -- what is missing is an error naming the fix -----------------------------------------------
def test_no_company_address_is_refused_naming_the_setting(ledger: Ledger) -> None:
    build_story(ledger)
    with ledger.read() as s, pytest.raises(RuleError, match="settings set peppol_id"):
        einvoice.invoice_ubl(s, "PLV-2026-0001")


def test_no_member_address_is_refused_naming_the_command(ledger: Ledger) -> None:
    build_story(ledger)
    with ledger.write("test: peppol_id") as s:
        row = settings.stage_fact(s, "peppol_id", COMPANY)
        audit.record(s, "settings.set", "peppol_id", [row])
    with ledger.read() as s, pytest.raises(RuleError, match="member peppol bromley SCHEME:ID"):
        einvoice.credit_note_ubl(s, "CN-2026-0001")


def test_a_vat_invoice_is_refused_not_misdescribed(story: Ledger) -> None:
    with story.write("test: vat") as s:
        inv = s.exec(select(Invoice).where(Invoice.number == "PLV-2026-0001")).one()
        inv.vat_rate, inv.vat_treatment = "20", "standard rated"
        s.add(inv)
    with story.read() as s, pytest.raises(RuleError, match="VAT number"):
        einvoice.invoice_ubl(s, "PLV-2026-0001")


# -- a broken document fails with the rule's id -----------------------------------------------
def _edit(document: bytes, path: str, value: str | None) -> bytes:
    tree = etree.fromstring(document)
    for el in tree.xpath(path, namespaces=NS):
        if value is None:
            el.getparent().remove(el)
        else:
            el.text = value
    return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))


def test_a_line_that_does_not_add_up_fails_br_co_10(story: Ledger) -> None:
    doc = ubl(story, "PLV-2026-0001")
    broken = _edit(doc, "/*/cac:InvoiceLine/cbc:LineExtensionAmount", "1.00")
    assert "BR-CO-10" in rules(broken)  # sum of line net amounts = total line amount


def test_totals_that_do_not_add_up_fail_br_co_15(story: Ledger) -> None:
    doc = ubl(story, "PLV-2026-0001")
    broken = _edit(doc, "/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "99999.99")
    assert "BR-CO-15" in rules(broken)


def test_no_buyer_reference_fails_peppol_r003(story: Ledger) -> None:
    broken = _edit(ubl(story, "PLV-2026-0001"), "/*/cbc:BuyerReference", None)
    assert "PEPPOL-EN16931-R003" in rules(broken)


def test_a_gln_with_a_wrong_check_digit_fails_peppol_common_r040(story: Ledger) -> None:
    path = "/*/cac:AccountingCustomerParty/cac:Party/cbc:EndpointID"
    broken = _edit(ubl(story, "PLV-2026-0001"), path, "5060000000010")
    assert "PEPPOL-COMMON-R040" in rules(broken)


def test_a_credit_note_without_its_type_code_fails_br_04(story: Ledger) -> None:
    broken = _edit(ubl(story, "CN-2026-0001"), "/*/cbc:CreditNoteTypeCode", None)
    assert rules(broken) == {"BR-04"}


def test_an_amount_that_is_not_a_number_fails_the_ubl_schema(story: Ledger) -> None:
    broken = _edit(ubl(story, "PLV-2026-0001"), "/*/cac:TaxTotal/cbc:TaxAmount", "nil")
    found = validate(broken)
    assert {f.layer for f in found} == {"xsd"}
    assert "TaxAmount" in found[0].message


# -- Peppol addresses --------------------------------------------------------------------------
def test_the_eas_table_is_peppols_code_list() -> None:
    tree = etree.parse(ARTEFACTS / "peppol/eas.xml")
    ns = {"c": "urn:fdc:difi.no:2017:vefa:structure:CodeList-1"}
    codes = [c.text for c in tree.findall("c:Code/c:Id", ns)]
    assert list(eas.SCHEMES) == codes
    assert {"0088", "9932", "0060"} <= set(codes)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0088:5060000000009", ("0088", "5060000000009")),
        (" 9932 : GB123456789 ", ("9932", "GB123456789")),
        ("0060:123456789", ("0060", "123456789")),
    ],
)
def test_an_address_is_read_strictly(typed: str, stored: tuple[str, str]) -> None:
    assert eas.parse(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("5060000000009", "SCHEME:ID"),
        ("0088:", "SCHEME:ID"),
        ("1234:5060000000009", "EAS code list"),
        ("0088:5060000000008", "check digit"),  # a GLN with the wrong check digit
        ("0088:506000000000", "check digit"),  # 12 digits
        ("9932:GB 123", "letters, digits and"),
        ("9932:" + "1" * 51, "at most 50"),
    ],
)
def test_a_malformed_address_is_refused(typed: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        eas.parse(typed)


def test_a_members_address_is_recorded_once_with_its_audit_event(ledger: Ledger) -> None:
    with ledger.write("test") as s:
        value = einvoicing.set_address(s, members.find(s, "camden"), "0088:5060000000016")
    assert value == "0088:5060000000016"
    with ledger.read() as s:
        camden = members.find(s, "camden")
        assert (camden.peppol_scheme, camden.peppol_endpoint) == ("0088", "5060000000016")
        assert audit.verify(s).ok
    with ledger.write("test") as s, pytest.raises(RuleError, match="already"):
        einvoicing.set_address(s, members.find(s, "camden"), "0088:5060000000016")
    with ledger.write("test") as s, pytest.raises(InputError, match="EAS code list"):
        einvoicing.set_address(s, members.find(s, "camden"), "1234:5060000000016")


def test_peppol_id_setting_takes_an_address(ledger: Ledger) -> None:
    from plvgov.settings_catalogue import definition

    setting = definition("peppol_id")
    assert setting.fact
    assert setting.parse("0088:5060000000009") == "0088:5060000000009"
    with pytest.raises(InputError, match="peppol_id takes a GLN"):
        setting.parse("0088:123")


def test_demo_gln_has_a_valid_check_digit() -> None:
    assert [demo_billing.demo_gln(n) for n in (1, 2)] == ["5060000000016", "5060000000023"]
    assert all(eas.gln_valid(demo_billing.demo_gln(n)) for n in range(1, 40))


def test_gln_check_digit_matches_gs1_examples() -> None:
    assert eas.gln_valid("7300010000001")  # Peppol's own example
    assert eas.gln_valid("5790000435975")
    assert not eas.gln_valid("5790000435976")
    assert re.fullmatch(r"[0-9]{13}", demo_billing.demo_gln(7))


# -- the demo ledger ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The demo's membership and billing chapters (decisions and papers add no invoice)."""
    from plvgov.demo import build
    from plvgov.demo import membership as demo_membership

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("plvgov.demo._chapters", lambda: [demo_membership.build, demo_billing.build])
        folder = tmp_path_factory.mktemp("demo")
        build(folder, TODAY)
    led = Ledger.open(folder / "ledger.db")
    yield led
    led.dispose()


def test_every_demo_invoice_and_credit_note_passes_the_official_rules(demo: Ledger) -> None:
    invoices, notes = numbers(demo)
    assert len(invoices) > 30  # both years' runs
    assert notes, "the demo issues a credit note (Camden, 2025/26)"
    for number in invoices + notes:
        assert findings(ubl(demo, number)) == [], number
    with demo.read() as s:
        from plvgov.oversight import checks

        assert [f for f in checks.run(s, TODAY) if f.check == "peppol_address_missing"] == []


@pytest.mark.parametrize(
    ("printed", "parts"),
    [
        (
            "Civic Centre, Stockwell Close, Bromley BR1 3UH",
            [
                ("StreetName", "Civic Centre"),
                ("AdditionalStreetName", "Stockwell Close"),
                ("CityName", "Bromley"),
                ("PostalZone", "BR1 3UH"),
            ],
        ),
        (  # no postcode: no line is taken for the town
            "Civic Centre, Stockwell Close",
            [("StreetName", "Civic Centre"), ("AdditionalStreetName", "Stockwell Close")],
        ),
        (
            "1 High St, Kingston upon Thames, kt1 1eu",
            [
                ("StreetName", "1 High St"),
                ("CityName", "Kingston upon Thames"),
                ("PostalZone", "KT1 1EU"),
            ],
        ),
        (None, []),
    ],
)
def test_a_printed_address_is_split_into_ubl_parts(
    printed: str | None, parts: list[tuple[str, str]]
) -> None:
    el = etree.Element("PostalAddress")
    einvoice._postal(el, printed)
    found = [(child.tag.split("}")[1], child.text) for child in el if child.text]
    assert found == parts
    assert el[-1][0].text == "GB"  # Country/IdentificationCode, always
