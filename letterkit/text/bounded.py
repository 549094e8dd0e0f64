"""An operation a template asks for → the size of what it would build, refused
over the limit before it runs.

The sandbox (:mod:`.sandbox`) sends here the operators ``+ * ** %``, every
method call (``.center``, ``.replace``, ``.join``, ``.append``…), every field
of ``str.format`` and every ``~``; :mod:`.filters` does the same for filters.
Each size is worked out from the operands alone, so a refused operation never
allocates anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .budget import (
    REFERENCE,
    ValueTooLarge,
    digits,
    measure,
    refuse_digits,
    refuse_over,
    size_of,
    spend,
    value_limit,
)

_SEQUENCE = (str, bytes, bytearray, list, tuple)


def take(iterable: Iterable[Any], what: str) -> list[Any]:
    """The items of *iterable* as a list, refused past the value limit (a
    generator is drained one item at a time, so the refusal comes in time)."""
    limit = value_limit()
    if isinstance(iterable, (*_SEQUENCE, Mapping)):
        refuse_over(len(iterable), what)
        return list(iterable)
    items: list[Any] = []
    for item in iterable:
        items.append(item)
        if len(items) > limit:
            refuse_over(len(items), what)
    return items


def text_size(values: Iterable[Any], stop: int) -> int:
    """An upper bound on the joined length of ``str(v)`` for every v."""
    total = 0
    for value in values:
        total += len(value) if type(value) is str else size_of(value, stop - total)
        if total > stop:
            break
    return total


# --- operators -----------------------------------------------------------------------


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``left <operator> right`` if its result would pass the limits."""
    what = f"the operator '{operator}'"
    if operator == "**":
        if isinstance(right, int | float) and abs(right) > 64:
            raise_power(right)
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            refuse_digits(digits(left) * right, what)
    elif operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, _SEQUENCE) and isinstance(times, int):
                refuse_over(len(seq) * max(times, 0), what)
        if isinstance(left, int) and isinstance(right, int):
            refuse_digits(digits(left) + digits(right), what)
    elif operator == "+":
        if isinstance(left, _SEQUENCE) and isinstance(right, _SEQUENCE):
            refuse_over(len(left) + len(right), what)
    elif operator == "%" and isinstance(left, str | bytes):
        refuse_over(printf_size(left, right) * _escaping(left), what)


def _escaping(owner: object) -> int:
    """How much larger a ``Markup`` string's escaping can make what it takes in."""
    return 6 if hasattr(owner, "__html__") else 1


def raise_power(exponent: float) -> None:
    """Refuse a power above 64: ``2 ** 100000000`` is a C call of its own."""
    raise ValueTooLarge(f"the power {exponent} is too large for a template; the limit is 64")


def concat_size(parts: Iterable[Any], escaped: bool) -> None:
    """Refuse ``a ~ b ~ …`` if the joined text would pass the value limit."""
    limit = value_limit()
    factor = 6 if escaped else 1
    refuse_over(text_size(parts, limit // factor + 1) * factor, "the operator '~'")


# --- printf-style formatting (``'%5d' % n``, ``|format``) ---------------------------

_FLAGS = "-+ #0"


def _skip_count(fmt: str, i: int, end: int) -> int:
    """Where a ``%`` field's width or precision that starts at *i* ends: digits, or one ``*``."""
    if i < end and fmt[i] == "*":
        return i + 1
    while i < end and fmt[i].isdigit():
        i += 1
    return i


def _printf_fields(fmt: str) -> Iterable[tuple[str | None, str, str, str]]:
    """(mapping key, width, precision, conversion) of each ``%`` field, parsed as
    Python parses them (a key may hold balanced parentheses)."""
    end = len(fmt)
    at = fmt.find("%")
    while at != -1 and at + 1 <= end:
        i = at + 1
        key = None
        if i < end and fmt[i] == "(":
            depth, j = 1, i + 1
            while j < end and depth:
                depth += {"(": 1, ")": -1}.get(fmt[j], 0)
                j += 1
            key, i = fmt[i + 1 : j - 1], j
        while i < end and fmt[i] in _FLAGS:
            i += 1
        start, i = i, _skip_count(fmt, i, end)
        width = fmt[start:i]
        precision = ""
        if i < end and fmt[i] == ".":
            start, i = i + 1, _skip_count(fmt, i + 1, end)
            precision = fmt[start:i] or "0"
        while i < end and fmt[i] in "hlL":
            i += 1
        kind = fmt[i] if i < end else ""
        yield key, width, precision, kind
        at = fmt.find("%", i + 1)


def printf_size(fmt: str | bytes, args: Any) -> int:
    """An upper bound on the length of ``fmt % args``; past the value limit it
    stops counting. Where Python would raise (a missing key, too few values) the
    count stops and Python raises its own error."""
    text = fmt.decode("latin-1") if isinstance(fmt, bytes) else fmt
    limit = value_limit()
    values = args if isinstance(args, tuple) else (args,)
    mapping = args if isinstance(args, Mapping) else None
    total = len(text)
    used = 0
    for key, width, precision, kind in _printf_fields(text):
        if kind == "%":
            continue
        numbers = []
        for part in (width, precision):
            if part == "*":
                star = values[used] if used < len(values) else 0
                used += 1
                numbers.append(abs(star) if isinstance(star, int) else 0)
            else:
                numbers.append(int(part) if part.isdigit() else 0)
        try:
            if key is not None and mapping is not None:
                value = mapping[key]
            else:
                value = values[used]
                used += 1
        except (LookupError, TypeError):
            return total
        total += max(numbers[0], field_size(value, kind, numbers[1]))
        if total > limit:
            return total
    return total


def field_size(value: Any, kind: str, precision: int) -> int:
    """An upper bound on one formatted field without its width."""
    limit = value_limit()
    if kind == "a":  # ascii(): every character outside ASCII becomes up to 10
        return 10 * size_of(value, limit // 10 + 1, quoted=True)
    if kind in "sr" and isinstance(value, str):
        size = len(value) if kind == "s" else size_of(value, limit, quoted=True)
        return min(size, precision) if precision and kind == "s" else size
    if isinstance(value, int | float):
        base = digits(int(value)) if isinstance(value, int) else 320
        return 5 * base + precision + 16
    if isinstance(value, dt.date | dt.time):
        return 64 * (precision + 64)
    return size_of(value, limit, quoted=kind in "ra") + precision


# --- str.format ----------------------------------------------------------------------


def format_spec_size(value: Any, spec: str) -> int:
    """An upper bound on ``format(value, spec)``, or the size of ``!r``/``!s``."""
    if spec.startswith("!"):
        return field_size(value, spec[1:], 0)
    width = precision = 0
    number = ""
    seen_dot = False
    for char in spec:
        if char.isdigit():
            number += char
            continue
        if number:
            if seen_dot:
                precision = max(precision, int(number))
            else:
                width = max(width, int(number))
            number = ""
        seen_dot = char == "."
    if number:
        if seen_dot:
            precision = max(precision, int(number))
        else:
            width = max(width, int(number))
    if isinstance(value, dt.date | dt.time):
        base = 64 * (len(spec) + 1)
    else:
        base = field_size(value, "s", 0) * 2 + precision
    return max(width, base)


class FormatCheck:
    """The check a :class:`~._jinja.BoundedFormatter` runs on every field of one
    ``str.format`` call: each field and their total within the value limit."""

    def __init__(self, template: str, factor: int = 1) -> None:
        self.total = len(template)
        self.factor = factor

    def __call__(self, value: Any, spec: str) -> None:
        self.total += format_spec_size(value, spec) * self.factor
        refuse_over(self.total, "str.format")


# --- methods -------------------------------------------------------------------------


def _width(args: tuple[Any, ...], kwargs: Mapping[str, Any], name: str = "width") -> int:
    value = args[0] if args else kwargs.get(name, 0)
    return value if isinstance(value, int) else 0


def _replace_size(text: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    if len(args) < 2:
        return len(text)
    old, new = args[0], args[1]
    count = args[2] if len(args) > 2 else kwargs.get("count", -1)
    if not isinstance(old, type(text)) or not isinstance(new, type(text)):
        return len(text)
    found = len(text) + 1 if not old else text.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _translate_size(text: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    table = args[0] if args else kwargs.get("table")
    values: Iterable[Any] = ()
    if isinstance(table, Mapping):
        values = table.values()
    elif isinstance(table, list | tuple):
        values = table
    elif table is not None and not isinstance(table, bytes | str):
        return len(text) * value_limit()  # some other lookup object: unknown
    longest = max((len(v) for v in values if isinstance(v, str | bytes)), default=1)
    return len(text) * max(longest, 1)


def _expandtabs_size(text: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    size = _width(args, kwargs, "tabsize") if (args or "tabsize" in kwargs) else 8
    tab = "\t" if isinstance(text, str) else b"\t"
    return int(len(text) + text.count(tab) * max(size, 0))


_TEXT_METHODS: dict[str, Callable[[Any, tuple[Any, ...], Mapping[str, Any]], int]] = {
    "center": lambda t, a, k: max(len(t), _width(a, k)),
    "ljust": lambda t, a, k: max(len(t), _width(a, k)),
    "rjust": lambda t, a, k: max(len(t), _width(a, k)),
    "zfill": lambda t, a, k: max(len(t), _width(a, k)),
    "expandtabs": lambda t, a, k: _expandtabs_size(t, a, k),
    "replace": _replace_size,
    "translate": _translate_size,
    "encode": lambda t, a, k: 10 * len(t),
    "hex": lambda t, a, k: 3 * len(t),
    "upper": lambda t, a, k: 3 * len(t),
    "lower": lambda t, a, k: 3 * len(t),
    "title": lambda t, a, k: 3 * len(t),
    "capitalize": lambda t, a, k: 3 * len(t),
    "swapcase": lambda t, a, k: 3 * len(t),
    "casefold": lambda t, a, k: 3 * len(t),
}


def check_call(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Refuse a method call on a string, list or dict whose result would pass the
    limits; the arguments, with an iterator among them drained into a list."""
    owner = getattr(function, "__self__", None)
    name = getattr(function, "__name__", "")
    what = f"'.{name}()'"
    if isinstance(owner, str | bytes | bytearray):
        if name == "join" and args:
            items = take(args[0], what)
            limit = value_limit()
            size = text_size(items, limit) + max(len(items) - 1, 0) * len(owner)
            refuse_over(size * _escaping(owner), what)
            return (items, *args[1:])
        rule = _TEXT_METHODS.get(name)
        if rule is not None:
            refuse_over(rule(owner, args, kwargs) * _escaping(owner), what)
    elif isinstance(owner, list):
        if name in ("append", "insert") and args:
            refuse_over(len(owner) + 1, what)
            spend(size_of(args[-1]) + REFERENCE)
        elif name == "extend" and args:
            items = take(args[0], what)
            refuse_over(len(owner) + len(items), what)
            spend(text_size(items, value_limit()) + REFERENCE * len(items))
            return (items, *args[1:])
    elif isinstance(owner, dict):
        if name == "update":
            extra = args[0] if args else {}
            if not isinstance(extra, Mapping):
                extra = take(extra, what)
            refuse_over(len(owner) + len(extra) + len(kwargs), what)
            spend(size_of(extra) + size_of(kwargs) + REFERENCE * (len(extra) + len(kwargs)))
            return (extra, *args[1:]) if args else ()
        if name == "setdefault" and args:
            refuse_over(len(owner) + 1, what)
            spend(size_of(args) + REFERENCE)
        if name == "fromkeys" and args:
            return (take(args[0], what), *args[1:])
    return args


def measured(value: object) -> tuple[int, int, int]:
    """:func:`~.budget.measure` of *value* as Python's ``repr`` would print it."""
    return measure(value, value_limit(), quoted=True)


__all__ = [
    "FormatCheck",
    "check_binop",
    "check_call",
    "concat_size",
    "field_size",
    "format_spec_size",
    "measured",
    "printf_size",
    "take",
    "text_size",
]
