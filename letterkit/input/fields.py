"""Located values → typed field values, and the one path policy.

The spec, the case file and plain data (:func:`letterkit.letter_from_data`)
are read with the same :class:`Reader`: text, localizable text, words,
flags, whole numbers, ISO dates and lines, each reported where it stood when
it has the wrong shape. Rules about what a value may be (allowed words,
ranges, files that must exist) live in :mod:`letterkit.validate`; the reader
remembers where it read each field so those problems point at the file and
line too.

Paths: a relative path resolves against the folder of the file that names it
(for plain data, the *base_dir* given) and must stay inside that folder
unless the caller allows otherwise; URLs are refused, never fetched.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

from .. import files, l10n
from .sources import Located, LocatedList, Reporter, Where, check_keys
from .tables import clean

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def kind_of(value: Any) -> str:
    """What a value read from a file is, in a user's words ("a list", "a mapping")."""
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return "true/false"
    return f"a {type(value).__name__}"


class Reader:
    """What the field readers share: the reporter, the path rules, the files
    read, and where each field of the letter was read (for validation problems)."""

    def __init__(self, reporter: Reporter, base: Path, allow_outside: bool) -> None:
        self.reporter = reporter
        self.base = base
        self.allow_outside = allow_outside
        self.inputs: list[Path] = []
        #: Field path (``letter.case.person.name``) → where it was read.
        self.places: dict[str, Where] = {}
        #: Fields whose value was already reported as unreadable.
        self.reported: set[str] = set()

    def error(self, where: Where, code: str, message: str, field: str = "") -> None:
        self.reporter.error(where, code, message)
        if field:
            self.reported.add(field)

    def mark(self, field: str, where: Where) -> Where:
        """Remember that *field* was read at *where*; return *where*."""
        self.places[field] = where
        return where

    def keys(self, data: Located, known: tuple[str, ...], what: str) -> None:
        check_keys(data, known, what, self.reporter)

    def place(self, field: str) -> Where | None:
        """Where *field* (or the nearest field holding it) was read."""
        while field:
            if field in self.places:
                return self.places[field]
            cut = max(field.rfind("."), field.rfind("["))
            field = field[:cut] if cut > 0 else ""
        return None

    def resolve(
        self,
        value: str,
        where: Where,
        field: str,
        kind: files.Kind | Literal["folder"] | None = None,
    ) -> Path | None:
        """A path as written → an absolute path inside the folder, or None (reported).

        Links are resolved before the folder is checked, and a link that loops is
        reported. A path that is there must be a regular file (a FIFO, a device
        or a folder is refused by name, never opened) within the size cap of its
        *kind* when one is given, or a folder when *kind* is ``"folder"``. A path
        that is not there is returned: whether it must exist is validation's to say.
        """
        if "\0" in value:
            self.error(where, "LK105", f"{value!r} {files.NUL}", field)
            return None
        if _URL.match(value):
            self.error(
                where, "LK107",
                f"'{value}' is a URL; letterkit never fetches: download the file and name it",
                field,
            )  # fmt: skip
            return None
        folder = self.base.resolve()
        try:
            path = files.real_path(folder / value)
        except files.Refused as exc:
            self.error(where, exc.code, f"'{value}' {exc.reason}", field)
            return None
        if not self.allow_outside and not path.is_relative_to(folder):
            self.error(
                where, "LK107",
                f"'{value}' is outside the folder of the spec; move the file there or pass "
                "--allow-outside",
                field,
            )  # fmt: skip
            return None
        problem = _what_it_is(path, kind)
        if problem is not None:
            self.error(where, problem.code, f"'{value}' {problem.reason}", field)
            return None
        return path

    # -- typed readers: each marks its field, reports a wrong shape, returns a value

    def text(self, data: Located, key: str, field: str, label: str = "") -> Any:
        """A localizable free-text field: a string, or a ``{locale: text}`` mapping."""
        return self.local_text(data.get(key), data.where(key), field, label or key)

    def local_text(self, value: Any, where: Where, field: str, label: str) -> Any:
        """A value read at *where* → text, or a ``{locale: text}`` mapping."""
        self.mark(field, where)
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return clean(value)
        if isinstance(value, dict):
            if not l10n.is_localizable_mapping(value):
                self.error(
                    where, "LK105", f"'{label}' must be text or a mapping {{locale: text}}", field
                )
                return ""
            return {str(k): clean(v) for k, v in value.items() if v is not None}
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.error(where, "LK105", f"'{label}' must be text, not {kind_of(value)}", field)
        return ""

    def plain(self, data: Located, key: str, field: str, default: str = "") -> str:
        """A one-language text field (an e-mail address, a name, a word)."""
        value = data.get(key)
        where = self.mark(field, data.where(key))
        if value is None:
            return default
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return clean(str(value))
        self.error(where, "LK105", f"'{key}' must be text", field)
        return default

    def word(
        self, data: Located, key: str, field: str, aliases: Mapping[str, str], default: str
    ) -> str:
        """One of a closed set of words: spellings in *aliases* become the model's
        word; any other value is kept as written, for validation to report."""
        value = self.plain(data, key, field, default)
        return aliases.get(value.strip().lower(), value.strip())

    def flag(self, data: Located, key: str, field: str, default: bool) -> bool:
        value = data.get(key)
        where = self.mark(field, data.where(key))
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        self.error(where, "LK105", f"'{key}' must be true or false, not '{value}'", field)
        return default

    def whole(self, data: Located, key: str, field: str, bounds: tuple[int, int]) -> Any:
        """A whole number (its range is :mod:`letterkit.validate`'s to check)."""
        value = data.get(key)
        where = self.mark(field, data.where(key))
        if value is None:
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
        if number is None or isinstance(value, bool | float):
            self.error(
                where, "LK105",
                f"'{key}' must be a whole number from {bounds[0]} to {bounds[1]}, not '{value}'",
                field,
            )  # fmt: skip
            return None
        return number

    def date(self, value: Any, where: Where, field: str, label: str) -> dt.date | None:
        """An ISO date (a string, or a TOML/YAML date) → :class:`datetime.date`."""
        self.mark(field, where)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.error(
                where, "LK106",
                f"'{label}' is '{text}', not a date; write it as YYYY-MM-DD (e.g. 2018-12-06)",
                field,
            )  # fmt: skip
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            self.error(
                where, "LK106",
                f"'{label}' is '{text}', which is not a real date ({exc}); write it as YYYY-MM-DD",
                field,
            )  # fmt: skip
            return None

    def lines(self, data: Located, key: str, field: str) -> tuple[Any, ...]:
        """Lines of text: a list, or one string split on newlines or ``" | "``."""
        value = data.get(key)
        where = self.mark(field, data.where(key))
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(clean(v) for v in re.split(r"\n| \| ", value) if clean(v))
        if not isinstance(value, list):
            self.error(where, "LK105", f"'{key}' must be a list of lines", field)
            return ()
        out = []
        for index, (item, at) in enumerate(self.items(value, where)):
            line = self.local_text(item, at, f"{field}[{index}]", key)
            if line:
                out.append(line)
        return tuple(out)

    def mapping(self, value: Any, where: Where, what: str, field: str) -> Located | None:
        """A mapping of keys and values (*field* "" when a wrong one is left out)."""
        if field:
            self.mark(field, where)
        if isinstance(value, Located):
            return value
        self.error(where, "LK105", f"'{what}' must be a mapping of keys and values", field)
        return None

    def section(self, spec: Located, key: str, keys: tuple[str, ...]) -> Located | None:
        """The mapping the spec gives under *key* (``sender``, ``dateline``…), its own
        keys checked; None when *key* is left out or is not a mapping (reported)."""
        field = f"letter.{key}"
        where = self.mark(field, spec.where(key))
        value = spec.get(key)
        if value is None:
            return None
        data = self.mapping(value, where, key, field)
        if data is not None:
            self.keys(data, keys, key)
        return data

    def items(self, value: list[Any], where: Where) -> Iterator[tuple[Any, Where]]:
        """The items of a list, each with where it stands."""
        for index, item in enumerate(value):
            yield item, (value.where(index) if isinstance(value, LocatedList) else where)


def _what_it_is(path: Path, kind: files.Kind | Literal["folder"] | None) -> files.Refused | None:
    """Why the file at *path* cannot be a *kind*; None when it can, or when
    nothing is there."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return files.Refused("LK102", f"cannot be read ({exc.strerror or exc})")
    if kind == "folder":
        if stat.S_ISDIR(info.st_mode):
            return None
        return files.Refused("LK105", "is not a folder; name a folder")
    if kind is None:
        problem = files.kind_problem(info.st_mode)
        return files.Refused("LK102", problem) if problem else None
    try:
        files.regular_file(path, kind)
    except files.Refused as exc:
        return exc
    return None
