"""Excel workbooks (.xlsx) → rows of cell texts, read as a stream within fixed bounds.

A workbook is a zip of XML parts. Only the parts a table needs are read: the
workbook (its sheets), its relationships (where each sheet's part is), the
styles (which numbers are dates), one worksheet and, for the cells that are
kept, the shared strings. Before anything is decompressed, the zip's own
directory is checked: at most :data:`MAX_ENTRIES` entries, each part read at
most :data:`MAX_PART` bytes once inflated, all of them together at most
:data:`MAX_TOTAL` (the zip module stops a part at its declared size). Each part
is then parsed with expat as a stream of 64 KiB chunks, keeping only what a
row needs: the sheet's ``<dimension>`` is ignored, rows that are not in the
file cost nothing, a cell's text is kept up to the cell limit plus one
character, columns past :data:`MAX_COLUMNS` are only looked at, and a
document type declaration (so any entity) is refused.

Whatever is wrong with the file is an :class:`XlsxError` naming the part, and
where it can the sheet and cell.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from xml.parsers import expat

from .xlsxcells import (
    MAX_COLUMNS,
    MAX_ELEMENTS,
    SheetReader,
    SheetRow,
    Stop,
    StringReader,
    Value,
    XlsxError,
    is_date_code,
    too_many_elements,
)

__all__ = ["MAX_COLUMNS", "MAX_ENTRIES", "MAX_PART", "MAX_TOTAL", "Value", "Workbook", "XlsxError"]

#: Entries in the zip's directory.
MAX_ENTRIES = 10_000
#: Bytes of one inflated part that is read (a worksheet, the shared strings…).
MAX_PART = 128 * 1024 * 1024
#: Bytes of all parts of the zip together, inflated.
MAX_TOTAL = 512 * 1024 * 1024

_CHUNK = 64 * 1024
_RUN = 1024 * 1024
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
_DATE_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})


def _refuse_doctype(*_: Any) -> None:
    raise XlsxError("a part declares a document type (entities are not read)")


def _directory(handle: IO[bytes]) -> None:
    """Check the zip's end record before the zip module reads its directory."""
    size = handle.seek(0, 2)
    handle.seek(max(0, size - 22 - 65_535))
    tail = handle.read()
    handle.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise XlsxError("not a zip file")
    entries, directory = struct.unpack("<10xHI", tail[at : at + 16])
    if entries > MAX_ENTRIES or directory > MAX_ENTRIES * 1024:
        raise XlsxError(f"the zip holds more than {MAX_ENTRIES:,} entries")


class Workbook:
    """An open .xlsx file: its sheets, and streams over one sheet's rows."""

    def __init__(self, source: Path | IO[bytes], cell: int) -> None:
        """Open *source*: a path, or a binary stream that can seek (kept open by the caller)."""
        self.cell = cell  # characters kept of one cell's text (more marks it too long)
        handle = source.open("rb") if isinstance(source, Path) else source
        try:
            _directory(handle)
            self.zip = zipfile.ZipFile(handle)
        except (XlsxError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            if handle is not source:
                handle.close()
            if isinstance(exc, XlsxError):
                raise
            raise XlsxError(f"not a zip file ({exc})") from None
        self.handle = handle if handle is not source else None
        try:
            self._check_sizes()
            self._read_structure()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self.zip.close()
        if self.handle is not None:
            self.handle.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _check_sizes(self) -> None:
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise XlsxError(f"the zip holds more than {MAX_ENTRIES:,} entries")
        total = sum(info.file_size for info in infos)
        if total > MAX_TOTAL:
            raise XlsxError(
                f"its parts inflate to {total:,} bytes; a workbook may hold {MAX_TOTAL:,}"
            )
        self.names = {info.filename.lower(): info for info in infos}

    def _info(self, name: str) -> zipfile.ZipInfo | None:
        return self.names.get(name.lstrip("/").lower())

    def _parse(self, name: str, attach: Callable[[Any], None]) -> Iterator[None]:
        """Parse part *name* with the handlers *attach* sets on the parser, yielding
        after each chunk (so a caller can hand on the rows found so far)."""
        info = self._info(name)
        if info is None:
            raise XlsxError(f"the part {name} is missing")
        if info.file_size > MAX_PART:
            raise XlsxError(
                f"the part {name} inflates to {info.file_size:,} bytes; at most {MAX_PART:,}"
            )
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartDoctypeDeclHandler = _refuse_doctype
        parser.EntityDeclHandler = _refuse_doctype
        parser.buffer_text = True
        attach(parser)
        gap = 0  # bytes since the last '>': bounds what expat must hold in one token
        try:
            with self.zip.open(info) as part:
                while chunk := part.read(_CHUNK):
                    first = chunk.find(b">")
                    if gap + (len(chunk) if first < 0 else first) > _RUN:
                        raise XlsxError(
                            f"the part {name} holds over {_RUN:,} bytes without a '>' "
                            "(a tag or a text far longer than any cell)"
                        )
                    gap = gap + len(chunk) if first < 0 else len(chunk) - 1 - chunk.rfind(b">")
                    parser.Parse(chunk, False)
                    yield
                parser.Parse(b"", True)
                yield
        except Stop:
            return
        except expat.ExpatError as exc:
            raise XlsxError(
                f"the part {name} is not well-formed XML (line {exc.lineno}: "
                f"{expat.ErrorString(exc.code)})"
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as exc:
            raise XlsxError(f"the part {name} cannot be inflated ({exc})") from None
        except NotImplementedError as exc:
            raise XlsxError(f"the part {name} uses a compression not read here ({exc})") from None

    def _attributes(self, name: str, wanted: str) -> list[dict[str, str]]:
        """The attributes of every element *wanted* of part *name* (a small part)."""
        found: list[dict[str, str]] = []
        seen = [0]

        def start(tag: str, attrs: dict[str, str]) -> None:
            seen[0] += 1
            if seen[0] > MAX_ELEMENTS:
                raise too_many_elements(name)
            if tag.rpartition(" ")[2] == wanted:
                found.append(attrs)
                if len(found) > MAX_ENTRIES:
                    raise XlsxError(f"the part {name} holds more than {MAX_ENTRIES:,} {wanted}s")

        def attach(parser: Any) -> None:
            parser.StartElementHandler = start

        for _ in self._parse(name, attach):
            pass
        return found

    def _read_structure(self) -> None:
        package = "xl/workbook.xml"
        if self._info("_rels/.rels") is not None:
            for rel in self._attributes("_rels/.rels", "Relationship"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    package = rel.get("Target", package).lstrip("/")
        folder, leaf = posixpath.split(package)
        rels: dict[str, tuple[str, str]] = {}
        rels_name = posixpath.join(folder, "_rels", leaf + ".rels")
        if self._info(rels_name) is not None:
            for rel in self._attributes(rels_name, "Relationship"):
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else (
                    posixpath.normpath(posixpath.join(folder, target)))  # fmt: skip
                rels[rel.get("Id", "")] = (rel.get("Type", "").rpartition("/")[2], path)
        self.sheets: dict[str, str] = {}
        self.sheetnames: list[str] = []
        for sheet in self._attributes(package, "sheet"):
            kind, path = rels.get(sheet.get(_REL, ""), ("", ""))
            name = sheet.get("name", "")
            self.sheetnames.append(name)
            if kind == "worksheet" and name not in self.sheets:
                self.sheets[name] = path
        flags = self._attributes(package, "workbookPr")
        date1904 = bool(flags) and flags[0].get("date1904", "") in {"1", "true"}
        self.epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
        others = {kind: path for kind, path in rels.values()}
        self.shared = others.get("sharedStrings", "")
        self.dates = self._date_styles(others.get("styles", ""))

    def _date_styles(self, name: str) -> set[int]:
        """The style numbers (``s="3"``) whose number format shows a date."""
        if not name or self._info(name) is None:
            return set()
        codes: dict[int, str] = {}
        xfs: list[int] = []
        depth = {"cellXfs": 0, "elements": 0}

        def start(tag: str, attrs: dict[str, str]) -> None:
            depth["elements"] += 1
            if depth["elements"] > MAX_ELEMENTS:
                raise too_many_elements(name)
            local = tag.rpartition(" ")[2]
            if local == "numFmt" and attrs.get("numFmtId", "").isdigit():
                codes[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                depth["cellXfs"] += 1
            elif local == "xf" and depth["cellXfs"] and len(xfs) < 65_536:
                number = attrs.get("numFmtId", "0")
                xfs.append(int(number) if number.isdigit() else 0)

        def end(tag: str) -> None:
            if tag.rpartition(" ")[2] == "cellXfs":
                depth["cellXfs"] -= 1

        def attach(parser: Any) -> None:
            parser.StartElementHandler = start
            parser.EndElementHandler = end

        for _ in self._parse(name, attach):
            pass
        return {
            style
            for style, number in enumerate(xfs)
            if number in _DATE_IDS or (number in codes and is_date_code(codes[number]))
        }

    def rows(self, sheet: str) -> Generator[SheetRow, None, None]:
        """The rows of *sheet* that are in its part, in order, as they are parsed."""
        reader = SheetReader(sheet, self.cell, self.dates, self.epoch)
        for _ in self._parse(self.sheets[sheet], reader.attach):
            yield from reader.done
            reader.done.clear()

    def strings(self, wanted: set[int]) -> dict[int, str]:
        """The shared strings numbered in *wanted* (parsing stops after the last one)."""
        if not wanted:
            return {}
        if not self.shared:
            raise XlsxError("cells refer to shared strings, but the workbook has none")
        reader = StringReader(wanted, self.cell, self.shared)
        for _ in self._parse(self.shared, reader.attach):
            pass
        missing = wanted - reader.found.keys()
        if missing:
            raise XlsxError(f"a cell refers to shared string {min(missing)}, which is missing")
        return reader.found
