"""Signatory lists (CSV, XLSX, YAML, JSON, or inline) → ordered :class:`Signatory` tuples.

Names are NFC-normalised and their whitespace folded, then printed exactly as
written. Every problem (unknown column, missing name, duplicate) is reported
with its file and physical line (for a spreadsheet, its sheet and cell), all
at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .model import Signatory, SignatoryOrder
from .sources import (
    Located,
    LocatedList,
    Pos,
    Reporter,
    Source,
    display_path,
    load_data_file,
    location,
    problem_path,
    read_text,
)

COLUMNS = (
    "name",
    "type",
    "acronym",
    "country",
    "affiliation",
    "title",
    "group",
    "sort_as",
    "lead",
    "withhold",
)
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}
_TYPES = {
    "organization": "organization",
    "organisation": "organization",
    "individual": "individual",
}


def clean(text: str) -> str:
    """NFC-normalise and fold whitespace (what every printed value goes through).

    >>> clean("  Justice\\u00a0 &   Peace ")
    'Justice & Peace'
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def load_signatories(
    value: Path | list[Any], where: tuple[Source, Pos], reporter: Reporter, sheet: str = ""
) -> list[Signatory]:
    """The spec's ``signatories`` value (a resolved file path or an inline list) → signatories.

    *sheet* names the worksheet of an ``.xlsx`` file (default: the first).
    """
    if isinstance(value, Path):
        path = value
        suffix = path.suffix.lower()
        if suffix == ".csv":
            rows = _read_csv(path, reporter)
        elif suffix in {".yaml", ".yml", ".json"}:
            data = load_data_file(path, reporter, "signatories file")
            if data is None:
                return []
            if not isinstance(data, list):
                src = data.src if isinstance(data, Located) else Source(path, str(path))
                reporter.error(
                    (src, (1, 1)), "LK105", "signatories file must hold a list of signatories"
                )
                return []
            rows = list(_rows_from_list(data, reporter))
        elif suffix == ".xlsx":
            rows = _read_xlsx(path, sheet, where, reporter)
        else:
            reporter.error(
                where,
                "LK105",
                f"signatories file must be .csv, .xlsx, .yaml or .json, not '{suffix}'",
            )
            return []
    elif isinstance(value, list):
        rows = list(_rows_from_list(value, reporter))
    else:
        reporter.error(where, "LK105", "signatories must be a file path or a list of signatories")
        return []
    return _build(rows, reporter)


Row = tuple[dict[str, str], tuple[Source, Pos]]


def _read_csv(path: Path, reporter: Reporter) -> list[Row]:
    src = read_text(path, reporter, "signatories file")
    if src is None:
        return []
    text = src.text
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        reporter.error(
            (src, (1, 1)),
            "LK104",
            "signatories file is empty; add a header row with a 'name' column",
        )
        return []
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    if not _header(names, lambda col: (src, (1, col)), reporter):
        return []
    rows: list[Row] = []
    previous_end = reader.line_num
    for record in reader:
        line = previous_end + 1
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


def _header(names: list[str], at: Callable[[int], tuple[Source, Pos]], reporter: Reporter) -> bool:
    """Check a header row (lower-cased names): known, unique, with 'name'."""
    ok = True
    for col, name in enumerate(names, start=1):
        if name in names[: col - 1]:
            ok = False
            reporter.error(
                at(col), "LK103", f"column '{name}' appears twice in the header; keep one"
            )
        elif name not in COLUMNS:
            ok = False
            reporter.error(at(col), "LK103", _unknown(name, "column"))
    if "name" not in names:
        ok = False
        reporter.error(at(1), "LK104", "the header has no 'name' column; add one")
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


def _read_xlsx(path: Path, sheet: str, where: tuple[Source, Pos], reporter: Reporter) -> list[Row]:
    """The rows of one worksheet (the first unless *sheet* names one), with cell positions."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    display = display_path(path)
    if not path.is_file():
        reporter.error(where, "LK101", f"signatories file {display} not found")
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
                (src, (1, 1)), "LK104", "the sheet is empty; add a header row with a 'name' column"
            )
            return []
        width = max((i + 1 for i, v in enumerate(header) if v not in (None, "")), default=0)
        names = [clean(_cell_text(v)).lower() for v in header[:width]]
        if not _header(names, lambda col: (src, (1, col)), reporter):
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


def _rows_from_list(items: Iterable[Any], reporter: Reporter) -> Iterable[Row]:
    located = items if isinstance(items, LocatedList) else None
    for index, item in enumerate(items):
        src = located.src if located is not None else Source(Path("<inline>"), "<inline>")
        pos = located.at(index) if located is not None else (None, None)
        if isinstance(item, str):
            yield {"name": item}, (src, pos)
            continue
        if not isinstance(item, dict):
            reporter.error(
                (src, pos), "LK105", "a signatory must be a name or a mapping with 'name'"
            )
            continue
        cells: dict[str, str] = {}
        bad = False
        for key, cell in item.items():
            key_pos = item.at(key) if isinstance(item, Located) else pos
            if str(key).lower() not in COLUMNS:
                reporter.error((src, key_pos), "LK103", _unknown(str(key), "key"))
                bad = True
                continue
            if cell is not None and not isinstance(cell, str | int | float | bool):
                reporter.error(
                    (src, key_pos),
                    "LK105",
                    f"signatory '{key}' must be text, not a list or mapping",
                )
                bad = True
                continue
            cells[str(key).lower()] = "" if cell is None else str(cell)
        if not bad:
            yield cells, (src, pos)


def _unknown(name: str, what: str) -> str:
    close = difflib.get_close_matches(name, COLUMNS, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown signatory {what} '{name}'; {hint}known {what}s: {', '.join(COLUMNS)}"


def _flag(value: str, field: str, where: tuple[Source, Pos], reporter: Reporter) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v not in _FALSE:
        reporter.error(where, "LK105", f"{field} must be true or false, not '{value}'")
    return False


def _build(rows: Sequence[Row], reporter: Reporter) -> list[Signatory]:
    out: list[Signatory] = []
    seen: dict[str, tuple[Source, Pos]] = {}
    for cells, where in rows:
        name = clean(cells.get("name", ""))
        if not name:
            reporter.error(
                where, "LK120", "signatory has no name; fill in the 'name' cell or delete the row"
            )
            continue
        kind = _TYPES.get(clean(cells.get("type", "")).lower() or "organization")
        if kind is None:
            reporter.error(
                where,
                "LK105",
                f"type must be 'organization' or 'individual', not '{cells['type']}'",
            )
            kind = "organization"
        key = name.casefold()
        if key in seen:
            reporter.error(
                where,
                "LK121",
                f"'{name}' is listed twice (also at {location(*seen[key])}); delete one row",
            )
            continue
        seen[key] = where
        out.append(
            Signatory(
                name=name,
                type=kind,  # type: ignore[arg-type]
                acronym=clean(cells.get("acronym", "")),
                country=clean(cells.get("country", "")),
                affiliation=clean(cells.get("affiliation", "")),
                title=clean(cells.get("title", "")),
                group=clean(cells.get("group", "")),
                sort_as=clean(cells.get("sort_as", "")),
                lead=_flag(cells.get("lead", ""), "lead", where, reporter),
                withhold=_flag(cells.get("withhold", ""), "withhold", where, reporter),
                origin=(problem_path(*where), where[1][0], where[1][1]),
            )
        )
    return out


@functools.cache
def _collator() -> Any:
    import pyuca

    return pyuca.Collator()


def icu_available() -> bool:
    """Whether PyICU (the ``icu`` extra) can be imported."""
    try:
        import icu  # noqa: F401
    except ImportError:
        return False
    return True


@functools.cache
def _icu_collator(tag: str) -> Any:
    import icu

    return icu.Collator.createInstance(icu.Locale(tag.replace("-", "_")))


def sort_key(signatory: Signatory) -> tuple[int, ...]:
    """The Unicode Collation Algorithm key (DUCET, the same on every machine)."""
    key: tuple[int, ...] = _collator().sort_key(signatory.sort_as or signatory.name)
    return key


def collation_key(collation: str, tag: str) -> Callable[[Signatory], Any]:
    """The sort key for ``collation: uca`` (pyuca, DUCET) or ``icu`` (PyICU, tailored
    to the letter's language, e.g. Turkish "Ç" after "C")."""
    if collation != "icu":
        return sort_key
    collator = _icu_collator(tag)
    return lambda s: collator.getSortKey(s.sort_as or s.name)


def ordered(
    signatories: Sequence[Signatory],
    order: SignatoryOrder,
    collation: str = "uca",
    locale: str = "en",
) -> list[Signatory]:
    """Signatories in print order: groups in order of first appearance; in each,
    lead signatories first (as given), then the rest (collated or as given),
    withheld names last."""
    groups: dict[str, list[Signatory]] = {}
    for s in signatories:
        groups.setdefault(s.group, []).append(s)
    key = collation_key(collation, locale) if order == "alphabetical" else sort_key
    out: list[Signatory] = []
    for members in groups.values():
        lead = [s for s in members if s.lead and not s.withhold]
        rest = [s for s in members if not s.lead and not s.withhold]
        if order == "alphabetical":
            rest.sort(key=key)
        out += lead + rest + [s for s in members if s.withhold]
    return out
