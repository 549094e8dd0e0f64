"""The spec's ``parts`` and ``signatories_in`` → :class:`~letterkit.model.LetterPart` s.

A letter in several languages lists its versions under ``parts``; each item
holds the spec's keys that differ in that version (its locale, template,
subject…), read with the same readers as the spec's own keys. Keys that are
the same for every part (the signatories, the annexes, the paper…) are
refused in a part with a problem saying where they belong; other unknown
keys get a "did you mean". Where a part's field was read is remembered as
``letter.parts[N].field``, so validation problems point at the part's line.
"""

from __future__ import annotations

import difflib
from typing import Any

from ..model import LetterPart
from .fields import Reader
from .parts import optional_text, read_dateline, read_template
from .sources import Located

#: The keys a part may give: what differs between the language versions.
PART_KEYS = (
    "locale", "template", "subject", "subject_prefix", "place", "salutation", "closing",
    "dateline", "variables",
)  # fmt: skip
SIGNATORIES_IN = {"last": "last", "each": "each"}


def read_signatories_in(spec: Located, reader: Reader) -> Any:
    """``last`` (the default) or ``each``; another word is kept for validation to report."""
    return reader.word(spec, "signatories_in", "letter.signatories_in", SIGNATORIES_IN, "last")


def read_parts(spec: Located, reader: Reader, spec_keys: tuple[str, ...]) -> tuple[LetterPart, ...]:
    """``parts``: a list of mappings, each a part's overrides (``{}`` for the
    spec as it stands). Anything else is reported where it stands."""
    value = spec.get("parts")
    where = reader.mark("letter.parts", spec.where("parts"))
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.error(
            where, "LK105", "'parts' must be a list of mappings, one per language version",
            "letter.parts",
        )  # fmt: skip
        return ()
    out: list[LetterPart] = []
    for index, (item, at) in enumerate(reader.items(value, where)):
        field = f"letter.parts[{index}]"
        data = reader.mapping(item, reader.mark(field, at), "parts entry", field)
        out.append(_part(data, reader, index, spec_keys) if data is not None else LetterPart())
    return tuple(out)


def _part(data: Located, reader: Reader, index: int, spec_keys: tuple[str, ...]) -> LetterPart:
    _check_keys(data, reader, spec_keys)
    places, reported = dict(reader.places), set(reader.reported)
    found: dict[str, Any] = {}
    for key in ("subject", "place"):
        if key in data:
            found[key] = reader.text(data, key, f"letter.{key}")
    for key in ("salutation", "closing"):  # "" prints none; left empty, the spec's
        if key in data:
            found[key] = optional_text(data, key, f"letter.{key}", reader)
    for key in ("locale", "subject_prefix"):
        if key in data:
            found[key] = reader.plain(data, key, f"letter.{key}")
    if "template" in data:
        found["template"] = read_template(data, reader)
    if "dateline" in data:
        found["dateline"] = read_dateline(data, reader)
    if "variables" in data:
        variables = data["variables"]
        reader.mark("letter.variables", data.where("variables"))
        if isinstance(variables, dict):
            found["variables"] = variables
        else:
            reader.error(
                data.where("variables"), "LK105", "'variables' must be a mapping",
                "letter.variables",
            )  # fmt: skip
    _relocate(reader, places, reported, f"letter.parts[{index}]")
    return LetterPart(**found)


def _check_keys(data: Located, reader: Reader, spec_keys: tuple[str, ...]) -> None:
    """A key of the spec that is the same in every part says so; any other
    unknown key gets a "did you mean"."""
    for key in data:
        if key in PART_KEYS:
            continue
        if key in spec_keys:
            reader.error(
                data.where(key), "LK103",
                f"'{key}' is the same for every part; set it once at the top of the spec, "
                f"not in a part (a part may give: {', '.join(PART_KEYS)})",
            )  # fmt: skip
            continue
        close = difflib.get_close_matches(key, PART_KEYS, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        reader.error(
            data.where(key), "LK103",
            f"unknown parts key '{key}'; {hint}known keys: {', '.join(PART_KEYS)}",
        )  # fmt: skip


def _relocate(reader: Reader, places: dict[str, Any], reported: set[str], prefix: str) -> None:
    """Move the fields a part's readers marked (``letter.subject``) under the
    part (``letter.parts[1].subject``), and put back the spec's own marks."""
    moved = {
        prefix + name.removeprefix("letter"): where
        for name, where in reader.places.items()
        if name.startswith("letter.") and places.get(name) != where
    }
    flagged = {
        prefix + name.removeprefix("letter")
        for name in reader.reported - reported
        if name.startswith("letter.")
    }
    reader.places = {**places, **moved}
    reader.reported = reported | flagged
