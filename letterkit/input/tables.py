"""Tables of rows (CSV, XLSX, YAML/JSON lists, inline lists) → cells with positions.

Signatory lists and campaign recipient lists are both tables: a header row
(or mapping keys) naming known columns, then one row per entry. Every problem
(unknown column with "did you mean", missing required column, a row wider
than its header) is reported with its file and physical line, or for a
spreadsheet its sheet and cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import limits
from .sources import (
    Located,
    LocatedList,
    Pos,
    Reporter,
    Source,
    Where,
    display_path,
    load_data_file,
    read_text,
)


def clean(text: str) -> str:
    """NFC-normalise and fold whitespace (what every printed value goes through).

    >>> clean("  Justice\\u00a0 &   Peace ")
    'Justice & Peace'
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass(frozen=True)
class Table:
    """What a table holds: its known columns, the one it needs, what a row is called."""

    columns: tuple[str, ...]
    required: str
    noun: str
    plural: str
    #: Other spellings accepted for a column ("organisation" → "organization").
    aliases: tuple[tuple[str, str], ...] = ()

    def canonical(self, name: str) -> str:
        return dict(self.aliases).get(name, name)


def read_rows(
    value: Path | list[Any],
    where: Where,
    reporter: Reporter,
    table: Table,
    sheet: str = "",
) -> list[Row]:
    """A spec value (a resolved file path or an inline list) → rows of cells,
    within the row and cell limits of :mod:`letterkit.limits`."""
    rows = _read_any(value, where, reporter, table, sheet)
    most = getattr(limits.current(), table.plural, 0)
    if most and len(rows) > most:
        reporter.error(
            rows[0][1] if rows else where, "LK105",
            f"the list holds {len(rows):,} {table.plural}; the limit is {most:,}",
        )  # fmt: skip
        return []
    kept: list[Row] = []
    for cells, at in rows:
        long = [k for k, v in cells.items() if len(v) > limits.current().cell]
        if long:
            reporter.error(
                at, "LK105",
                f"'{long[0]}' holds {len(cells[long[0]]):,} characters; a cell holds at most "
                f"{limits.current().cell:,}",
            )  # fmt: skip
            continue
        kept.append((cells, at))
    return kept


def _read_any(
    value: Path | list[Any],
    where: Where,
    reporter: Reporter,
    table: Table,
    sheet: str,
) -> list[Row]:
    if isinstance(value, Path):
        path = value
        suffix = path.suffix.lower()
        if suffix == ".csv":
            return _read_csv(path, reporter, table)
        if suffix in {".yaml", ".yml", ".json"}:
            data = load_data_file(path, reporter, f"{table.plural} file")
            if data is None:
                return []
            if not isinstance(data, list):
                src = data.src if isinstance(data, Located) else Source(path, str(path))
                reporter.error(
                    (src, (1, 1)),
                    "LK105",
                    f"{table.plural} file must hold a list of {table.plural}",
                )
                return []
            return list(_rows_from_list(data, reporter, table))
        if suffix == ".xlsx":
            return _read_xlsx(path, sheet, where, reporter, table)
        reporter.error(
            where,
            "LK105",
            f"{table.plural} file must be .csv, .xlsx, .yaml or .json, not '{suffix}'",
        )
        return []
    if isinstance(value, list):
        return list(_rows_from_list(value, reporter, table))
    reporter.error(
        where, "LK105", f"{table.plural} must be a file path or a list of {table.plural}"
    )
    return []


Row = tuple[dict[str, str], Where]


_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[str]:
    """The lines of *text* with their endings, one at a time, as ``io.StringIO(text,
    newline="")`` gives them, without its copy of the text (four bytes a character)."""
    return (match.group() for match in _LINE.finditer(text))


def _read_csv(path: Path, reporter: Reporter, table: Table) -> list[Row]:
    src = read_text(path, reporter, f"{table.plural} file")
    if src is None:
        return []
    text = src.text
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        reporter.error((src, (1, 1)), "LK102", f"the header row cannot be read ({exc})")
        return []
    except StopIteration:
        reporter.error(
            (src, (1, 1)),
            "LK104",
            f"{table.plural} file is empty; add a header row with a '{table.required}' column",
        )
        return []
    names = [table.canonical(h.strip().lower().lstrip("\ufeff")) for h in header]
    if not _header(names, lambda col: (src, (1, col)), reporter, table):
        return []
    rows: list[Row] = []
    previous_end = reader.line_num
    while True:
        line = previous_end + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            reporter.error(
                (src, (line, 1)), "LK105",
                f"a cell is too long or badly quoted ({exc}); a cell holds at most "
                f"{limits.current().cell:,} characters",
            )  # fmt: skip
            return []
        previous_end = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(names):
            reporter.error(
                (src, (line, len(names) + 1)),
                "LK105",
                f"row has {len(record)} cells but the header has {len(names)}; "
                f"quote cells that contain '{delimiter}'",
            )
            continue
        cells = dict(zip(names, (c for c in record), strict=False))
        rows.append((cells, (src, (line, 1))))
    return rows


def _header(
    names: list[str], at: Callable[[int], tuple[Source, Pos]], reporter: Reporter, table: Table
) -> bool:
    """Check a header row (lower-cased names): known, unique, with 'name'."""
    ok = True
    for col, name in enumerate(names, start=1):
        if name in names[: col - 1]:
            ok = False
            reporter.error(
                at(col), "LK103", f"column '{name}' appears twice in the header; keep one"
            )
        elif name not in table.columns:
            ok = False
            reporter.error(at(col), "LK103", _unknown(name, "column", table))
    if table.required not in names:
        ok = False
        reporter.error(at(1), "LK104", f"the header has no '{table.required}' column; add one")
    return ok


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text it shows (whole numbers without '.0')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def _read_xlsx(path: Path, sheet: str, where: Where, reporter: Reporter, table: Table) -> list[Row]:
    """The rows of one worksheet (the first unless *sheet* names one), with cell positions."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    display = display_path(path)
    if not path.is_file():
        reporter.error(where, "LK101", f"{table.plural} file {display} not found")
        return []
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        reporter.error(
            (Source(path, display), (None, None)),
            "LK102",
            f"not a readable .xlsx workbook ({exc.__class__.__name__}); save it again from "
            "Excel or export the sheet as CSV (UTF-8)",
        )
        return []
    try:
        if sheet and sheet not in book.sheetnames:
            reporter.error(
                where,
                "LK105",
                f"{display} has no sheet '{sheet}'; its sheets are: {', '.join(book.sheetnames)}",
            )
            return []
        ws = book[sheet] if sheet else book.worksheets[0]
        src = Source(path, display, sheet=ws.title)
        lines = ws.iter_rows(values_only=True)
        try:
            header = next(lines)
        except StopIteration:
            reporter.error(
                (src, (1, 1)),
                "LK104",
                f"the sheet is empty; add a header row with a '{table.required}' column",
            )
            return []
        width = max((i + 1 for i, v in enumerate(header) if v not in (None, "")), default=0)
        names = [table.canonical(clean(_cell_text(v)).lower()) for v in header[:width]]
        if not _header(names, lambda col: (src, (1, col)), reporter, table):
            return []
        rows: list[Row] = []
        for number, record in enumerate(lines, start=2):
            cells = [_cell_text(v) for v in record]
            extra = [i for i, v in enumerate(cells[width:], start=width + 1) if v.strip()]
            if extra:
                reporter.error(
                    (src, (number, extra[0])),
                    "LK105",
                    "cell outside the table (no header above it); add a header or clear it",
                )
                continue
            if not any(c.strip() for c in cells[:width]):
                continue
            rows.append((dict(zip(names, cells[:width], strict=False)), (src, (number, 1))))
        return rows
    finally:
        book.close()


def _rows_from_list(items: Iterable[Any], reporter: Reporter, table: Table) -> Iterable[Row]:
    located = items if isinstance(items, LocatedList) else None
    inline = Source(Path("<inline>"), "<inline>")
    for index, item in enumerate(items):
        where: Where = located.where(index) if located is not None else (inline, (None, None))
        if isinstance(item, str):
            yield {table.required: item}, where
            continue
        if not isinstance(item, dict):
            reporter.error(
                where,
                "LK105",
                f"a {table.noun} must be a {table.required} or a mapping with '{table.required}'",
            )
            continue
        cells: dict[str, str] = {}
        bad = False
        for key, cell in item.items():
            key_where = item.where(key) if isinstance(item, Located) else where
            key = table.canonical(str(key).lower())
            if key not in table.columns:
                reporter.error(key_where, "LK103", _unknown(str(key), "key", table))
                bad = True
                continue
            if cell is not None and not isinstance(cell, str | int | float | bool):
                reporter.error(
                    key_where,
                    "LK105",
                    f"{table.noun} '{key}' must be text, not a list or mapping",
                )
                bad = True
                continue
            cells[str(key).lower()] = "" if cell is None else str(cell)
        if not bad:
            yield cells, where


def _unknown(name: str, what: str, table: Table) -> str:
    close = difflib.get_close_matches(name, table.columns, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    known = ", ".join(table.columns)
    return f"unknown {table.noun} {what} '{name}'; {hint}known {what}s: {known}"
