"""What letterkit relies on in ReportLab's private parts still holds.

Every reliance lives in ``letterkit/typeset/_rl/``; each test here checks
one against the installed ReportLab and, when a new version changes it,
fails with the attribute's name and the version.
"""

from __future__ import annotations

import inspect
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus import paragraph as rl_paragraph

from letterkit.typeset import _rl, sfnt
from letterkit.typeset.bidi import LKParagraph
from letterkit.typeset.breaks import slash_breaks

ROOT = Path(__file__).resolve().parents[2]


def relied(attribute: str, holds: bool, what: str) -> None:
    """Fail, naming the attribute and the ReportLab version, unless *holds*."""
    assert holds, (
        f"ReportLab {_rl.VERSION}: {attribute} no longer {what} (see letterkit/typeset/_rl/)"
    )


def has(obj: Any, *names: str) -> None:
    for name in names:
        owner = getattr(obj, "__name__", type(obj).__name__)
        relied(f"{owner}.{name}", hasattr(obj, name), "exists")


# -- Canvases ---------------------------------------------------------------------

#: Draws the same document on a canvas class given by name, in a fresh process:
#: with letterkit's canvas (rl_config untouched), and with ReportLab's own
#: canvas after turning ``rl_config.useA85`` off.
_DRAW = """
import hashlib, json, sys
from io import BytesIO
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from letterkit.typeset import _rl, sfnt

# ReportLab's own font: remember_subsets slims the programs of letterkit's documents
# (tests/test_small_files.py); the canvases are compared here on what they adjust.
pdfmetrics.registerFont(TTFont("ContractSerif", sys.argv[1]))

def draw(make):
    out = BytesIO()
    canvas = make(out, invariant=1)
    for page in range(2):
        canvas.setFont("ContractSerif", 11)
        canvas.drawString(72, 700, "Zürich, Ελλάδα, 1 234,50 € " * 2)
        canvas.drawImage(ImageReader(sys.argv[2]), 300, 500, 100, 50, mask="auto")
        canvas.drawImage(sys.argv[2], 300, 400, 100, 50)
        canvas.showPage()
    canvas.save()
    return out.getvalue()

ours = [draw(_rl.LKCanvas) for _ in range(2)]
fast = [draw(_rl.FastCanvas) for _ in range(2)]
same = fast == [draw(Canvas)] * 2
useA85 = rl_config.useA85
rl_config.useA85 = 0
plain = draw(Canvas)
print(json.dumps({"useA85": useA85, "ours": [hashlib.sha256(d).hexdigest() for d in ours],
                  "plain": hashlib.sha256(plain).hexdigest(), "a85": b"ASCII85" in ours[0],
                  "fast_is_plain": same}))
"""


def test_letterkits_canvas_writes_what_reportlab_writes_without_ascii85() -> None:
    """Relies on ``Canvas._doc``, ``PDFDocument.Reference``, ``PDFPage.check_format``
    keeping a preset ``Contents``, ``PDFImageXObject._filters``, a font's ``Widths``."""
    font = ROOT / "fonts" / "NotoSerif-Regular.ttf"
    image = ROOT / "examples" / "shapes" / "logo.png"
    done = subprocess.run(
        [sys.executable, "-c", _DRAW, str(font), str(image)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["useA85"], "the default was expected to be ASCII85 on"
    relied(
        "the PDF objects LKCanvas adjusts (pages, images, fonts)",
        found["ours"] == [found["plain"], found["plain"]],
        "give ReportLab's bytes with useA85 off",
    )
    assert not found["a85"]
    relied("the PDF objects FastCanvas adjusts (fonts)", found["fast_is_plain"],
           "give ReportLab's bytes")  # fmt: skip


def test_canvas_internals() -> None:
    canvas = Canvas(io.BytesIO())
    relied("Canvas._doc", isinstance(getattr(canvas, "_doc", None), pdfdoc.PDFDocument),
           "is the canvas's PDFDocument")  # fmt: skip
    has(canvas, "_startPage", "_pageNumber")
    relied("Canvas._pageNumber", canvas._pageNumber == 1, "counts pages from 1")
    relied("Canvas.showPage", "_startPage" in Canvas.showPage.__code__.co_names,
           "begins the next page with _startPage")  # fmt: skip
    relied("Canvas.drawImage", "Reference" in Canvas.drawImage.__code__.co_names,
           "enters an image through doc.Reference")  # fmt: skip
    relied("PDFDocument.addPage", "Reference" in pdfdoc.PDFDocument.addPage.__code__.co_names,
           "enters a page through Reference")  # fmt: skip


def test_held_pages_are_finished_with_their_number_and_the_count() -> None:
    finished: list[tuple[int, int]] = []

    class Counting(_rl.HeldPagesCanvas):
        def lk_finish_page(self, number: int, total: int) -> None:
            finished.append((number, total))
            self.drawString(10, 10, f"Page {number} of {total}")

    buffer = io.BytesIO()
    canvas = Counting(buffer, invariant=1)
    for n in range(3):
        canvas.drawString(100, 700, f"text {n}")
        canvas.showPage()
    canvas.save()
    relied("Canvas._startPage / _pageNumber", finished == [(1, 3), (2, 3), (3, 3)],
           "begin and number the held pages")  # fmt: skip
    pages = [page.extract_text() for page in PdfReader(buffer).pages]
    relied("Canvas.__dict__", all(f"text {n}" in text and f"Page {n + 1} of 3" in text
                                  for n, text in enumerate(pages)) and len(pages) == 3,
           "holds a page's whole state")  # fmt: skip


def test_pdf_object_internals() -> None:
    page = pdfdoc.PDFPage()
    has(page, "Contents", "stream", "compression", "Override_default_compilation")
    source = inspect.getsource(pdfdoc.PDFPage.check_format)
    relied("PDFPage.check_format", "if not self.Contents:" in source and '"page stream"' in source,
           "keeps a preset Contents and makes a 'page stream'")  # fmt: skip
    image = pdfdoc.PDFImageXObject("x")
    has(image, "_filters", "streamContent")
    stream = pdfdoc.PDFStream(content=b"x")
    has(stream, "filters", "content")
    has(pdfdoc.PDFZCompress, "pdfname", "encode")
    relied("PDFStream.format", "encode" in pdfdoc.PDFStream.format.__code__.co_names,
           "calls a filter's encode")  # fmt: skip
    doc = pdfdoc.PDFDocument(invariant=1)
    relied("pdfdoc.format", pdfdoc.format(b"612", doc) == b"612", "writes bytes as they are")
    for n in (0, 1, -7, 500, 1000, 2048, 65535, -(2**40)):
        relied("pdfdoc.fp_str", pdfdoc.fp_str(n) == str(n), f"writes the whole number {n} as str")
    has(pdfdoc.PDFArray([1]), "sequence")


def test_a_font_program_comes_from_the_faces_make_subset() -> None:
    font = ttfonts.TTFont("ContractSans", str(ROOT / "fonts" / "NotoSans-Regular.ttf"))
    calls: list[Any] = []
    make = font.face.makeSubset

    def counting(subset: Any) -> bytes:
        calls.append(list(subset))
        return make(subset)  # type: ignore[no-any-return]

    font.face.makeSubset = counting
    _rl.remember_subsets(font)
    doc = pdfdoc.PDFDocument(invariant=1)
    _rl.keep_ties_in(doc)  # a document of letterkit's canvases
    for name in ("AAAAAA+One", "AAAAAB+Two"):
        font.face.addSubsetObjects(doc, name, [65, 66, 67])
    relied("TTFontFace.addSubsetObjects", calls == [[65, 66, 67]],
           f"calls self.makeSubset (calls: {calls})")  # fmt: skip
    program = doc.idToObject[f"fontFile:{font.face.filename}(AAAAAA+One)"]
    relied("TTFontFace.addSubsetObjects", program.content == sfnt.slim(make([65, 66, 67])),
           "embeds what makeSubset makes")  # fmt: skip
    # A host's document drawing with the same font object gets ReportLab's program.
    host = pdfdoc.PDFDocument(invariant=1)
    font.face.addSubsetObjects(host, "AAAAAC+Three", [65, 66, 67])
    program = host.idToObject[f"fontFile:{font.face.filename}(AAAAAC+Three)"]
    assert program.content == make([65, 66, 67])


# -- Frames and documents ---------------------------------------------------------


def test_frame_internals() -> None:
    frame = Frame(10, 20, 300, 400, id="f")
    for name in (*_rl._FRAME_STATE, *_rl._FRAME_BOX, "_bottomPadding"):
        relied(f"Frame.{name}", isinstance(getattr(frame, name, None), (int, float)), "is a number")
    relied(
        "Frame._y1p",
        frame._y1p == frame._y1 + frame._bottomPadding,
        "starts at _y1 + _bottomPadding",
    )
    relied("Frame._atTop", bool(frame._atTop), "is true in a new frame")
    state = _rl.frame_state(frame)
    relied("Frame._y", state["_y"] == 20 + 400 - frame._topPadding, "is the cursor")
    other = Frame(10, 20, 300, 400, id="g")
    _rl.resume_frame(other, {**state, "_y": 100.0, "_atTop": 0})
    relied("Frame.add", not other.add(Paragraph("x " * 400, ParagraphStyle("s")), None),
           "takes the room left under _y")  # fmt: skip


class _Probe(Flowable):  # type: ignore[misc]
    """Records what the frame tells it while it is split."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[bool] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, availHeight + 10  # never fits: the frame asks to split

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.seen.append(_rl.at_top(self))
        return []


def _doc(buffer: io.BytesIO) -> BaseDocTemplate:
    doc = BaseDocTemplate(buffer, invariant=1)
    doc.addPageTemplates([PageTemplate("p", [Frame(50, 50, 400, 600, id="f")])])
    return doc


def test_a_flowable_learns_whether_its_frame_is_empty() -> None:
    probe = _Probe()
    frame = Frame(0, 0, 300, 300)
    frame.split(probe, None)
    relied(
        "Flowable._frame / Frame._atTop",
        probe.seen == [True],
        "tell a split flowable its frame is empty",
    )


def test_document_internals() -> None:
    style = ParagraphStyle("s")
    heading = Paragraph("Heading", ParagraphStyle("h", keepWithNext=1))
    story = [heading, Paragraph("Text " * 30, style)]
    hanging: list[bool] = []

    class Doc(BaseDocTemplate):  # type: ignore[misc]
        def handle_flowable(self, flowables: list[Flowable]) -> None:
            hanging.append(_rl.is_hanging(self, flowables))
            super().handle_flowable(flowables)

    doc = Doc(io.BytesIO(), invariant=1)
    doc.addPageTemplates([PageTemplate("p", [Frame(50, 50, 400, 600, id="f")])])
    with _rl.edits_undone(doc):
        relied("BaseDocTemplate._multiBuildEdits", callable(getattr(doc, "_multiBuildEdits", None)),
               "is set")  # fmt: skip
        doc.build(story)
    relied("BaseDocTemplate._hanging", True in hanging and False in hanging,
           "is the list handle_flowable gets for page-top flowables")  # fmt: skip
    relied("BaseDocTemplate._multiBuildEdits", heading.__dict__.get("keepWithNext", 1) == 1,
           "records the keepWithNext that handle_keepWithNext clears")  # fmt: skip
    plain = Paragraph("Heading", ParagraphStyle("h", keepWithNext=1))
    _doc(io.BytesIO()).build([plain, Paragraph("Text " * 30, style)])
    assert plain.__dict__.get("keepWithNext") == 0, "ReportLab no longer clears keepWithNext"


# -- Paragraphs -------------------------------------------------------------------


def test_laid_out_lines() -> None:
    style = ParagraphStyle("s", fontName="Helvetica")
    one = Paragraph("plain words " * 20, style)
    one.wrap(200, 1e6)
    lines = _rl.broken_lines(one)
    relied("Paragraph.blPara", lines is not None and lines.kind == 0, "is set by wrap (kind 0)")
    relied("blPara.lines", all(isinstance(line, tuple) and len(line) == 2 for line in lines.lines),
           "are (extra space, words) in kind 0")  # fmt: skip
    many = Paragraph('plain <b>bold</b> <a href="#n">x<super>1</super></a> ' * 10, style)
    many.wrap(200, 1e6)
    lines = _rl.broken_lines(many)
    relied("Paragraph.blPara", lines.kind == 1, "is kind 1 for several style runs")
    runs = _rl.line_runs(lines.lines[0])
    relied("FragLine.words", bool(runs), "holds the line's style runs")
    relied(
        "ParaFrag.text", "plain" in "".join(_rl.run_text(r) for r in runs), "holds the run's text"
    )
    relied("ParaFrag.clone", _rl.run_text(_rl.run_with_text(runs[0], "zz")) == "zz",
           "makes a run with other text")  # fmt: skip
    relied("ParaFrag.rise / link", list(_rl.raised_link_targets(many))[:1] == ["#n"],
           "mark a raised link run and its target")  # fmt: skip
    with _rl.lines_replaced(many, []):
        relied("Paragraph.blPara", many.blPara.lines == [], "is what drawPara draws")
    relied("Paragraph.blPara", _rl.broken_lines(many) is lines, "is restored")


def test_the_break_rule_reaches_breaklines_through_the_functions_copied() -> None:
    chain = {
        "Paragraph.breakLines": rl_paragraph.Paragraph.breakLines,
        **{name: getattr(rl_paragraph, name) for name in _rl._BREAK_CHAIN},
    }
    calls = {name: set(f.__code__.co_names) for name, f in chain.items()}
    relied("Paragraph.breakLines", {"_hyphenateWord", "_hyphenateFragWord"} <= calls["Paragraph.breakLines"],
           "calls _hyphenateWord and _hyphenateFragWord")  # fmt: skip
    relied("_hyphenateWord", "_hyGenPair" in calls["_hyphenateWord"], "calls _hyGenPair")
    relied("_hyphenateFragWord", {"_hyGenPair", "_hyGenFragsPair"} <= calls["_hyphenateFragWord"],
           "calls _hyGenPair and _hyGenFragsPair")  # fmt: skip
    for name in ("_hyGenPair", "_hyGenFragsPair"):
        relied(name, "_uri_split_pairs" in calls[name], "calls _uri_split_pairs")
    relied("Paragraph.breakLines", not rl_paragraph.Paragraph.breakLines.__code__.co_freevars,
           "has no closure")  # fmt: skip
    # No other function of the module reaches _uri_split_pairs or the chain.
    for name, value in vars(rl_paragraph).items():
        code = getattr(value, "__code__", None)
        if code is None or name in chain:
            continue
        reached = set(code.co_names) & {"_uri_split_pairs", *_rl._BREAK_CHAIN}
        relied(f"paragraph.{name}", not reached, f"calls {sorted(reached)}")
    for cls in (rl_paragraph.Paragraph,):
        for name, value in vars(cls).items():
            code = getattr(value, "__code__", None)
            if code is None or name == "breakLines":
                continue
            reached = set(code.co_names) & {"_uri_split_pairs", *_rl._BREAK_CHAIN}
            relied(f"Paragraph.{name}", not reached, f"calls {sorted(reached)}")
    relied("paragraph._uri_split_pairs", _rl.uri_split_pairs("https://a.org/b/c") is not None,
           "gives pairs for a URL")  # fmt: skip


def test_the_copied_break_lines_give_reportlabs_lines_but_for_the_rule() -> None:
    style = ParagraphStyle("s", fontName="Helvetica", uriWasteReduce=0.3)
    text = "Dear High Representative/Vice-President of the European Commission, see a_b/c"
    ours = _rl.slash_break_lines(_rl.uri_split_pairs)
    plain = Paragraph(text, style)
    plain.wrap(150, 1e6)
    copied = Paragraph(text, style)
    copied.breakLines = lambda width: ours(copied, width)
    copied.wrap(150, 1e6)
    relied("Paragraph.breakLines", repr(copied.blPara.lines) == repr(plain.blPara.lines),
           "breaks lines the same when copied")  # fmt: skip
    with slash_breaks():
        ruled = LKParagraph(text, style)
        ruled.wrap(150, 1e6)
    assert repr(ruled.blPara.lines) != repr(plain.blPara.lines)


# -- Text layer ------------------------------------------------------------------


def test_the_text_layer_relies_on_reportlab_text_objects() -> None:
    """A right-to-left line is written piece by piece through ``_textOut``, each
    piece after a font selection that ``_formatText`` writes when
    ``_curSubset`` is -1; a TrueType font registers its ToUnicode maps by name."""
    has(PDFTextObject, "_textOut", "_formatText", "_setFont", "setFillColor", "setRise")
    relied(
        "PDFTextObject._setFont",
        "_curSubset = -1" in inspect.getsource(PDFTextObject._setFont),
        "resets the subset",
    )
    relied(
        "PDFTextObject._formatText",
        "_curSubset" in inspect.getsource(PDFTextObject._formatText),
        "selects the subset font",
    )
    relied(
        "PDFTextObject._textOut",
        "T*" in inspect.getsource(PDFTextObject._textOut),
        "ends a line with T*",
    )
    relied(
        "Paragraph.drawPara",
        "self.beginText(" in inspect.getsource(Paragraph.drawPara),
        "asks the paragraph for its text object",
    )
    source = inspect.getsource(ttfonts.TTFont.addObjects)
    relied(
        "TTFont.addObjects",
        "'toUnicodeCMap:' + baseFontName" in source,
        "names the ToUnicode streams",
    )
    relied(
        "makeToUnicodeCMap",
        '"<%02X> <%04X>"' in inspect.getsource(ttfonts.makeToUnicodeCMap),
        "writes one code per line",
    )


# -- No-break spaces ---------------------------------------------------------------


def test_no_break_spaces_rely_on_the_subset_lists_and_the_cmap() -> None:
    """ReportLab writes U+00A0 as the space's code; letterkit's fonts give it a code
    of its own through ``charToGlyph``, ``state[doc].subsets`` and ``addObjects``."""
    path = str(ROOT / "fonts" / "NotoSerif-Regular.ttf")
    plain = ttfonts.TTFont("ContractPlain", path)
    doc = pdfdoc.PDFDocument(invariant=1)
    relied("TTFont.splitString", plain.splitString("a\u00a0b", doc) == plain.splitString("a b", doc),
           "writes U+00A0 with the space's code (else drop keep_no_break_spaces)")  # fmt: skip
    face = plain.face
    relied("TTFontFace.charToGlyph/charWidths",
           face.charToGlyph[0xA0] == face.charToGlyph[0x20]
           and face.charWidths[0xA0] == face.charWidths[0x20],
           "give U+00A0 the space's glyph and width")  # fmt: skip
    font = _rl.keep_no_break_spaces(ttfonts.TTFont("ContractTies", path))
    ours = pdfdoc.PDFDocument(invariant=1)
    _rl.keep_ties_in(ours)
    [(subset, codes)] = font.splitString("a\u00a0b c", ours)
    relied("TTFont.State.subsets", isinstance(font.state[ours].subsets[0], list),
           "are lists of code points")  # fmt: skip
    assert codes[1] not in (codes[3], 0)
    assert codes[3] == 32
    font.getSubsetInternalName(subset, ours)
    font.addObjects(ours)
    cmaps = [v.content for k, v in ours.idToObject.items() if str(k).startswith("toUnicodeCMap:")]
    relied("TTFont.addObjects", any(f"<{codes[1]:02X}> <00A0>" in c for c in cmaps),
           "writes the ToUnicode map from state.subsets")  # fmt: skip
    [pdf_font] = [v for k, v in ours.idToObject["BasicFonts"].dict.items()]
    widths = pdf_font.Widths.sequence
    relied("TTFont.addObjects", widths[codes[1]] == widths[32], "writes widths by code point")


def test_justified_lines_set_word_space_around_their_text() -> None:
    """``setWordSpace`` writes one ``Tw`` item; ReportLab counts no-break spaces
    among the spaces a justified line's slack is spread over (which
    :class:`~letterkit.typeset._rl.textlayer.TiedText` corrects)."""
    text = PDFTextObject(Canvas(io.BytesIO()))
    before = len(text._code)
    text.setWordSpace(1.5)
    relied("PDFTextObject.setWordSpace", text._code[before:] == ["1.5 Tw"]
           and text._wordSpace == 1.5, "appends one Tw item")  # fmt: skip
    for name in ("_justifyDrawParaLine", "_justifyDrawParaLineX"):
        source = inspect.getsource(getattr(rl_paragraph, name))
        relied(f"paragraph.{name}", "_nbspCount" in source and "setWordSpace(0)" in source
               and source.index("setWordSpace(extra") < source.index("setWordSpace(0)"),
               "sets Tw, counting no-break spaces, before the line and 0 after")  # fmt: skip
    relied("Canvas.beginText", "x" in inspect.signature(Canvas.beginText).parameters,
           "takes x and y")  # fmt: skip


def test_font_states_are_recorded_and_seeded_through_the_state_fields() -> None:
    """A document started from another's recorded codes (``TTFont.State``'s
    ``assignments``, ``subsets``, ``nextCode``, kept in ``font.state[doc]``
    until ``addObjects``) writes the other's characters with their codes and
    a new one with the next code, in a subset that grows the other's."""
    path = str(ROOT / "fonts" / "NotoSans-Regular.ttf")
    pdfmetrics.registerFont(ttfonts.TTFont("ContractStates", path))
    # seed_states finds a font by its name: ReportLab gives a name registered
    # for a face registered before (by letterkit's fonts) that face's font
    font = pdfmetrics.getFont("ContractStates")
    if not getattr(font, "lk_prepared", False):
        font = _rl.record_states(font)
    first = pdfdoc.PDFDocument(invariant=1)
    states: _rl.FontStates = {}
    first.lk_font_states = states  # what StatesCanvas sets on a canvas's document
    [(subset, codes)] = font.splitString("aéb", first)
    assert codes[1] != ord("é")  # a code of the subset, not the character's own
    has(font.state[first], "assignments", "subsets", "nextCode")
    font.getSubsetInternalName(subset, first)
    font.addObjects(first)
    relied("TTFont.addObjects", first not in font.state, "deletes the document's state")
    [recorded] = states.values()
    assert recorded.face == b"NotoSans-Regular"
    assert recorded.assignments[ord("é")] == codes[1]
    second = pdfdoc.PDFDocument(invariant=1)
    _rl.seed_states(second, states)
    [(_, again)] = font.splitString("ñé", second)
    relied("TTFont.splitString", again[1] == codes[1], "takes the state it finds for a document")
    grown = font.state[second]
    assert again[0] == recorded.next_code
    # every code the first document gave a character draws it in the grown subset
    pairs = zip(recorded.subsets[0], grown.subsets[0], strict=False)
    assert all(old in (0, new) for old, new in pairs)
    assert _rl.within(recorded, _rl.FontState(recorded.face, dict(grown.assignments), (), 0))


# -- Fonts parsed once -------------------------------------------------------------


def _with_units_per_em(data: bytes, units: int) -> bytes:
    """A font file's bytes with its ``head`` table's unitsPerEm changed (checksums
    are not checked by ReportLab unless asked)."""
    count = int.from_bytes(data[4:6], "big")
    for n in range(count):
        record = data[12 + 16 * n : 28 + 16 * n]
        if record[:4] == b"head":
            at = int.from_bytes(record[8:12], "big") + 18
            return data[:at] + units.to_bytes(2, "big") + data[at + 2 :]
    raise AssertionError("no head table")


def test_a_font_from_the_cache_is_the_font_reportlab_parses(
    monkeypatch: Any, tmp_path: Path
) -> None:
    """This test ensures that a TTFont that load_font rebuilds from its cache entry
    has every attribute ReportLab's own parse gives it (name strings with their
    text, the scale function at 1000 and 2048 units per em), and makes the same
    subset bytes."""
    from letterkit._resources import fonts_dir

    monkeypatch.setenv("LETTERKIT_CACHE_DIR", str(tmp_path))
    path = fonts_dir() / "NotoSerif-Regular.ttf"
    for units in (1000, 2048):
        data = _with_units_per_em(path.read_bytes(), units)
        parsed = ttfonts.TTFont(f"Contract{units}", io.BytesIO(data))
        first = _rl.load_font(f"Contract{units}", data)  # parsed, and kept
        loaded = _rl.load_font(f"Contract{units}", data)  # rebuilt from the entry
        assert type(first.face) is type(loaded.face) is ttfonts.TTFontFace
        relied(
            "TTFont.__dict__", vars(loaded).keys() == vars(parsed).keys(), "is what load_font sets"
        )
        ours, theirs = vars(loaded.face), vars(parsed.face)
        relied("TTFontFace.__dict__", ours.keys() == theirs.keys(), "is what load_font sets")
        for attr, value in theirs.items():
            if callable(value):
                relied(f"TTFontFace.{attr}", ours[attr](1234) == value(1234), "scales the same")
                continue
            relied(
                f"TTFontFace.{attr}",
                ours[attr] == value and type(ours[attr]) is type(value),
                "round-trips",
            )
            if hasattr(value, "ustr"):
                relied(f"TTFontFace.{attr}.ustr", ours[attr].ustr == value.ustr, "round-trips")
        relied(
            "TTFont settings",
            {k: v for k, v in vars(loaded).items() if k not in ("face", "encoding", "state")}
            == {k: v for k, v in vars(parsed).items() if k not in ("face", "encoding", "state")},
            "round-trip (shaping, ASCII codes)",
        )
        subset = [0, *range(32, 127), 0x416]
        relied(
            "TTFontFace.makeSubset",
            loaded.face.makeSubset(subset) == parsed.face.makeSubset(subset),
            "makes the same bytes",
        )
        assert loaded.stringWidth("Ж width", 10) == parsed.stringWidth("Ж width", 10)
    assert len(list(tmp_path.glob("ttf-*"))) == 2


def test_stand_ins_draw_the_glyph_they_stand_in_for() -> None:
    """A stand-in code point (a mirrored bracket's) draws with the glyph and
    width ``charToGlyph`` and ``charWidths`` give it, and the ToUnicode map
    says what :func:`_rl.map_forms_to_letters` makes of it; a paragraph's
    lines and runs name their font in ``fontName``."""
    path = str(ROOT / "fonts" / "NotoSerif-Regular.ttf")
    font = _rl.draw_stand_ins(ttfonts.TTFont("ContractStandIns", path), {"\ufde0": ")"})
    font = _rl.map_forms_to_letters(font, lambda c: "(" if c == "\ufde0" else c)
    pdfmetrics.registerFont(font)
    relied(
        "TTFontFace.charToGlyph", _rl.draws("ContractStandIns", "\ufde0"), "takes new code points"
    )
    doc = pdfdoc.PDFDocument(invariant=1)
    [(subset, codes)] = font.splitString("a\ufde0)", doc)
    font.getSubsetInternalName(subset, doc)
    font.addObjects(doc)
    cmaps = [v.content for k, v in doc.idToObject.items() if str(k).startswith("toUnicodeCMap:")]
    relied("TTFont.addObjects", any(f"<{codes[1]:02X}> <0028>" in c for c in cmaps),
           "writes the ToUnicode map that map_forms_to_letters rewrites")  # fmt: skip
    [pdf_font] = [v for k, v in doc.idToObject["BasicFonts"].dict.items()]
    widths = pdf_font.Widths.sequence
    relied("TTFont.addObjects", widths[codes[1]] == widths[codes[2]], "writes widths by code point")
    style = ParagraphStyle("s", fontName="Helvetica")
    simple = Paragraph("plain words", style)
    simple.wrap(200, 1e6)
    relied(
        "blPara.fontName", _rl.run_font(_rl.broken_lines(simple)) == "Helvetica", "names the font"
    )
    runs = Paragraph("plain <b>bold</b>", style)
    runs.wrap(200, 1e6)
    line = _rl.broken_lines(runs).lines[0]
    relied("ParaFrag.fontName", _rl.run_font(_rl.line_runs(line)[-1]) == "Helvetica-Bold",
           "names the run's font")  # fmt: skip
