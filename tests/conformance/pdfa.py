"""A PDF (its bytes) → the PDF/A-2 rules it breaks that a program can check, by
veraPDF rule ID.

Level U rules (every used code maps to Unicode) always apply; level A's
(tagged, structure tree, standard roles) when ``pdfaid:conformance`` is ``A``.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pikepdf

from .failure import Failure
from .fonts import font_faults
from .pdfua import STANDARD
from .tree import Reader, role_map
from .xmp import BadXmp, parse_xmp

#: Info key → (its XMP property, veraPDF's rule: ISO 19005-1 6.7.3, the number it
#: gives the same agreement in PDF/A-1, as its PDF/A-2 profile has none of its own).
INFO_XMP = {
    "/CreationDate": ("xmp:CreateDate", "6.7.3-1"),
    "/Title": ("dc:title", "6.7.3-2"),
    "/Author": ("dc:creator", "6.7.3-3"),
    "/Subject": ("dc:description", "6.7.3-4"),
    "/Keywords": ("pdf:Keywords", "6.7.3-5"),
    "/Creator": ("xmp:CreatorTool", "6.7.3-6"),
    "/Producer": ("pdf:Producer", "6.7.3-7"),
    "/ModDate": ("xmp:ModifyDate", "6.7.3-8"),
}
_ACTIONS = {
    "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide", "/SetOCGState",
    "/Rendition", "/Trans", "/GoTo3DView", "/JavaScript", "/set-state", "/no-op",
}  # fmt: skip
_ANNOTS_FORBIDDEN = {"/3D", "/Sound", "/Screen", "/Movie"}


def pdf_date(text: str) -> datetime | None:
    """A PDF date (``D:20181206120000+01'00'``) or an XMP one (ISO 8601) as an
    aware datetime; None when it is neither."""
    m = re.fullmatch(
        r"(?:D:)?(\d{4})-?(\d{2})?-?(\d{2})?T?(\d{2})?:?(\d{2})?:?(\d{2})?(?:\.\d+)?"
        r"(Z|[+-]\d{2}'?:?\d{2}'?|[+-]\d{2}'?)?",
        text.strip(),
    )
    if not m:
        return None
    y, mo, d, h, mi, s, tz = m.groups()
    offset = timedelta(0)
    if tz and tz != "Z":
        digits = re.sub(r"\D", "", tz)
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        offset = -offset if tz.startswith("-") else offset
    return datetime(
        int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0), int(s or 0),
        tzinfo=timezone(offset),
    )  # fmt: skip


def _file(data: bytes, doc: pikepdf.Pdf, out: list[Failure]) -> None:
    head = re.match(rb"%PDF-1\.[0-7](\r\n|\r|\n)", data)
    if head is None:
        out.append(Failure("6.1.2-1", f"the file begins {data[:10]!r}, not %PDF-1.n and an EOL"))
    else:
        comment = data[head.end() : head.end() + 5]
        if not (comment[:1] == b"%" and all(b > 127 for b in comment[1:5])):
            out.append(Failure("6.1.2-2", "no comment of four bytes above 127 after the header"))
    if "/ID" not in doc.trailer:
        out.append(Failure("6.1.3-1", "the trailer has no /ID file identifiers"))
    if "/Encrypt" in doc.trailer or doc.is_encrypted:
        out.append(Failure("6.1.3-2", "the file is encrypted (/Encrypt in the trailer)"))


def _metadata(doc: pikepdf.Pdf, out: list[Failure]) -> str | None:
    stream = doc.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        out.append(Failure("6.6.2.1-1", "the catalogue has no XMP /Metadata stream"))
        return None
    raw = stream.read_bytes()
    header = re.search(rb"<\?xpacket begin=[^>]*\?>", raw)
    if header and b"bytes=" in header.group(0):
        out.append(Failure("6.6.2.1-2", "the XMP packet header has a bytes attribute"))
    if header and b"encoding=" in header.group(0):
        out.append(Failure("6.6.2.1-3", "the XMP packet header has an encoding attribute"))
    try:
        raw.decode("utf-8")
        xmp = parse_xmp(raw)
    except (UnicodeDecodeError, BadXmp) as exc:
        out.append(Failure("6.6.2.1-4", f"the XMP metadata is not well-formed: {exc}"))
        return None
    part, level = xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance")
    if part is None:
        out.append(Failure("6.6.4-1", "the XMP metadata has no pdfaid:part"))
    elif part != "2":
        out.append(Failure("6.6.4-2", f"pdfaid:part is {part!r}, not 2"))
    if part is not None and level not in ("A", "B", "U"):
        out.append(Failure("6.6.4-3", f"pdfaid:conformance is {level!r}, not A, B or U"))
    info = doc.trailer.get("/Info")
    for key, (prop, rule) in INFO_XMP.items():
        if info is None or key not in info:
            continue
        value = str(info[key])
        in_xmp = xmp.get(prop)
        if key.endswith("Date"):
            same = in_xmp is not None and pdf_date(value) == pdf_date(in_xmp)
        else:
            same = in_xmp == value
        if not same:
            out.append(Failure(rule, f"Info {key} {value!r} but XMP {prop} {in_xmp!r}"))
    return level


def _icc(profile: bytes) -> str | None:
    """What is wrong with an ICC output profile's header, or None."""
    if len(profile) < 128 or profile[36:40] != b"acsp":
        return "it is no ICC profile (no 'acsp' signature)"
    if int.from_bytes(profile[:4], "big") != len(profile):
        return "its header's size is not its length"
    if profile[12:16] not in (b"prtr", b"mntr"):
        return f"its class is {profile[12:16]!r}, neither prtr nor mntr"
    return None


def _output_intent(doc: pikepdf.Pdf, out: list[Failure]) -> str | None:
    """The colour space (RGB, CMYK, GRAY) of the PDF/A output intent, or None."""
    found = None
    profiles = set()
    for intent in doc.Root.get("/OutputIntents", []):
        if intent.get("/S") != "/GTS_PDFA1":
            continue
        stream = intent.get("/DestOutputProfile")
        if not isinstance(stream, pikepdf.Stream):
            out.append(Failure("6.2.3-1", "the PDF/A output intent has no /DestOutputProfile"))
            continue
        profiles.add(stream.objgen)
        data = stream.read_bytes()
        problem = _icc(data)
        if problem:
            out.append(Failure("6.2.3-1", f"the output intent's profile: {problem}"))
            continue
        found = data[16:20].decode("latin-1").strip().upper()
    if len(profiles) > 1:
        out.append(Failure("6.2.3-2", "the output intents name different profiles"))
    return found


def _colour(devices: set[str], intent: str | None, out: list[Failure]) -> None:
    if "/DeviceRGB" in devices and intent != "RGB":
        out.append(Failure("6.2.4.3-2", f"DeviceRGB is used; the output intent is {intent}"))
    if "/DeviceCMYK" in devices and intent != "CMYK":
        out.append(Failure("6.2.4.3-3", f"DeviceCMYK is used; the output intent is {intent}"))
    if "/DeviceGray" in devices and intent is None:
        out.append(Failure("6.2.4.3-4", "DeviceGray is used and there is no output intent"))


def _action(action: Any, where: str, out: list[Failure]) -> None:
    seen = 0
    while isinstance(action, pikepdf.Dictionary) and seen < 20:
        kind = action.get("/S")
        if kind in _ACTIONS:
            out.append(Failure("6.5.1-1", f"{where}: a {kind} action"))
        if kind == "/Named" and action.get("/N") not in (
            "/NextPage", "/PrevPage", "/FirstPage", "/LastPage",
        ):  # fmt: skip
            out.append(Failure("6.5.1-2", f"{where}: named action {action.get('/N')}"))
        action, seen = action.get("/Next"), seen + 1


def _objects(doc: pikepdf.Pdf, intent: str | None, out: list[Failure]) -> None:
    if "/AA" in doc.Root:
        out.append(Failure("6.5.2-1", "the catalogue has an /AA additional-actions entry"))
    _action(doc.Root.get("/OpenAction"), "the catalogue's /OpenAction", out)
    names = doc.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        out.append(Failure("6.5.1-1", "the name dictionary has /JavaScript"))
    for index, page in enumerate(doc.pages):
        obj = page.obj
        if "/AA" in obj:
            out.append(Failure("6.5.2-2", f"page {index + 1} has an /AA entry"))
        group: Any = obj.get("/Group")
        transparent = group is not None and group.get("/S") == "/Transparency"
        if intent is None and transparent and "/CS" not in group:
            out.append(Failure("6.2.10-2", f"page {index + 1}: transparency group, no /CS"))
        for annot in obj.get("/Annots", []):
            if not isinstance(annot, pikepdf.Dictionary):  # a null or broken reference
                continue
            kind = annot.get("/Subtype")
            where = f"page {index + 1}: {kind} annotation"
            if kind in _ANNOTS_FORBIDDEN:
                out.append(Failure("6.3.1-1", f"{where} is not permitted"))
            if kind != "/Popup" and "/F" not in annot:
                out.append(Failure("6.3.2-1", f"{where} has no /F flags"))
            elif "/F" in annot:
                flags = int(annot.F)
                if not flags & 4 or flags & (1 | 2 | 32 | 256):
                    out.append(Failure("6.3.2-2", f"{where}: /F {flags} (print must be set)"))
            _action(annot.get("/A"), where, out)
    for item in doc.objects:
        if (
            isinstance(item, pikepdf.Dictionary)
            and item.get("/Type") == "/Filespec"
            and "/EF" in item
        ):
            _embedded(item, out)


def _embedded(obj: Any, out: list[Failure]) -> None:
    """An embedded file's specification names it twice; the file is a PDF/A file."""
    if "/F" not in obj or "/UF" not in obj:
        out.append(Failure("6.8-2", f"embedded file {obj.objgen} lacks /F or /UF"))
    embedded = obj.EF.get("/F")
    data = embedded.read_bytes() if isinstance(embedded, pikepdf.Stream) else b""
    if not (data.startswith(b"%PDF") and b"pdfaid" in data):
        out.append(Failure("6.8-5", f"embedded file {obj.objgen} is no PDF/A file"))


#: The rule each fault of a font breaks (:func:`~.fonts.font_faults`).
_FONT_RULES = {
    "embedded": "6.2.11.4.1-1", "tounicode": "6.2.11.7.2-1", "unmapped": "6.2.11.7.2-1",
    "reserved": "6.2.11.7.2-2",
}  # fmt: skip


def _fonts(reader: Reader, out: list[Failure]) -> None:
    out += [Failure(_FONT_RULES[f], m) for f, m in font_faults(reader.walk.fonts.values())]


def _level_a(doc: pikepdf.Pdf, out: list[Failure]) -> None:
    mark = doc.Root.get("/MarkInfo")
    if mark is None or not bool(mark.get("/Marked", False)):
        out.append(Failure("6.7.2.2-1", "level A: the catalogue's /MarkInfo /Marked is not true"))
    if "/StructTreeRoot" not in doc.Root:
        out.append(Failure("6.7.3.3-1", "level A: the catalogue has no /StructTreeRoot"))
    for name, target in role_map(doc).items():
        if name in STANDARD:
            out.append(Failure("6.7.3.4-3", f"standard type {name} is remapped to {target}"))


def check_pdfa2(pdf: bytes) -> list[Failure]:
    """Every PDF/A-2 failure of the file *pdf* (its bytes: the header is checked)."""
    doc = pikepdf.open(io.BytesIO(pdf))
    out: list[Failure] = []
    _file(pdf, doc, out)
    level = _metadata(doc, out)
    intent = _output_intent(doc, out)
    reader = Reader(doc)
    _colour(reader.walk.devices, intent, out)
    _objects(doc, intent, out)
    _fonts(reader, out)
    if level == "A":
        _level_a(doc, out)
    return out
