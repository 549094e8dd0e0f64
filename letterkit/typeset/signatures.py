"""Signers → a grid of signature cells: each an image over the name and title, kept whole.

The ``signatures`` style prints each signer as a cell: a space of one height
(:data:`IMAGE_HEIGHT`) holding the signer's signature image, if any, scaled
to that height and aligned to the cell's start edge; under it the name, the
title, and the affiliation and country in grey. Cells fill 1–3 columns row by
row, so the text reads in print order; a right-to-left letter starts with the
rightmost column. A signer without an image (or withheld: "Name withheld")
keeps the same empty space, so the names stand on one line per row, as on a
letter signed by hand.

:class:`SignatureGrid` splits between rows only: a signer is never cut from
their image, and the closing (drawn as the grid's head) stands with the
first row. Each distinct image file is read once per letter; ReportLab
writes one image for all the cells that draw it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Paragraph

from .. import l10n, memo
from ..l10n import _
from ..model import Letter, Signatory
from ..validate.signatures import signature_path
from . import _rl, images, marking
from .columns import TooLarge, draw_head
from .compose import xml
from .styles import GREY, Styles

#: The height every signature image is scaled to (and the space a cell keeps for it).
IMAGE_HEIGHT = 14 * mm
#: Between the image's space and the name.
IMAGE_GAP = 1.5 * mm
#: Between two rows of signers.
ROW_GAP = 6 * mm
#: Between two columns.
COLUMN_GAP = 8 * mm


class SignatureImageError(images.ImageError):
    """A signature image that cannot be drawn (it changed since it was checked)."""

    def __init__(self, reason: str, path: Path, signatory: Signatory) -> None:
        super().__init__(reason)
        self.path: Path = path
        self.signatory = signatory


@dataclass
class SignatureCell:
    """One signer: the image (None: the space stays empty) and the lines under it."""

    image: ImageReader | None
    lines: list[Paragraph]
    label: str
    heights: list[float] = field(default_factory=list)


def _markup(s: Signatory, loc: str) -> list[str]:
    """A signer's lines as markup: the name, the title, the affiliation and
    country in grey. A withheld signer is the localized "Name withheld" alone."""
    if s.withhold:
        return [f"<i>{xml(l10n.word(loc, _('Name withheld')))}</i>"]
    lines = [xml(s.name)]
    if s.title:
        lines.append(xml(s.title))
    more = ", ".join(t for t in (s.affiliation, s.country) if t)
    if more:
        lines.append(f'<font color="{GREY.hexval()}">{xml(more)}</font>')
    return lines


_CELLS: dict[tuple[int, str, Path, tuple[Signatory, ...]], Any] = memo.table({})


def signature_cells(
    letter: Letter, signatories: Sequence[Signatory], styles: Styles
) -> list[SignatureCell]:
    """Each signer's cell, in print order; an image file named by several signers
    is read once, and the cells are made once for all the letters of a bundle
    that share the signers, the language and the folder. Raises
    :class:`SignatureImageError` for an image that cannot be drawn."""
    key = (id(styles), letter.locale, Path(letter.base_dir), tuple(signatories))
    cached = _CELLS.get(key)
    if cached is not None and cached[0] is styles:
        return cached[1]  # type: ignore[no-any-return]
    cells = _cells(letter, signatories, styles)
    memo.keep(_CELLS, key, (styles, cells), 8)
    return cells


def _cells(letter: Letter, signatories: Sequence[Signatory], styles: Styles) -> list[SignatureCell]:
    name_style = styles.address.clone("signature_name", spaceAfter=0)
    detail_style = styles.address.clone("signature_detail", fontSize=9, leading=11.5)
    loaded: dict[Path, ImageReader] = {}
    cells: list[SignatureCell] = []
    for number, s in enumerate(signatories, start=1):
        image = None
        path = None if s.withhold else signature_path(s, letter.base_dir)
        if path is not None:
            if path not in loaded:
                try:
                    # Never with the photo's metadata: the letter goes to every addressee.
                    loaded[path] = images.load(path, strip=True)
                except images.ImageError as exc:
                    raise SignatureImageError(str(exc), path, s) from exc
            image = loaded[path]
        paras = [
            styles.para(text, detail_style if index else name_style, auto=True)
            for index, text in enumerate(_markup(s, letter.locale))
        ]
        cells.append(SignatureCell(image, paras, s.name if not s.withhold else f"#{number}"))
    return cells


def signature_block(
    letter: Letter, signatories: Sequence[Signatory], styles: Styles, head: list[Flowable]
) -> list[Flowable]:
    """The signers, group by group, as grids; *head* (the closing, the note) is
    drawn above the first row."""
    groups: dict[str, list[Signatory]] = {}
    for s in signatories:
        groups.setdefault(s.group, []).append(s)
    columns = letter.signatory_columns if isinstance(letter.signatory_columns, int) else 2
    out: list[Flowable] = []
    for group, members in groups.items():
        if group:
            head.append(styles.para(xml(group), styles.group, auto=True))
        cells = signature_cells(letter, members, styles)
        out.append(SignatureGrid(cells, columns=columns, head=head, rtl=styles.rtl))
        head = []
    return out


def _height(paragraph: Paragraph, width: float) -> float:
    """A line's height at *width*; its broken lines are not kept (a long list
    holds the lines of the page being drawn only)."""
    height = float(paragraph.wrap(width, 1e6)[1])
    _rl.forget_lines(paragraph)
    return height


class SignatureGrid(Flowable):  # type: ignore[misc]
    """Signature cells in 1–3 columns, row by row, split across pages between rows."""

    def __init__(
        self,
        cells: Sequence[SignatureCell],
        columns: int = 2,
        head: Sequence[Flowable] = (),
        rtl: bool = False,
    ) -> None:
        super().__init__()
        self.cells = list(cells)
        self.columns = max(1, min(columns, 3))
        self.head = list(head)
        self.rtl = rtl
        self._width = -1.0
        self._rows: list[float] = []
        self._head_heights: list[float] = []

    # -- measuring -------------------------------------------------------------

    def column_width(self, width: float) -> float:
        return float((width - COLUMN_GAP * (self.columns - 1)) / self.columns)

    def _measure(self, width: float) -> None:
        if width != self._width:
            self._width = width
            col = self.column_width(width)
            for cell in self.cells:
                cell.heights = [_height(p, col) for p in cell.lines]
            tall = [IMAGE_HEIGHT + IMAGE_GAP + sum(c.heights) for c in self.cells]
            n = self.columns
            self._rows = [max(tall[i : i + n]) + ROW_GAP for i in range(0, len(tall), n)]
            self._head_heights = [float(f.wrap(width, 1e6)[1]) for f in self.head]

    def head_height(self) -> float:
        total = 0.0
        for i, (f, h) in enumerate(zip(self.head, self._head_heights, strict=True)):
            total += h + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0.0)
        return total

    def _body_height(self, rows: int) -> float:
        """The height of the first *rows* rows, without the space after the last."""
        return sum(self._rows[:rows]) - (ROW_GAP if rows else 0.0)

    # -- flowable protocol ---------------------------------------------------

    def getSpaceBefore(self) -> float:
        return float(self.head[0].getSpaceBefore()) if self.head else 0.0

    def getSpaceAfter(self) -> float:
        return float(ROW_GAP / 2)

    def identity(self, maxLen: int | None = None) -> str:
        first = self.cells[0].label if self.cells else "the signatory list"
        return f"the signatory entry '{first}'"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._measure(availWidth)
        self.width = availWidth
        self.height = self.head_height() + self._body_height(len(self._rows))
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._measure(availWidth)
        room = availHeight - self.head_height()
        rows = 0
        while rows < len(self._rows) and self._body_height(rows + 1) <= room + 1e-6:
            rows += 1
        if rows == len(self._rows):
            return [self]
        if rows == 0:
            if _rl.at_top(self):
                raise TooLarge(self.identity() if self.cells else "the signatory list heading")
            return []
        cut = rows * self.columns
        first = SignatureGrid(self.cells[:cut], self.columns, self.head, self.rtl)
        rest = SignatureGrid(self.cells[cut:], self.columns, (), self.rtl)
        return [first, rest]

    def draw(self) -> None:
        canvas = self.canv
        y = draw_head(canvas, self.head, self._head_heights, self.height)
        col_w = self.column_width(self.width)
        for index, cell in enumerate(self.cells):
            row, c = divmod(index, self.columns)
            slot = self.columns - 1 - c if self.rtl else c
            x = slot * (col_w + COLUMN_GAP)
            top = y - sum(self._rows[:row])
            with marking.within(canvas, marking.Within("item", owner=cell)):
                if cell.image is not None:
                    with marking.figure(canvas, cell.label):
                        self._draw_image(cell.image, x, top - IMAGE_HEIGHT, col_w)
                line_top = top - IMAGE_HEIGHT - IMAGE_GAP
                for para, h in zip(cell.lines, cell.heights, strict=True):
                    para.wrap(col_w, 1e6)
                    para.drawOn(canvas, x, line_top - h)
                    _rl.forget_lines(para)
                    line_top -= h

    def _draw_image(self, image: ImageReader, x: float, bottom: float, col_w: float) -> None:
        """The image at :data:`IMAGE_HEIGHT`, its aspect kept, on the space's
        bottom (over the name) at the cell's start edge; narrowed to the column."""
        iw, ih = image.getSize()
        w, h = IMAGE_HEIGHT * iw / ih, IMAGE_HEIGHT
        if w > col_w:
            w, h = col_w, col_w * ih / iw
        if self.rtl:
            x += col_w - w
        self.canv.drawImage(image, x, bottom, w, h, mask="auto")
