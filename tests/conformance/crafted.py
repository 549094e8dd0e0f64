"""Crafted test files: one small tagged PDF/A-2a + PDF/UA-1 letter page, built
in code, and ways to break it one rule at a time.

The page draws (ReportLab, an embedded Noto Sans subset) a heading, a
paragraph, a list item, a footnote reference and its note, a table row, a
figure, a link, text inside a form XObject with its own MCIDs, and a rule and
a page number as artifacts; pikepdf then writes the structure tree, the
parent tree, the XMP metadata and the sRGB output intent.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial

import pikepdf
from PIL import Image, ImageCms
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ..conftest import ROOT

FONT = "CheckerSans"
TITLE = "Release of the defender"
#: The text of the letter page in reading order.
TEXT = [
    ("H1", "Release of the defender"),
    ("P", "We write about the defender."),
    ("Lbl", "1."),
    ("LBody", "Release him now."),
    ("Reference", "1"),
    ("Note", "1 Detained since 2010."),
    ("TH", "Name"),
    ("TD", "Temir"),
    ("Link", "the report"),
    ("P", "Shared closing words."),
]
INFO = {
    "/Title": TITLE,
    "/Author": "Example Coalition",
    "/Subject": TITLE,
    "/Keywords": "appeal",
    "/Creator": "letterkit",
    "/Producer": "letterkit",
    "/CreationDate": "D:20181206120000+01'00'",
    "/ModDate": "D:20181206120000+01'00'",
}


def _xmp(info: dict[str, str], *, part_a: str | None = "2", ua: bool = True) -> bytes:
    def date(value: str) -> str:
        v = value[2:]
        return f"{v[:4]}-{v[4:6]}-{v[6:8]}T{v[8:10]}:{v[10:12]}:{v[12:14]}+01:00"

    pdfaid = (
        f"<pdfaid:part>{part_a}</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>"
        if part_a
        else ""
    )
    pdfuaid = "<pdfuaid:part>1</pdfuaid:part>" if ua else ""
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{info["/Title"]}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{info["/Author"]}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{info["/Subject"]}</rdf:li></rdf:Alt></dc:description>
<pdf:Keywords>{info["/Keywords"]}</pdf:Keywords><pdf:Producer>{info["/Producer"]}</pdf:Producer>
<xmp:CreatorTool>{info["/Creator"]}</xmp:CreatorTool>
<xmp:CreateDate>{date(info["/CreationDate"])}</xmp:CreateDate>
<xmp:ModifyDate>{date(info["/ModDate"])}</xmp:ModifyDate>
{pdfaid}{pdfuaid}
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>""".encode()


def _marked(c: canvas.Canvas, tag: str, mcid: int, draw: Callable[[], None]) -> None:
    c.addLiteral(f"/{tag} <</MCID {mcid}>> BDC")
    draw()
    c.addLiteral("EMC")


def _draw() -> bytes:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(ROOT / "fonts" / "NotoSans-Regular.ttf")))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(595, 842), invariant=1)
    c.setFont(FONT, 11)
    c.addLiteral("/Artifact BMC")
    c.line(50, 800, 545, 800)
    c.drawString(290, 30, "1")
    c.addLiteral("EMC")
    rows = [(a, b) for a, b in TEXT if a not in ("P",) or b != "Shared closing words."]
    y = 760
    for mcid, (role, text) in enumerate(rows):
        tag = "Span" if role == "Link" else role
        _marked(c, tag, mcid, partial(c.drawString, 60, y, text))
        y -= 20
    picture = Image.new("RGB", (4, 4), (200, 30, 30))
    _marked(c, "Figure", len(rows), lambda: c.drawImage(ImageReader(picture), 60, 500, 40, 40))
    c.linkURL("https://example.org/report", (60, 596, 140, 612), relative=0, thickness=0)
    c.beginForm("shared")
    c.setFont(FONT, 11)
    _marked(c, "P", 0, lambda: c.drawString(60, 460, "Shared closing words."))
    c.endForm()
    c.doForm("shared")
    c.showPage()
    c.save()
    return out.getvalue()


def _element(pdf: pikepdf.Pdf, role: str, parent: pikepdf.Object, **keys: object) -> pikepdf.Object:
    elem = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + role), P=parent)
    )
    for key, value in keys.items():
        elem[f"/{key}"] = value
    return elem


def good_pdf() -> bytes:
    """The crafted letter page: every checked rule holds."""
    pdf = pikepdf.open(io.BytesIO(_draw()))
    page = pdf.pages[0].obj
    form = page.Resources.XObject["/FormXob.shared"]
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    doc = _element(pdf, "Document", root, Pg=page)
    kids: list[pikepdf.Object] = []
    by_mcid: list[pikepdf.Object] = []

    def leaf(role: str, parent: pikepdf.Object, mcid: int, **keys: object) -> pikepdf.Object:
        elem = _element(pdf, role, parent, K=mcid, Pg=page, **keys)
        by_mcid.append(elem)
        return elem

    h1 = leaf("H1", doc, 0)
    p = leaf("P", doc, 1)
    lst = _element(pdf, "L", doc)
    li = _element(pdf, "LI", lst)
    li.K = pikepdf.Array([leaf("Lbl", li, 2), leaf("LBody", li, 3)])
    lst.K = pikepdf.Array([li])
    ref = leaf("Reference", doc, 4)
    note = leaf("Note", doc, 5, ID=pikepdf.String("note-1"))
    table = _element(pdf, "Table", doc)
    tr = _element(pdf, "TR", table)
    scope = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Column)
    tr.K = pikepdf.Array([leaf("TH", tr, 6, A=scope), leaf("TD", tr, 7)])
    table.K = pikepdf.Array([tr])
    link = _element(pdf, "Link", doc, Pg=page)
    annot = page.Annots[0]
    objr = pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annot, Pg=page)
    link.K = pikepdf.Array([8, objr])
    by_mcid.append(link)
    figure = leaf("Figure", doc, 9, Alt=pikepdf.String("The coalition's red square"))
    shared = _element(pdf, "P", doc, Pg=page)
    mcr = pikepdf.Dictionary(Type=pikepdf.Name.MCR, MCID=0, Pg=page, Stm=form)
    shared.K = pikepdf.Array([mcr])
    kids = [h1, p, lst, ref, note, table, link, shared, figure]
    doc.K = pikepdf.Array(kids)
    root.K = pikepdf.Array([doc])
    nums = pikepdf.Array([0, pikepdf.Array(by_mcid), 1, pikepdf.Array([shared]), 2, link])
    root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
    root.ParentTreeNextKey = 3
    page.StructParents = 0
    form.StructParents = 1
    annot.StructParent = 2
    annot.F = 4
    annot.Contents = pikepdf.String("The report on the defender")
    page.Tabs = pikepdf.Name.S
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    pdf.Root.Lang = pikepdf.String("en-GB")
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    info = pdf.make_indirect(pikepdf.Dictionary({k: pikepdf.String(v) for k, v in INFO.items()}))
    pdf.trailer.Info = info
    pdf.Root.Metadata = pdf.make_stream(
        _xmp(INFO), Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML
    )
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    icc = pdf.make_stream(profile, N=3)
    pdf.Root.OutputIntents = pikepdf.Array(
        [
            pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent,
                S=pikepdf.Name.GTS_PDFA1,
                OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
                DestOutputProfile=icc,
            )
        ]
    )
    return _save(pdf)


def _save(pdf: pikepdf.Pdf, **options: object) -> bytes:
    out = io.BytesIO()
    pdf.save(out, static_id=True, fix_metadata_version=False, **options)  # type: ignore[arg-type]
    return out.getvalue()


def broken(change: Callable[[pikepdf.Pdf], None], **options: object) -> bytes:
    """The crafted page with *change* made to it (saved with *options*)."""
    pdf = pikepdf.open(io.BytesIO(good_pdf()))
    change(pdf)
    return _save(pdf, **options)


def element(pdf: pikepdf.Pdf, role: str) -> pikepdf.Object:
    """The first structure element of *role* in the crafted page."""
    doc = pdf.Root.StructTreeRoot.K[0]
    stack = [doc]
    while stack:
        node = stack.pop(0)
        if node.get("/S") == "/" + role:
            return node
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k)
    raise LookupError(role)


def append_content(pdf: pikepdf.Pdf, code: bytes) -> None:
    """Add *code* at the end of the first page's content."""
    page = pdf.pages[0]
    page.contents_add(pdf.make_stream(code), prepend=False)
