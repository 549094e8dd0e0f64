"""A letter asked to be archived (``archive: pdfa``) + its annexes → the PDF/A-2
parts of its file, and what the file may claim.

* :func:`output_intent` puts the sRGB output intent (the profile in
  ``letterkit/pdf/icc``, made by ``tools/srgb_icc.py``) into a template's
  catalogue, once per layout.
* :func:`claim` says which PDF/A-2 conformance the whole file meets: ``A``
  for a tagged letter alone, ``U`` when annexes (untagged once appended, or
  PDF/A-…u) come with it, ``B`` when one is only PDF/A-…b; None when an
  annex is not PDF/A at all, carries embedded files, or was made for a
  CMYK or grey output intent (each reported as LK135 by :func:`report`).
* :func:`metadata` writes the letter's XMP packet (an uncompressed
  metadata stream): the information dictionary's entries, each the same
  text, its language, ``pdfaid`` only when :func:`claim` allows it, and
  ``pdfuaid`` part 1 for a tagged letter with a title and no annex.
"""

from __future__ import annotations

import functools
import io
import re
import weakref
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from ..input.sources import Reporter, display_path
from ..model import Letter
from ._pypdf import add_object
from .annex_fonts import unembedded_font
from .annexes import OpenAnnex
from .attached import embedded, get, resolve

#: The profile declared as the output intent, and the name it is known by.
ICC_PROFILE = Path(__file__).resolve().parent / "icc" / "sRGB-v2.icc"
SRGB = "sRGB IEC61966-2.1"
#: The conformance levels from best to least: tagged, Unicode, visual.
LEVELS = "AUB"
#: An annex's XMP read at most this far for its ``pdfaid`` (the packet sits at the start).
_XMP_BYTES = 1 << 20
#: The ``pdfaid`` namespace, and the prefixes an XMP packet binds to it.
_PDFAID = re.compile(rb"xmlns:([\w.-]+)\s*=\s*[\"']http://www\.aiim\.org/pdfa/ns/id/[\"']")
#: Characters XML 1.0 does not allow (an entry holding one keeps it out of the packet).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Verdict:
    """What one annex allows: its conformance level, or None with the reason."""

    level: str | None
    why: str = ""


@functools.cache
def profile() -> bytes:
    """The sRGB ICC profile's bytes."""
    return ICC_PROFILE.read_bytes()


def output_intent(writer: PdfWriter, letter: Letter) -> bool:
    """For an archived letter, the sRGB output intent in *writer*'s catalogue
    (``/GTS_PDFA1``); whether the letter is archived."""
    if letter.archive is None:
        return False
    icc = StreamObject()
    icc.set_data(zlib.compress(profile(), 9))
    icc[NameObject("/Filter")] = NameObject("/FlateDecode")
    icc[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(SRGB),
            NameObject("/Info"): TextStringObject(SRGB),
            NameObject("/DestOutputProfile"): add_object(writer, icc),
        }
    )
    root = writer.root_object
    root[NameObject("/OutputIntents")] = ArrayObject([add_object(writer, intent)])
    return True


#: Each open annex file's verdicts, by whether its embedded files are kept: the
#: letters of a bundle ask again for the same annex.
_VERDICTS: weakref.WeakKeyDictionary[PdfReader, dict[str, Verdict]] = weakref.WeakKeyDictionary()


def annex_verdict(item: OpenAnnex) -> Verdict:
    """Whether an annex lets the file stay PDF/A, and at which level.

    An annex letterkit makes (a generated list, an image) is drawn as the
    letter is, untagged: ``U``. A PDF annex is read once per file and
    ``attachments`` setting (:func:`_verdict`)."""
    if not isinstance(item.annex.path, Path) or item.annex.path.suffix.lower() != ".pdf":
        return Verdict("U")
    known = _VERDICTS.setdefault(item.reader, {})
    found = known.get(item.annex.attachments)
    if found is None:
        found = known[item.annex.attachments] = _verdict(item)
    return found


def _verdict(item: OpenAnnex) -> Verdict:
    """A PDF annex is PDF/A when its XMP says ``pdfaid`` part 1, 2 or 3 (part 3
    only allows embedded files of any kind, and an annex's files are left out
    unless ``attachments: keep``) and it embeds its fonts; its tags do not
    come along, so a PDF/A-…a annex counts as ``U``."""
    root = item.reader.root_object
    part, conformance = _pdfaid(root)
    if part not in (b"1", b"2", b"3") or conformance.upper() not in (b"A", b"B", b"U"):
        return Verdict(None, "is not PDF/A (its metadata declares no pdfaid part 1, 2 or 3)")
    font = unembedded_font(item.reader)
    if font is not None:
        return Verdict(None, f"declares PDF/A but does not embed its font {font}")
    if item.annex.attachments == "keep" and embedded(item.reader):
        return Verdict(
            None, "carries embedded files, which PDF/A-2 allows only when they are PDF/A "
            "themselves; 'attachments: drop' leaves them out",
        )  # fmt: skip
    intents = get(root, "/OutputIntents")
    for intent in intents if isinstance(intents, ArrayObject) else []:
        icc = get(get(resolve(intent), "/DestOutputProfile"), "/N")
        if icc is not None and not (isinstance(icc, int) and int(icc) == 3):
            return Verdict(None, "was made for a CMYK or grey output intent, not sRGB")
    return Verdict("B" if conformance.upper() == b"B" else "U")


def _pdfaid(root: DictionaryObject) -> tuple[bytes, bytes]:
    """The ``pdfaid`` part and conformance a catalogue's XMP declares (b"" if none)."""
    try:
        stream = get(root, "/Metadata")
        data = stream.get_data()[:_XMP_BYTES] if isinstance(stream, StreamObject) else b""
    except Exception:  # a damaged metadata stream declares nothing
        data = b""
    for prefix in dict.fromkeys(_PDFAID.findall(data)):
        found = [_property(data, prefix, name) for name in (b"part", b"conformance")]
        if found[0]:
            return found[0], found[1]
    return b"", b""


def _property(data: bytes, prefix: bytes, name: bytes) -> bytes:
    """An XMP property's simple value, written as an element
    (``<pdfaid:part>2</pdfaid:part>``) or an attribute (``pdfaid:part="2"``)."""
    key = re.escape(prefix + b":" + name)
    found = re.search(rb"<" + key + rb"(?:\s[^>]*)?>\s*(\w+)", data) or re.search(
        rb"\s" + key + rb"\s*=\s*[\"']\s*(\w+)", data
    )
    return found.group(1) if found else b""


def claim(annexes: Sequence[OpenAnnex], tagged: bool) -> str | None:
    """The PDF/A-2 conformance level the whole file meets (``A``, ``U``,
    ``B``), or None: an annex that is not PDF/A makes no claim true."""
    level = "A" if tagged else "U"
    for item in annexes:
        verdict = annex_verdict(item)
        if verdict.level is None:
            return None
        level = max(level, verdict.level if verdict.level != "A" else "U", key=LEVELS.index)
    return level


def report(letter: Letter, annexes: Sequence[OpenAnnex], reporter: Reporter) -> None:
    """LK135 for each annex that keeps an archived letter from being PDF/A."""
    if letter.archive is None:
        return
    for item in annexes:
        verdict = annex_verdict(item)
        if verdict.level is None:
            path = item.annex.path
            shown = display_path(path) if isinstance(path, Path) else f"annex {item.number}"
            reporter.warning(
                (shown, (None, None)), "LK135",
                f"annex {item.number} {verdict.why}: the letter is written tagged but not "
                "declared PDF/A; give a PDF/A version of the annex",
            )  # fmt: skip


def xmp_date(pdf_date: str) -> str:
    """``D:20181206000000+00'00'`` → ``2018-12-06T00:00:00+00:00``.

    >>> xmp_date("D:20181206093000+01'00'")
    '2018-12-06T09:30:00+01:00'
    """
    m = re.fullmatch(
        r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:([+-])(\d\d)'(\d\d)'?|Z)?", pdf_date
    )
    if m is None:
        raise ValueError(f"not a PDF date: {pdf_date!r}")
    y, mo, d, h, mi, s, sign, zh, zm = m.groups()
    zone = f"{sign}{zh}:{zm}" if sign else "Z"
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"


def _text(value: str) -> str:
    """*value* as XML character data (what XML 1.0 cannot hold left out)."""
    kept = _NOT_XML.sub("", value)
    return kept.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _alt(value: str) -> str:
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{_text(value)}</rdf:li></rdf:Alt>'


def packet(
    info: Mapping[str, str], languages: Sequence[str], level: str | None, ua: bool = False
) -> bytes:
    """The XMP packet of a letter whose information dictionary holds *info*
    (``/Title`` → text…): each entry there is here with the same text, and
    nothing that is not; *languages* as ``dc:language``; ``pdfaid`` part 2
    at *level* (none when None); with *ua*, ``pdfuaid`` part 1 and the
    extension schema that PDF/A asks for a namespace it does not predefine."""
    lines: list[str] = []
    simple = {
        "/Title": ("dc:title", _alt),
        "/Author": ("dc:creator", lambda v: f"<rdf:Seq><rdf:li>{_text(v)}</rdf:li></rdf:Seq>"),
        "/Subject": ("dc:description", _alt),
        "/Keywords": ("pdf:Keywords", _text),
        "/Producer": ("pdf:Producer", _text),
        "/Creator": ("xmp:CreatorTool", _text),
        "/CreationDate": ("xmp:CreateDate", xmp_date),
        "/ModDate": ("xmp:ModifyDate", xmp_date),
    }
    for key, (name, shown) in simple.items():
        if key in info:
            lines.append(f"<{name}>{shown(info[key])}</{name}>")
    if languages:
        items = "".join(f"<rdf:li>{_text(lang)}</rdf:li>" for lang in dict.fromkeys(languages))
        lines.append(f"<dc:language><rdf:Bag>{items}</rdf:Bag></dc:language>")
    if level is not None:
        lines.append("<pdfaid:part>2</pdfaid:part>")
        lines.append(f"<pdfaid:conformance>{level}</pdfaid:conformance>")
    if ua:
        lines.append(
            '<pdfuaid:part xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">1</pdfuaid:part>'
        )
    body = "\n   ".join(lines)
    text = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">\n'
        f"   {body}\n"
        "  </rdf:Description>\n"
        f"{_UA_SCHEMA if ua else ''}"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    )
    return text.encode("utf-8")


#: The description of the ``pdfuaid`` schema (PDF/A-2 predefines ``pdfaid``, not it).
_UA_SCHEMA = """  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>The part of ISO 14289 the file keeps to</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>
  </rdf:Description>
"""


def entries(info: bytes) -> dict[str, str]:
    """An information dictionary's PDF text → its entries (``/Title`` → text)."""
    found = DictionaryObject.read_from_stream(io.BytesIO(info), None)
    return {str(key): str(value) for key, value in found.items()}


def metadata(
    letter: Letter,
    info: bytes,
    annexes: Sequence[OpenAnnex],
    tagged: bool,
    languages: Sequence[str] = (),
) -> bytes | None:
    """An archived letter's metadata stream (``N 0 obj`` left out), made from
    its information dictionary *info* (PDF text, as written: the two say the
    same by construction), or None for a plain letter. Its languages are
    *languages* (a letter in several), else the letter's locale. PDF/UA is
    declared for a tagged letter with a title and no annex (an annex's pages
    are appended untagged)."""
    if letter.archive is None:
        return None
    told = entries(info)
    ua = tagged and not annexes and "/Title" in told
    data = packet(told, languages or [letter.locale], claim(annexes, tagged), ua)
    return b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream" % (
        len(data),
        data,
    )
