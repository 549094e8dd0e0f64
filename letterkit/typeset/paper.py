"""The paper: its size and margins, in points."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm


@dataclass(frozen=True)
class Page:
    """Paper size and margins, in points."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float

    @property
    def measure(self) -> float:
        return self.width - self.left - self.right


def page_for(paper: str) -> Page:
    """A4 with 25 mm sides and 20 mm top/bottom, or US Letter with 1 in all round."""
    if paper == "letter":
        w, h = LETTER
        return Page(w, h, inch, inch, inch, inch)
    w, h = A4
    return Page(w, h, 25 * mm, 25 * mm, 20 * mm, 20 * mm)
