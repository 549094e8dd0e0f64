"""ReportLab's text objects and ToUnicode maps → a text layer in reading order.

:class:`ReadingOrderText` is the text object a right-to-left paragraph draws
with: each glyph of a planned line is drawn exactly where ReportLab draws it,
but the line's pieces are written in reading order, each after its own font
selection and moved to its place with ``Td`` (see
:class:`~letterkit.typeset.textlayer.LinePlan`).
:func:`map_forms_to_letters` makes a font's ToUnicode maps give base letters
for the presentation forms it draws.

Relies on: a paragraph writes each piece of a line with
``PDFTextObject._textOut(text, TStar)``, the line's last piece with ``TStar``
true, and moves to a line's start with ``Td`` before its first piece;
``_textOut`` appends one item to ``_code``, made by ``_formatText``, which
writes the subset font (``Tf``) first when ``_curSubset`` is -1; fill colour
and rise are items of their own ending in their operator. A TrueType font's
``addObjects(doc)`` registers each subset's ToUnicode stream in
``doc.idToObject`` under ``"toUnicodeCMap:" + base font name``, its content a
string of ``<XX> <XXXX>`` lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.textobject import PDFTextObject

from .marking import foreign_language, latin_only

#: Items that set the state a piece of text is drawn with.
_STATE_OPS = {
    "rg": "fill",
    "g": "fill",
    "k": "fill",
    "sc": "fill",
    "scn": "fill",
    "cs": "fillspace",
    "Ts": "rise",
}


class TiedText(PDFTextObject):  # type: ignore[misc]
    """A text object whose justified lines stretch their breaking spaces only.

    ReportLab spreads a justified line's slack over its spaces and its
    no-break spaces alike, through the word spacing ``Tw``, which a PDF
    viewer applies to the code of the space only. Fonts that write U+00A0
    with a code of its own (:func:`~.fonts.keep_no_break_spaces`) keep it at
    its width, so the line's ``Tw`` is raised to give its breaking spaces the
    whole slack: the line still ends at the margin.

    Relies on: ``_code`` begins with ``"BT"``; ``setRise`` appends a
    ``Ts`` item (or replaces the last when that is one); ``setWordSpace(w)``
    appends one item ``"<w> Tw"`` to ``_code`` and sets ``_wordSpace``; a paragraph sets it before a justified line's
    text and again (to 0) after, and writes the line's text through
    ``_textOut``.
    """

    _lk_tw: list[Any] | None = None
    #: In a tagged letter: whether the text is raised (a note's number, its
    #: own Reference) and whether marked content is open in the object.
    _lk_raised = False
    _lk_marked = False

    def setRise(self, rise: float) -> None:
        """ReportLab's rise; in a paragraph of a tagged layout (left to right),
        raised text (a note's number) is a marked-content sequence of its
        own, the text around it the paragraph's (see
        :meth:`letterkit.typeset.marker.Marker.inline`)."""
        super().setRise(rise)
        marker = getattr(self._canvas, "lk_marker", None)
        if marker is None or not marker.busy or type(self) is not TiedText:
            return
        raised = float(rise) > 0
        if raised != self._lk_raised:
            self._code += self._lk_switch(marker, raised)

    def _lk_switch(self, marker: Any, raised: bool) -> list[str]:
        """The items that end the sequence open and open one for raised text
        (a Reference) or for the paragraph's; the first time, what came
        before (after ``BT``) is made the paragraph's."""
        if not self._lk_marked:
            self._code.insert(1, marker.inline(self._canvas, "P"))
            if self._lk_tw is not None:
                self._lk_tw[0] += 1
            self._lk_marked = True
        self._lk_raised = raised
        return ["EMC", marker.inline(self._canvas, "Reference" if raised else "P")]

    def setWordSpace(self, wordSpace: float) -> None:
        self._lk_settle()
        super().setWordSpace(wordSpace)
        if wordSpace:
            # [index of the Tw item, word spacing, spaces, no-break spaces]
            self._lk_tw = [len(self._code) - 1, wordSpace, 0, 0]

    def _textOut(self, text: str, TStar: int = 0) -> None:
        tw = self._lk_tw
        if tw is not None and text:
            tw[2] += text.count(" ")
            tw[3] += text.count("\u00a0")
        super()._textOut(text, TStar)

    def lk_word_space(self) -> float:
        """The word spacing the current line is written with."""
        tw = self._lk_tw
        if tw is None:
            return float(getattr(self, "_wordSpace", 0) or 0)
        _, space, spaces, ties = tw
        return float(space * (spaces + ties) / spaces if spaces and ties else space)

    def _lk_settle(self) -> None:
        tw = self._lk_tw
        if tw is not None:
            self._lk_tw = None
            if tw[2] and tw[3]:
                wider = tw[1] * (tw[2] + tw[3]) / tw[2]
                self._code[tw[0]] = f"{fp_str(wider)} Tw"

    def getCode(self) -> str:
        self._lk_settle()
        if self._lk_marked:
            self._code.append("EMC")
            self._lk_marked = False
        code: str = super().getCode()
        return code


class ReadingOrderText(TiedText):
    """A text object that writes the lines of *plans* (one
    :class:`~letterkit.typeset.textlayer.LinePlan` per drawn line, in order;
    None: as ReportLab writes it) piece by piece in reading order. A line it
    cannot follow (its text differs from the plan, or it moves inside the
    line, as for an inline image) stays as ReportLab writes it."""

    def __init__(self, canvas: Any, x: float, y: float, plans: list[Any]) -> None:
        super().__init__(canvas, x, y)
        self._lk_plans: Iterator[Any] = iter(plans)
        self._lk_plan: Any = None
        self._lk_in_line = False
        # Pieces moved before others keep the colour and rise they are drawn with.
        self.setFillColor(canvas._fillColorObj)
        self._lk_state: dict[str, str] = {"fill": self._code.pop(), "rise": "0 Ts"}
        self._lk_seen = len(self._code)
        self._lk_start = 0
        self._lk_pos = 0
        self._lk_x = 0.0
        self._lk_pieces: list[tuple[int, float, list[str], str]] = []
        # Per piece: its spaces (scaled) and the word spacing its advance took.
        self._lk_spaces: list[tuple[float, float]] = []
        self._lk_ok = False
        #: The language of a Latin piece in a tagged letter of another script.
        self._lk_lang = foreign_language(canvas)

    def _lk_scan(self) -> None:
        """Note the fill colour and rise set since the last look; a move inside
        a planned line makes it unplannable (it stays as ReportLab wrote it)."""
        code = self._code
        for n in range(self._lk_seen, len(code)):
            op = code[n].rsplit(" ", 1)[-1]
            kind = _STATE_OPS.get(op)
            if kind is not None:
                self._lk_state[kind] = code[n]
            elif op == "Td" and self._lk_in_line and n >= self._lk_start:
                self._lk_ok = False
        self._lk_seen = len(code)

    def _textOut(self, text: str, TStar: int = 0) -> None:
        self._lk_scan()
        if not self._lk_in_line:
            self._lk_plan = next(self._lk_plans, None)
            self._lk_in_line = True
            self._lk_start, self._lk_pos, self._lk_x = len(self._code), 0, 0.0
            self._lk_pieces, self._lk_ok = [], self._lk_plan is not None
            self._lk_spaces = []
        plan = self._lk_plan
        if plan is None:
            super()._textOut(text, TStar)
        else:
            super()._textOut(text, 0)
            if self._lk_ok:
                self._lk_add(text, plan)
            if TStar:
                self._lk_end()
                self._code.append("T*")
        self._lk_seen = len(self._code)
        if TStar:
            self._lk_in_line = False

    def _lk_add(self, text: str, plan: Any) -> None:
        """Record *text*'s pieces with their place, state and reading-order key."""
        pos = self._lk_pos
        if pos + len(text) > len(plan.segments):
            self._lk_ok = False
            return
        subset: int = getattr(self, "_curSubset", -1)
        state = list(self._lk_state.values())
        start = 0
        for end in range(1, len(text) + 1):
            if end < len(text) and plan.segments[pos + end] == plan.segments[pos + start]:
                continue
            lead = start
            if plan.segments[pos + start] in plan.rtl:
                while lead < end - 1 and plan.kinds[pos + lead] == "N":
                    lead += 1
            for cut in [*range(start + 1, lead + 1), end]:
                if cut > start:
                    self._lk_piece(text[start:cut], min(plan.order[pos + start : pos + cut]), state)
                    start = cut
        self._curSubset = subset
        self._lk_pos = pos + len(text)

    def _lk_piece(self, piece: str, key: int, state: list[str]) -> None:
        self._curSubset = -1
        code = self._formatText(piece)
        if self._lk_lang and latin_only(piece):  # an English name in an Arabic letter
            code = f"/Span <</Lang ({self._lk_lang})>> BDC {code} EMC"
        self._lk_pieces.append((key, self._lk_x, state, code))
        self._lk_x += self._lk_advance(piece)

    def _lk_advance(self, piece: str) -> float:
        scale = getattr(self, "_horizScale", 100) / 100.0
        space = self.lk_word_space()
        self._lk_spaces.append((piece.count(" ") * scale, space))
        width = stringWidth(piece, self._fontname, self._fontsize)
        width += getattr(self, "_charSpace", 0) * len(piece)
        width += space * piece.count(" ")
        return float(width * scale)

    def _lk_places(self) -> list[float]:
        """Each piece's place from the line's start, at the word spacing the
        whole line is written with (known once its last piece is out)."""
        final = self.lk_word_space()
        places, shift = [], 0.0
        for (_, x, _, _), (spaces, used) in zip(self._lk_pieces, self._lk_spaces, strict=True):
            places.append(x + shift)
            shift += spaces * (final - used)
        return places

    def _lk_end(self) -> None:
        """Replace the line as ReportLab wrote it by its segments in reading order."""
        plan_ok = self._lk_ok and self._lk_pos == len(self._lk_plan.segments)
        if not plan_ok:
            return
        code: list[str] = []
        at = 0.0  # where the text line matrix is, from the line's start
        placed = zip(self._lk_pieces, self._lk_places(), strict=True)
        marker = getattr(self._canvas, "lk_marker", None)
        if marker is not None and not marker.busy:
            marker = None
        if marker is not None and not self._lk_marked and any(map(_raised, self._lk_pieces)):
            self._lk_start += 1  # the paragraph's sequence opens after BT
        for n, ((_, _, state, piece), x) in enumerate(sorted(placed, key=lambda p: p[0][0])):
            if marker is not None and _raised((0, 0, state, piece)) != self._lk_raised:
                code += self._lk_switch(marker, not self._lk_raised)  # a note's number
            move = fp_str(x - at)
            # Drawing a piece moves the pen to its end, but not the line
            # matrix: a piece at the place of the one before (a vowel mark,
            # which has no width) still needs its move back to that place.
            if move != "0" or n:
                code.append(f"{move} 0 Td")
                at += float(move)
            code.extend(state)
            code.append(piece)
        if fp_str(-at) != "0":
            code.append(f"{fp_str(-at)} 0 Td")
        code.extend(self._lk_state.values())
        self._code[self._lk_start :] = code
        self._curSubset = -1


def _raised(piece: tuple[Any, Any, list[str], str]) -> bool:
    """Whether a planned piece is drawn raised (its rise item above 0)."""
    rises = [item for item in piece[2] if item.endswith(" Ts")]
    return bool(rises) and float(rises[-1].split()[0]) > 0


def map_forms_to_letters(font: Any, letters: Callable[[str], str]) -> Any:
    """*font* (a TTFont of letterkit's own), its ToUnicode maps giving
    ``letters(char)`` for each character it draws that is an Arabic
    presentation form (other characters map to themselves, as before)."""
    add = font.addObjects
    line = re.compile(r"<([0-9A-F]{2})> <(F[B-E][0-9A-F]{2})>")

    def to_letters(match: re.Match[str]) -> str:
        shown = letters(chr(int(match.group(2), 16)))
        return f"<{match.group(1)}> <{shown.encode('utf-16-be').hex().upper()}>"

    def add_objects(doc: Any) -> None:
        before = set(doc.idToObject)
        add(doc)
        for name in set(doc.idToObject) - before:
            if isinstance(name, str) and name.startswith("toUnicodeCMap:"):
                stream = doc.idToObject[name]
                content = stream.content
                if "<F" in content:
                    stream.content = line.sub(to_letters, content)

    font.addObjects = add_objects
    return font


def draw_stand_ins(font: Any, stand_ins: dict[str, str]) -> Any:
    """*font* (a TTFont of letterkit's own), drawing each character of
    *stand_ins* (a character the font lacks → the character whose glyph it
    draws) with that glyph and width; :func:`map_forms_to_letters` says what
    it copies as. A stand-in for a character the font lacks is left out.

    Relies on: ``TTFont.splitString`` gives a code to each character of
    ``face.charToGlyph``, and the font's subsets take each code's glyph from
    ``face.charToGlyph`` and its width from ``face.charWidths`` (as for
    :func:`~.fonts.keep_no_break_spaces`).
    """
    face = font.face
    glyphs, widths = face.charToGlyph, face.charWidths
    for stand_in, shown in stand_ins.items():
        code, drawn = ord(stand_in), ord(shown)
        if code not in glyphs and drawn in glyphs:
            glyphs[code] = glyphs[drawn]
            widths[code] = widths.get(drawn, face.defaultWidth)
    return font


def draws(font_name: str, char: str) -> bool:
    """Whether the font registered as *font_name* has a glyph for *char*
    (a font that is not a TrueType font: False)."""
    from reportlab.pdfbase import pdfmetrics

    try:
        face = getattr(pdfmetrics.getFont(font_name), "face", None)
    except KeyError:
        return False
    return ord(char) in getattr(face, "charToGlyph", ())
