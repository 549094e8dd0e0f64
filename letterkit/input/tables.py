"""Tables of rows (CSV, XLSX, YAML/JSON lists, inline lists) → cells with positions.

Signatory lists and campaign recipient lists are both tables: a header row
(or mapping keys) naming known columns, then one row per entry. Every problem
(unknown column with "did you mean", missing required column, a row wider
than its header) is reported with its file and physical line, or for a
spreadsheet its sheet and cell.
"""

from __future__ import annotations

import contextlib
import difflib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import files, limits
from ..errors import LetterkitError
from .budget import CONTAINER, MAX_NODES, Budget
from .csvtable import headless, read_csv
from .data import load_data_file
from .sources import (
    Located,
    LocatedList,
    Origin,
    Pos,
    Reporter,
    Source,
    Where,
    cell_name,
    display_path,
    problem_path,
)
from .xlsxcells import MAX_COLUMNS

if TYPE_CHECKING:  # read only for a workbook: zipfile and the reader load then
    from . import xlsx


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


class _TooMany(LetterkitError):
    """A table holds more rows than its limit; raised at the first row past it."""

    def __init__(self, where: Where) -> None:
        super().__init__()
        self.where = where


@dataclass
class _Count:
    """Counts the rows of a table as they are read and stops one past the limit."""

    most: int
    seen: int = 0

    def row(self, where: Where) -> None:
        self.seen += 1
        if self.most and self.seen > self.most:
            raise _TooMany(where)


def read_rows(
    value: Path | list[Any],
    where: Where,
    reporter: Reporter,
    table: Table,
    sheet: str = "",
) -> list[Row]:
    """A spec value (a resolved file path or an inline list) → rows of cells,
    within the row and cell limits of :mod:`letterkit.limits`.

    Every reader counts the rows as it reads them and stops at the first row
    past the limit, so a long list costs no more than its first rows.
    """
    most = getattr(limits.current(), table.plural, 0)
    try:
        rows = _read_any(value, where, reporter, table, sheet, _Count(most))
    except _TooMany as too_many:
        reporter.error(
            too_many.where, "LK105",
            f"the list holds more than {most:,} {table.plural}, the limit; split it",
        )  # fmt: skip
        return []
    cell = limits.current().cell
    kept: list[Row] = []
    for cells, at in rows:
        long = [k for k, v in cells.items() if len(v) > cell]
        if long:
            reporter.error(
                at, "LK105",
                f"'{long[0]}' holds more than {cell:,} characters; a cell holds at most {cell:,}",
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
    count: _Count,
) -> list[Row]:
    if isinstance(value, Path):
        path = value
        suffix = path.suffix.lower()
        if suffix == ".csv":
            return _read_csv(path, reporter, table, count)
        if suffix in {".yaml", ".yml", ".json"}:
            # A row of a list is a mapping, its keys and values: the budget of
            # values grows with the row limit, and the list stops just past it.
            nodes = max(MAX_NODES, (count.most + 1) * (2 * len(table.columns) + CONTAINER))
            budget = Budget(nodes=nodes, items=count.most)
            data = load_data_file(path, reporter, f"{table.plural} file", budget, "table")
            if data is None:
                return []
            if not isinstance(data, list):
                src = data.src if isinstance(data, Located) else Source(path, display_path(path))
                reporter.error(
                    (src, (1, 1)),
                    "LK105",
                    f"{table.plural} file must hold a list of {table.plural}",
                )
                return []
            return list(_rows_from_list(data, reporter, table, count))
        if suffix == ".xlsx":
            return _read_xlsx(path, sheet, where, reporter, table, count)
        reporter.error(
            where,
            "LK105",
            f"{table.plural} file must be .csv, .xlsx, .yaml or .json, not '{suffix}'",
        )
        return []
    if isinstance(value, list):
        return list(_rows_from_list(value, reporter, table, count))
    reporter.error(
        where, "LK105",
        f"{table.plural} must be a file path, {{path: ..., sheet: ...}} or a list of {table.plural}",
    )  # fmt: skip
    return []


Row = tuple[dict[str, str], Where]


def _read_csv(path: Path, reporter: Reporter, table: Table, count: _Count) -> list[Row]:
    return read_csv(
        path, reporter, table, count, lambda names, at: _header(names, at, reporter, table)
    )


def _header(
    names: list[str], at: Callable[[int], tuple[Source, Pos]], reporter: Reporter, table: Table
) -> bool:
    """Check a header row (lower-cased names): known, unique, with 'name'."""
    ok = True
    seen: set[str] = set()
    for col, name in enumerate(names, start=1):
        if not name:  # a column with no heading is ignored when it has no values
            continue
        if name in seen:
            ok = False
            reporter.error(
                at(col), "LK103", f"column '{name}' appears twice in the header; keep one"
            )
        elif name not in table.columns:
            ok = False
            reporter.error(at(col), "LK103", _unknown(name, "column", table))
        seen.add(name)
    if table.required not in names:
        ok = False
        reporter.error(at(1), "LK104", f"the header has no '{table.required}' column; add one")
    return ok


def _read_xlsx(
    path: Path, sheet: str, where: Where, reporter: Reporter, table: Table, count: _Count
) -> list[Row]:
    """The rows of one worksheet (the first unless *sheet* names one), with cell positions."""
    from . import xlsx

    display = display_path(path)
    try:
        stream = files.open_bounded(path, "table")
    except files.Refused as exc:
        if exc.code == "LK101":
            reporter.error(where, "LK101", f"{table.plural} file {display} not found")
        else:
            reporter.error(where, exc.code, f"{table.plural} file {display} {exc.reason}")
        return []
    src = Source(path, display)
    try:
        with stream, xlsx.Workbook(stream, limits.current().cell) as book:
            if sheet and sheet not in book.sheets:
                names = ", ".join(book.sheets) or "none"
                reporter.error(
                    where, "LK105", f"{display} has no sheet '{sheet}'; its sheets are: {names}"
                )
                return []
            if not book.sheets:
                raise xlsx.XlsxError("the workbook has no worksheet")
            src = Source(path, display, sheet=sheet or next(iter(book.sheets)))
            return _sheet_rows(book, src, reporter, table, count)
    except files.Refused as exc:  # the file grew past the cap while it was read
        reporter.error(where, exc.code, f"{table.plural} file {display} {exc.reason}")
        return []
    except xlsx.XlsxError as exc:
        at = Source(path, display, sheet=exc.sheet)
        reporter.error(
            (at, exc.cell or (None, None)), "LK102",
            f"not a readable .xlsx workbook: {exc.message}; save it again from Excel or "
            "export the sheet as CSV (UTF-8)",
        )  # fmt: skip
        return []


def _sheet_rows(
    book: xlsx.Workbook, src: Source, reporter: Reporter, table: Table, count: _Count
) -> list[Row]:
    """A worksheet's header and rows, read as a stream; shared strings are looked
    up afterwards, for the cells that are kept only."""
    with contextlib.closing(book.rows(src.sheet)) as rows:
        first = next(rows, (0, {}))
        names = _sheet_header(book, first[1] if first[0] == 1 else {}, src, reporter, table)
        if names is None:
            return []
        width = len(names)
        kept: list[tuple[int, dict[int, xlsx.Value]]] = []
        outside: list[tuple[int, int, xlsx.Value]] = []  # cells right of the header: row, col
        for number, cells in rows:
            if not any(not isinstance(v, str) or v.strip() for v in cells.values()):
                continue
            count.row((src, (number, 1)))
            outside += [(number, col, v) for col, v in cells.items() if col > width]
            kept.append((number, {col: v for col, v in cells.items() if col <= width}))
    wanted = {v for _, cells in kept for v in cells.values() if isinstance(v, int)}
    strings = book.strings(wanted | {v for _, _, v in outside if isinstance(v, int)})
    blank = {col for col, name in enumerate(names, start=1) if not name}
    cells_under = [(n, col, v) for n, c in kept for col, v in c.items() if col in blank]
    filled: dict[int, int] = {}  # a column with no heading → the first row with a value in it
    for number, col, value in sorted(cells_under + outside, key=lambda cell: cell[:2]):
        if _text(strings, value).strip():
            filled.setdefault(col, number)
    for col, number in sorted(filled.items()):
        letter = cell_name(1, col)[:-1]
        reporter.error((src, (1, col)), "LK103", headless(letter, cell_name(number, col)))
    out: list[Row] = []
    for number, cells in kept:
        text = {col: strings[v] if isinstance(v, int) else v for col, v in cells.items()}
        if any(t.strip() for t in text.values()):
            row = {name: text.get(col, "") for col, name in enumerate(names, start=1) if name}
            out.append((row, (src, (number, 1))))
    return out


def _text(strings: dict[int, str], value: xlsx.Value) -> str:
    return strings[value] if isinstance(value, int) else value


def _sheet_header(
    book: xlsx.Workbook,
    cells: dict[int, xlsx.Value],
    src: Source,
    reporter: Reporter,
    table: Table,
) -> list[str] | None:
    """The column names of a sheet's first row (None, reported, when it is no header)."""
    texts = _resolved(book, cells)
    if not texts:
        reporter.error(
            (src, (1, 1)), "LK104",
            f"the sheet's first row is empty; add a header row with a '{table.required}' column",
        )  # fmt: skip
        return None
    width = max(texts)
    if width > MAX_COLUMNS:
        reporter.error(
            (src, (1, width)), "LK105",
            f"the header goes on past column {MAX_COLUMNS}, the most a table may have",
        )  # fmt: skip
        return None
    names = [table.canonical(clean(texts.get(col, "")).lower()) for col in range(1, width + 1)]
    return names if _header(names, lambda col: (src, (1, col)), reporter, table) else None


def _resolved(book: xlsx.Workbook, cells: dict[int, xlsx.Value]) -> dict[int, str]:
    """A row's cells as text, shared strings looked up, empty cells left out."""
    strings = book.strings({v for v in cells.values() if isinstance(v, int)})
    text = {col: strings[v] if isinstance(v, int) else v for col, v in cells.items()}
    return {col: t for col, t in text.items() if t.strip()}


def _rows_from_list(
    items: Iterable[Any], reporter: Reporter, table: Table, count: _Count
) -> Iterable[Row]:
    located = items if isinstance(items, LocatedList) else None
    inline = Source(Path("<inline>"), "<inline>")
    for index, item in enumerate(items):
        where: Where = located.where(index) if located is not None else (inline, (None, None))
        count.row(where)
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
        cells: dict[str, str] = Located(item.src, item.pos) if isinstance(item, Located) else {}
        bad = False
        for raw, cell in item.items():
            key_where = item.where(raw) if isinstance(item, Located) else where
            key = table.canonical(str(raw).lower())
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
            cells[key] = "" if cell is None else str(cell)
            if isinstance(cells, Located) and isinstance(item, Located):  # where the key stands
                cells.key_pos[key] = item.at(str(raw))
        if not bad:
            yield cells, where


def _unknown(name: str, what: str, table: Table) -> str:
    close = difflib.get_close_matches(name, table.columns, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    known = ", ".join(table.columns)
    return f"unknown {table.noun} {what} '{name}'; {hint}known {what}s: {known}"


def cell_origins(cells: dict[str, str], src: Source | str, pos: Pos) -> dict[str, Origin]:
    """Where each cell of a row stands: a CSV cell's column and physical line (a quoted
    cell before it may span lines), a workbook's cell, a YAML or JSON key's line."""
    line, _ = pos
    if isinstance(cells, Located):
        return {k: (problem_path(src, p), *p) for k, p in cells.key_pos.items() if p[0]}
    if not isinstance(src, Source) or line is None:
        return {}
    if not src.sheet and src.path.suffix.lower() != ".csv":
        return {}
    out: dict[str, Origin] = {}
    for col, (key, text) in enumerate(cells.items(), start=1):  # in the header's order
        out[key] = (problem_path(src, (line, col)), line, col)
        if not src.sheet:
            line += text.count("\n")
    return out
