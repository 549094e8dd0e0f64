"""The spec's ``typography:`` mapping → :class:`~letterkit.model.Typography`."""

from __future__ import annotations

from ..model import Typography
from .fields import Reader
from .sources import Located

TYPOGRAPHY_KEYS = ("smart_quotes",)
#: What a switch written in place of the mapping says.
_SWITCHES = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def read_typography(spec: Located, reader: Reader) -> Typography:
    """``typography: {smart_quotes: false}``; unknown keys and values that are not
    true or false are reported, one problem each."""
    switch = _SWITCHES.get(str(spec.get("typography")).lower())
    if switch is not None:  # the likely slip: a switch where a mapping goes
        reader.error(
            spec.where("typography"), "LK105",
            f"'typography' must be a mapping; write 'typography: {{smart_quotes: "
            f"{str(switch).lower()}}}' to {'keep' if switch else 'turn off'} the "
            "language's quotation marks",
            "letter.typography",
        )  # fmt: skip
        return Typography()
    data = reader.section(spec, "typography", TYPOGRAPHY_KEYS)
    if data is None:
        return Typography()
    return Typography(
        smart_quotes=reader.flag(data, "smart_quotes", "letter.typography.smart_quotes", True),
    )


__all__ = ["TYPOGRAPHY_KEYS", "read_typography"]
