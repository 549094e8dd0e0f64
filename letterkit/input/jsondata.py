"""JSON text → located data, token by token, within a :class:`~letterkit.input.budget.Budget`.

The parser keeps its own stack instead of recursing, so deep nesting is a
problem at its place rather than a ``RecursionError``, and it counts every
value as it goes, so a huge list stops at the budget (or, for a table, just
past its row limit) instead of being built whole first. Every key and item
gets its exact line and column. It accepts what :func:`json.loads` accepts
(``NaN`` and ``Infinity`` included); a later duplicate key wins, as there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from json import decoder
from typing import Any, cast

from .budget import CONTAINER, MAX_DIGITS, Budget, DataError
from .sources import Located, LocatedList, Pos, Source

#: The JSON string reader of the standard library (its C version where there is one).
_scanstring = cast(Callable[[str, int, bool], tuple[str, int]], decoder.scanstring)  # type: ignore[attr-defined]
_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_WORDS: tuple[tuple[str, Any], ...] = (
    ("true", True),
    ("false", False),
    ("null", None),
    ("NaN", float("nan")),
    ("Infinity", float("inf")),
    ("-Infinity", float("-inf")),
)


class _Lines:
    """Offsets in the text → (line, column), counted forward from the last offset asked."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1
        self.start = 0

    def pos(self, offset: int) -> Pos:
        if offset < self.offset:
            self.offset, self.line, self.start = 0, 1, 0
        newlines = self.text.count("\n", self.offset, offset)
        if newlines:
            self.line += newlines
            self.start = self.text.rfind("\n", self.offset, offset) + 1
        self.offset = offset
        return self.line, offset - self.start + 1


def parse_json(src: Source, budget: Budget) -> Any:
    """The JSON text of *src* → located data; :class:`DataError` where it is invalid."""
    return _Parser(src, budget).parse()


class _Parser:
    def __init__(self, src: Source, budget: Budget) -> None:
        self.src = src
        self.text = src.text
        self.budget = budget
        self.lines = _Lines(src.text)

    def fail(self, offset: int, message: str) -> DataError:
        return DataError(self.lines.pos(offset), message)

    def skip(self, offset: int) -> int:
        match = _SPACE.match(self.text, offset)
        return match.end() if match else offset

    def parse(self) -> Any:
        """The one value of the text (or of a table: its first rows past the limit)."""
        text = self.text
        # Open containers: [container, pending key, its position]
        stack: list[list[Any]] = []
        at = self.skip(0)
        while True:
            pos = self.lines.pos(at)
            opener = text[at : at + 1]
            if opener in ("{", "["):
                self.budget.spend(pos, len(stack) + 1, CONTAINER)
                box: Located | LocatedList = (
                    Located(self.src, pos) if opener == "{" else LocatedList(self.src, pos)
                )
                at = self.skip(at + 1)
                if text.startswith("}" if opener == "{" else "]", at):
                    value: Any = box
                    at += 1
                else:
                    stack.append([box, None, None])
                    if opener == "{":
                        at = self.key(stack[-1], at, len(stack))
                    continue
            else:
                value, at = self.scalar(at, pos, len(stack) + 1)
            # Put the value in its container; close every container that ends here.
            while True:
                if not stack:
                    at = self.skip(at)
                    if at < len(text):
                        raise self.fail(at, "Extra data")
                    return value
                frame = stack[-1]
                box = frame[0]
                if isinstance(box, Located):
                    box[frame[1]] = value
                    box.key_pos[frame[1]] = frame[2]
                else:
                    box.append(value)
                    box.item_pos.append(pos)
                    if self.budget.full(len(stack), box):
                        return stack[0][0]
                at = self.skip(at)
                closer = "}" if isinstance(box, Located) else "]"
                if text.startswith(",", at):
                    at = self.skip(at + 1)
                    if isinstance(box, Located):
                        at = self.key(frame, at, len(stack))
                    break
                if not text.startswith(closer, at):
                    raise self.fail(at, "Expecting ',' delimiter")
                at += 1
                value, pos = stack.pop()[0], box.pos

    def key(self, frame: list[Any], at: int, depth: int) -> int:
        """Read ``"key":`` at *at* into *frame*; the offset of the value after it."""
        if not self.text.startswith('"', at):
            raise self.fail(at, "Expecting property name enclosed in double quotes")
        pos = self.lines.pos(at)
        self.budget.spend(pos, depth)
        frame[1], at = self.string(at)
        frame[2] = pos
        at = self.skip(at)
        if not self.text.startswith(":", at):
            raise self.fail(at, "Expecting ':' delimiter")
        return self.skip(at + 1)

    def string(self, at: int) -> tuple[str, int]:
        try:
            return _scanstring(self.text, at + 1, True)
        except ValueError as exc:  # json.JSONDecodeError, with its own offset
            raise self.fail(getattr(exc, "pos", at), getattr(exc, "msg", str(exc))) from None

    def scalar(self, at: int, pos: Pos, depth: int) -> tuple[Any, int]:
        """The string, number or word at *at* and the offset after it."""
        self.budget.spend(pos, depth)
        text = self.text
        if text.startswith('"', at):
            return self.string(at)
        for word, value in _WORDS:
            if text.startswith(word, at):
                return value, at + len(word)
        number = _NUMBER.match(text, at)
        if number is None:
            raise self.fail(at, "Expecting value")
        whole, fraction, exponent = number.groups()
        if len(whole) > MAX_DIGITS + 1:
            raise self.fail(at, f"a number has more than {MAX_DIGITS:,} digits")
        if fraction or exponent:
            return float(number.group()), number.end()
        return int(whole), number.end()
