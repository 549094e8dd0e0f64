"""The spec's ``addressees`` and ``cc`` keys → how the addressees and cc lines print.

``addressees: {layout: blocks|lines, label: "To:"}`` becomes an
:class:`~letterkit.model.Addressees`; ``cc`` is either a list of lines (printed
at the end, as it always was) or ``{position: top|end, label: "Cc:", lines:
[...]}``. Wrong shapes are reported where they stand; the allowed words are
:mod:`letterkit.validate`'s to check.
"""

from __future__ import annotations

from typing import Any

from ..model import Addressees
from .fields import Reader
from .sources import Located

ADDRESSEES_KEYS = ("layout", "label")
CC_KEYS = ("position", "label", "lines")
LAYOUTS = {"blocks": "blocks", "lines": "lines"}
CC_POSITIONS = {"top": "top", "end": "end"}


def read_addressees(spec: Located, reader: Reader) -> Addressees:
    """``addressees: {layout, label}`` → :class:`Addressees` (absent: blocks, no label)."""
    data = reader.section(spec, "addressees", ADDRESSEES_KEYS)
    if data is None:
        return Addressees()
    return Addressees(
        layout=reader.word(data, "layout", "letter.addressees.layout", LAYOUTS, "blocks"),  # type: ignore[arg-type]
        label=reader.text(data, "label", "letter.addressees.label", "addressees.label"),
    )


def read_cc(spec: Located, reader: Reader) -> dict[str, Any]:
    """``cc`` → the letter's ``cc``, ``cc_position`` and ``cc_label`` fields.

    A list (or one string) is the lines, printed at the end with the locale's
    word, as before; a mapping may move them to the top and change the label.
    """
    value = spec.get("cc")
    if not isinstance(value, Located):
        return {"cc": reader.lines(spec, "cc", "letter.cc")}
    reader.mark("letter.cc", spec.where("cc"))
    reader.keys(value, CC_KEYS, "cc")
    label = None
    if value.get("label") is not None:
        label = reader.text(value, "label", "letter.cc_label", "cc.label")
    reader.mark("letter.cc_label", value.where("label"))
    lines = reader.lines(value, "lines", "letter.cc")
    if "lines" not in value:  # the lines' problems point at the mapping
        reader.mark("letter.cc", spec.where("cc"))
    return {
        "cc": lines,
        "cc_position": reader.word(value, "position", "letter.cc_position", CC_POSITIONS, "end"),
        "cc_label": label,
    }
