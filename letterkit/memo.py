"""What the pipeline remembers from one letter to the next, and how to forget it.

The letters of a bundle share most of their inputs, so several stages keep
what they made (parsed annexes, composed bodies, shared pages, templates…)
in small, bounded tables. Each such table is registered here;
:func:`forget` empties them all, for a long-running process that wants its
memory back, or to time a letter made from nothing (``benchmarks/``).
Registered fonts and compiled templates stay: they depend on no letter.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any, TypeVar

K = TypeVar("K")
T = TypeVar("T")

_FORGETTERS: list[Callable[[], Any]] = []


def table(value: T) -> T:
    """Register a dict or an ``functools.lru_cache`` function; return it unchanged."""
    clear = getattr(value, "cache_clear", None) or getattr(value, "clear", None)
    if clear is None:
        raise TypeError(f"{value!r} cannot be emptied")
    _FORGETTERS.append(clear)
    return value


def forget() -> None:
    """Empty every table registered with :func:`table`."""
    for clear in _FORGETTERS:
        clear()


def keep(table: MutableMapping[K, T], key: K, value: T, limit: int) -> T:
    """Put *value* in *table* under *key*, first dropping the oldest entries
    past *limit*; return *value*."""
    while table and len(table) >= limit:
        table.pop(next(iter(table)))
    table[key] = value
    return value
