"""A GFM pipe table of the body → a ReportLab table that splits between rows.

:class:`TableRows` gathers the cells (paragraph markup, already escaped) and
each column's alignment (``:---:``) while the body's tokens are read;
:func:`table_flowable` turns them into a :class:`~reportlab.platypus.Table`:
the header row bold and repeated on each page the table runs onto, light
rules above and below the header and between rows, columns as wide as their
text within the measure (a cell wraps when its column must be narrower), and
in a right-to-left letter the columns in mirrored order (the first on the
right), aligned to the right unless the delimiter row says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from typing import Literal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Table, TableStyle

from ..errors import LetterkitError
from . import marking
from .styles import RULE, Styles

Align = Literal["left", "center", "right", ""]

#: The most columns and rows a table of the body may have (LK150 past them):
#: a letter's measure holds a dozen readable columns at most, and a table of
#: more rows than this is an annex, not part of a letter.
MAX_COLUMNS = 20
MAX_ROWS = 1_000
#: The most cells: each is a paragraph, wrapped again on every page the table
#: runs onto (a thousand rows of twenty columns take ten seconds).
MAX_CELLS = 10_000
#: Room between a cell's text and its column's edges.
PAD_X, PAD_TOP, PAD_BOTTOM = 4.0, 2.5, 3.0
#: The rules: above and below the header and under the table, and between rows.
HEAVY, LIGHT = 0.8, 0.25
LIGHT_RULE = colors.Color(0.8, 0.8, 0.8)


class TableTooLarge(LetterkitError, ValueError):
    """A table with more rows or columns than a letter's table may have."""


@dataclass
class TableRows:
    """The cells of one table as its tokens are read: rows of markup, the first
    the header, and each column's alignment from the delimiter row."""

    rows: list[list[str]] = field(default_factory=list)
    aligns: list[Align] = field(default_factory=list)
    #: The notes its cells refer to, in order.
    notes: list[int] = field(default_factory=list)
    cells: int = 0

    def start_row(self) -> None:
        if len(self.rows) >= MAX_ROWS + 1:
            raise TableTooLarge(f"a table of more than {MAX_ROWS:,} rows")
        self.rows.append([])

    def cell(self, markup: str, style_attr: str) -> None:
        row = self.rows[-1]
        if len(row) >= MAX_COLUMNS:
            raise TableTooLarge(f"a table of more than {MAX_COLUMNS} columns")
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise TableTooLarge(f"a table of more than {MAX_CELLS:,} cells")
        if len(self.rows) == 1:
            align = style_attr.removeprefix("text-align:")
            self.aligns.append(align if align in ("left", "center", "right") else "")  # type: ignore[arg-type]
        row.append(markup)


_TAG = re.compile(r"<[^>]*>")


def _plain(markup: str) -> str:
    return unescape(_TAG.sub("", markup.replace("<br/>", "\n")))


def column_widths(
    rows: list[list[str]], styles: tuple[ParagraphStyle, ParagraphStyle], measure: float
) -> list[float]:
    """Each column's width: its widest line when the table fits the measure, else
    its longest word plus a share of the room left, in proportion to how much
    wider its text would like to be."""
    columns = len(rows[0])
    natural = [0.0] * columns
    least = [0.0] * columns
    for r, row in enumerate(rows):
        style = styles[0] if r == 0 else styles[1]
        for c, markup in enumerate(row):
            font, size = style.fontName, style.fontSize
            for line in _plain(markup).split("\n"):
                natural[c] = max(natural[c], stringWidth(line, font, size))
                for word in line.split():
                    least[c] = max(least[c], stringWidth(word, font, size))
    natural = [w + 2 * PAD_X + 0.5 for w in natural]
    least = [min(w + 2 * PAD_X + 0.5, measure / columns * 2) for w in least]
    if sum(natural) <= measure:
        return natural
    if sum(least) >= measure:
        return [measure * w / sum(least) for w in least]
    room = measure - sum(least)
    wish = [n - m for n, m in zip(natural, least, strict=True)]
    return [m + room * w / sum(wish) for m, w in zip(least, wish, strict=True)]


_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def _cell_style(base: ParagraphStyle, align: Align) -> ParagraphStyle:
    """A column's cell style: ``:---`` left, ``---:`` right, ``:---:`` centred, as
    written whatever the letter's direction; a column without a colon keeps the
    style's own (the start of the line: the right in a right-to-left letter)."""
    if not align:
        return base
    return base.clone(f"{base.name}-{align}", alignment=_ALIGN[align])


class LetterTable(Table):  # type: ignore[misc]
    """A table that splits between rows, and inside a row only when that row
    does not fit even on a page of its own (a cell of a thousand words)."""

    #: The height of a page's text: a table given about that much room is at
    #: the top of a page, and a row that still does not fit is split.
    lk_page = 0.0

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.splitInRow = 0
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if not parts and availHeight >= self.lk_page * 0.9:
            self.splitInRow = 1
            try:
                parts = super().split(availWidth, availHeight)
            finally:
                self.splitInRow = 0
        for part in parts:  # ReportLab makes the parts of this class, without its room
            part.lk_page = self.lk_page
            if part is not self:
                part.lk_origin = getattr(self, "lk_origin", None) or self
        return parts

    def draw(self) -> None:
        marking.table(self.canv, self)  # in a tagged letter, its cells are TH and TD
        super().draw()


def table_flowable(
    table: TableRows, styles: Styles, measure: float, page: float = 728.0
) -> Flowable:
    """The table as a ReportLab table, its header repeated when it splits."""
    columns = max(len(r) for r in table.rows)
    rows = [r + [""] * (columns - len(r)) for r in table.rows]
    aligns = table.aligns + [""] * (columns - len(table.aligns))
    head = [_cell_style(styles.table_head, a) for a in aligns]
    body = [_cell_style(styles.table_cell, a) for a in aligns]
    widths = column_widths(rows, (styles.table_head, styles.table_cell), measure)
    data = [
        [
            styles.para(markup, (head if r == 0 else body)[c], educated=True)
            for c, markup in enumerate(row)
        ]
        for r, row in enumerate(rows)
    ]
    if styles.rtl:  # the first column on the right
        data = [list(reversed(row)) for row in data]
        widths = list(reversed(widths))
    commands = [
        # The cells are paragraphs; a font named here keeps ReportLab from
        # naming its default, Helvetica, which no letter embeds.
        ("FONT", (0, 0), (-1, -1), styles.table_cell.fontName, styles.table_cell.fontSize),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
        ("LINEABOVE", (0, 0), (-1, 0), HEAVY, RULE),
        ("LINEBELOW", (0, 0), (-1, 0), HEAVY * 0.75, RULE),
        ("LINEBELOW", (0, 1), (-1, -2), LIGHT, LIGHT_RULE),
        ("LINEBELOW", (0, -1), (-1, -1), HEAVY, RULE),
    ]
    flowable = LetterTable(
        data,
        colWidths=widths,
        repeatRows=1,
        hAlign="RIGHT" if styles.rtl else "LEFT",
        style=TableStyle(commands),
        spaceBefore=2,
        spaceAfter=styles.body.spaceAfter + 2,
    )
    flowable.lk_page = page
    #: The notes to bring to the page the table ends on (see notes.wrap_references).
    flowable.lk_notes = tuple(dict.fromkeys(table.notes))
    return flowable


def with_first_rows(lead: Flowable, styles: Styles) -> Flowable:
    """Keep *lead* (a heading, the salutation: a paragraph kept with what follows)
    with a table's first rows rather than the whole table, which would move a
    table that splits to the next page and leave this one half empty: *lead*
    no longer keeps with the table, and the break returned, put before it,
    starts a new page only when *lead* and four rows do not fit."""
    lead.keepWithNext = 0
    row = styles.table_cell.leading + PAD_TOP + PAD_BOTTOM
    return CondPageBreak(lead.style.spaceBefore + 2 * lead.style.leading + 4 * row)


__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "TableRows",
    "TableTooLarge",
    "column_widths",
    "table_flowable",
    "with_first_rows",
]
