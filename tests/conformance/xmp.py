"""A catalogue's XMP metadata stream → its properties by prefixed name.

``pdfaid:part`` → ``"2"``; ``dc:title`` → the ``x-default`` text; ``dc:creator``
→ the items of its sequence joined by ``", "``. Properties are read whether
written as attributes of ``rdf:Description`` or as its elements.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pikepdf

NS = {
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://www.aiim.org/pdfa/ns/id/": "pdfaid",
    "http://www.aiim.org/pdfua/ns/id/": "pdfuaid",
}
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class BadXmp(ValueError):
    """The metadata stream is not well-formed XML."""


def _name(tag: str) -> str | None:
    if not tag.startswith("{"):
        return None
    uri, _, local = tag[1:].partition("}")
    prefix = NS.get(uri)
    return f"{prefix}:{local}" if prefix else None


def _value(element: ET.Element) -> str:
    items = element.findall(f".//{{{RDF}}}li")
    if not items:
        return (element.text or "").strip()
    default = [li for li in items if li.get(XML_LANG) == "x-default"]
    if default:
        return (default[0].text or "").strip()
    return ", ".join((li.text or "").strip() for li in items)


def parse_xmp(data: bytes) -> dict[str, str]:
    """The known properties of an XMP packet (raises :class:`BadXmp`)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise BadXmp(str(exc)) from exc
    found: dict[str, str] = {}
    for desc in root.iter(f"{{{RDF}}}Description"):
        for attr, value in desc.attrib.items():
            name = _name(attr)
            if name:
                found[name] = value
        for child in desc:
            name = _name(child.tag)
            if name:
                found[name] = _value(child)
    return found


def xmp_of(pdf: pikepdf.Pdf) -> dict[str, str] | None:
    """The catalogue's XMP properties; None without a metadata stream; ``{}`` with
    one that does not parse."""
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return None
    try:
        return parse_xmp(stream.read_bytes())
    except BadXmp:
        return {}
