"""The story: what a letter says, in reading order, and where the part that
does not depend on the recipient begins."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Spacer

from letterkit.model import Dateline
from letterkit.typeset.closing import KeepClosing
from letterkit.typeset.columns import SignatoryColumns
from letterkit.typeset.story import AnnexInfo, addressee_line, dateline_text

from .typeset_parts import layout, shape


def _text(flowable: Any) -> list[str]:
    """The plain text of a flowable, one string per paragraph inside it."""
    if isinstance(flowable, Spacer):
        return []
    if isinstance(flowable, SignatoryColumns):
        return [t for f in [*flowable.head, *flowable.entries] for t in _text(f)]
    if isinstance(flowable, KeepClosing):  # the body's end, then the closing block
        return [t for f in [*flowable.tail, flowable.lead] for t in _text(f)]
    inner = getattr(flowable, "paragraph", None) or flowable
    if hasattr(inner, "getPlainText"):
        return [" ".join(inner.getPlainText().split())]
    return [t for f in getattr(flowable, "_content", []) for t in _text(f)]


def _own_and_shared(name: str, **changes: Any) -> tuple[list[str], list[str]]:
    told = layout(name, **changes).story()
    own = [t for f in told.flowables[: told.shared_from] for t in _text(f)]
    shared = [t for f in told.flowables[told.shared_from :] for t in _text(f)]
    return own, shared


def test_the_own_part_names_the_recipient_and_ends_with_the_salutation() -> None:
    own, shared = _own_and_shared("L4-via-email")
    assert own == [
        "His Excellency Example Exampleov",
        "President of the Kyrgyz Republic",
        "Office of the President",
        "Government House",
        "720003 Bishkek",
        "Kyrgyzstan",
        "Via email: office@president.example.kg, press@president.example.kg",
        "RE: Case of Temir Sample",
        "Brussels, 31 March 2020,",
        "Your Excellency,",
    ]
    assert not any("Exampleov" in t for t in shared)


def test_the_dateline_comes_first_unless_it_follows_the_subject() -> None:
    own, _ = _own_and_shared("L4-via-email", dateline=Dateline(position="before-subject"))
    assert own[-3:] == ["Brussels, 31 March 2020", "RE: Case of Temir Sample", "Your Excellency,"]


def test_the_shared_part_is_the_body_then_the_closing_and_the_signatories() -> None:
    lay = layout("L4-via-email")
    _, shared = _own_and_shared("L4-via-email")
    assert shared[0].startswith("We, the 9 undersigned organisations, write to you")
    closing = shared.index(lay.merged.closing)
    assert shared[closing + 1] == "Signatories"
    names = shared[closing + 2 :]
    assert len(names) == len(lay.signatories) == 9
    # an apostrophe prints as ’
    assert [n.split(" (")[0] for n in names] == [s.name.replace("'", "’") for s in lay.signatories]


def test_the_annex_list_follows_the_closing_and_cc_ends_the_letter() -> None:
    annexes = (AnnexInfo(1, "Chronology", 3), AnnexInfo(2, "Court ruling", 1))
    lay = layout("L4-via-email", annexes, cc=("Ms. Frederike Example",))
    told = lay.story()
    texts = [t for f in told.flowables for t in _text(f)]
    closing = texts.index(lay.merged.closing)
    assert texts[closing + 1 : closing + 5] == [
        "Annexes",
        "1. Chronology (3 pages)",
        "2. Court ruling (1 page)",
        "Signatories",
    ]
    assert texts[-1] == "cc: Ms. Frederike Example"


def test_annexes_follow_the_names_that_sign_under_the_closing() -> None:
    lay = layout("L4-via-email")
    annexes = (AnnexInfo(1, "Chronology", 3),)
    one = layout("L4-via-email", annexes, signatories=lay.letter.signatories[:1]).story()
    texts = [t for f in one.flowables for t in _text(f)]
    assert texts[-2:] == ["Annex", "1. Chronology (3 pages)"]
    assert texts[-3].startswith(lay.letter.signatories[0].name)


def test_a_single_signatory_signs_without_a_heading() -> None:
    lay = layout("L4-via-email")
    _, shared = _own_and_shared("L4-via-email", signatories=lay.letter.signatories[:1])
    assert "Signatories" not in shared
    assert shared[-1].startswith(lay.letter.signatories[0].name)


def test_the_count_style_prints_how_many_signed() -> None:
    _, shared = _own_and_shared("L4-via-email", signatory_style="count")
    assert shared[-2:] == ["Signatories", "9 organisations"]


def test_each_story_has_its_own_marks_and_notes() -> None:
    lay = layout("L4-via-email")
    first, second = lay.story(), lay.story()
    assert first.marks is not second.marks
    assert first.notes is not second.notes
    assert first.shared_from == second.shared_from == 7


def test_dateline_and_addressee_line() -> None:
    letter = shape("L4-via-email")
    assert dateline_text(letter) == "Brussels, 31 March 2020,"
    four = shape("L5-four-addressees")
    assert addressee_line(four) == (
        "Mr Donald Example, Mr Jean-Claude Sample, Ms Frederike Example, and Mr Johannes Specimen"
    )
    assert addressee_line(letter) == "His Excellency Example Exampleov"
