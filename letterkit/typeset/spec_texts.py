"""A letter → the texts of its spec that the PDF draws, each with the key it is written under.

The checks that must trace a character or a word back to the spec
(:mod:`.glyphs`: a character no font has; :mod:`.bounds`: a word too long to
lay out) walk these; the template's text and the signatories' rows are
theirs to add.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import l10n
from ..model import Letter


def spec_texts(letter: Letter) -> Iterator[tuple[str, str, str]]:
    """(top-level key, label, text) for each text of the spec the PDF draws, in
    the letter's language."""
    loc = letter.locale
    yield "place", "place", l10n.localize(letter.place, loc)
    if letter.sender:
        yield "sender", "sender.name", l10n.localize(letter.sender.name, loc)
        for line in letter.sender.address:
            yield "sender", "sender.address", l10n.localize(line, loc)
        yield "sender", "sender.email", letter.sender.email
    for r in letter.recipients:
        for name, value in (
            ("honorific", r.honorific),
            ("name", r.name),
            ("title", r.title),
            ("organization", r.organization),
        ):
            yield "recipients", f"recipient {name}", l10n.localize(value, loc)
        for line in r.address:
            yield "recipients", "recipient address", l10n.localize(line, loc)
        yield "recipients", "recipient email", r.email
    block = letter.signatory_block
    if block is not None:  # the heading, the note and the entry template's own words
        words = (l10n.localize(block.heading, loc), l10n.localize(block.note, loc), block.entry)
        yield "signatory_block", "signatory_block", " ".join(words)
    for c in letter.cc:
        yield "cc", "cc", l10n.localize(c, loc)
    yield "addressees", "addressees label", l10n.localize(letter.addressees.label, loc)
    if letter.cc_label is not None:
        yield "cc", "cc label", l10n.localize(letter.cc_label, loc)
    for a in letter.annexes:
        yield "annexes", "annex title", l10n.localize(a.title, loc)


__all__ = ["spec_texts"]
