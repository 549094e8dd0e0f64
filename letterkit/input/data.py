"""Data files (YAML, JSON, TOML) → located data, within a budget checked while reading.

A spec, a case file, a campaign file or a signatory list given as YAML or
JSON becomes :class:`~letterkit.input.sources.Located` mappings and
:class:`~letterkit.input.sources.LocatedList` lists. YAML and JSON are built
from a stream of parser events (YAML) or tokens (JSON) with an explicit stack,
so the budget holds as the data grows, not after it is built:

- at most :data:`MAX_NODES` values (more for a long table, see :class:`Budget`),
  every expansion of a YAML alias counted again;
- at most :data:`MAX_DEPTH` levels of nesting;
- numbers of at most :data:`MAX_DIGITS` digits;
- for a table, reading stops at the first list item past its row limit.

TOML (specs and case files, never tables) is parsed whole by :mod:`tomllib`
after a scan for over-long numbers, then located within the same budget.
Anything past a budget is one LK102 problem at the place it was reached.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..files import Kind
from .budget import CONTAINER, MAX_DEPTH, MAX_DIGITS, Budget, DataError
from .sources import Located, LocatedList, Pos, Reporter, Source, read_text


def load_data_file(
    path: Path, reporter: Reporter, what: str, budget: Budget | None = None, kind: Kind = "spec"
) -> Any:
    """Parse a YAML, TOML or JSON file (of at most the size cap of *kind*) into
    located data within *budget*; None when it cannot be read."""
    src = read_text(path, reporter, what, kind)
    if src is None:
        return None
    budget = budget or Budget()
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            return _toml(src, budget)
        if suffix == ".json":
            from .jsondata import parse_json  # loaded for a JSON file only

            return parse_json(src, budget)
    except DataError as exc:
        syntax = "JSON" if suffix == ".json" else "TOML"
        reporter.error((src, exc.pos), "LK102", f"not valid {syntax}: {exc.message}")
        return None
    return parse_yaml(src, reporter, budget)


def parse_yaml(src: Source, reporter: Reporter, budget: Budget | None = None) -> Any:
    """YAML text → located data with every scalar as a string (or None when empty)."""
    try:
        return _YamlBuilder(src, reporter, budget or Budget()).build()
    except DataError as exc:
        reporter.error((src, exc.pos), "LK102", f"not valid YAML: {exc.message}")
    except yaml.MarkedYAMLError as exc:
        from .yaml_hints import explain  # the hints are read only for a broken file

        pos, message = explain(src.text, exc)
        reporter.error((src, pos), "LK102", message)
    except yaml.reader.ReaderError as exc:
        from .yaml_hints import unreadable

        pos, message = unreadable(src.text, exc)
        reporter.error((src, pos), "LK102", message)
    except yaml.YAMLError as exc:
        reporter.error((src, (None, None)), "LK102", f"not valid YAML: {exc}")
    return None


_NULLS = {"", "~", "null", "Null", "NULL"}
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _pos(event: yaml.Event) -> Pos:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


class _YamlBuilder:
    """Parser events → located data, one value at a time (no node tree is composed)."""

    def __init__(self, src: Source, reporter: Reporter, budget: Budget) -> None:
        self.src = src
        self.reporter = reporter
        self.budget = budget
        #: anchor → (value, position, the scalar's own text or None)
        self.anchors: dict[str, tuple[Any, Pos, str | None]] = {}
        #: open mappings and lists: [container, anchor, key or None, key position]
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.documents = 0

    def build(self) -> Any:
        loader = _Loader(self.src.text)
        try:
            while loader.check_event():
                if self._event(loader.get_event()):
                    self.root = self.stack[0][0]  # a table's first rows past its limit
                    break
        finally:
            loader.dispose()
        return self.root

    def _event(self, event: yaml.Event) -> bool:
        """Take one event; True when reading can stop (a table's row limit is passed)."""
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise DataError(_pos(event), "holds a second document (---); keep one")
            return False
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            pos = _pos(event)
            self.budget.spend(pos, len(self.stack) + 1, CONTAINER)
            box: Located | LocatedList = (
                Located(self.src, pos)
                if isinstance(event, yaml.MappingStartEvent)
                else LocatedList(self.src, pos)
            )
            self._anchor(event)
            self.stack.append([box, event.anchor, None, None])
            return False
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            box, anchor, _, _ = self.stack.pop()
            if anchor is not None:
                self.anchors[anchor] = (box, box.pos, None)
            return self._attach(box, box.pos, None)
        if isinstance(event, yaml.ScalarEvent):
            pos = _pos(event)
            self.budget.spend(pos, len(self.stack) + 1)
            self._anchor(event)
            raw = str(event.value)
            plain = not event.style  # None from PyYAML's parser, "" from LibYAML's
            value = None if plain and raw in _NULLS else raw
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, pos, raw)
            return self._attach(value, pos, raw)
        if isinstance(event, yaml.AliasEvent):
            anchor = event.anchor or ""
            if anchor not in self.anchors:
                raise DataError(
                    _pos(event),
                    f"alias '*{anchor}' names no anchor before it; a text that starts "
                    f"with '*' must be in quotes: \"*{anchor}…\"",
                )
            value, pos, text = self.anchors[anchor]
            return self._attach(self._copy(value, _pos(event), len(self.stack)), pos, text)
        return False

    def _anchor(self, event: yaml.NodeEvent) -> None:
        if event.anchor is not None and event.anchor in self.anchors:
            raise DataError(_pos(event), f"anchor '&{event.anchor}' is defined twice; rename one")

    def _attach(self, value: Any, pos: Pos, raw: str | None) -> bool:
        if not self.stack:
            self.root = value
            return False
        frame = self.stack[-1]
        box = frame[0]
        if isinstance(box, LocatedList):
            box.append(value)
            box.item_pos.append(pos)
            return self.budget.full(len(self.stack), box)
        if frame[2] is None:  # this value is a key
            frame[2] = raw if raw is not None else "?"
            frame[3] = pos
            return False
        key, key_pos = frame[2], frame[3]
        frame[2] = None
        if key in box:
            first = box.key_pos.get(key, (None, None))[0]
            self.reporter.error(
                (self.src, key_pos), "LK102",
                f"key '{key}' appears twice (first on line {first}); keep one",
            )  # fmt: skip
        box[key] = value
        box.key_pos[key] = key_pos
        return False

    def _copy(self, value: Any, pos: Pos, depth: int) -> Any:
        """A fresh copy of an anchored value, each of its values counted in the budget."""
        box = isinstance(value, Located | LocatedList)
        self.budget.spend(pos, depth + 1, CONTAINER if box else 1)
        if isinstance(value, Located):
            out = Located(value.src, value.pos)
            for key, item in value.items():
                out[key] = self._copy(item, pos, depth + 1)
            out.key_pos.update(value.key_pos)
            return out
        if isinstance(value, LocatedList):
            items = LocatedList(value.src, value.pos)
            items.extend(self._copy(item, pos, depth + 1) for item in value)
            items.item_pos.extend(value.item_pos)
            return items
        return value


# --- TOML ----------------------------------------------------------------------------

#: A TOML key of more than MAX_DEPTH dotted parts (bare or quoted).
_DOTTED_KEY = re.compile(
    r"(?:(?:[A-Za-z0-9_-]+|\"[^\"\n]*\"|'[^'\n]*')[ \t]*\.[ \t]*){" + str(MAX_DEPTH) + "}"
)
_LONG_NUMBER = re.compile(r"[=,\[]\s*[+-]?[0-9_]{" + str(MAX_DIGITS + 1) + "}")
_KEY = re.compile(r'(?:^|[\s{,])(?:"([^"\n]*)"|([^\s"{},:=\[\]]+))\s*[:=]')


def _toml(src: Source, budget: Budget) -> Any:
    import tomllib  # only a TOML file needs the parser

    long = _LONG_NUMBER.search(src.text)
    if long:  # refused before the parser converts it, whatever the interpreter's limit
        line = src.text.count("\n", 0, long.start()) + 1
        raise DataError((line, None), f"a number has more than {MAX_DIGITS:,} digits")
    deep = _DOTTED_KEY.search(src.text)
    if deep:  # tomllib's work grows with the square of a dotted key's length
        line = src.text.count("\n", 0, deep.start()) + 1
        raise DataError(
            (line, None), f"a dotted key nests deeper than {MAX_DEPTH} levels; flatten it"
        )
    try:
        data = tomllib.loads(src.text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError((getattr(exc, "lineno", None), None), str(exc)) from None
    except RecursionError:
        raise DataError((None, None), f"nests deeper than {MAX_DEPTH} levels; flatten it") from None
    except ValueError as exc:  # an integer past the interpreter's digit limit
        raise DataError((None, None), f"a number is too long ({exc})") from None
    return _Located(src, budget).value(data, None, 0)


class _Located:
    """Plain data → located data, positions found by searching the text once."""

    def __init__(self, src: Source, budget: Budget) -> None:
        self.src = src
        self.budget = budget
        self.keys: dict[str, Pos] | None = None

    def find(self, key: str | None) -> Pos:
        if key is None:
            return 1, 1
        if self.keys is None:
            self.keys = {}
            for number, line in enumerate(self.src.text.splitlines(), start=1):
                for match in _KEY.finditer(line):
                    quoted = match.group(1) is not None
                    name = match.group(1) if quoted else match.group(2)
                    column = match.start(1) if quoted else match.start(2) + 1
                    self.keys.setdefault(name, (number, column))
        return self.keys.get(key, (None, None))

    def value(self, value: Any, key: str | None, depth: int) -> Any:
        pos = self.find(key)
        self.budget.spend(pos, depth + 1, CONTAINER if isinstance(value, dict | list) else 1)
        if isinstance(value, dict):
            out = Located(self.src, pos)
            for k, v in value.items():
                out[str(k)] = self.value(v, str(k), depth + 1)
                out.key_pos[str(k)] = self.find(str(k))
            return out
        if isinstance(value, list):
            items = LocatedList(self.src, pos)
            for v in value:
                items.append(self.value(v, key, depth + 1))
                items.item_pos.append(items.pos)
            return items
        return value
