"""The spec's ``typography:`` mapping → :class:`~letterkit.model.Typography`."""

from __future__ import annotations

from ..model import Typography
from .fields import Reader
from .sources import Located

TYPOGRAPHY_KEYS = ("smart_quotes",)


def read_typography(spec: Located, reader: Reader) -> Typography:
    """``typography: {smart_quotes: false}``; unknown keys and values that are not
    true or false are reported, one problem each."""
    data = reader.section(spec, "typography", TYPOGRAPHY_KEYS)
    if data is None:
        return Typography()
    return Typography(
        smart_quotes=reader.flag(data, "smart_quotes", "letter.typography.smart_quotes", True),
    )


__all__ = ["TYPOGRAPHY_KEYS", "read_typography"]
