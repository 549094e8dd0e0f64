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


class ReadingOrderText(PDFTextObject):  # type: ignore[misc]
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
        self._lk_ok = False

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
        self._lk_pieces.append((key, self._lk_x, state, code))
        self._lk_x += self._lk_advance(piece)

    def _lk_advance(self, piece: str) -> float:
        width = stringWidth(piece, self._fontname, self._fontsize)
        width += getattr(self, "_charSpace", 0) * len(piece)
        width += getattr(self, "_wordSpace", 0) * piece.count(" ")
        return float(width * getattr(self, "_horizScale", 100) / 100.0)

    def _lk_end(self) -> None:
        """Replace the line as ReportLab wrote it by its segments in reading order."""
        plan_ok = self._lk_ok and self._lk_pos == len(self._lk_plan.segments)
        if not plan_ok:
            return
        code: list[str] = []
        at = 0.0  # where the text line matrix is, from the line's start
        for _, x, state, piece in sorted(self._lk_pieces, key=lambda p: p[0]):
            move = fp_str(x - at)
            if move != "0":
                code.append(f"{move} 0 Td")
                at += float(move)
            code.extend(state)
            code.append(piece)
        if fp_str(-at) != "0":
            code.append(f"{fp_str(-at)} 0 Td")
        code.extend(self._lk_state.values())
        self._code[self._lk_start :] = code
        self._curSubset = -1


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
