"""A value a template is about to build → its size, known before it is built;
and one render's budget of work.

Every operation of the sandbox that can make a value larger than its operands
asks :func:`refuse_over` first, with the size the result *would* have, worked out
from the operands (the length of a string or list, the digits of a number, the
printed length of a nested value). A result over
:attr:`letterkit.Limits.template_value` is refused with :class:`ValueTooLarge`
before any memory is taken, so no single call into C code can run long.

One render also has a budget (:func:`budget`): the text it emits, into the output
or into a macro's or block's buffer, the values it adds to lists and dicts, and
the lists an operation builds (:data:`REFERENCE` per item) count against
:attr:`letterkit.Limits.template_output`, so a loop that grows a value step by
step, each step under the value limit, stops too.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping, Set
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2.exceptions import SecurityError

from .. import limits
from ..errors import LetterkitError
from ._jinja import namespace_values

#: The most digits a number a template computes may have: Python itself prints
#: no integer longer than this (``sys.set_int_max_str_digits``), and arithmetic
#: on longer ones is what takes C code seconds.
INT_DIGITS = 4300

#: What keeping one more item in a list or dict counts, besides the item's own
#: printed size: a reference is 8 bytes, as much as 8 characters.
REFERENCE = 8

_LOG10_2 = math.log10(2)


class ValueTooLarge(LetterkitError, SecurityError):
    """An operation would build a value over the limit; it was not run."""


class OutputTooLarge(LetterkitError):
    """A template produced more text than :attr:`letterkit.Limits.template_output`."""


def value_limit() -> int:
    """The largest value (characters, items) the limits in force allow."""
    return limits.current().template_value


def refuse_over(size: int, what: str, limit: int | None = None) -> None:
    """Raise :class:`ValueTooLarge` when *size* passes the value limit."""
    bound = value_limit() if limit is None else limit
    if size > bound:
        raise ValueTooLarge(f"{what} would build a value of {size:,} items; the limit is {bound:,}")


def digits(number: int) -> int:
    """An upper bound on the decimal digits of *number*, without printing it."""
    return int(abs(number).bit_length() * _LOG10_2) + 1


def refuse_digits(count: int, what: str) -> None:
    """Raise :class:`ValueTooLarge` for a number of more than :data:`INT_DIGITS` digits."""
    if count > INT_DIGITS:
        raise ValueTooLarge(
            f"{what} would build a number of about {count:,} digits; the limit is {INT_DIGITS:,}"
        )


# --- printed sizes -------------------------------------------------------------------

_SMALL = 200  # an object printed by its type's own repr: a macro, a range, a generator


def repr_length(text: str, stop: int) -> int:
    """An upper bound on ``len(repr(text))`` (more than *stop* when it passes *stop*)."""
    size = len(text) + 2 + text.count("\\") + text.count("'")
    if text.isprintable() or size > stop:
        return size
    if size * 10 <= stop:
        return size * 10
    return size + 9 * sum(1 for c in text if not c.isprintable())


def measure(value: object, stop: int, quoted: bool = False) -> tuple[int, int, int]:
    """An upper bound on the length of ``str(value)`` (``repr`` when *quoted*), with
    the number of values in it and its depth of nesting: ``(length, values, depth)``.

    The walk stops as soon as the length passes *stop*, so it costs at most
    about *stop* steps whatever the value. Values shared by several containers
    are counted each time they would be printed; a container that holds itself
    counts as ``[...]``, as Python prints it.
    """
    size = count = depth = 0
    path: set[int] = set()
    stack: list[tuple[object, bool, int]] = [(value, quoted, 1)]
    while stack:
        item, nested, level = stack.pop()
        if level < 0:  # leaving a container
            path.discard(id(item))
            continue
        count += 1
        depth = max(depth, level)
        children = _children(item)
        if children is None:
            size += _leaf(item, nested, stop - size)
        elif id(item) in path:
            size += 5
        else:
            path.add(id(item))
            stack.append((item, False, -1))
            size += 16
            for child in children:
                size += 2
                stack.append((child, True, level + 1))
                if size > stop:
                    break
        if size > stop:
            break
    return size, count, depth


def size_of(value: object, stop: int | None = None, quoted: bool = False) -> int:
    """An upper bound on the length of ``str(value)`` (see :func:`measure`)."""
    limit = value_limit() if stop is None else stop
    return measure(value, limit, quoted)[0]


def _children(item: object) -> Iterable[object] | None:
    if isinstance(item, str | bytes | bytearray):
        return None
    if isinstance(item, Mapping):
        return _pairs(item)
    if isinstance(item, list | tuple | Set) or type(item).__name__ in _VIEWS:
        return item  # type: ignore[return-value]
    values = namespace_values(item)
    return None if values is None else _pairs(values)


_VIEWS = frozenset({"dict_keys", "dict_values", "dict_items", "deque"})


def _pairs(mapping: Mapping[Any, Any]) -> Iterator[object]:
    for key, value in mapping.items():
        yield key
        yield value


def _leaf(item: object, quoted: bool, stop: int) -> int:
    if isinstance(item, str):
        return repr_length(item, stop) if quoted else len(item)
    if isinstance(item, bytes | bytearray):
        return 4 * len(item) + 14
    if isinstance(item, bool) or item is None:
        return 5
    if isinstance(item, int):
        return digits(item) + 1
    if isinstance(item, float | complex):
        return 50
    if isinstance(item, dt.date | dt.time | dt.timedelta):
        return 64
    return _SMALL


# --- one render's budget -------------------------------------------------------------


class _Work:
    __slots__ = ("limit", "used")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0


_WORK: ContextVar[_Work | None] = ContextVar("letterkit_template_work", default=None)


@contextmanager
def budget() -> Iterator[None]:
    """Within the block, what templates emit and keep counts against
    :attr:`letterkit.Limits.template_output`."""
    token = _WORK.set(_Work(limits.current().template_output))
    try:
        yield
    finally:
        _WORK.reset(token)


def spend(amount: int) -> None:
    """Count *amount* characters (or kept items) against the render's budget."""
    work = _WORK.get()
    if work is None:
        return
    work.used += amount
    if work.used > work.limit:
        raise OutputTooLarge(
            f"the template produces or keeps more than {work.limit:,} characters "
            "(text, also inside macros and blocks, and the lists it builds or fills); "
            "a letter is far shorter: check its loops"
        )


def kept(value: Any) -> Any:
    """*value*; a new list, tuple, dict or set counts its references against the budget."""
    if isinstance(value, list | tuple | dict | set | frozenset):
        spend(REFERENCE * len(value))
    return value


def remaining() -> int:
    """What is left of the render's budget (the value limit outside a render)."""
    work = _WORK.get()
    return value_limit() if work is None else max(work.limit - work.used, 0)


def emitted(text: str) -> str:
    """*text*, counted as output of the template."""
    spend(len(text))
    return text


__all__ = [
    "INT_DIGITS",
    "REFERENCE",
    "OutputTooLarge",
    "ValueTooLarge",
    "budget",
    "digits",
    "emitted",
    "kept",
    "measure",
    "refuse_digits",
    "refuse_over",
    "remaining",
    "repr_length",
    "size_of",
    "spend",
    "value_limit",
]
