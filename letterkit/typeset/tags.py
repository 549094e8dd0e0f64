"""What a part of a letter draws, as logical structure → the tags of a tagged PDF.

A tagged layout records, for each document it writes (the letter's own part,
the part shared with other letters, a part of a letter in several
languages), the structure elements it drew in reading order, each holding
the marked-content sequences (``/P <</MCID n>> BDC … EMC``) of its text on
the part's pages. :mod:`letterkit.pdf.structure` writes them into the
letter's structure tree. What is no part of the text (rules, running heads,
page numbers, stamps) is drawn as an artifact and recorded nowhere.

MCIDs are numbered per page of a part from 0: the own part's page content
and the shared part's page form (drawn on the same letter page) each have
their own numbering, as PDF gives a form XObject's content a numbering of
its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mark:
    """One marked-content sequence: the page of its part (0-based) and its MCID there."""

    page: int
    mcid: int


@dataclass(frozen=True)
class LinkMark:
    """A link annotation: the page of its part (0-based) and its place in that
    page's ``/Annots`` as the part writes them."""

    page: int
    index: int


@dataclass
class Element:
    """One structure element: a standard role (``H1``, ``P``, ``L``, ``LI``,
    ``Lbl``, ``LBody``, ``Note``, ``Reference``, ``Table``, ``TR``, ``TH``,
    ``TD``, ``Figure``, ``Link``, ``Span``, ``Sect``…) and what it holds,
    in reading order."""

    role: str
    kids: list[Element | Mark | LinkMark] = field(default_factory=list)
    #: A figure's alternative text (``/Alt``).
    alt: str | None = None
    #: The language of its text, when not the document's (``/Lang``, BCP 47).
    lang: str | None = None
    #: The text it stands for, when the drawn glyphs are not it (``/ActualText``).
    actual: str | None = None
    #: A table header cell's scope: ``"Row"``, ``"Column"`` or ``"Both"``.
    scope: str | None = None
    #: An identifier unique in the letter (``/ID``): a note's, which its
    #: reference names.
    ident: str | None = None


@dataclass
class Tags:
    """A part's structure: its top elements in reading order, and for each of
    its pages how many MCIDs the page uses (0 to n-1)."""

    elements: list[Element] = field(default_factory=list)
    mcids: list[int] = field(default_factory=list)
