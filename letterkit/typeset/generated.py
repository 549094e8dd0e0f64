"""Letter data → annex documents letterkit makes itself, and images → pages.

* ``chronology``: the case events as a dated list, in the letter's language;
* ``signatories``: the full signatory list in columns (for letters that
  print only the count);
* a PNG or JPEG annex: one page of the letter's paper with the image fitted
  inside the margins.

Each is a small ReportLab document in the letter's styles (so it is mirrored
in a right-to-left letter) that the assembly stage appends like any PDF.
:class:`AnnexError` (why an annex cannot be used) is defined here, the first
stage that raises it; the pdf stage raises it too, for annex files.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

from .. import l10n
from ..errors import LetterkitError
from ..l10n import _
from ..model import Letter, Signatory
from . import fonts, images
from ._rl import FastCanvas
from .compose import xml
from .signatory_list import signatory_block
from .styles import Styles, page_for

#: Styles that print something else than the names: the full list prints them in columns.
SHORT = ("count", "signatures")


class AnnexError(LetterkitError):
    """Why an annex cannot be used (the message says what would fix it)."""


#: Makes the PDF of a generated annex (``"chronology"``, ``"signatories"``) or of an
#: image (its path), given the annex title and number; raises AnnexError when it cannot.
Maker = Callable[[str, str, int], bytes]


def _document(letter: Letter, story: list[Flowable]) -> bytes:
    page = page_for(letter.paper)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(page.width, page.height),
        invariant=1,
        initialFontName=fonts.SERIF,
        initialFontSize=10.5,
        creator="letterkit",
        lang=letter.locale,
    )
    frame = Frame(
        page.left, page.bottom, page.measure, page.height - page.top - page.bottom,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
    )  # fmt: skip
    doc.addPageTemplates([PageTemplate("annex", [frame])])
    doc.build(story, canvasmaker=FastCanvas)
    return buffer.getvalue()


def heading(letter: Letter, title: str, number: int, styles: Styles) -> Flowable:
    """The title line "Annex 2 – *title*", in the letter's language and first heading's style."""
    text = l10n.word(letter.locale, _("Annex {number} – {title}"), number=number, title=title)
    return styles.para(xml(text), styles.heading1, auto=True)


def chronology(letter: Letter, title: str, styles: Styles, number: int = 1) -> bytes:
    """The case events, one dated entry each, under "Annex *number* – *title*"."""
    loc = letter.locale
    story: list[Flowable] = [heading(letter, title, number, styles), Spacer(1, 2 * mm)]
    if letter.case is None:
        raise AnnexError("(chronology) lists the case's events; the letter has no case")
    events = sorted(letter.case.events, key=lambda e: e.date)
    for event in events:
        date = l10n.format_date(event.date, loc, digits=letter.digits)
        text = l10n.localize(event.text, loc)
        story.append(styles.para(f"<b>{xml(date)}</b><br/>{xml(text)}", styles.body))
    if not events:
        raise AnnexError("(chronology) has no events to list; add 'events' to the case file")
    return _document(letter, story)


def signatory_list(
    letter: Letter, signatories: Sequence[Signatory], title: str, styles: Styles, number: int = 1
) -> bytes:
    """Every signatory, in the letter's order, in columns under "Annex
    *number* – *title*"."""
    if not signatories:
        raise AnnexError("(signatories) has no signatories to list")
    # The full list is a list of names: a count or a sheet of signatures becomes columns.
    style = letter.signatory_style
    listed = replace(letter, signatory_style="columns" if style in SHORT else style)
    story: list[Flowable] = [heading(letter, title, number, styles)]
    story += signatory_block(listed, signatories, styles, {}, [], heading=False)
    return _document(letter, story)


def image_page(letter: Letter, path: Path) -> bytes:
    """One page of the letter's paper with the image centred inside the margins
    (without the photo's metadata under ``privacy: minimal``)."""
    page = page_for(letter.paper)
    try:
        image = images.load(path, strip=letter.privacy == "minimal")
    except images.ImageError as exc:
        raise AnnexError(str(exc)) from exc
    width, height = image.getSize()
    scale = min(page.measure / width, (page.height - page.top - page.bottom) / height)
    w, h = width * scale, height * scale
    buffer = io.BytesIO()
    fonts.register()
    canvas = FastCanvas(
        buffer, pagesize=(page.width, page.height), invariant=1, initialFontName=fonts.SERIF
    )
    canvas.setCreator("letterkit")
    canvas.drawImage(image, (page.width - w) / 2, (page.height - h) / 2, w, h, mask="auto")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def maker(letter: Letter, signatories: Sequence[Signatory], styles: Styles) -> Maker:
    """The function :func:`letterkit.pdf.annexes.open_annexes` calls for non-PDF annexes."""

    def make(what: str, title: str, number: int) -> bytes:
        if what == "chronology":
            return chronology(letter, title, styles, number)
        if what == "signatories":
            return signatory_list(letter, signatories, title, styles, number)
        return image_page(letter, Path(what))

    return make
