"""Peppol electronic addresses: the Electronic Address Scheme (EAS) code list and a strict
reader for an address as a secretary types it, ``SCHEME:ID`` (``0088:5060123450002``).

The codes are OpenPEPPOL's EAS list of Peppol BIS Billing 3.0.19 (May 2025 release);
``tests/einvoice`` checks this table against the list the tests vendor.
"""

from __future__ import annotations

import re

#: Every EAS code Peppol accepts, with its scheme's name.
SCHEMES: dict[str, str] = {
    "0002": "System Information et Repertoire des Entreprise et des Etablissements: SIRENE",
    "0007": "Organisationsnummer (Swedish legal entities)",
    "0009": "SIRET-CODE",
    "0037": "LY-tunnus",
    "0060": "Data Universal Numbering System (D-U-N-S Number)",
    "0088": "EAN Location Code",
    "0096": "DANISH CHAMBER OF COMMERCE Scheme (EDIRA compliant)",
    "0097": "FTI - Ediforum Italia, (EDIRA compliant)",
    "0106": '"Vereniging van Kamers van Koophandel en Fabrieken in Nederland (Association of Chambers of Commerce and Industry in the Netherlands), Scheme (EDIRA compliant)"',
    "0130": "Directorates of the European Commission",
    "0135": "SIA Object Identifiers",
    "0142": "SECETI Object Identifiers",
    "0151": "Australian Business Number (ABN) Scheme",
    "0177": "Odette International Limited",
    "0183": "Numéro d'identification suisse des enterprises (IDE), Swiss Unique Business Identification Number (UIDB)",
    "0184": "DIGSTORG",
    "0188": "Corporate Number of The Social Security and Tax Number System",
    "0190": "Dutch Originator's Identification Number",
    "0191": "Centre of Registers and Information Systems of the Ministry of Justice",
    "0192": "Enhetsregisteret ved Bronnoysundregisterne",
    "0193": "UBL.BE party identifier",
    "0195": "Singapore UEN identifier",
    "0196": "Kennitala - Iceland legal id for individuals and legal entities",
    "0198": "ERSTORG",
    "0199": "Legal Entity Identifier (LEI)",
    "0200": "Legal entity code (Lithuania)",
    "0201": "Codice Univoco Unità Organizzativa iPA",
    "0202": "Indirizzo di Posta Elettronica Certificata",
    "0204": "Leitweg-ID",
    "0208": "Numero d'entreprise / ondernemingsnummer / Unternehmensnummer",
    "0209": "GS1 identification keys",
    "0210": "CODICE FISCALE",
    "0211": "PARTITA IVA",
    "0212": "Finnish Organization Identifier",
    "0213": "Finnish Organization Value Add Tax Identifier",
    "0215": "Net service ID",
    "0216": "OVTcode",
    "0218": "Unified registration number (Latvia)",
    "0221": "The registered number of the qualified invoice issuer (Japan)",
    "0230": "National e-Invoicing Framework (Malaysia)",
    "0235": "UAE Tax Identification Number (TIN)",
    "9910": "Hungary VAT number",
    "9913": "Business Registers Network",
    "9914": "Österreichische Umsatzsteuer-Identifikationsnummer",
    "9915": '"Österreichisches Verwaltungs bzw. Organisationskennzeichen"',
    "9918": '"SOCIETY FOR WORLDWIDE INTERBANK FINANCIAL, TELECOMMUNICATION S.W.I.F.T"',
    "9919": "Kennziffer des Unternehmensregisters",
    "9920": "Agencia Española de Administración Tributaria",
    "9922": "Andorra VAT number",
    "9923": "Albania VAT number",
    "9924": "Bosnia and Herzegovina VAT number",
    "9925": "Belgium VAT number",
    "9926": "Bulgaria VAT number",
    "9927": "Switzerland VAT number",
    "9928": "Cyprus VAT number",
    "9929": "Czech Republic VAT number",
    "9930": "Germany VAT number",
    "9931": "Estonia VAT number",
    "9932": "United Kingdom VAT number",
    "9933": "Greece VAT number",
    "9934": "Croatia VAT number",
    "9935": "Ireland VAT number",
    "9936": "Liechtenstein VAT number",
    "9937": "Lithuania VAT number",
    "9938": "Luxemburg VAT number",
    "9939": "Latvia VAT number",
    "9940": "Monaco VAT number",
    "9941": "Montenegro VAT number",
    "9942": "Macedonia, the former Yugoslav Republic of VAT number",
    "9943": "Malta VAT number",
    "9944": "Netherlands VAT number",
    "9945": "Poland VAT number",
    "9946": "Portugal VAT number",
    "9947": "Romania VAT number",
    "9948": "Serbia VAT number",
    "9949": "Slovenia VAT number",
    "9950": "Slovakia VAT number",
    "9951": "San Marino VAT number",
    "9952": "Turkey VAT number",
    "9953": "Holy See (Vatican City State) VAT number",
    "9957": "French VAT number",
    "9959": "Employer Identification Number (EIN, USA)",
    "0147": "Standard Company Code",
    "0154": "Identification number of economic subjects: (ICO)",
    "0158": "Identification number of economic subject (ICO) Act on State Statistics of 29 November 2001, § 27",
    "0170": "Teikoku Company Code",
    "0194": "KOIOS Open Technical Dictionary",
    "0203": "eDelivery Network Participant identifier",
    "0205": "CODDEST",
    "0217": "The Netherlands Chamber of Commerce and Industry establishment number",
    "0225": "FRCTC ELECTRONIC ADDRESS",
    "0240": "Register of legal persons (in French : Répertoire des personnes morales)",
}

#: The schemes a UK body most often has: a GLN (GS1 UK), a UK VAT number, a D-U-N-S number.
COMMON = ("0088", "9932", "0060")

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/+-]*")
_ID_MAX = 50
FORM = "a Peppol address SCHEME:ID, e.g. 0088:5060123450002 (0088 GLN, 9932 UK VAT, 0060 D-U-N-S)"


def gln_valid(digits: str) -> bool:
    """True when ``digits`` is a GS1 Global Location Number: 13 digits, the last the check
    digit (weights 3 and 1 from the right)."""
    if not re.fullmatch(r"[0-9]{13}", digits):
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def parse(text: str) -> tuple[str, str]:
    """``SCHEME:ID`` as ``(scheme, id)``, or ValueError saying the form it takes: a scheme on
    the EAS list, an identifier of letters, digits and ``._:/+-`` (at most 50), and for a GLN
    (0088) 13 digits with a valid check digit."""
    scheme, sep, ident = text.strip().partition(":")
    scheme, ident = scheme.strip(), ident.strip()
    if not sep or not ident:
        raise ValueError(FORM)
    if scheme not in SCHEMES:
        raise ValueError(
            "a Peppol address whose scheme is on Peppol's EAS code list "
            "(0088 GLN, 9932 UK VAT, 0060 D-U-N-S…)"
        )
    if len(ident) > _ID_MAX or not _ID.fullmatch(ident):
        raise ValueError(
            f"a Peppol address whose ID has letters, digits and ._:/+- only (at most {_ID_MAX})"
        )
    if scheme == "0088" and not gln_valid(ident):
        raise ValueError("a GLN (scheme 0088) of 13 digits with a valid check digit")
    return scheme, ident
