"""The spec's ``signatory_block`` mapping → a :class:`~letterkit.model.SignatoryBlock`.

``heading`` and ``note`` are localizable texts (``auto``, ``""`` or the text),
``size`` one word (``small`` or ``body``), ``split`` one word (``none`` or
``types``) and ``entry`` one Jinja template
for an entry. What each may be is :mod:`letterkit.validate.signatory_block`'s
to check; this reads them where they stand, so problems cite the line.
"""

from __future__ import annotations

from typing import Any, cast

from ..model import SignatoryBlock
from .fields import Reader
from .sources import Located

SIGNATORY_BLOCK_KEYS = ("heading", "note", "size", "entry", "split")
SIZES = {"small": "small", "body": "body"}
SPLITS = {"none": "none", "types": "types"}


def read_signatory_block(spec: Located, reader: Reader) -> SignatoryBlock | None:
    """The block's settings, or None when the spec leaves the key out (the block
    then prints as it did before the key existed)."""
    data = reader.section(spec, "signatory_block", SIGNATORY_BLOCK_KEYS)
    if data is None:  # left out, or not a mapping (reported)
        return None if spec.get("signatory_block") is None else SignatoryBlock()
    field = "letter.signatory_block"
    return SignatoryBlock(
        heading=_auto_text(data, "heading", reader),
        note=_auto_text(data, "note", reader),
        size=cast(Any, reader.word(data, "size", f"{field}.size", SIZES, "small")),
        entry=reader.plain(data, "entry", f"{field}.entry", ""),
        split=cast(Any, reader.word(data, "split", f"{field}.split", SPLITS, "none")),
    )


def _auto_text(data: Located, key: str, reader: Reader) -> Any:
    """``auto`` when the key is absent; ``""`` when it is empty; else the text."""
    field = f"letter.signatory_block.{key}"
    if key not in data:
        reader.mark(field, data.where(key))
        return "auto"
    if data.get(key) is None:  # `heading:` with nothing after it, as `heading: ""`
        reader.mark(field, data.where(key))
        return ""
    return reader.text(data, key, field)
