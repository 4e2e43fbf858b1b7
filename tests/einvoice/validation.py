"""The official validation of a Peppol BIS Billing 3.0 document, offline: the OASIS UBL 2.1
schema (lxml), the CEN EN 16931 rules (CEN's compiled XSLT) and the Peppol BIS 3 rules
(OpenPEPPOL's Schematron, compiled here by SchXslt), both run by Saxon (saxonche). The
artefacts and their releases are in ``artefacts/README.md``.

:func:`validate` returns every fatal finding as ``(rule id, message)``: an empty list is a pass.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

ARTEFACTS = Path(__file__).parent / "artefacts"
_SVRL = "{http://purl.oclc.org/dsdl/svrl}"
_ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": "Invoice",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": "CreditNote",
}


@dataclass(frozen=True)
class Finding:
    """One rule a document breaks: the layer (xsd, cen, peppol), its id and its text."""

    layer: str
    rule: str
    message: str
    flag: str = "fatal"

    def __str__(self) -> str:
        return f"{self.layer} {self.rule}: {self.message}"


@functools.cache
def _schema(root: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(ARTEFACTS / f"ubl-2.1/xsd/maindoc/UBL-{root}-2.1.xsd"))


@functools.cache
def _processor():  # type: ignore[no-untyped-def]
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


@functools.cache
def _executable(layer: str):  # type: ignore[no-untyped-def]
    """The compiled stylesheet of ``layer``: CEN's XSLT as shipped, Peppol's Schematron
    compiled to XSLT by SchXslt's pipeline (include, expand, compile to SVRL)."""
    xslt = _processor().new_xslt30_processor()
    if layer == "cen":
        return xslt.compile_stylesheet(
            stylesheet_file=str(ARTEFACTS / "cen/EN16931-UBL-validation.xslt")
        )
    compiler = xslt.compile_stylesheet(
        stylesheet_file=str(ARTEFACTS / "schxslt/2.0/pipeline-for-svrl.xsl")
    )
    compiled = compiler.transform_to_string(
        source_file=str(ARTEFACTS / "peppol/PEPPOL-EN16931-UBL.sch")
    )
    assert compiled, "SchXslt produced no stylesheet from the Peppol Schematron"
    return xslt.compile_stylesheet(stylesheet_text=compiled)


def _schematron(layer: str, document: bytes) -> list[Finding]:
    processor = _processor()
    node = processor.parse_xml(xml_text=document.decode("utf-8"))
    svrl = _executable(layer).transform_to_string(xdm_node=node)
    assert svrl, f"the {layer} rules returned no report"
    report = etree.fromstring(svrl.encode("utf-8"))
    found = []
    for failed in report.iter(f"{_SVRL}failed-assert", f"{_SVRL}successful-report"):
        text = " ".join("".join(failed.find(f"{_SVRL}text").itertext()).split())
        found.append(Finding(layer, failed.get("id") or "?", text, failed.get("flag") or "fatal"))
    return found


def findings(document: bytes) -> list[Finding]:
    """Every finding of the three layers, warnings included (``flag`` says which)."""
    tree = etree.fromstring(document)
    root = _ROOTS.get(tree.tag)
    if root is None:
        return [Finding("xsd", "root", f"{tree.tag} is not a UBL Invoice or CreditNote")]
    schema = _schema(root)
    if not schema.validate(tree):
        return [Finding("xsd", "UBL-2.1", str(e)) for e in schema.error_log]
    return _schematron("cen", document) + _schematron("peppol", document)


def validate(document: bytes) -> list[Finding]:
    """The fatal findings: a document Peppol accepts has none."""
    return [f for f in findings(document) if f.flag == "fatal"]
