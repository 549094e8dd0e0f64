"""Page furniture: the frames the text flows into, the letterhead, the running
head and the "Page X of Y" foot, each made without laying out a letter."""

from __future__ import annotations

import dataclasses
import io

import pytest
from pypdf import PdfReader
from reportlab.lib.units import inch, mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, PageBreak, Spacer

from letterkit.model import Sender
from letterkit.typeset import fonts
from letterkit.typeset._rl import frame_box
from letterkit.typeset.columns import TooLarge
from letterkit.typeset.pages import PageFurniture, fit_text
from letterkit.typeset.styles import page_for, styles_for

from .typeset_parts import shape


def _furniture(name: str, **changes: object) -> PageFurniture:
    letter = dataclasses.replace(shape(name), **changes)
    return PageFurniture(letter, styles_for(letter), page_for(letter.paper))


def test_without_a_letterhead_page_one_has_the_room_of_the_others() -> None:
    furniture = _furniture("L4-via-email")
    page = furniture.page
    assert furniture.letterhead.height == 0
    assert frame_box(furniture.first_frame()) == frame_box(furniture.later_frame())
    assert frame_box(furniture.later_frame()) == pytest.approx(
        (25 * mm, 20 * mm, page.width - 50 * mm, page.height - 40 * mm)
    )


def test_page_one_text_starts_below_the_letterhead() -> None:
    furniture = _furniture("L10-letterhead")
    page = furniture.page
    head = furniture.letterhead.height
    assert 16 * mm < head < page.height / 3  # the logo is 16 mm high, and the rule below
    x, y, width, height = frame_box(furniture.first_frame())
    assert (x, y, width) == pytest.approx((page.left, page.bottom, page.measure))
    assert y + height == pytest.approx(page.height - page.top - head - 6 * mm)
    assert frame_box(furniture.later_frame())[3] - height == pytest.approx(head + 6 * mm)


def test_us_letter_frames_have_inch_margins() -> None:
    furniture = _furniture("L4-via-email", paper="letter")
    assert frame_box(furniture.later_frame()) == pytest.approx(
        (inch, inch, 8.5 * inch - 2 * inch, 11 * inch - 2 * inch)
    )


def test_a_letterhead_taller_than_a_third_of_the_page_is_refused() -> None:
    sender = Sender(name="Example", address=tuple(f"Line {i}" for i in range(400)))
    with pytest.raises(TooLarge) as info:
        _furniture("L4-via-email", sender=sender)
    assert "letterhead" in info.value.what


def _pages(furniture: PageFurniture, own: bool, shared: bool = False) -> list[str]:
    """The text of a three-page document with *furniture*'s own or shared pages."""
    fonts.register()
    page, buffer = furniture.page, io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=(page.width, page.height), invariant=1)
    if own:
        doc.addPageTemplates(furniture.own_templates(lambda: shared))
        canvas = furniture.own_canvas(lambda: shared)
    else:
        doc.addPageTemplates(furniture.shared_templates())
        canvas = furniture.shared_canvas()
    doc.build([Spacer(1, 1), PageBreak(), Spacer(1, 1), PageBreak(), Spacer(1, 1)],
              canvasmaker=canvas)  # fmt: skip
    return [p.extract_text() for p in PdfReader(io.BytesIO(buffer.getvalue())).pages]


def test_every_page_says_which_of_how_many_it_is() -> None:
    texts = _pages(_furniture("L4-via-email"), own=True)
    assert len(texts) == 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of 3" in text
    assert "Exampleov" not in texts[0]  # page 1 has the letterhead, not the running head
    for number in (2, 3):
        assert "His Excellency Example Exampleov" in texts[number - 1]
        assert "31\u00a0March 2020" in texts[number - 1]
        assert texts[number - 1].count(f"Page {number} of 3") == 1
        assert "·" not in texts[number - 1]  # the number once: in the foot, not the head


def test_own_pages_under_shared_ones_carry_only_the_addressee() -> None:
    texts = _pages(_furniture("L4-via-email"), own=True, shared=True)
    assert not any("Page" in t or "March" in t for t in texts)
    assert all("Exampleov" in t for t in texts[1:])


def test_shared_pages_carry_the_date_and_the_foot_but_not_the_addressee() -> None:
    texts = _pages(_furniture("L4-via-email"), own=False)
    assert "31\u00a0March 2020" in texts[1]
    assert "31 March 2020 · 2" not in " ".join(texts[1].split())
    assert "Page 3 of 3" in texts[2]
    assert not any("Exampleov" in t for t in texts)


def test_page_words_are_in_the_letters_language() -> None:
    texts = _pages(_furniture("L4-via-email", locale="fr"), own=True)
    assert "Page 2 sur 3" in texts[1]
    assert "31\u00a0mars 2020" in texts[1]


def test_a_long_addressee_is_cut_to_the_room_with_an_ellipsis() -> None:
    fonts.register()
    text = "Ms. Frederike Example, Mr. Johannes Specimen and Dr. Claude Sample"
    cut = fit_text(text, fonts.SANS, 8, 100)
    assert cut.endswith("…")
    assert text.startswith(cut[:-1])
    assert stringWidth(cut, fonts.SANS, 8) <= 100
    assert fit_text("Short", fonts.SANS, 8, 100) == "Short"


def test_fit_text_cuts_a_long_line_quickly_to_the_longest_prefix_that_fits() -> None:
    """The header names every addressee: a line of hundreds of names is cut in a few
    measurements, to the longest prefix that fits with its ellipsis."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from letterkit.typeset import fonts
    from letterkit.typeset.pages import fit_text
    from letterkit.typeset.styles import SANS

    from ..conftest import within

    fonts.register()
    line = ", ".join(f"H.E. Mr. Person {n}" for n in range(3000))
    cut = within(2, lambda: fit_text(line, SANS, 8, 200))
    assert cut.endswith("…")
    assert stringWidth(cut, SANS, 8) <= 200
    kept = cut[:-1]
    assert line.startswith(kept)
    assert line[len(kept)] in " ,"  # cut at the end of a word
    rest = line[len(kept) :].lstrip(", ")
    longer = line[: len(line) - len(rest)] + rest.split(" ")[0] + "…"  # one more word is too wide
    assert stringWidth(longer, SANS, 8) > 200
