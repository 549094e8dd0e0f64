"""Jinja's filters and globals → the same, refusing a result over the limits
before they build it.

Each filter that can make its result larger than its input (``center``,
``indent``, ``wordwrap``, ``replace``, ``join``, ``format``, ``list``, ``batch``,
``sum``, ``tojson``…) first works out an upper bound on the result's size from
its arguments and refuses it (:class:`~.budget.ValueTooLarge`) over
:attr:`letterkit.Limits.template_value`. What a filter returns also counts
against the render's budget (:func:`~.budget.spend`), so a ``map`` over many
values stops too. Filters that only pick or reorder values are left alone.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ._jinja import filter_value_index
from .bounded import check_binop, measured, printf_size, take, text_size
from .budget import REFERENCE, refuse_over, size_of, spend, value_limit

Rule = Callable[[Any, tuple[Any, ...], dict[str, Any]], int]


def _arg(args: tuple[Any, ...], kwargs: dict[str, Any], at: int, name: str, default: Any) -> Any:
    return args[at] if len(args) > at else kwargs.get(name, default)


def _width(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _text(value: Any) -> int:
    return size_of(value)


def _center(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    return max(_text(value), _width(_arg(args, kwargs, 0, "width", 80)))


def _indent(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    width = _arg(args, kwargs, 0, "width", 4)
    step = len(width) if isinstance(width, str) else _width(width)
    refuse_over(step, "|indent")
    size = _text(value)
    lines = len(str(value).splitlines()) + 1 if size <= value_limit() else size
    return size + lines * (step + 1)


def _wordwrap(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    wrap = _arg(args, kwargs, 2, "wrapstring", None)
    size = _text(value)
    return size + (size + 1) * (size_of(wrap) if wrap is not None else 1)


def _truncate(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    size = _text(value)
    length = _width(_arg(args, kwargs, 0, "length", 255))
    end = size_of(_arg(args, kwargs, 2, "end", "..."))
    leeway = _arg(args, kwargs, 3, "leeway", None)
    if length < end:
        return size + end
    return min(size, length + end + (5 if leeway is None else _width(leeway)))


def _replace(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    size = _text(value)
    if size > value_limit() or len(args) < 2:
        return size
    text, old, new = str(value), str(args[0]), str(args[1])
    count = _arg(args, kwargs, 2, "count", None)
    found = len(text) + 1 if not old else text.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _format(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    if _text(value) > value_limit():
        return _text(value)
    return printf_size(str(value), kwargs or args)


def _join(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    items = take(value, "|join")
    joiner = size_of(_arg(args, kwargs, 0, "d", ""))
    attribute = _arg(args, kwargs, 1, "attribute", None) is not None
    size = text_size(items, value_limit()) + max(len(items) - 1, 0) * joiner
    return size + (200 * len(items) if attribute else 0)


def _escaped(factor: int) -> Rule:
    return lambda value, args, kwargs: factor * _text(value)


def _json(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    size, count, depth = measured(value)
    indent = _arg(args, kwargs, 0, "indent", None)
    step = len(indent) if isinstance(indent, str) else _width(indent)
    refuse_over(step, "|tojson")
    return 12 * size + count * (depth * step + 2)


def _pprint(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    size, count, _ = measured(value)
    return size * (count + 1)


def _urlize(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    size = _text(value)
    extra = sum(size_of(v) for v in (*args, *kwargs.values()))
    return 3 * size + (size // 2 + 1) * (100 + extra)


def _xmlattr(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    size, count, _ = measured(value)
    return 6 * size + 4 * count


def _batch(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    count = _width(_arg(args, kwargs, 0, "linecount", 0))
    fill = _arg(args, kwargs, 1, "fill_with", None)
    items = len(value) if hasattr(value, "__len__") else 0
    return items + (count if fill is not None else 0)


def _slice(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    items = len(value) if hasattr(value, "__len__") else 0
    return items + _width(_arg(args, kwargs, 0, "slices", 0))


def _nothing(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    return 0


RULES: dict[str, Rule] = {
    "center": _center,
    "indent": _indent,
    "wordwrap": _wordwrap,
    "truncate": _truncate,
    "replace": _replace,
    "format": _format,
    "join": _join,
    "join_list": lambda value, args, kwargs: text_size(value, value_limit()) + 64 * len(value),
    "string": lambda value, args, kwargs: _text(value),
    "markdown": lambda value, args, kwargs: _text(value),
    "slug": _escaped(18),
    "escape": _escaped(6),
    "e": _escaped(6),
    "forceescape": _escaped(6),
    "urlencode": _escaped(12),
    "upper": _escaped(3),
    "lower": _escaped(3),
    "title": _escaped(3),
    "capitalize": _escaped(3),
    "tojson": _json,
    "pprint": _pprint,
    "urlize": _urlize,
    "xmlattr": _xmlattr,
    "batch": _batch,
    "slice": _slice,
    "list": _nothing,
}


def _sized(result: Any) -> int:
    """What a filter's result counts: its characters, or its items' references."""
    if isinstance(result, str | bytes):
        return len(result)
    if isinstance(result, list | tuple):
        return REFERENCE * len(result)
    return 0


#: What a value a filter's iterator makes costs besides its length (a new list's
#: own memory is about that of 16 characters).
_EACH = 16


def _counted(items: Iterator[Any]) -> Iterator[Any]:
    for item in items:
        spend(_sized(item) + _EACH)
        yield item


#: Filters whose value is drained into a list first (an iterator cannot be measured).
_TAKEN = frozenset({"list", "join", "join_list", "batch", "slice"})


def bounded_filter(name: str, function: Callable[..., Any], rule: Rule) -> Callable[..., Any]:
    """*function* (a Jinja filter) refusing, by *rule*, a result over the value limit."""
    first = filter_value_index(function)
    what = f"|{name}"

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if len(args) <= first:
            return function(*args, **kwargs)
        value = args[first]
        if name in _TAKEN and (name == "list" or not hasattr(value, "__len__")):
            value = take(value, what)
            args = (*args[:first], value, *args[first + 1 :])
        refuse_over(rule(value, args[first + 1 :], kwargs), what)
        result = function(*args, **kwargs)
        if isinstance(result, Iterator):
            return _counted(result)
        spend(_sized(result))
        return result

    return bounded


def bounded_sum(environment: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
    """Jinja's ``|sum``, one addition at a time, each one checked like ``+``."""
    items = take(iterable, "|sum")
    if attribute is not None:
        parts = [int(p) if p.isdigit() else p for p in str(attribute).split(".")]
        picked = []
        for item in items:
            for part in parts:
                item = environment.getitem(item, part)
            picked.append(item)
        items = picked
    if isinstance(start, str):
        raise TypeError("sum() can't sum strings [use ''.join(seq) instead]")
    if all(isinstance(i, int | float) for i in items) and isinstance(start, int | float):
        return sum(items, start)
    if isinstance(start, list | tuple) and all(isinstance(i, list | tuple) for i in items):
        refuse_over(len(start) + sum(len(i) for i in items), "|sum")
    total = start
    for item in items:
        check_binop("+", total, item)
        total = total + item
        spend(_sized(total))
    return total


def bounded_lipsum(function: Callable[..., Any]) -> Callable[..., Any]:
    """Jinja's ``lipsum()`` global, refusing more text than the value limit."""

    @functools.wraps(function)
    def lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
        count = _width(n) * (_width(max) + 1) * 16 + 64 * _width(n)
        refuse_over(count, "lipsum()")
        return function(n, html, min, max)

    return lipsum


def bound_filters(filters: Mapping[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """The filters among *filters* that need a bound, each replaced by its bounded self."""
    bounded = {
        name: bounded_filter(name, function, RULES[name])
        for name, function in filters.items()
        if name in RULES
    }
    if "sum" in filters:
        bounded["sum"] = functools.wraps(filters["sum"])(bounded_sum)
    return bounded


__all__ = ["RULES", "bound_filters", "bounded_filter", "bounded_lipsum", "bounded_sum"]
