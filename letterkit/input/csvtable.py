"""A CSV table file → its header and rows of cells, with what a typing mistake needs.

The reader runs in strict mode, so a quote in the wrong place is an error
instead of a cell quietly cut short or run on to the end of the file:
:func:`quote_problem` says which quote and what to write instead.
:func:`separator_problem` spots a file separated by tabs (or another
character) whose header reads as a single column, and a list of names whose
header is one column while every row holds semicolons. A file saved as
UTF-16 or Windows-1252 is refused by :func:`~letterkit.input.sources.read_text`
with the way to save it as UTF-8. A column with an empty heading is left
out of the rows; values in it are reported once per column (:func:`headless`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from .. import limits
from .csvlines import Lines
from .sources import Pos, Reporter, Source, Where, read_text
from .xlsxcells import MAX_COLUMNS

#: A row's cells by column name, and where the row stands.
Row = tuple[dict[str, str], Where]


class Table(Protocol):
    """What :func:`read_csv` needs to know of a table (see :class:`~letterkit.input.tables.Table`)."""

    @property
    def columns(self) -> tuple[str, ...]: ...
    @property
    def required(self) -> str: ...
    @property
    def plural(self) -> str: ...
    def canonical(self, name: str) -> str: ...


class Counter(Protocol):
    """Counts the rows as they are read (and stops past the table's limit)."""

    def row(self, where: Where) -> None: ...


def read_csv(
    path: Path,
    reporter: Reporter,
    table: Table,
    count: Counter,
    header_ok: Callable[[list[str], Callable[[int], tuple[Source, Pos]]], bool],
) -> list[Row]:
    """The rows of a CSV file (comma or semicolon separated, by its header line)."""
    src = read_text(path, reporter, f"{table.plural} file", "table")
    if src is None:
        return []
    text = src.text
    delimiter = delimiter_of(text)
    lines = Lines(text, delimiter)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        col, message = quote_problem(exc, lines.head, delimiter) or (1, str(exc))
        reporter.error((src, (1, col)), "LK102", f"the header row cannot be read: {message}")
        return []
    except StopIteration:
        reporter.error(
            (src, (1, 1)),
            "LK104",
            f"{table.plural} file is empty; add a header row with a '{table.required}' column",
        )
        return []
    if len(header) > MAX_COLUMNS:
        reporter.error((src, (1, MAX_COLUMNS + 1)), "LK105", f"the header has {len(header):,}"
                       f" columns, past {MAX_COLUMNS}, the most a table may have")  # fmt: skip
        return []
    wrong = separator_problem(header, delimiter, table.columns)
    if wrong:
        reporter.error((src, (1, 1)), "LK102", wrong)
        return []
    names = [table.canonical(h.strip().lower().lstrip("\ufeff")) for h in header]
    if not header_ok(names, lambda col: (src, (1, col))):
        return []
    rows: list[Row] = []
    blank = [col for col, name in enumerate(names) if not name]  # 0-based
    valued: dict[int, int] = {}  # a blank column → the first line with a value
    lines.skip = True
    while True:
        lines.first = 0
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            quotes = quote_problem(exc, lines.head, delimiter)
            if quotes is not None:
                reporter.error((src, (lines.first, quotes[0])), "LK102", quotes[1])
                return []
            reporter.error((src, (lines.first, 1)), "LK105", _too_long(exc))
            return []
        line = lines.first
        if not any(cell.strip() for cell in record):
            continue
        count.row((src, (line, 1)))
        if len(record) > len(names):
            reporter.error(
                (src, (line, len(names) + 1)),
                "LK105",
                f"row has {len(record)} cells but the header has {len(names)}; "
                f"quote cells that contain '{delimiter}'",
            )
            continue
        for col in (c for c in blank if c < len(record) and record[c].strip()):
            valued.setdefault(col, line)
        rows.append(({n: c for n, c in zip(names, record, strict=False) if n}, (src, (line, 1))))
    for col, line in sorted(valued.items()):
        reporter.error((src, (1, col + 1)), "LK103", headless(str(col + 1), f"line {line}"))
    one_column(rows, names, reporter)
    return rows


def headless(column: str, first: str) -> str:
    """The message for a column with values under an empty heading (Excel's
    empty columns with no values are ignored)."""
    return f"column {column} has values but no heading (first at {first}): name it or delete it"


def delimiter_of(text: str) -> str:
    """``;`` when the header line holds more semicolons than commas, else ``,``."""
    first = text[:65_536].split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


#: Separators a one-column header may turn out to hold, as a message names them.
_OTHER = {"\t": "tabs", "|": "'|' characters", ";": "semicolons", ",": "commas"}


def separator_problem(header: list[str], delimiter: str, known: tuple[str, ...]) -> str:
    """Why a header that reads as one column is really several ("" when it is not):
    the file is separated by tabs or '|', which letterkit does not read."""
    if len(header) != 1:
        return ""
    for sep, name in _OTHER.items():
        if sep == delimiter or sep not in header[0]:
            continue
        if any(part.strip().lower() in known for part in header[0].split(sep)):
            if sep in ",;":  # both are read; the header holds both
                return (
                    f"the header mixes commas and semicolons, so it reads as one column; "
                    f"separate its columns with {_OTHER[delimiter]} only, as in the rows"
                )
            return (
                f"the file is separated by {name}, so its header reads as one column; "
                "letterkit reads commas or semicolons: save it as CSV (in Excel: "
                "Save As > 'CSV UTF-8 (Comma delimited)')"
            )
    return ""


def quote_problem(exc: csv.Error, head: str, delimiter: str) -> tuple[int, str] | None:
    """The column of the quote behind a strict reader's *exc* on the record that
    starts with line *head*, and what to write instead (None: not a quote's fault)."""
    said = str(exc)
    if "expected after" in said:
        quote = _scan(head, delimiter)[0] or 0
        after = head[quote + 1 :].lstrip(" \t")
        if (
            quote
            and head[quote + 1 : quote + 2] in (" ", "\t")
            and after[:1] in (delimiter, "", "\r", "\n")
        ):
            return quote + 2, (
                f"a space follows the quote that closes this cell; delete it, so that "
                f"'{delimiter}' comes right after the quote"
            )
        return quote + 1, (
            "a quote in this row ends its cell before the cell does (the cell starts "
            "with a quote, so a quote inside it closes it); inside a quoted cell write "
            'each quote twice: "Centre ""Memorial"" Kyiv"'
        )
    if "unexpected end of data" in said:  # (a cell past the size limit may close later)
        opened = _scan(head, delimiter)[1]
        if opened is not None:
            return opened + 1, (
                "the quote that starts a cell on this line is never closed, so the rest "
                "of the file would be one cell; close it with a quote, or write a quote "
                'inside a quoted cell twice ("")'
            )
    return None


def _too_long(exc: csv.Error) -> str:
    """What a cell past the size limit, or a line past its own, is told."""
    if "field larger than field limit" in str(exc):  # its quote may close later
        return (
            f"a cell that starts on this line is longer than a cell may be "
            f"({limits.current().cell:,} characters), or a quote that opens it is never "
            "closed; shorten it, or close the quote (a quote inside a quoted cell is "
            "written twice)"
        )
    return (
        f"a cell is too long or badly quoted ({exc}); a cell holds at most "
        f"{limits.current().cell:,} characters"
    )


def _scan(line: str, delimiter: str) -> tuple[int | None, int | None]:
    """The columns (0-based) in *line* of the first quote that closes a quoted cell
    with more text after it, and of a quote that opens a cell left open at its end."""
    at, end = 0, len(line.rstrip("\r\n"))
    while at < end:
        if line[at] == '"':
            opened, at = at, at + 1
            while True:
                close = line.find('"', at, end)
                if close < 0:
                    return None, opened
                if line[close + 1 : close + 2] == '"':
                    at = close + 2
                    continue
                at = close + 1
                break
            if at < end and line[at] != delimiter:
                return close, None
        next_cell = line.find(delimiter, at, end)
        if next_cell < 0:
            break
        at = next_cell + 1
    return None, None


def one_column(rows: list[Row], names: list[str], reporter: Reporter) -> None:
    """A header of one column over rows that each hold a semicolon or a tab: the
    file is separated by them, but its header line is not (reported at the first row)."""
    if len(names) != 1 or not rows:
        return
    first = rows[:5]
    for sep, name in ((";", "semicolons"), ("\t", "tabs")):
        if all(sep in cells.get(names[0], "") for cells, _ in first):
            where = first[0][1]
            reporter.error(
                where, "LK102",
                f"the header has one column, '{names[0]}', but the rows hold {name}: if the "
                f"file is separated by {name}, separate the header's columns the same way; "
                f"a cell that holds {sep!r} goes in quotes",
            )  # fmt: skip
            rows.clear()
            return
