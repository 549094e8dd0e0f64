"""The layout object put together: the whole letter as one document, or the
letter's own document with the shared part drawn over it."""

from __future__ import annotations

import dataclasses
import io

import pytest
from pypdf import PdfReader

from letterkit.typeset.columns import TooLarge
from letterkit.typeset.story import AnnexInfo

from .typeset_parts import layout


def _texts(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_whole_letter_is_one_document() -> None:
    annexes = (AnnexInfo(1, "Chronology", 3),)
    laid = layout("L7-un-council", annexes).lay_out(reuse=False)
    assert laid.shared is None
    texts = _texts(laid.pdf)
    assert len(texts) == laid.pages == 3
    assert laid.size == pytest.approx((595.2756, 841.8898))
    assert [f"Page {n} of 3" in t for n, t in enumerate(texts, start=1)] == [True] * 3
    assert "Signatories" in texts[laid.marks["signatories"]]
    # The annex list follows the closing, on the page where the signatories begin.
    assert "1. Chronology (3 pages)" in texts[laid.marks["signatories"]]


def test_the_spliced_letter_has_the_pages_and_places_of_the_whole() -> None:
    lay = layout("L7-un-council")
    whole, spliced = lay.lay_out(reuse=False), lay.lay_out()
    shared = spliced.shared
    assert shared is not None
    assert spliced.pages == whole.pages == shared.pages
    assert spliced.marks == whole.marks == shared.marks
    # The own pages carry the letter up to the salutation and the running head;
    # the shared pages (a ReportLab PDF of their own) have the rest.
    own, rest = _texts(spliced.pdf), _texts(shared.pdf)
    assert shared.pdf.startswith(b"%PDF-")
    assert "Signatories" not in " ".join(own)
    assert "Signatories" in rest[spliced.marks["signatories"]]
    assert "Page 2 of 3" in rest[1]
    assert "Page 2 of 3" not in own[1]


def test_laying_out_again_gives_the_same_bytes() -> None:
    """The flowables serve every letter of a bundle: a layout leaves them as found."""
    lay = layout("L6-heading-count")
    assert lay.lay_out(reuse=False).pdf == lay.lay_out(reuse=False).pdf
    assert layout("L6-heading-count").lay_out(reuse=False).pdf == lay.lay_out(reuse=False).pdf


def test_a_signatory_too_large_for_any_page_is_named() -> None:
    lay = layout("L4-via-email")
    signatories = list(lay.letter.signatories)
    signatories[2] = dataclasses.replace(signatories[2], name="Enormous " * 600)
    giant = layout("L4-via-email", signatories=tuple(signatories))
    with pytest.raises(TooLarge) as info:
        giant.lay_out()
    assert "Enormous Enormous" in info.value.what
