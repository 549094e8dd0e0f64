"""Font subsets tagged per document (``AAAAAB+NotoSerif``) → tagged by content.

ReportLab tags the subsets it embeds with a counter that starts again in
every document (``AAAAAA+``, ``AAAAAB+``…), so parts joined into one file, or
letters joined into a bundle, would have different subsets under one name.
:func:`name_subsets` renames each such subset after a hash of its font
program: the same subset gets the same name everywhere, different subsets
get different ones. It is the one renamer, used on the letter's own part, on
its shared part and on the template with the annexes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import zlib
from typing import TYPE_CHECKING

from .. import memo
from .syntax import Array, Dict, Name, Num, Ref, SpliceError, Value, dict_of

if TYPE_CHECKING:
    from .parts import Obj, Parsed

#: A tag from ReportLab's subset counter: its digits written as the letters A-K without H.
_COUNTER_TAG = re.compile(rb"/([A-GIJK]{6})\+")
_PROGRAMS = (b"/FontFile2", b"/FontFile", b"/FontFile3")


def subset_tag(program: bytes) -> str:
    """The six-letter tag of a font subset, made from its (decoded) program."""
    digest = hashlib.sha256(program).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


def stream_data(parsed: Parsed, obj: Obj) -> bytes:
    """A stream's data as written (its ``/Length`` bytes after ``stream``)."""
    tail = obj.tail
    start = tail.find(b"stream")
    if start < 0:
        raise SpliceError("a font program that is not a stream")
    start += 6
    start += 2 if tail[start : start + 2] == b"\r\n" else 1
    length = _direct(parsed, Dict.get(_dict(obj.value), b"/Length"))
    if isinstance(length, Num) and length.isdigit():
        return tail[start : start + int(length)]
    end = tail.rfind(b"endstream")
    return tail[start:end].rstrip(b"\r\n")


def _decoded(parsed: Parsed, obj: Obj) -> bytes:
    """A font program, decoded as a reader would decode it: Flate and ASCII85
    filters undone (the only ones ReportLab and pypdf write). A program with
    other filters, or one that does not decode, is named after its bytes as
    written: still a name that only this program gets."""
    data = stream_data(parsed, obj)
    head = _dict(obj.value)
    found = _direct(parsed, head.get(b"/Filter"))
    filters = found.items if isinstance(found, Array) else [found] if found is not None else []
    if head.get(b"/DecodeParms") is not None:
        return data
    try:
        for name in filters:
            if name == b"/FlateDecode":
                inflated = _inflate(data)
                if inflated is None:  # larger than any font program: named as written
                    return stream_data(parsed, obj)
                data = inflated
            elif name == b"/ASCII85Decode":
                data = base64.a85decode(data.strip(), adobe=data.strip().startswith(b"<~"))
            else:
                return stream_data(parsed, obj)
    except (zlib.error, ValueError, binascii.Error):
        return stream_data(parsed, obj)
    return data


#: The most a font program is inflated to for its name (an annex's font could
#: be a decompression bomb).
PROGRAM_MAX = 32 * 1024 * 1024


def _inflate(data: bytes) -> bytes | None:
    """*data* inflated, or None if it inflates beyond :data:`PROGRAM_MAX`."""
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, PROGRAM_MAX)
    if inflater.unconsumed_tail:
        return None
    return out + inflater.flush()


def _dict(value: Value) -> Dict:
    return value if isinstance(value, Dict) else Dict()


def _direct(parsed: Parsed, value: Value | None) -> Value | None:
    """*value*, or the value it refers to."""
    if isinstance(value, Ref):
        target = parsed.objects.get(value.num)
        return target.value if target is not None else None
    return value


def name_subsets(parsed: Parsed) -> set[int]:
    """Rename every subset of *parsed* tagged by ReportLab's counter after its
    content (``/QXHKBF+NotoSerif``): the descriptor's ``/FontName`` and the
    ``/BaseFont`` of the fonts that use it. Returns the numbers of the
    objects changed."""
    changed: set[int] = set()
    tags: dict[int, tuple[bytes, bytes]] = {}  # descriptor → (old tag, new tag)
    for number, obj in parsed.objects.items():
        if b"/FontDescriptor" not in obj.body and b"/DescendantFonts" not in obj.body:
            continue
        font = obj.value
        if not isinstance(font, Dict):
            continue
        found = _descriptor(parsed, font)
        if found is None:
            continue
        where, descriptor = found
        key = number if where is None else where  # a descriptor inside the font
        if key not in tags:
            renamed = _new_tag(parsed, descriptor)
            if renamed is None:
                continue
            tags[key] = renamed
            name = descriptor.get(b"/FontName")
            assert isinstance(name, Name)
            target = parsed.objects[key].edit()
            if where is None:
                target = dict_of(target.get(b"/FontDescriptor"), "a font descriptor")
            target.set(b"/FontName", Name(b"/" + renamed[1] + name[7:]))
            changed.add(key)
        old, new = tags[key]
        base = font.get(b"/BaseFont")
        if isinstance(base, Name) and base.startswith(b"/" + old + b"+"):
            parsed.objects[number].edit().set(b"/BaseFont", Name(b"/" + new + base[7:]))
            changed.add(number)
    return changed


def _descriptor(parsed: Parsed, font: Dict) -> tuple[int | None, Dict] | None:
    """(object number or None if direct, dictionary) of a font's descriptor,
    through its descendant font for a composite font."""
    value = font.get(b"/FontDescriptor")
    if value is None:
        kids = _direct(parsed, font.get(b"/DescendantFonts"))
        if not isinstance(kids, Array) or len(kids.items) != 1:
            return None
        child = _direct(parsed, kids.items[0])
        if not isinstance(child, Dict):
            return None
        value = child.get(b"/FontDescriptor")
        if value is None or not isinstance(kids.items[0], Ref) or not isinstance(value, Ref):
            return None
    target = _direct(parsed, value)
    if not isinstance(target, Dict):
        return None
    return (value.num if isinstance(value, Ref) else None), target


def _new_tag(parsed: Parsed, descriptor: Dict) -> tuple[bytes, bytes] | None:
    """(ReportLab's tag, the tag made from the program) of a descriptor's
    subset, or None if it is not a subset tagged by ReportLab's counter."""
    name = descriptor.get(b"/FontName")
    if not isinstance(name, Name):
        return None
    m = _COUNTER_TAG.match(name)
    if m is None:
        return None
    program = next((descriptor.get(k) for k in _PROGRAMS if k in descriptor), None)
    if not isinstance(program, Ref) or program.num not in parsed.objects:
        return None
    stream = parsed.objects[program.num]
    if not stream.tail:  # not a stream: an annex's producer's mistake, left as it is
        return None
    tag = _TAGS.get(stream.body)  # the program as written decides its tag
    if tag is None:
        tag = memo.keep(_TAGS, stream.body, subset_tag(_decoded(parsed, stream)).encode(), 64)
    return m.group(1), tag


#: Tags made from font programs, by the program as written: the letters of a
#: bundle embed the same subsets, and decoding each again costs more than the rest.
_TAGS: dict[bytes, bytes] = memo.table({})
