"""How the addressees and cc lines print: the layout and position words, the labels.

The labels' texts (a string or ``{locale: text}``) are checked with the other
localizable texts in :mod:`.texts`.
"""

from __future__ import annotations

from ..model import AddresseeLayout, Addressees, CcPosition, Letter
from ._check import Check, literal


def addressees(letter: Letter, check: Check) -> None:
    """``addressees`` is an :class:`Addressees` with a known layout; ``cc_position``
    is top or end."""
    shape = letter.addressees
    if not isinstance(shape, Addressees):
        check.error(
            "letter.addressees", "LK105", "'addressees' must be an Addressees(layout, label)"
        )
    else:
        _word(check, "letter.addressees.layout", "layout", shape.layout, literal(AddresseeLayout))
    _word(check, "letter.cc_position", "position", letter.cc_position, literal(CcPosition))


def _word(check: Check, path: str, key: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        check.error(path, "LK105", f"'{key}' must be one of {', '.join(allowed)}, not '{value}'")


def label_texts(letter: Letter) -> list[tuple[str, str, object]]:
    """The labels as localizable texts: (field, label, value)."""
    out: list[tuple[str, str, object]] = []
    if isinstance(letter.addressees, Addressees):
        out.append(("letter.addressees.label", "label", letter.addressees.label))
    if letter.cc_label is not None:
        out.append(("letter.cc_label", "label", letter.cc_label))
    return out
