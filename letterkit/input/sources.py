"""Data read from files → plain data that remembers where each value stood.

Every mapping read from a file (by :mod:`letterkit.input.data`) becomes a :class:`Located` dict and every list a
:class:`LocatedList`; both know the line and column of each of their items, so
later stages can report a problem at the exact place. YAML scalars are read as
strings (``country: NO`` stays ``"NO"``); the schema in :mod:`letterkit.input.letter_spec`
converts them. Problems are collected in a :class:`Reporter`, never raised one
by one, so a user sees every mistake at once.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import files
from ..errors import Problem, Severity, ValidationError
from ..files import Kind

Pos = tuple[int | None, int | None]


class Located(dict[str, Any]):
    """A mapping read from a file, with the position of each key.

    A mapping of plain data (no file) has a *field* path instead, and a
    problem about one of its keys names ``field.key``.
    """

    __slots__ = ("field", "key_pos", "pos", "src")  # a list of 100,000 rows holds as many

    def __init__(self, src: Source, pos: Pos = (None, None), field: str | None = None) -> None:
        super().__init__()
        self.src = src
        self.pos = pos
        self.field = field
        self.key_pos: dict[str, Pos] = {}

    def at(self, key: str) -> Pos:
        """Where *key* stands (the mapping's own position when it is absent)."""
        return self.key_pos.get(key, self.pos)

    def where(self, key: str) -> Where:
        """Where *key* stands, as problems cite it."""
        if self.field is not None:
            return f"{self.field}.{key}", (None, None)
        return self.src, self.at(key)

    def here(self) -> Where:
        """Where the mapping itself stands."""
        return (self.field, (None, None)) if self.field is not None else (self.src, self.pos)


class LocatedList(list[Any]):
    """A list read from a file, with the position of each item (or, for plain
    data, a *field* path: problems then name ``field[index]``)."""

    __slots__ = ("field", "item_pos", "pos", "src")

    def __init__(self, src: Source, pos: Pos = (None, None), field: str | None = None) -> None:
        super().__init__()
        self.src = src
        self.pos = pos
        self.field = field
        self.item_pos: list[Pos] = []

    def at(self, index: int) -> Pos:
        return self.item_pos[index] if index < len(self.item_pos) else self.pos

    def where(self, index: int) -> Where:
        """Where item *index* stands, as problems cite it."""
        if self.field is not None:
            return f"{self.field}[{index}]", (None, None)
        return self.src, self.at(index)

    def here(self) -> Where:
        return (self.field, (None, None)) if self.field is not None else (self.src, self.pos)


def from_data(value: Any, field: str, base: Path) -> Any:
    """Plain data (dicts, lists, scalars) → located data whose problems name
    fields (``letter.case.person.name``) instead of file positions."""
    src = Source(base / "<data>", field)
    if isinstance(value, Mapping):
        out = Located(src, field=field)
        for key, item in value.items():
            out[str(key)] = from_data(item, f"{field}.{key}", base)
        return out
    if isinstance(value, list | tuple):
        items = LocatedList(src, field=field)
        for index, item in enumerate(value):
            items.append(from_data(item, f"{field}[{index}]", base))
        return items
    return value


@dataclass(frozen=True)
class Source:
    """A file as the user named it: ``display`` is how problems print its path."""

    path: Path
    display: str
    text: str = ""
    #: For a spreadsheet: the worksheet; positions are then (row, column) and
    #: problems print as ``file.xlsx[Sheet]!B7``.
    sheet: str = ""

    def find_key(self, key: str) -> Pos:
        """Best-effort position of *key* for formats without a position-aware parser."""
        pattern = re.compile(r'(^|[\s{,])"?' + re.escape(key) + r'"?\s*[:=]')
        for number, line in enumerate(self.text.splitlines(), start=1):
            match = pattern.search(line)
            if match:
                return number, match.start() + len(match.group(1)) + 1
        return None, None


#: Where a value stood: a file and a position, or (for plain data with no
#: file) the field's path, e.g. ``("letter.case.person.name", (None, None))``.
Where = tuple[Source | str, Pos]
#: Where a row or a key stood, flat: ``(path, line, column)``.
Origin = tuple[str, int | None, int | None]


def where_of(origin: Origin) -> Where:
    """An :data:`Origin` as the *where* of :meth:`Reporter.error`."""
    return origin[0], (origin[1], origin[2])


@dataclass
class Reporter:
    """Collects problems from every stage; raises them together at the end."""

    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        src: Source | str,
        pos: Pos,
        code: str,
        message: str,
        severity: Severity = "error",
    ) -> None:
        path = problem_path(src, pos)
        self.problems.append(Problem(path, pos[0], pos[1], severity, code, message))

    def error(self, where: Where, code: str, message: str) -> None:
        self.add(where[0], where[1], code, message)

    def warning(self, where: Where, code: str, message: str) -> None:
        self.add(where[0], where[1], code, message, "warning")

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def raise_if_failed(self) -> None:
        if self.failed:
            raise ValidationError(self.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)


def check_keys(data: Located, known: tuple[str, ...], what: str, reporter: Reporter) -> None:
    """Report every key of *data* that is not *known*, with a "did you mean"."""
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            reporter.error(
                data.where(key),
                "LK103",
                f"unknown {what} key '{key}'; {hint}known keys: {', '.join(known)}",
            )


def problem_path(src: Source | str, pos: Pos) -> str:
    """How a problem names its file: the path, or ``file.xlsx[Sheet]!B7`` for a cell."""
    if not isinstance(src, Source):
        return src
    if not src.sheet:
        return src.display
    path = f"{src.display}[{src.sheet}]"
    return path + (f"!{cell_name(pos[0], pos[1] or 1)}" if pos[0] is not None else "")


def location(src: Source | str, pos: Pos) -> str:
    """``signatories.csv:12`` or ``signatories.xlsx[Signers]!A12``: a place to cite in a message."""
    path = problem_path(src, pos)
    return path if "]!" in path or pos[0] is None else f"{path}:{pos[0]}"


def cell_name(row: int, column: int) -> str:
    """``(7, 2)`` → ``'B7'``."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


#: The folder of the spec being read (see :func:`shown_from`).
_SPEC_FOLDER: ContextVar[Path | None] = ContextVar("letterkit_spec_folder", default=None)


@contextmanager
def shown_from(spec: str | os.PathLike[str] | None) -> Iterator[None]:
    """While in this block, :func:`display_path` names a file outside the working
    folder relative to the folder of *spec* (a spec or campaign file), unless an
    outer block already named one."""
    if spec is None or _SPEC_FOLDER.get() is not None:
        yield
        return
    try:
        folder = Path(os.path.abspath(spec)).parent
    except (OSError, ValueError):
        folder = None
    token = _SPEC_FOLDER.set(folder)
    try:
        yield
    finally:
        _SPEC_FOLDER.reset(token)


def display_path(path: Path) -> str:
    """The path as problems print it, never absolute (a message is safe to paste):
    relative to the working folder when inside it, else relative to the spec's
    folder (see :func:`shown_from`), else its name alone."""
    try:
        absolute = Path(os.path.abspath(path))
    except (OSError, ValueError):
        return path.name
    for base in (Path.cwd, _SPEC_FOLDER.get):
        try:
            folder = base()
        except OSError:  # the working folder was removed
            continue
        if folder is None:
            continue
        if absolute.is_relative_to(folder):
            return str(absolute.relative_to(folder))
        try:
            resolved = path.resolve()
            if resolved.is_relative_to(folder.resolve()):
                return str(resolved.relative_to(folder.resolve()))
        except (OSError, RuntimeError):  # a link that loops
            pass
    folder = _SPEC_FOLDER.get()
    if folder is not None:
        return os.path.relpath(absolute, folder)
    return path.name


def read_text(path: Path, reporter: Reporter, what: str, kind: Kind = "spec") -> Source | None:
    """Read a UTF-8 text file (a BOM is dropped) of at most the size cap of *kind*;
    report LK101/LK102 and return None on failure (see :func:`letterkit.files.read_bounded`:
    a FIFO or a device is refused without being opened)."""
    src = Source(path, display_path(path))
    try:
        raw = files.read_bounded(path, kind)
    except files.Refused as exc:
        reason = "not found; check the path" if exc.code == "LK101" else exc.reason
        reporter.error((src, (None, None)), exc.code, f"{what} {reason}")
        return None
    save = (
        "save it as UTF-8 (in Excel: Save As > 'CSV UTF-8 (Comma delimited)')"
        if path.suffix.lower() == ".csv"
        else "save it again with the encoding UTF-8 (your editor's Save As offers it)"
    )
    if _utf16(raw):
        reporter.error((src, (1, 1)), "LK102", f"{what} is saved as UTF-16, not UTF-8; {save}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        pos, why = _not_utf8(raw, exc.start)
        reporter.error((src, pos), "LK102", f"{what} is not UTF-8 text: {why}; {save}")
        return None
    return Source(path, src.display, text)


def _utf16(raw: bytes) -> bool:
    """*raw* starts like UTF-16 text: its byte order mark, or a zero byte beside
    each of the first few letters (what Excel's "Unicode Text" writes)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = raw[: len(raw[:64]) // 2 * 2]
    even, odd = head[0::2], head[1::2]
    if len(head) < 4:
        return False
    little = odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0
    return little or (even.count(0) >= 0.9 * len(even) and odd.count(0) == 0)


def _not_utf8(raw: bytes, at: int) -> tuple[Pos, str]:
    """Where the first byte that is not UTF-8 stands, and what it suggests: a file
    saved as Windows-1252 (Latin-1), as Excel and Notepad do in Western Europe."""
    line_start = raw.rfind(b"\n", 0, at) + 1
    line = raw[:at].count(b"\n") + 1
    column = len(raw[line_start:at].decode("utf-8", "replace")) + 1
    byte = raw[at]
    try:
        char = raw[at : at + 1].decode("cp1252")
    except UnicodeDecodeError:
        return (line, column), f"byte 0x{byte:02X} is not UTF-8"
    return (line, column), (
        f"byte 0x{byte:02X} here is '{char}' in Windows-1252 (Latin-1): the file was "
        "saved in that encoding"
    )


def placed_in_spec(problem: Problem, spec: Path | None) -> Problem:
    """A problem about a field of a letter that no reader placed (a campaign's
    letter for one recipient, built from the base spec and a row), printed at
    the line of the field's top-level key in *spec*, the field named in the
    message. Other problems are returned unchanged."""
    field_ = problem.path
    found = re.match(r"letter\.(\w+)", field_)
    if spec is None or problem.line is not None or found is None:
        return problem
    try:
        text = files.read_bounded(spec, "spec").decode("utf-8-sig")
    except (files.Refused, OSError, UnicodeDecodeError):
        return problem
    line, col = Source(spec, display_path(spec), text).find_key(found.group(1))
    if line is None:
        return problem
    where = field_.removeprefix("letter.")
    message = problem.message if where == found.group(1) else f"{where}: {problem.message}"
    return replace(problem, path=display_path(spec), line=line, col=col, message=message)
