"""The XML of a workbook's parts → cell values, through expat handlers.

:mod:`letterkit.input.xlsx` feeds each part to a parser whose handlers are
the methods here: they keep a cell's text up to the cell limit plus one
character, skip formulas and phonetic runs, and turn numbers into the text a
spreadsheet shows (whole numbers without ``.0``, dates in ISO form).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..errors import LetterkitError

#: Columns of a table; cells further right are only checked for being empty.
MAX_COLUMNS = 200
#: XML elements parsed in one part (each costs a call into Python).
MAX_ELEMENTS = 8_000_000

_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")
_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')

#: A cell as read: its text, or (an int) the index of a shared string.
Value = str | int
#: A row as read: its number and its cells by column (only cells with a value).
SheetRow = tuple[int, dict[int, Value]]


class XlsxError(LetterkitError):
    """The workbook cannot be read; *sheet* and *cell* say where, when known."""

    def __init__(self, message: str, sheet: str = "", cell: tuple[int, int] | None = None):
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.cell = cell


def too_many_elements(part: str) -> XlsxError:
    return XlsxError(f"the part {part} holds more than {MAX_ELEMENTS:,} XML elements")


class Stop(LetterkitError):
    """Raised in a handler to stop parsing a part early."""


def column_number(letters: str) -> int:
    """``'AB'`` → 28."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def is_date_code(code: str) -> bool:
    """Whether a custom number format (its first section) shows a date or a time."""
    first = _LITERALS.sub("", code.split(";")[0])
    return re.search(r"[dmyhs]", first, re.IGNORECASE) is not None


#: The namespaces of a worksheet's elements (transitional and strict), and none.
_SPREADSHEET = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main ",
    "http://purl.oclc.org/ooxml/spreadsheetml/main ",
    "",
)
#: Element names as expat gives them (namespace, space, local name) → the local name.
_LOCAL = {
    space + name: name
    for space in _SPREADSHEET
    for name in ("si", "t", "rPh", "row", "c", "v", "is")
}


class Text:
    """Character data of one cell, kept up to *most* characters."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.parts: list[str] = []
        self.size = 0

    def add(self, data: str) -> None:
        if self.size < self.most:
            data = data[: self.most - self.size]
            self.parts.append(data)
            self.size += len(data)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        self.size = 0
        return text


class StringReader:
    """Handlers for the shared-strings part, keeping the wanted strings only.

    Between wanted strings only the start of each element is looked at (to
    count the strings), which keeps a part of millions of strings quick.
    """

    def __init__(self, wanted: set[int], cell: int, part: str) -> None:
        self.part = part
        self.wanted = wanted
        self.last = max(wanted)
        self.found: dict[int, str] = {}
        self.index = -1
        self.phonetic = 0
        self.chars = Text(cell + 1)
        self.parser: Any = None
        self.left = MAX_ELEMENTS

    def attach(self, parser: Any) -> None:
        self.parser = parser
        parser.StartElementHandler = self.skip

    def skip(self, tag: str, attrs: dict[str, str]) -> None:
        self.left -= 1
        if self.left < 0:
            raise too_many_elements(self.part)
        if _LOCAL.get(tag) == "si":
            self.index += 1
            if self.index in self.wanted:
                self.chars.take()
                self.phonetic = 0
                self.parser.StartElementHandler = self.start
                self.parser.EndElementHandler = self.end
            elif self.index > self.last:
                raise Stop

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.left -= 1
        local = _LOCAL.get(tag)
        if local == "rPh":
            self.phonetic += 1
        elif local == "t" and not self.phonetic:
            self.parser.CharacterDataHandler = self.chars.add

    def end(self, tag: str) -> None:
        local = _LOCAL.get(tag)
        if local == "t":
            self.parser.CharacterDataHandler = None
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "si":
            self.found[self.index] = self.chars.take()
            self.parser.StartElementHandler = self.skip
            self.parser.EndElementHandler = None


class SheetReader:
    """Handlers for a worksheet part: finished rows gather in :attr:`done`."""

    def __init__(self, sheet: str, cell: int, dates: set[int], epoch: dt.datetime) -> None:
        self.sheet = sheet
        self.cell = cell
        self.dates = dates
        self.epoch = epoch
        self.done: list[SheetRow] = []
        self.row = 0
        self.cells: dict[int, Value] = {}
        self.beyond = False  # a cell right of MAX_COLUMNS is kept (only the first)
        self.column = 0
        self.kind = "n"
        self.style = 0
        self.phonetic = 0
        self.inline = False
        self.chars = Text(cell + 1)
        self.parser: Any = None
        self.left = MAX_ELEMENTS

    def attach(self, parser: Any) -> None:
        self.parser = parser
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.left -= 1
        if self.left < 0:
            raise XlsxError(
                f"the sheet holds more than {MAX_ELEMENTS:,} XML elements",
                self.sheet,
                (self.row, 1),
            )
        local = _LOCAL.get(tag)
        if local == "c":
            ref = _REF.match(attrs.get("r", ""))
            self.column = column_number(ref.group(1)) if ref else self.column + 1
            self.kind = attrs.get("t", "n")
            style = attrs.get("s", "0")
            self.style = int(style) if style.isdigit() and len(style) < 7 else 0
            self.chars.take()
        elif local == "row":
            number = attrs.get("r", "")
            self.row = int(number) if number.isdigit() and len(number) < 8 else self.row + 1
            self.cells = {}
            self.beyond = False
            self.column = 0
        elif local == "v" or (local == "t" and self.inline and not self.phonetic):
            self.parser.CharacterDataHandler = self.chars.add
        elif local == "is":
            self.inline = True
        elif local == "rPh":
            self.phonetic += 1

    def end(self, tag: str) -> None:
        local = _LOCAL.get(tag)
        if local == "v" or local == "t":
            self.parser.CharacterDataHandler = None
        elif local == "c":
            value = self._value(self.chars.take())
            if value != "" and (self.column <= MAX_COLUMNS or not self.beyond):
                self.beyond = self.beyond or self.column > MAX_COLUMNS
                self.cells.setdefault(self.column, value)
        elif local == "row":
            if self.cells:
                self.done.append((self.row, self.cells))
            self.cells = {}
        elif local == "is":
            self.inline = False
        elif local == "rPh":
            self.phonetic -= 1

    def _value(self, text: str) -> Value:
        if self.kind == "s":
            if not text.strip().isdigit():
                raise XlsxError(
                    f"a shared-string cell holds '{text[:20]}'", self.sheet, (self.row, self.column)
                )
            return int(text)
        if self.kind == "b":
            return "true" if text.strip() == "1" else "false" if text else ""
        if self.kind in ("n", "") and text and len(text) <= self.cell:
            return _number(text, self.style in self.dates, self.epoch)
        return text


def _number(text: str, date: bool, epoch: dt.datetime) -> str:
    """A number cell as the text it shows (whole numbers without '.0'; dates in ISO form)."""
    try:
        value: float = float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:
        return text
    if date:
        try:
            day, fraction = divmod(value, 1)
            time = dt.timedelta(milliseconds=round(fraction * 86_400_000))
            if 0 <= value < 1 and time.days == 0:  # a time of day alone
                return (dt.datetime.min + time).time().isoformat()
            if 0 < value < 60 and epoch.year == 1899:
                day += 1  # the serial numbers of Lotus 1-2-3, which counted 1900 as a leap year
            return (epoch + dt.timedelta(days=day) + time).isoformat()
        except (OverflowError, ValueError):
            return text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
