"""Letters taken to the layout stage, for the typeset unit tests: a shape
letter loaded, merged and composed as the pipeline does it."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import letterkit
from letterkit.input.signatories import ordered
from letterkit.model import Letter
from letterkit.text.merge import merge
from letterkit.typeset.compose import compose
from letterkit.typeset.document import LetterLayout
from letterkit.typeset.story import AnnexInfo
from letterkit.typeset.styles import styles_for

SHAPES = Path(__file__).resolve().parents[2] / "examples" / "shapes"


@functools.cache
def shape(name: str) -> Letter:
    """A letter of examples/shapes, loaded once."""
    return letterkit.load_letter(SHAPES / f"{name}.yaml")


def layout(letter: Letter | str, annexes: Sequence[AnnexInfo] = (), **changes: Any) -> LetterLayout:
    """The layout of *letter* (a shape's name, or a letter), with *changes*
    made to it, as the pipeline would make it."""
    if isinstance(letter, str):
        letter = shape(letter)
    letter = dataclasses.replace(letter, **changes)
    signatories = ordered(
        letter.signatories, letter.signatory_order, letter.collation, letter.locale
    )
    styles = styles_for(letter)
    infos = [{"number": a.number, "title": a.title, "pages": a.pages} for a in annexes]
    merged = merge(letter, signatories, infos, "letter.yaml")
    body = compose(merged.markdown, styles)
    return LetterLayout(letter, merged, body, signatories, annexes, styles)
