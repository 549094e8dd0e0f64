"""The laid-out parts of a letter in several languages + its annexes → one PDF.

Each part was laid out as a letter of its own (its language, its "Page X of
Y"); here their pages are put one after the other, then the annexes once.
The outline has one entry per part, titled with the part's subject (or its
word for "Letter") in its language, with the part's "Signatories" under it
when the part prints them; then one entry per annex. Page labels count
within each part, prefixed with the part's number (``1-1``, ``1-2``,
``2-1``…), and ``A1-1``… for the annexes. The document's language, its
metadata and the annexes' stamps and titles follow the first part (the spec
as it stands). A tagged letter's structure tree holds each part's elements
in a ``Sect`` in the part's language, in the parts' order. The bytes are joined as for one letter
(:mod:`letterkit.pdf.splice`), so the same parts give the same PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pypdf import PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import NameObject, TextStringObject

from .. import l10n, memo
from ..l10n import _
from ..model import Letter
from ..typeset.document import LaidOut
from ..typeset.story import AnnexInfo
from ..typeset.styles import Styles, styles_key
from ..typeset.tags import Tags
from . import archive, splice, structure
from ._pypdf import write_classic
from .annexes import OpenAnnex, pypdf_messages
from .assemble import annex_entry, append_annex, information

__all__ = ["PartPages", "assemble_parts", "listed_annexes"]


@dataclass(frozen=True)
class PartPages:
    """One part as laid out: the letter it prints, its pages and its subject."""

    letter: Letter
    laid: LaidOut
    subject: str


def listed_annexes(annexes: Sequence[OpenAnnex], loc: str) -> list[AnnexInfo]:
    """The annex list of a part in language *loc*: each title in that language
    (a generated annex's title is the part's word for it)."""
    out = []
    for item in annexes:
        title = item.title
        if item.annex.title:
            title = l10n.localize(item.annex.title, loc)
        elif item.annex.generate == "chronology":
            title = l10n.word(loc, _("Chronology"))
        elif item.annex.generate == "signatories":
            title = l10n.word(loc, _("Signatories"))
        out.append(AnnexInfo(item.number, title, len(item.pages)))
    return out


#: The skeletons made in this process: the letters of a bundle in several
#: languages share theirs when their parts have the same pages.
_SKELETONS: dict[tuple[Any, ...], tuple[tuple[Any, ...], splice.Template]] = memo.table({})


def assemble_parts(
    parts: Sequence[PartPages], annexes: Sequence[OpenAnnex], styles: Styles
) -> bytes:
    """Join the parts' pages, then the annexes, into one PDF; return its bytes.

    *styles* are the first part's (the annexes' stamps are drawn with them).
    """
    first = parts[0]
    key = (
        tuple((p.laid.pages, p.laid.size, p.laid.marks.get("signatories"), p.subject,
               p.letter.locale) for p in parts),
        styles_key(first.letter),
        first.letter.archive,
        tuple((id(a.reader), tuple(a.pages), a.number, a.title, a.annex.stamp, a.annex.path)
              for a in annexes),
    )  # fmt: skip
    made_from = tuple(a.reader for a in annexes)  # kept, so that their id()s stay theirs
    cached = _SKELETONS.get(key)
    if cached is not None and all(a is b for a, b in zip(cached[0], made_from, strict=True)):
        tmpl = cached[1]
    else:
        with pypdf_messages():
            skeleton = _skeleton(parts, annexes, styles)
            archived = first.letter.archive is not None
            tags = structure.shared_tags(first.letter, None)
            tmpl = splice.template(skeleton, _pages(parts), None, metadata=archived, tags=tags)
        memo.keep(_SKELETONS, key, (made_from, tmpl), 4)
    own = splice.read(_concatenated(parts))
    splice.name_subsets(own)
    info = information(first.letter, first.subject)
    languages = [p.letter.locale for p in parts]
    xmp = archive.metadata(first.letter, info, annexes, tmpl.tagged, languages)
    return splice.join(tmpl, own, info, metadata=xmp, tags=_tags(parts))


def _tags(parts: Sequence[PartPages]) -> Tags:
    """The parts' structure, one after the other, each part's in its language."""
    return structure.combined(
        [(structure.tags_of(p.laid) or Tags(), p.laid.pages, p.letter.locale) for p in parts]
    )


def _pages(parts: Sequence[PartPages]) -> int:
    return sum(p.laid.pages for p in parts)


def _concatenated(parts: Sequence[PartPages]) -> bytes:
    """The parts' own pages as one document, in order."""
    return splice.concatenate([splice.read(part.laid.pdf) for part in parts])


def _skeleton(parts: Sequence[PartPages], annexes: Sequence[OpenAnnex], styles: Styles) -> bytes:
    """Blank pages for the parts, the annexes after them, the outline, the page
    labels and the catalogue (see :func:`letterkit.pdf.splice.template`)."""
    writer = PdfWriter()
    for part in parts:
        for _page in range(part.laid.pages):
            writer.add_blank_page(*part.laid.size)
    start = 0
    for number, part in enumerate(parts, start=1):
        loc = part.letter.locale
        title = part.subject or l10n.word(loc, _("Letter"))
        entry = writer.add_outline_item(title=title, page_number=start)
        if "signatories" in part.laid.marks:
            writer.add_outline_item(
                title=l10n.word(loc, _("Signatories")),
                page_number=start + part.laid.marks["signatories"],
                parent=entry,
            )
        end = start + part.laid.pages - 1
        writer.set_page_label(start, end, style=PageLabelStyle.DECIMAL, prefix=f"{number}-")
        start = end + 1
    loc = parts[0].letter.locale
    for item in annexes:
        at = len(writer.pages)
        append_annex(writer, item, annex_entry(item, loc, styles), loc, styles)
        writer.set_page_label(
            at, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, prefix=f"A{item.number}-"
        )
    writer.root_object[NameObject("/Lang")] = TextStringObject(loc)
    writer.page_mode = "/UseOutlines"
    archive.output_intent(writer, parts[0].letter)
    return write_classic(writer)
