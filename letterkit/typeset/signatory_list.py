"""The signatory list → its flowables: heading, entries group by group, note.

Each signatory becomes one entry (:func:`signatory_markup`, or the spec's
``entry`` template, :mod:`letterkit.text.entries`), at the notes' size or the
body's; the ``numbered`` style puts the numbers right-aligned in a column as
wide as the largest one, so every entry's text starts at the same x
(mirrored in a right-to-left letter). The entries of a group flow in
:class:`~letterkit.typeset.columns.SignatoryColumns`. The heading ("Signatories",
none, or the spec's text) and the identification note follow
``signatory_block``; without it the block is the one letterkit printed
before the key existed (the note under the heading, the numbers right-aligned
before the names too).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from .. import files, l10n, memo
from ..errors import Problem, ValidationError
from ..input.sources import Source, display_path
from ..l10n import _
from ..model import Letter, Signatory, SignatoryBlock
from ..text.entries import EntryError, country_text, entry_texts, fields_used
from . import _rl, marking
from .columns import SignatoryColumns
from .compose import xml
from .labels import label_width, labelled
from .signatures import signature_block
from .styles import GREY, Styles

_AUTO = "auto"


def block_key(letter: Letter) -> tuple[str, ...] | None:
    """What of ``signatory_block`` shapes the printed list, in the letter's language
    (a part of the key of the pages letters share)."""
    block = letter.signatory_block
    if block is None:
        return None
    loc = letter.locale
    words = [l10n.localize(block.heading, loc), l10n.localize(block.note, loc)]
    return (*words, block.size, block.entry)


def signatory_markup(s: Signatory, letter: Letter, style: str, entry: str | None = None) -> str:
    """One signatory as paragraph markup: the *entry* text when the spec's template
    made one, else the style's format. ``list``: ``Name (ACRONYM, Country; note)``;
    the other styles ``Name (note)``; an organisation with ``signed_by``:
    ``Person, Title, Name (…)``; an individual's title and affiliation on a
    grey line under the name. A withheld signatory is the localized "Name withheld"."""
    loc = letter.locale
    if s.withhold:
        withheld = l10n.word(loc, _("Name withheld"))
        return f"<i>{xml(withheld)}</i>"
    if entry is not None:
        return xml(entry)
    inner = ""
    if style == "list" and (s.acronym or s.country):
        country = country_text(s.country, loc) if s.country else ""
        inner = _joined((s.acronym, country))
    if s.note:
        inner = f"{inner}; {xml(s.note)}" if inner else xml(s.note)
    text = f"{xml(s.name)} ({inner})" if inner else xml(s.name)
    if s.type == "individual":
        detail = _joined((s.title, s.affiliation))
        if detail:
            text += f'<br/><font color="{GREY.hexval()}">{detail}</font>'
    elif s.signed_by:
        text = _joined((s.signed_by, s.title), then=text)
    return text


def _joined(parts: Sequence[str], then: str = "") -> str:
    """*parts* (the empty ones left out) escaped and joined with the comma of
    their script, "،" when one of them is written in Arabic script, else ",";
    *then* (markup) after one more comma."""
    kept = [xml(t) for t in parts if t]
    arabic = any("\u0600" <= c <= "\u06ff" for t in (*kept, then) for c in t)
    return ("، " if arabic else ", ").join([*kept, then] if then else kept)


def _heading(letter: Letter, heading: bool, count: int, grouped: bool) -> str:
    """The heading's text ("" for none)."""
    block = letter.signatory_block
    wanted: Any = _AUTO if block is None else block.heading
    if not heading or wanted == "":
        return ""
    if wanted != _AUTO:
        return l10n.localize(wanted, letter.locale)
    if count == 1 and letter.signatory_style != "count" and not grouped:
        return ""  # one signatory signs under the closing, without a heading
    if letter.signatory_style == "signatures":
        return ""  # signers with their signatures sign under the closing
    return l10n.word(letter.locale, _("Signatories"))


def listed_under_heading(letter: Letter, signatories: Sequence[Signatory]) -> bool:
    """Whether the signatories are listed under a heading (rather than signing
    under the closing): what is listed between the closing and them."""
    grouped = bool(signatories) and bool(signatories[0].group)
    return bool(_heading(letter, True, len(signatories), grouped))


def _affiliated(signatories: Sequence[Signatory]) -> bool:
    return any(s.type == "individual" and s.affiliation and not s.withhold for s in signatories)


def _note(letter: Letter, signatories: Sequence[Signatory]) -> str:
    """The identification note's text ("" for none)."""
    block = letter.signatory_block
    wanted: Any = _AUTO if block is None else block.note
    if wanted == _AUTO:
        if letter.signatory_style == "count":
            return ""  # no entries: nothing to identify
        if not _affiliated(signatories):
            return ""
        if block is not None and block.entry and "affiliation" not in fields_used(block.entry):
            return ""  # the entries print no affiliation
        return l10n.word(
            letter.locale, _("Affiliations are given for identification purposes only.")
        )
    return l10n.localize(wanted, letter.locale) if wanted else ""


def _full_list(letter: Letter) -> int:
    """The number of the annex that lists every signatory (0: none)."""
    for number, annex in enumerate(letter.annexes, start=1):
        if getattr(annex, "generate", "") == "signatories":
            return number
    return 0


def signatory_block(
    letter: Letter,
    signatories: Sequence[Signatory],
    styles: Styles,
    marks: dict[str, int],
    lead_in: list[Flowable],
    heading: bool = True,
) -> list[Flowable]:
    """The closing (in *lead_in*), the heading and the signatories, group by group,
    with the identification note under the heading (no ``signatory_block``) or
    once after the last group that has an individual with an affiliation."""
    loc = letter.locale
    block = letter.signatory_block
    grouped = bool(signatories) and bool(signatories[0].group)
    title = _heading(letter, heading, len(signatories), grouped)
    head_style = styles.section if title else styles.small
    if block is not None and block.heading == "" and heading:
        head_style = _entry_style(styles, "small", "gap")  # no heading, the same space
    head: list[Flowable] = [
        *lead_in,
        styles.para(xml(title), head_style, mark=(marks, "signatories")),
    ]
    note = _note(letter, signatories)
    note_para = None
    if note and block is None:
        head.append(styles.para(xml(note), styles.small_note))
    elif note:  # under the entries it identifies
        note_para = styles.para(xml(note), _entry_style(styles, "small", "note"))
    style = letter.signatory_style
    if style == "count":
        individuals = sum(1 for s in signatories if s.type == "individual")
        count = l10n.signatory_counts(
            len(signatories) - individuals, individuals, loc, styles.digits
        )
        listed = _full_list(letter)
        if heading and listed:  # the letter's count says where the names are
            where = _("{count}; the full list is in Annex {number}")
            count = l10n.word(loc, where, count=count, number=styles.numeral(listed))
        out: list[Flowable] = [
            SignatoryColumns([styles.para(xml(count), styles.small)], [count], head=head)
        ]
        return out + ([note_para] if note_para is not None else [])
    if style == "signatures":
        signed = signature_block(letter, signatories, styles, head)
        return signed + ([note_para] if note_para is not None else [])
    columns = letter.signatory_columns if style == "columns" else 1
    runs: list[SignatoryColumns] = []
    note_after = -1
    for group, entries, labels, members in _entries(letter, tuple(signatories), styles):
        if group:
            head.append(styles.para(xml(group), styles.group, auto=True))
        # A short run stays in one piece; a long one leaves at least two rows.
        keep = len(entries) if len(entries) <= 8 else 2
        more = _continued(letter, styles, title, group, head_style)
        for repeated in more:  # an artifact in a tagged letter: it was read before
            repeated.lk_artifact = True
        # A later group that begins a page is headed "Signatories (continued)" too.
        resumed = more[:1] if runs and title and group else []
        run = SignatoryColumns(
            entries, labels, columns=columns, gap=14, head=head, min_rows=keep,
            rtl=styles.rtl, continued=more, resumed=resumed,
        )  # fmt: skip
        runs.append(run)
        if _affiliated(members):
            note_after = len(runs)
        head = []
    flowables: list[Flowable] = list(runs)
    if note_para is not None:
        if note_after >= 0:  # the note keeps to the page of the entries it identifies
            runs[note_after - 1].tail = [note_para]
        flowables.insert(note_after if note_after >= 0 else len(flowables), note_para)
    return flowables


def _continued(
    letter: Letter, styles: Styles, title: str, group: str, style: ParagraphStyle
) -> list[Flowable]:
    """What heads a list's part on a later page: "Signatories (continued)" and
    the group's heading; or, without a list heading, "Group (continued)"."""
    loc = letter.locale
    if title:
        words = l10n.word(loc, _("{heading} (continued)"), heading=title)
        more = [styles.para(xml(words), style)]
        if group:
            more.append(styles.para(xml(group), styles.group, auto=True))
        return more
    if group:
        words = l10n.word(loc, _("{heading} (continued)"), heading=group)
        return [styles.para(xml(words), styles.group, auto=True)]
    return []


class NumberedEntry(Flowable):  # type: ignore[misc]
    """ "N." right-aligned in a column of *number_width*, the entry's text beside
    it (the column on the right, its numbers' left edges aligned, when *rtl*)."""

    def __init__(
        self, number: Paragraph, text: Paragraph, number_width: float, gap: float, rtl: bool
    ) -> None:
        super().__init__()
        self.number, self.text = number, text
        self.number_width, self.gap, self.rtl = number_width, gap, rtl
        #: What the columns read of an entry: its space after.
        self.style = text.style

    def _wrap_parts(self, width: float) -> tuple[float, float]:
        text_h = self.text.wrap(width - self.number_width - self.gap, 1e6)[1]
        number_h = self.number.wrap(self.number_width, 1e6)[1]
        return float(text_h), float(number_h)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        text_h, number_h = self._wrap_parts(availWidth)
        _rl.forget_lines(self.text)  # broken again when drawn
        _rl.forget_lines(self.number)
        self.width, self.height = availWidth, max(text_h, number_h)
        return self.width, self.height

    def draw(self) -> None:
        text_h, number_h = self._wrap_parts(self.width)
        if self.rtl:
            text_x, number_x = 0.0, self.width - self.number_width
        else:
            text_x, number_x = self.number_width + self.gap, 0.0
        with marking.within(self.canv, marking.Within("item", owner=self)):
            self.number.drawOn(self.canv, number_x, self.height - number_h)  # read first
            self.text.drawOn(self.canv, text_x, self.height - text_h)
        _rl.forget_lines(self.text)
        _rl.forget_lines(self.number)


_STYLES: dict[tuple[int, str, str], tuple[Styles, ParagraphStyle]] = memo.table({})


def _entry_style(styles: Styles, size: str, kind: str) -> ParagraphStyle:
    """A style of a ``signatory_block``: *kind* ``plain`` (an entry with a hanging
    indent), ``text`` or ``number`` (the two parts of a numbered entry), at
    *size*; ``note``, the identification note under the entries; or ``gap``,
    the space that stands for a heading left out."""
    key = (id(styles), size, kind)
    cached = _STYLES.get(key)
    if cached is not None and cached[0] is styles:
        return cached[1]
    if kind in ("note", "gap"):
        style = (
            styles.small_note.clone("small_note-after", spaceBefore=4)
            if kind == "note"
            else styles.small.clone("signatories-gap", spaceBefore=styles.section.spaceBefore)
        )
        memo.keep(_STYLES, key, (styles, style), 16)
        return style
    base = styles.signatory if kind == "plain" else styles.numbered
    sized: dict[str, Any] = {}
    if size == "body":
        sized = {"fontSize": styles.body.fontSize, "leading": styles.body.leading}
    style = base.clone(f"{base.name}-{kind}-{size}", **sized)
    if kind != "plain":
        edge = TA_LEFT if styles.rtl else TA_RIGHT
        style = style.clone(
            style.name, leftIndent=0, rightIndent=0, firstLineIndent=0, bulletIndent=0,
            alignment=edge if kind == "number" else style.alignment,
        )  # fmt: skip
    memo.keep(_STYLES, key, (styles, style), 16)
    return style


_ENTRIES: dict[tuple[Any, ...], Any] = memo.table({})
Group = tuple[str, list[Flowable], list[str], list[Signatory]]


def _entries(letter: Letter, signatories: tuple[Signatory, ...], styles: Styles) -> list[Group]:
    """Each group's signatory entries as flowables, made once for all the letters
    of a bundle that share the list, the style, the language and the block."""
    style = letter.signatory_style
    block = letter.signatory_block
    shape = None if block is None else (block.size, block.entry)
    key = (id(styles), letter.locale, style, shape, signatories)
    cached = _ENTRIES.get(key)
    if cached is not None and cached[0] is styles:
        return cached[1]  # type: ignore[no-any-return]
    groups: dict[str, list[Signatory]] = {}
    for s in signatories:
        groups.setdefault(s.group, []).append(s)
    printed = [s for members in groups.values() for s in members]  # numbered in this order
    texts: list[str | None] = [None] * len(printed)
    if block is not None and block.entry:
        texts = list(_rendered(letter, block.entry, printed))
    make = _legacy_entry if block is None else _entry
    out: list[Group] = []
    number = 0
    for group, members in groups.items():
        entries: list[Flowable] = []
        labels: list[str] = []
        for s in members:
            number += 1
            entries.append(make(letter, s, number, len(printed), texts[number - 1], styles))
            labels.append(s.name if not s.withhold else f"#{number}")
        out.append((group, entries, labels, members))
    memo.keep(_ENTRIES, key, (styles, out), 8)
    return out


def _legacy_entry(
    letter: Letter, s: Signatory, number: int, total: int, text: str | None, styles: Styles
) -> Flowable:
    """An entry as printed before ``signatory_block`` existed."""
    style = letter.signatory_style
    entry_style = styles.signatory
    bullet = None
    if style == "numbered":  # the numbers' right edges on one line, the names after them
        entry_style = styles.numbered
        if not styles.rtl:  # (right to left, each number is set from the right edge)
            entry_style = labelled(
                entry_style, label_width([f"{styles.numeral(total)}."], entry_style)
            )
        bullet = f"{styles.numeral(number)}."
    return styles.para(signatory_markup(s, letter, style), entry_style, bullet=bullet, auto=True)


def _entry(
    letter: Letter, s: Signatory, number: int, total: int, text: str | None, styles: Styles
) -> Flowable:
    """An entry of a ``signatory_block``: at its size, numbered in a column."""
    block = letter.signatory_block
    size = block.size if isinstance(block, SignatoryBlock) else "small"
    markup = signatory_markup(s, letter, letter.signatory_style, text)
    if letter.signatory_style != "numbered":
        return styles.para(markup, _entry_style(styles, size, "plain"), auto=True)
    text_style = _entry_style(styles, size, "text")
    number_style = _entry_style(styles, size, "number")
    widest = stringWidth(f"{total}.", number_style.fontName, number_style.fontSize)
    return NumberedEntry(
        styles.para(xml(f"{styles.numeral(number)}."), number_style),
        styles.para(markup, text_style, auto=True),
        widest,
        0.5 * number_style.fontSize,
        styles.rtl,
    )


def _rendered(letter: Letter, template: str, signatories: Sequence[Signatory]) -> list[str]:
    """The entry template's text for each signatory, or a problem at the spec's
    ``signatory_block`` key."""
    try:
        return entry_texts(template, signatories, letter.locale)
    except EntryError as exc:
        spec = letter.inputs[0] if letter.inputs else None
        at = _key_position(spec, "signatory_block") if spec is not None else (None, None)
        shown = display_path(spec) if spec is not None else "<letter>"
        problem = Problem(shown, *at, "error", exc.code, exc.message)
        raise ValidationError([problem]) from exc


def _key_position(path: Path, key: str) -> tuple[int | None, int | None]:
    """Where a top-level *key* is written in the spec file (best effort)."""
    try:
        text = files.read_bounded(path, "spec").decode("utf-8-sig")
    except (files.Refused, OSError, UnicodeDecodeError):
        return None, None
    return Source(path, str(path), text).find_key(key)
