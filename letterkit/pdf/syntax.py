"""PDF object text → values that can be read and changed → the same text again.

A small, strict reader of the object syntax (ISO 32000-1, 7.3) as ReportLab
and pypdf write it: dictionaries, arrays, names, literal and hex strings,
numbers, ``true``/``false``/``null`` and indirect references. It keeps the
white space (and comments) between tokens, so :func:`write` gives back the very bytes
:func:`parse` read, except where the code changed a value; a changed or new
entry is written with single spaces. Anything else (``{``, a
dictionary key that is not a name, a stray ``R``) raises
:class:`SpliceError` saying what and where.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..errors import LetterkitError


class SpliceError(LetterkitError, ValueError):
    """A PDF part is not shaped as letterkit expects (a bug, not bad input)."""


class Name(bytes):
    """A name, as written (``b"/Type"``)."""


class Num(bytes):
    """A number, as written (``b"12"``, ``b"-.5"``)."""


class Str(bytes):
    """A literal string, as written, parentheses included."""


class Hex(bytes):
    """A hex string, as written, angle brackets included."""


class Word(bytes):
    """``true``, ``false`` or ``null``."""


class Numbers(bytes):
    """An array of numbers only, as written (a font's widths hold hundreds)."""


class Raw(bytes):
    """Text written already, to put into a value as it is."""


class Ref:
    """An indirect reference ``n g R``, with the white space inside it."""

    __slots__ = ("gaps", "gen", "num")

    def __init__(self, num: int, gen: int = 0, gaps: tuple[bytes, bytes] = (b" ", b" ")) -> None:
        self.num = num
        self.gen = gen
        self.gaps = gaps

    def __repr__(self) -> str:
        return f"Ref({self.num}, {self.gen})"


class Array:
    """An array: its items and the white space before each (and before ``]``)."""

    __slots__ = ("gaps", "items")

    def __init__(self, items: Iterable[Value] = (), gaps: list[bytes] | None = None) -> None:
        self.items: list[Value] = list(items)
        self.gaps = gaps if gaps is not None else [b" "] * (len(self.items) + 1)

    def __repr__(self) -> str:
        return f"Array({self.items!r})"


class Dict:
    """A dictionary: keys in their order, values, and the white space before
    each key and value (and before ``>>``)."""

    __slots__ = ("gaps", "keys", "values")

    def __init__(self, pairs: Iterable[tuple[bytes, Value]] = ()) -> None:
        self.keys: list[bytes] = []
        self.values: list[Value] = []
        for key, value in pairs:
            self.keys.append(Name(key))
            self.values.append(value)
        self.gaps = [b" "] * (2 * len(self.keys) + 1)

    def __repr__(self) -> str:
        return f"Dict({list(zip(self.keys, self.values, strict=True))!r})"

    def __contains__(self, key: bytes) -> bool:
        return key in self.keys

    def get(self, key: bytes) -> Value | None:
        """The value of *key*, or None."""
        try:
            return self.values[self.keys.index(key)]
        except ValueError:
            return None

    def ref(self, key: bytes) -> int | None:
        """The object number *key* refers to; None if absent, SpliceError if not a reference."""
        value = self.get(key)
        if value is None:
            return None
        if not isinstance(value, Ref):
            raise SpliceError(f"{key.decode()} is not an indirect reference")
        return value.num

    def set(self, key: bytes, value: Value) -> None:
        """Give *key* the value *value*: in its place if it is there, else last."""
        if key in self.keys:
            self.values[self.keys.index(key)] = value
            return
        self.keys.append(Name(key))
        self.values.append(value)
        self.gaps[-1:] = [self.gaps[-1], b" ", b" "]

    def drop(self, key: bytes) -> None:
        """Leave out *key* and its value, if there (with the white space before them)."""
        if key in self.keys:
            at = self.keys.index(key)
            del self.keys[at], self.values[at], self.gaps[2 * at : 2 * at + 2]

    def put_first(self, pairs: Iterable[tuple[bytes, Value]]) -> None:
        """Put new entries before the others (each written ``/Key value``)."""
        pairs = list(pairs)
        for key, _ in pairs:
            if key in self.keys:
                raise SpliceError(f"the dictionary has {key.decode()} already")
        self.keys[:0] = [Name(key) for key, _ in pairs]
        self.values[:0] = [value for _, value in pairs]
        self.gaps[:1] = [b" "] * (2 * len(pairs)) + self.gaps[:1]


Value = Name | Num | Str | Hex | Word | Numbers | Raw | Ref | Array | Dict

_WS = b"\x00\t\n\x0c\r "
_END = rb"(?=[\x00\t\n\x0c\r ()<>\[\]{}/%]|\Z)"
_W = rb"[\x00\t\n\x0c\r ]"
#: White space and comments, then a reference ``n g R`` (groups 2-5) or one token (group 6).
_TOKEN = re.compile(
    rb"(" + _W + rb"*(?:%[^\r\n]*" + _W + rb"*)*)(?:"
    rb"(\d+)(" + _W + rb"+)(\d+)(" + _W + rb"+)R" + _END
    + rb"|([+-]?(?:\d+(?:\.\d*)?|\.\d+)" + _END
    + rb"|/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*|<<|>>|\[|\]|<[0-9A-Fa-f\x00\t\n\x0c\r ]*>|\("
    rb"|(?:true|false|null|R)" + _END
    + rb"))"
)  # fmt: skip
#: An array of numbers only. Every quantifier is possessive and each number
#: has one way to match, so an array that turns out to hold something else
#: (``[0 0 506 10 0 R]``) fails at once instead of trying every split of its digits.
_NUMBERS = re.compile(
    rb"\[(?:" + _W + rb"*+[+-]?(?:\d++(?:\.\d*+)?|\.\d++)(?=[\x00\t\n\x0c\r \]]))*+" + _W + rb"*+\]"
)
_PLAIN = re.compile(rb"[^()\\]*")
_NUMBER_START = frozenset(b"+-.0123456789")


def _string_end(text: bytes, pos: int) -> int:
    """The end of the literal string that opens at *pos* (balanced parentheses,
    backslash escapes)."""
    depth = 0
    while True:
        pos = _PLAIN.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text):
            raise SpliceError("a literal string that does not end")
        char = text[pos]
        if char == 0x5C:  # backslash: the next byte is escaped
            pos += 2
            continue
        depth += 1 if char == 0x28 else -1
        pos += 1
        if depth == 0:
            return pos


def _close(kind: bytes, items: list[Value], gaps: list[bytes], where: int) -> Value:
    if kind == b"[":
        return Array(items, gaps)
    if len(items) % 2:
        raise SpliceError(f"a dictionary with a key and no value, ending at {where}")
    made = Dict()
    made.keys = [k for k in items[::2] if isinstance(k, Name)]
    if len(made.keys) * 2 != len(items):
        raise SpliceError(
            f"a dictionary key that is not a name, in the dictionary ending at {where}"
        )
    if len(set(made.keys)) != len(made.keys):
        raise SpliceError(f"a dictionary with a key twice, ending at {where}")
    made.values = items[1::2]
    made.gaps = gaps
    return made


def _token(text: bytes, pos: int) -> re.Match[bytes]:
    m = _TOKEN.match(text, pos)
    if m is None:
        shown = text[pos : pos + 24].lstrip(_WS)[:16]
        if not shown:
            raise SpliceError(f"an object that ends early, at byte {pos}")
        raise SpliceError(f"cannot read a PDF object at byte {pos}: {shown!r}")
    return m


def parse(text: bytes, pos: int = 0) -> tuple[Value, int]:
    """Read the object that starts at *pos* (after white space): (value, end)."""
    stack: list[tuple[bytes, list[Value], list[bytes]]] = []
    items: list[Value] = []
    gaps: list[bytes] = []
    while True:
        m = _token(text, pos)
        gap, num, between, gen, before_r, token = m.groups()
        pos = m.end()
        gaps.append(gap)  # the white space before this token
        value: Value
        if num is not None:
            value = Ref(int(num), int(gen), (between, before_r))
        elif token[0] == 0x2F:
            value = Name(token)
        elif token == b"<<" or token == b"[":
            numbers = _NUMBERS.match(text, pos - 1) if token == b"[" else None
            if numbers is None:
                stack.append((token, items, gaps))
                items, gaps = [], []
                continue
            value, pos = Numbers(numbers.group()), numbers.end()
        elif token == b">>" or token == b"]":
            if not stack or (stack[-1][0] == b"[") != (token == b"]"):
                raise SpliceError(f"an unmatched {token.decode()} at byte {pos}")
            opener, outer_items, outer_gaps = stack.pop()
            value = _close(opener, items, gaps, pos)
            items, gaps = outer_items, outer_gaps
        elif token[0] == 0x3C:
            value = Hex(token)
        elif token == b"(":
            end = _string_end(text, pos - 1)
            value, pos = Str(text[pos - 1 : end]), end
        elif token[0] in _NUMBER_START:
            value = Num(token)
        elif token == b"R":
            raise SpliceError(f"an R that does not follow an object and generation number at {pos}")
        else:
            value = Word(token)
        if not stack:
            return value, pos
        items.append(value)


def write(value: Value, renumber: dict[int, int] | None = None) -> bytes:
    """The text of *value*; with *renumber*, every reference renumbered by it
    (a reference it does not cover raises :class:`SpliceError`)."""
    out: list[bytes] = []
    _write(value, renumber, out)
    return b"".join(out)


def _write(value: Value, renumber: dict[int, int] | None, out: list[bytes]) -> None:
    if isinstance(value, bytes):
        out.append(value)
    elif isinstance(value, Ref):
        num = value.num
        if renumber is not None:
            new = renumber.get(num)
            if new is None:
                raise SpliceError(f"a reference to object {num}, which is not carried over")
            num = new
        out.append(b"%d%s%d%sR" % (num, value.gaps[0], value.gen, value.gaps[1]))
    elif isinstance(value, Array):
        out.append(b"[")
        for gap, item in zip(value.gaps, value.items, strict=False):
            out.append(gap)
            _write(item, renumber, out)
        out += (value.gaps[-1], b"]")
    else:
        out.append(b"<<")
        gaps = iter(value.gaps)
        for key, item in zip(value.keys, value.values, strict=True):
            out += (next(gaps), key, next(gaps))
            _write(item, renumber, out)
        out += (next(gaps), b">>")


def refs(value: Value) -> Iterator[int]:
    """The object numbers *value* refers to, in order."""
    if isinstance(value, Ref):
        yield value.num
    elif isinstance(value, Array):
        for item in value.items:
            yield from refs(item)
    elif isinstance(value, Dict):
        for item in value.values:
            yield from refs(item)


def copy(value: Value) -> Value:
    """A copy of *value* whose arrays and dictionaries can be changed alone."""
    if isinstance(value, Array):
        return Array([copy(v) for v in value.items], list(value.gaps))
    if isinstance(value, Dict):
        made = Dict()
        made.keys = list(value.keys)
        made.values = [copy(v) for v in value.values]
        made.gaps = list(value.gaps)
        return made
    return value


def dict_of(value: Value | None, what: str) -> Dict:
    """*value* as a dictionary, or SpliceError naming *what* it should be."""
    if not isinstance(value, Dict):
        raise SpliceError(f"{what} is not a dictionary")
    return value
