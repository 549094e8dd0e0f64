"""The shared part: what it is made from (its fingerprint), and that letters
which leave it the same room on page 1 are given the very same one."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from letterkit.model import Dateline, SignatoryBlock
from letterkit.typeset.reuse import Fingerprint, SharedKey
from letterkit.typeset.story import AnnexInfo

from .typeset_parts import layout, shape

LETTER = shape("L4-via-email")
BASE = layout("L4-via-email")


def _fingerprint(**changes: Any) -> Fingerprint:
    merged = BASE.merged
    for name in ("markdown", "closing"):
        if name in changes:
            merged = dataclasses.replace(merged, **{name: changes.pop(name)})
    signatories = changes.pop("signatories", BASE.signatories)
    annexes = changes.pop("annexes", BASE.annexes)
    images = changes.pop("images", ())
    tagged = changes.pop("tagged", False)
    letter = dataclasses.replace(LETTER, **changes)
    return Fingerprint.of(letter, merged, signatories, annexes, images, tagged)


#: For each field of the fingerprint, a change of the letter that changes it.
CHANGES: dict[str, dict[str, Any]] = {
    "markdown": {"markdown": BASE.merged.markdown + "\n\nOne more paragraph.\n"},
    "closing": {"closing": "Yours faithfully,"},
    "signatories": {"signatories": BASE.signatories[:-1]},
    "signatory_style": {"signatory_style": "list"},
    "signatory_columns": {"signatory_columns": 3},
    "signatory_block": {"signatory_block": SignatoryBlock(heading="")},
    "cc": {"cc": ("Ms. Frederike Example",)},
    "annexes": {"annexes": (AnnexInfo(1, "Chronology", 3),)},
    "locale": {"locale": "en-US"},
    "looks": {"justify": True},
    "page": {"paper": "letter"},
    "header_date": {"date": dt.date(2020, 4, 1)},
    "page_numbers": {"page_numbers": "never"},
    "images": {"images": ("0" * 64,)},
    "tagged": {"tagged": True},
}


def test_every_field_of_the_fingerprint_is_covered() -> None:
    assert set(CHANGES) == {f.name for f in dataclasses.fields(Fingerprint)}


@pytest.mark.parametrize("field", list(CHANGES))
def test_the_fingerprint_changes_with_each_input(field: str) -> None:
    base, changed = _fingerprint(), _fingerprint(**CHANGES[field])
    assert changed != base
    assert getattr(changed, field) != getattr(base, field)
    # Another language also writes the date in its words, and has its own
    # quotation marks and hyphenation (the styles).
    also = {"locale": {"header_date", "looks"}}.get(field, set())
    others = [f.name for f in dataclasses.fields(Fingerprint) if f.name not in {field, *also}]
    assert [n for n in others if getattr(changed, n) != getattr(base, n)] == []


def test_the_date_format_changes_the_fingerprint() -> None:
    changed = _fingerprint(dateline=Dateline(position="after-subject", format="short"))
    assert changed.header_date != _fingerprint().header_date


def test_the_recipient_is_not_part_of_the_fingerprint() -> None:
    other = dataclasses.replace(LETTER.recipients[0], name="Other Person", email="")
    assert _fingerprint(recipients=(other,)) == _fingerprint()
    assert hash(_fingerprint(recipients=(other,))) == hash(_fingerprint())


def test_keys_are_equal_when_made_from_equal_parts() -> None:
    state = (("_atTop", 0), ("_y", 500.0))
    one = SharedKey(_fingerprint(), 0, (70.0, 56.0, 450.0, 720.0), state)
    two = SharedKey(_fingerprint(), 0, (70.0, 56.0, 450.0, 720.0), state)
    assert one == two
    assert hash(one) == hash(two)
    assert one != dataclasses.replace(two, state=(("_atTop", 0), ("_y", 499.0)))


def test_letters_that_leave_the_same_room_share_one_part() -> None:
    recipient = LETTER.recipients[0]
    first = layout(LETTER, recipients=(dataclasses.replace(recipient, name="Sample Samplev"),))
    second = layout(LETTER, recipients=(dataclasses.replace(recipient, name="Other Otherov"),))
    one, two = first.lay_out(), second.lay_out()
    assert one.shared is not None
    assert two.shared is one.shared
    assert one.pdf != two.pdf  # each has its own page 1


def test_a_longer_address_moves_the_shared_part_and_makes_another() -> None:
    recipient = LETTER.recipients[0]
    longer = dataclasses.replace(recipient, address=(*recipient.address, "Room 12"))
    one = layout(LETTER).lay_out().shared
    two = layout(LETTER, recipients=(longer,)).lay_out().shared
    assert one is not None
    assert two is not None
    assert one.key.fingerprint == two.key.fingerprint
    assert one.key.index == two.key.index == 0
    assert dict(two.key.state)["_y"] < dict(one.key.state)["_y"]
    assert two is not one
