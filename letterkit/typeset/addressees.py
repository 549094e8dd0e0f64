"""The letter's addressees and cc lines → the flowables at the top of page 1 and
the cc line at the end; the addressees in one short line for the running header.

Addressees print as address blocks (the default: name, title, organisation,
address, "Via email:", a gap between blocks) or as one line each ("H.E. Mr.
Name, Title, Organisation", no gaps, a long line wrapping with a hanging
indent). A label ("To:") stands before the first addressee and the addressees
align after it, like a memo header; cc lines at the top stand one a line under
the addressees, after their own label ("Cc:"), aligned with the addressees
when both have a label. A plain cc list prints as one line at the end.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from .. import l10n
from ..l10n import _
from ..model import Letter, Recipient
from .compose import xml
from .styles import Styles

#: The space between a label and the text after it, in points.
LABEL_GAP = 6.0
#: How far a wrapped addressee line is indented under its first line, in points.
HANG = 12.0
#: The room between two address blocks.
BLOCK_GAP = 5 * mm

#: One row of a labelled block: the label (plain text, "" none), what stands
#: after it, and the room below it.
Row = tuple[str, list[Flowable], float]


def labelled(loc: str, label: str, text: str) -> str:
    """ "cc: Name" with the locale's punctuation ("Copie : Name" in French)."""
    return l10n.word(loc, _("{label}: {text}"), label=label, text=text)


def _title_lines(title: str, style: Any, width: float) -> list[str]:
    """A long title of several offices joined by " / " → one line per office."""
    if " / " not in title or stringWidth(title, style.fontName, style.fontSize) <= width:
        return [title]
    parts = title.split(" / ")
    return [p + " /" for p in parts[:-1]] + [parts[-1]]


def _name(r: Recipient, loc: str) -> str:
    """ "Ms. Name": the honorific and the name."""
    return " ".join(t for t in (l10n.localize(r.honorific, loc), l10n.localize(r.name, loc)) if t)


def _block(r: Recipient, loc: str, styles: Styles, width: float, stand_in: bool) -> list[Flowable]:
    """One addressee's address block, line by line (*stand_in*: a group addressee
    reads "To: name")."""
    lines: list[str] = []
    name = _name(r, loc)
    if stand_in and not (r.honorific or r.title or r.organization or r.address or r.email):
        name = labelled(loc, l10n.word(loc, _("To")), name)  # a group addressee
    lines.append(name)
    title = l10n.localize(r.title, loc)
    if title:
        lines += _title_lines(title, styles.address, width)
    organization = l10n.localize(r.organization, loc)
    if organization:
        lines.append(organization)
    lines += [l10n.localize(a, loc) for a in r.address]
    block = [styles.para(xml(line), styles.address, auto=True) for line in lines]
    if r.email:
        via = l10n.word(loc, _("Via email"))
        block.append(styles.para(xml(labelled(loc, via, r.email)), styles.address, auto=True))
    return block


def recipient_block(letter: Letter, styles: Styles, width: float) -> list[Flowable]:
    """One address block per addressee, each kept on one page."""
    out: list[Flowable] = []
    for index, r in enumerate(letter.recipients):
        if index:
            out.append(Spacer(1, BLOCK_GAP))
        out.append(KeepTogether(_block(r, letter.locale, styles, width, stand_in=True)))
    return out


def recipient_line(r: Recipient, loc: str) -> str:
    """ "H.E. Mr. Name, Title, Organisation": one addressee on one line (no address)."""
    parts = [_name(r, loc), l10n.localize(r.title, loc), l10n.localize(r.organization, loc)]
    return (l10n.comma(loc) + " ").join(p for p in parts if p)


def cc_label(letter: Letter) -> str:
    """The label of the cc lines: the spec's, or the locale's word ("cc:")."""
    loc = letter.locale
    if letter.cc_label is None:
        return labelled(loc, l10n.word(loc, _("cc")), "").strip()
    return l10n.localize(letter.cc_label, loc)


def cc_end_text(letter: Letter) -> str:
    """The cc line printed at the end ("cc: A; B"), or "" when there is none there."""
    if not letter.cc or letter.cc_position == "top":
        return ""
    loc = letter.locale
    cc = "; ".join(l10n.localize(c, loc) for c in letter.cc)
    if letter.cc_label is None:
        return labelled(loc, l10n.word(loc, _("cc")), cc)
    label = l10n.localize(letter.cc_label, loc)
    return f"{label} {cc}" if label else cc


def cc_end(letter: Letter, styles: Styles) -> list[Flowable]:
    """The cc line after the signatories, when the cc lines print at the end."""
    text = cc_end_text(letter)
    if not text:
        return []
    return [Spacer(1, 4 * mm), styles.para(xml(text), styles.small)]


def top_block(letter: Letter, styles: Styles, width: float) -> list[Flowable]:
    """What stands above the dateline: the addressees (blocks or lines, after
    their label) and, when they print at the top, the cc lines."""
    shape = letter.addressees
    loc = letter.locale
    label = l10n.localize(shape.label, loc)
    cc_rows: list[Row] = []
    if letter.cc and letter.cc_position == "top":
        first = cc_label(letter)
        for index, c in enumerate(letter.cc):
            cc_rows.append((first if index == 0 else "", [_line(styles, c, loc)], 0.0))
    if shape.layout == "blocks" and not label:
        out = recipient_block(letter, styles, width)
        if cc_rows:
            if out:
                out.append(Spacer(1, BLOCK_GAP))
            out += _labelled_rows(cc_rows, styles, width)
        return out
    rows: list[Row] = []
    inner = width - _column([label, *(shown for shown, _f, _g in cc_rows)], styles, width)
    for index, r in enumerate(letter.recipients):
        shown = label if index == 0 else ""
        if shape.layout == "lines":
            rows.append((shown, [_line(styles, recipient_line(r, loc), loc)], 0.0))
        else:
            gap = BLOCK_GAP if index < len(letter.recipients) - 1 or cc_rows else 0.0
            rows.append((shown, _block(r, loc, styles, inner, stand_in=False), gap))
    if not label:  # addressees at the left edge; the cc lines after their own label
        return _labelled_rows(rows, styles, width) + _labelled_rows(cc_rows, styles, width)
    return _labelled_rows(rows + cc_rows, styles, width)


def _line(styles: Styles, text: Any, loc: str) -> Flowable:
    """One addressee or cc line; a wrapped line hangs under its first line."""
    style = styles.address
    if styles.rtl:  # hanging at the right (see LKParagraph)
        style = style.clone("address-line", rightIndent=HANG, firstLineIndent=-HANG)
    else:
        style = style.clone("address-line", leftIndent=HANG, firstLineIndent=-HANG)
    return styles.para(xml(l10n.localize(text, loc)), style, auto=True)


def _column(labels: list[str], styles: Styles, width: float) -> float:
    """The width of the label column: the widest label and the gap after it (at
    most a third of the measure); 0 when there is no label."""
    style = styles.address
    widths = [stringWidth(label, style.fontName, style.fontSize) for label in labels]
    return min(max(widths), width / 3) + LABEL_GAP if any(widths) else 0.0


def _labelled_rows(rows: list[Row], styles: Styles, width: float) -> list[Flowable]:
    """Rows of (label, flowables, room below) → the labels in a column of their
    own and the text aligned after the widest (a table without padding, so the
    lines stand one leading apart); no column when no row has a label."""
    if not rows:
        return []
    style = styles.address
    column = _column([label for label, _f, _g in rows], styles, width)
    if not column:
        out: list[Flowable] = []
        for _label, flowables, gap in rows:
            out += flowables
            if gap:
                out.append(Spacer(1, gap))
        return out
    data: list[list[Any]] = []
    commands: list[Any] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        # the table sets its cells' font as it draws them: the letter's, not Helvetica
        ("FONT", (0, 0), (-1, -1), style.fontName, style.fontSize, style.leading),
        *((side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
    for index, (label, flowables, gap) in enumerate(rows):
        cell: list[Flowable] = [styles.para(xml(label), style, auto=True)] if label else []
        data.append([flowables, cell] if styles.rtl else [cell, flowables])
        if gap:
            commands.append(("BOTTOMPADDING", (0, index), (-1, index), gap))
    columns = [width - column, column] if styles.rtl else [column, width - column]
    table = Table(data, colWidths=columns, style=TableStyle(commands), hAlign="LEFT")
    return [table]


def addressee_line(letter: Letter) -> str:
    """Who the letter is to, in one short line (for the continuation header):
    the addressees' names, never a cc line; "" when there is no addressee."""
    loc = letter.locale
    names = [_name(r, loc) for r in letter.recipients]
    return l10n.join_list(names, loc) if names else ""
