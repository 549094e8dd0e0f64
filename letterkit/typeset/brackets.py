"""Paired brackets in the bidirectional algorithm (UAX #9, BD16 and rule N0).

python-bidi's pure-Python ``bidi.algorithm`` (the one that exposes levels,
which letterkit needs to keep style runs apart) resolves weak and neutral
types but has no rule N0, so "Human Rights Watch (HRW)" in an Arabic
paragraph would print as ")Human Rights Watch (HRW". :func:`resolve_brackets`
runs between its weak-type step (W1-W7) and its neutral step (N1-N2): it pairs
the brackets of each level run (BD16) and gives both brackets of a pair one
strong direction (N0), so N1 then treats them as strong letters.

The pairs come from Unicode's data: a bracket is a character of general
category Ps or Pe that is Bidi_Mirrored, and its partner is its mirroring
glyph (python-bidi's table). That is how BidiBrackets.txt is defined.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

#: Canonical equivalents that pair as the same bracket (BD16 note).
_CANONICAL = {"\u3008": "\u2329", "\u3009": "\u232a"}
#: BD16: at most this many open brackets are tracked.
_STACK_LIMIT = 63


@functools.cache
def bracket_table() -> dict[str, tuple[str, bool]]:
    """Each paired bracket -> (its partner, whether it opens)."""
    from bidi.mirror import MIRRORED

    table: dict[str, tuple[str, bool]] = {}
    for char, partner in MIRRORED.items():
        kind = unicodedata.category(char)
        if kind in ("Ps", "Pe") and unicodedata.mirrored(char):
            table[char] = (partner, kind == "Ps")
    return table


def _key(char: str) -> str:
    return _CANONICAL.get(char, char)


def bracket_pairs(chars: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """BD16: the (open, close) positions of the paired brackets of one level run,
    sorted by the opening bracket."""
    table = bracket_table()
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for index, char in enumerate(chars):
        entry = table.get(char["ch"])
        if entry is None or char["type"] != "ON":
            continue
        partner, opens = entry
        if opens:
            if len(stack) == _STACK_LIMIT:
                break
            stack.append((_key(partner), index))
            continue
        closing = _key(char["ch"])
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == closing:
                pairs.append((stack[depth][1], index))
                del stack[depth:]
                break
    return sorted(pairs)


def _strong(kind: str) -> str | None:
    """The direction a resolved type counts as in N0 (numbers count as R)."""
    if kind == "L":
        return "L"
    if kind in ("R", "AL", "EN", "AN"):
        return "R"
    return None


def _bracket_direction(
    chars: list[dict[str, Any]], pair: tuple[int, int], embedding: str, sor: str
) -> str | None:
    """N0 b-d: the direction both brackets of *pair* take, or None to leave them."""
    opening, closing = pair
    inside = {_strong(char["type"]) for char in chars[opening + 1 : closing]}
    if embedding in inside:
        return embedding
    opposite = "L" if embedding == "R" else "R"
    if opposite not in inside:
        return None
    before = sor
    for char in reversed(chars[:opening]):
        found = _strong(char["type"])
        if found is not None:
            before = found
            break
    return opposite if before == opposite else embedding


def resolve_brackets(storage: dict[str, Any]) -> None:
    """N0 on python-bidi's *storage* (after its weak types, before its neutral types):
    both brackets of each pair take the direction the rule gives, and marks
    that follow a changed bracket take it too."""
    for run in storage["runs"]:
        start, length = run["start"], run["length"]
        chars = storage["chars"][start : start + length]
        if not chars:
            continue
        embedding = "R" if chars[0]["level"] % 2 else "L"
        for pair in bracket_pairs(chars):
            direction = _bracket_direction(chars, pair, embedding, run["sor"])
            if direction is None:
                continue
            for index in pair:
                chars[index]["type"] = direction
                follow = index + 1
                while follow < len(chars) and chars[follow]["orig"] == "NSM":
                    chars[follow]["type"] = direction
                    follow += 1
