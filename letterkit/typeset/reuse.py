"""A letter's story → its own part and the part it shares with other letters.

What names the recipient (up to the salutation, with what ReportLab keeps
with it, and the addressee in the running head) is the letter's *own*
document; the rest, from where page 1 leaves it, is the *shared* document,
laid out once for every letter that leaves it the same room
(:class:`Splitter`) and joined page for page by :mod:`letterkit.pdf.splice`.
A shared part is found again by its :class:`SharedKey`: the
:class:`Fingerprint` of what it draws and the place page 1 leaves it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import BaseDocTemplate, Flowable, PageBreak

from .. import memo
from ..model import Letter, Signatory
from ..text.merge import MergedText
from . import _rl
from .addressees import cc_end_text
from .notes import NoteArea
from .pages import header_date
from .signatory_list import block_key
from .story import AnnexInfo
from .styles import LooksKey, Page, page_for, styles_key
from .tags import Tags


@dataclass(frozen=True)
class Fingerprint:
    """Everything the shared document draws comes from these (with the styles)."""

    markdown: str
    closing: str
    signatories: tuple[Signatory, ...]
    signatory_style: str
    signatory_columns: int
    signatory_block: tuple[str, ...] | None
    cc: tuple[str, ...]
    annexes: tuple[AnnexInfo, ...]
    locale: str
    looks: LooksKey
    page: Page
    header_date: str
    page_numbers: str = "always"
    #: The SHA-256 of each image of the body: the same text may name other pictures.
    images: tuple[str, ...] = ()
    #: Whether its pages are tagged (marked content and :class:`Tags`).
    tagged: bool = False

    @classmethod
    def of(
        cls,
        letter: Letter,
        merged: MergedText,
        signatories: tuple[Signatory, ...],
        annexes: tuple[AnnexInfo, ...],
        images: tuple[str, ...] = (),
        tagged: bool = False,
    ) -> Fingerprint:
        """The fingerprint of a letter's shared part."""
        loc = letter.locale
        return cls(
            markdown=merged.markdown,
            closing=merged.closing,
            signatories=signatories,
            signatory_style=letter.signatory_style,
            signatory_columns=letter.signatory_columns,
            signatory_block=block_key(letter),
            cc=(cc_end_text(letter),),
            annexes=annexes,
            locale=loc,
            looks=styles_key(letter),
            page=page_for(letter.paper),
            header_date=header_date(letter),
            page_numbers=letter.page_numbers,
            images=images,
            tagged=tagged,
        )


@dataclass(frozen=True)
class SharedKey:
    """What fixes a shared part: its fingerprint, the index (in the shared
    flowables) it starts at, and the frame of page 1 it starts in, with the
    frame's state there."""

    fingerprint: Fingerprint
    index: int
    geometry: tuple[float, float, float, float]
    state: tuple[tuple[str, Any], ...]


@dataclass
class Shared:
    """What of the letter pages does not depend on the recipient, laid out once
    for every letter whose page 1 leaves it the same room (see :class:`Splitter`):
    its pages as ReportLab wrote them, the page (0-based) of named places,
    and the codes it gave each font's characters (the letter's own part
    writes the same characters with the same codes: see
    :meth:`~letterkit.typeset.document.LetterLayout.lay_out`)."""

    key: SharedKey
    pages: int
    marks: dict[str, int]
    pdf: bytes
    fonts: _rl.FontStates = field(default_factory=dict)
    #: Its structure, when tagged (its pages' MCIDs are its own).
    tags: Tags | None = None


#: The codes a document gave each font's characters (see :mod:`letterkit.typeset._rl.fonts`).
FontStates = _rl.FontStates
agree = _rl.agree


def serving(own: _rl.FontStates, shared: _rl.FontStates) -> dict[bytes, bool]:
    """For each font both parts embed, by PostScript name, whose subsets draw
    what both draw: the own part's (True) when they grew the shared part's,
    the shared part's (False) when they hold all the own part draws. A font
    the parts gave different codes is in neither (each part keeps its own)."""
    found: dict[bytes, bool] = {}
    for name, state in own.items():
        theirs = shared.get(name)
        if theirs is None:
            continue
        if _rl.within(state, theirs):
            found[state.face] = False
        elif _rl.within(theirs, state):
            found[state.face] = True
    return found


def grown_by_stamps(shared: FontStates, stamped: list[FontStates]) -> FontStates:
    """The fonts whose subsets in the annexes' stamps hold all the shared
    pages draw with them (by construction: the stamps start from the shared
    pages' codes), with the codes there: the stamps of one annex, or of
    several that gave the font the same codes (the same subset, stored once)."""
    drawn: dict[str, list[FontStates]] = {}
    for states in stamped:
        for name in states:
            drawn.setdefault(name, []).append(states)
    grown: FontStates = {}
    for name, where in drawn.items():
        state = where[0][name]
        alike = all(states[name] == state for states in where)
        if alike and (name not in shared or _rl.within(shared[name], state)):
            grown[name] = state
    return grown


def extension(grown: _rl.FontStates) -> dict[bytes, int]:
    """The fonts of :func:`grown_by_stamps`, by PostScript name, with their
    number of subsets (what :func:`letterkit.pdf.splice.template` takes)."""
    return {state.face: len(state.subsets) for state in grown.values()}


def template_fonts(
    shared: _rl.FontStates, grown: _rl.FontStates, extended: set[bytes]
) -> _rl.FontStates:
    """The codes of the template's subsets: the shared part's, or those the
    stamps grew them to for the fonts *extended* (whose stamps' subsets the
    template keeps for both)."""
    fonts = dict(shared)
    fonts.update({name: s for name, s in grown.items() if s.face in extended})
    return fonts


#: Lays out a shared part: (its key, the flowables, the frame state to start from).
Build = Callable[[SharedKey, list[Flowable], dict[str, float]], Shared]


class Blank(Flowable):  # type: ignore[misc]
    """Nothing, taking no room: it makes a page of the own document exist (for
    its header) under a shared page."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, 0.0

    def draw(self) -> None:
        pass


#: Letter pages after the first, by what determines them (see :class:`Splitter`).
_SHARED: dict[SharedKey, Shared] = memo.table({})


class Splitter:
    """Lays out what does not depend on the recipient once, for all the letters
    that leave it the same room.

    The own document (letterhead, addresses, date, subject and salutation; the
    addressee in the running header) watches the layout of page 1. When the
    first flowable that does not depend on the recipient comes up on page 1,
    all that follows is fixed by that flowable, the frame's state and the
    shared text's *fingerprint*: together they are the key. Those flowables are
    then laid out into a document of their own, from that very place on page 1
    on (or the one made for the same key is reused), and the own document gets
    empty pages instead, to carry its header over the shared ones.
    """

    def __init__(
        self, shared: dict[int, int], fingerprint: Fingerprint, build: Build, empty: NoteArea
    ) -> None:
        self.shared = shared
        self.fingerprint = fingerprint
        self.build = build
        self.empty = empty
        self.off = False
        self.result: Shared | None = None

    def seen(self, doc: BaseDocTemplate, flowables: list[Flowable]) -> None:
        """Called before the document handles ``flowables[0]``: at the first shared
        flowable on page 1, hand it and all after it to the shared document."""
        if self.off or not flowables or _rl.is_hanging(doc, flowables) or doc.page < 1:
            return
        if doc.page > 1:  # page 1 is over: nothing is shared
            self.off = True
            return
        index = self.shared.get(id(flowables[0]))
        if index is None:
            return
        self.off = True
        notes = doc.lk_notes
        if notes.carry or notes.page or notes.placed:
            return
        state = _rl.frame_state(doc.frame)
        geometry = _rl.frame_box(doc.frame)
        key = SharedKey(self.fingerprint, index, geometry, tuple(sorted(state.items())))
        shared = _SHARED.get(key)
        if shared is None:
            shared = memo.keep(_SHARED, key, self.build(key, list(flowables), state), 8)
        self.result = shared
        flowables[:] = [PageBreak(), Blank()] * (shared.pages - 1)
        doc.lk_notes = self.empty
