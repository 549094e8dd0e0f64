"""Names an annex writes in a legacy encoding → the same bytes in the output.

A PDF name is bytes. Chinese producers write font names in GBK
(``/#BA#DA#CC#E5`` is 黑体, SimHei); a viewer that finds no embedded font
picks one by that name. pypdf decodes a name that is not UTF-8 as GBK or
Latin-1 and writes it back as UTF-8: other bytes, a font the viewer cannot
find, garbled text. So the names of an annex that are not UTF-8 are found in
its raw bytes and its object streams, and each object of the reader that holds one gets a name that
writes the bytes it was read from.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

from ._pypdf import object_stream_numbers

#: A name with at least one ``#xx`` escape of a byte above 0x7F.
_ESCAPED = re.compile(rb"/[!-~]*?#[89A-Fa-f][0-9A-Fa-f][^\x00\t\n\x0c\r ()<>\[\]{}/%]*")
#: The most objects walked to put the names back (a bound for hostile files).
MAX_OBJECTS = 200_000


class KeptName(NameObject):
    """A name that writes the very bytes it was read from (pypdf writes UTF-8)."""

    raw: bytes

    def __new__(cls, value: str, raw: bytes) -> KeptName:
        made = super().__new__(cls, value)
        made.raw = raw
        return made

    def renumber(self) -> bytes:
        """The name as the source file wrote it."""
        return self.raw

    def write_to_stream(self, stream: Any) -> None:
        """Write the source's bytes."""
        stream.write(self.raw)

    def clone(
        self, pdf_dest: Any, force_duplicate: bool = False, ignore_fields: Any = ()
    ) -> KeptName:
        """A copy that keeps the source's bytes."""
        return KeptName(str(self), self.raw)


def _unescape(token: bytes) -> bytes:
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), token)


def _as_pypdf_reads(raw: bytes) -> str | None:
    """The text pypdf makes of the name bytes *raw* when they are not UTF-8
    (it tries GBK, then Latin-1); None when they are UTF-8."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return None
    try:
        return raw.decode("gbk")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def legacy_names(data: bytes) -> dict[str, bytes]:
    """The names in *data* that are not UTF-8: pypdf's text of each → the bytes
    the file wrote (escaped as a name is written)."""
    found: dict[str, bytes] = {}
    for match in _ESCAPED.finditer(data):
        token = match.group()
        text = _as_pypdf_reads(_unescape(token))
        if text is not None:
            found.setdefault(text, token)
    return found


def of_reader(reader: PdfReader, data: bytes) -> dict[str, bytes]:
    """The names of the file *data* that *reader* reads, in its object streams
    too, that are not UTF-8 (see :func:`legacy_names`)."""
    found = legacy_names(data)
    for number in object_stream_numbers(reader):
        try:
            stream = reader.get_object(number)
            inflated = stream.get_data() if isinstance(stream, StreamObject) else b""
        except Exception:  # a broken object stream: pypdf reports it when it reads from it
            continue
        found.update(legacy_names(inflated))
    return found


def keep(reader: PdfReader, names: dict[str, bytes]) -> None:
    """Give every object of *reader* that holds one of *names* (as pypdf read
    it) a :class:`KeptName` with the source's bytes, values of dictionaries and
    arrays alike (dictionary keys are rebuilt by pypdf as it copies them)."""
    if not names:
        return
    seen: set[int] = set()
    todo: list[PdfObject] = [reader.trailer]
    while todo and len(seen) < MAX_OBJECTS:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            try:
                resolved = obj.get_object()
            except Exception:  # a broken object: pypdf reports it if the copy needs it
                continue
            if resolved is None:
                continue
            obj = resolved
        if isinstance(obj, DictionaryObject):
            for key, value in list(obj.items()):
                if isinstance(value, NameObject) and str(value) in names:
                    obj[key] = KeptName(str(value), names[str(value)])
                elif isinstance(value, (DictionaryObject, ArrayObject, IndirectObject)):
                    todo.append(value)
        elif isinstance(obj, ArrayObject):
            for index, value in enumerate(obj):
                if isinstance(value, NameObject) and str(value) in names:
                    obj[index] = KeptName(str(value), names[str(value)])
                elif isinstance(value, (DictionaryObject, ArrayObject, IndirectObject)):
                    todo.append(value)
