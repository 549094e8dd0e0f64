"""The parts of a letter → the objects its file writes once (for
:mod:`letterkit.pdf.splice`): each font subset that serves the own part,
the shared part and the annex stamps, and each stream that repeats
another's bytes.

The own part writes each character the shared part draws with the shared
part's code (:meth:`letterkit.typeset.document.LetterLayout.lay_out`), so
of a font's subset in the two parts, one draws all that the other draws:
the shared part's, or the own part's that grew it. :func:`embedded` finds
the subsets of a part; :mod:`letterkit.pdf.splice` keeps the shared part's
out of the template as *slots* and writes, in each letter, the subset that
serves both parts there, once. :func:`repeated` and :func:`same_streams`
find streams written twice (the same running head on each later page, the
same small stream pypdf copies for each annex page that draws it).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .numbering import obj as _obj
from .objstreams import is_stream, self_contained
from .parts import Parsed
from .syntax import Dict, Name, Ref, SpliceError, Value, parse, refs, write

#: A subset as both parts know it: the font's PostScript name and the subset's number.
Key = tuple[bytes, int]


@dataclass(frozen=True)
class Subset:
    """One embedded subset: its font dictionary, then the descriptor, the font
    program and the ToUnicode map it refers to."""

    objects: tuple[int, int, int, int]

    @property
    def font(self) -> int:
        return self.objects[0]


@dataclass
class Slot:
    """A shared subset kept out of a template: its numbers in the joined file
    and its objects' text, written when the own part's subset does not serve."""

    numbers: tuple[int, int, int, int]
    texts: tuple[bytes, bytes, bytes, bytes]


def embedded(part: Parsed) -> dict[Key, Subset]:
    """The TrueType subsets ReportLab embedded in *part*, by font and subset
    number (``/Name /F2+1`` is subset 1 of the document's font F2; the
    ``/BaseFont`` after its tag names the font). Anything shaped otherwise is
    left out: it is written as it is."""
    found: dict[Key, Subset] = {}
    for key, subset in _subsets(part).values():
        found.setdefault(key, subset)
    return found


def _subsets(part: Parsed) -> dict[int, tuple[Key, Subset]]:
    """Each TrueType subset as :func:`embedded` finds them, by its font dictionary."""
    found: dict[int, tuple[Key, Subset]] = {}
    for number, obj in part.objects.items():
        if b"/TrueType" not in obj.body or b"/ToUnicode" not in obj.body:
            continue
        font = obj.value
        if not isinstance(font, Dict) or font.get(b"/Type") != b"/Font":
            continue
        key = _key(font)
        descriptor = _ref(font, b"/FontDescriptor")
        to_unicode = _ref(font, b"/ToUnicode")
        if key is None or descriptor is None or to_unicode is None:
            continue
        described = part.objects.get(descriptor)
        value = described.value if described is not None else None
        program = _ref(value, b"/FontFile2") if isinstance(value, Dict) else None
        if program is None or program not in part.objects or to_unicode not in part.objects:
            continue
        found[number] = (key, Subset((number, descriptor, program, to_unicode)))
    return found


def stamp_subsets(part: Parsed, pages: list[int]) -> dict[Key, dict[int, Subset]]:
    """The subsets the stamps of *pages* draw with (the forms their resources
    name ``/LKStamp``…, see :mod:`letterkit.pdf.stamp`), by key and font
    dictionary. Nothing if a page or a form cannot be read."""
    subsets = _subsets(part)
    found: dict[Key, dict[int, Subset]] = {}
    try:
        for page in pages:
            resources = _direct(part, part.dict(page, "a page").get(b"/Resources"))
            forms = _direct(part, resources.get(b"/XObject")) if resources is not None else None
            for name, value in zip(forms.keys, forms.values, strict=True) if forms else ():
                if not name.startswith(b"/LKStamp") or not isinstance(value, Ref):
                    continue
                form = part.objects.get(value.num)
                head = form.value if form is not None else None
                used = _direct(part, head.get(b"/Resources")) if isinstance(head, Dict) else None
                fonts = _direct(part, used.get(b"/Font")) if used is not None else None
                for ref in fonts.values if fonts is not None else ():
                    if isinstance(ref, Ref) and ref.num in subsets:
                        key, subset = subsets[ref.num]
                        found.setdefault(key, {})[ref.num] = subset
    except SpliceError:
        return {}
    return found


def _direct(part: Parsed, value: Value | None) -> Dict | None:
    """*value*, or what it refers to, if a dictionary."""
    if isinstance(value, Ref):
        target = part.objects.get(value.num)
        value = target.value if target is not None else None
    return value if isinstance(value, Dict) else None


def _key(font: Dict) -> Key | None:
    """(PostScript name, subset number) of a ReportLab TrueType subset's font dictionary."""
    base, name = font.get(b"/BaseFont"), font.get(b"/Name")
    if font.get(b"/Subtype") != b"/TrueType" or not isinstance(base, Name):
        return None
    if not isinstance(name, Name) or len(base) < 9 or base[7:8] != b"+":
        return None
    _internal, plus, index = name.rpartition(b"+")
    if not plus or not index.isdigit():
        return None
    return bytes(base[8:]), int(index)


def _ref(value: Dict, key: bytes) -> int | None:
    try:
        return value.ref(key)
    except ValueError:  # not a reference: not a subset as ReportLab writes it
        return None


def stamp_slots(
    doc: Parsed, pages: list[int], extend: dict[bytes, int], again: dict[int, int]
) -> tuple[dict[Key, Slot], set[bytes]]:
    """The slots of the fonts of *extend* that the stamps of *pages* draw
    each subset of from one font object, once the objects *again* are
    written as the ones they repeat (see :func:`letterkit.pdf.splice.template`); and those fonts."""
    if not extend:
        return {}, set()
    found = {
        key: {num: subset for num, subset in subsets.items() if num not in again}
        for key, subsets in stamp_subsets(doc, pages).items()
    }
    slots: dict[Key, Slot] = {}
    extended: set[bytes] = set()
    for face, count in sorted(extend.items()):
        keys = [(face, index) for index in range(count)]
        if any(len(found.get(key, ())) != 1 for key in keys) or (face, count) in found:
            continue
        for key in keys:
            [subset] = found[key].values()
            a, b, c, d = subset.objects
            texts = tuple(doc.objects[num].text() for num in subset.objects)
            slots[key] = Slot((a, b, c, d), (texts[0], texts[1], texts[2], texts[3]))
        extended.add(face)
    return slots, extended


def moved_slots(slots: dict[Key, Slot], start: int) -> tuple[dict[Key, Slot], set[int]]:
    """*slots* with their streams (each font program and ToUnicode map)
    numbered from *start* on, in key order, their dictionaries' references
    following; and the numbers the streams leave. A letter writes a slot's
    streams after the template's objects, where their cross-reference rows
    are its own, and its dictionaries in its object stream, at places the
    template's rows fix (see :func:`letterkit.pdf.splice.template`)."""
    moved: dict[int, int] = {}
    for key in sorted(slots):
        for num in slots[key].numbers[2:]:
            if num not in moved:
                moved[num] = start
                start += 1
    out: dict[Key, Slot] = {}
    for key in sorted(slots):
        slot = slots[key]
        a, b, c, d = slot.numbers
        font, descriptor = (_renumbered(text, moved) for text in slot.texts[:2])
        out[key] = Slot(
            (a, b, moved[c], moved[d]), (font, descriptor, slot.texts[2], slot.texts[3])
        )
    return out, set(moved)


def _renumbered(text: bytes, moved: dict[int, int]) -> bytes:
    """A dictionary's text with its references to the objects of *moved* moved."""
    value, end = parse(text)
    return write(value, {num: moved.get(num, num) for num in refs(value)}) + text[end:]


def repeated(part: Parsed) -> dict[int, int]:
    """The streams of *part* that repeat an earlier one's bytes and refer to
    nothing (the running head of each later page is the same content), each
    with the number of the one written for both."""
    first: dict[bytes, int] = {}
    again: dict[int, int] = {}
    for num in sorted(part.objects):
        obj = part.objects[num]
        if b"stream" not in obj.body or b" R" in obj.body[: obj.body.find(b"stream")]:
            continue
        if not obj.tail:
            continue
        known = first.setdefault(obj.body, num)
        if known != num:
            again[num] = known
    return again


def placed_subsets(
    slots: dict[Key, Slot], own: Parsed, serve: dict[bytes, bool]
) -> tuple[dict[int, int], set[int], set[Key]]:
    """Where the own part's subsets go when one subset serves both parts: the
    template's numbers for each of its objects that is written there (own
    number → joined number), the own objects not written (the shared
    subset serves), and the slots the own part fills."""
    placed: dict[int, int] = {}
    skipped: set[int] = set()
    filled: set[Key] = set()
    if not slots or not serve:
        return placed, skipped, filled
    for key, subset in embedded(own).items():
        slot = slots.get(key)
        whose = serve.get(key[0])
        if slot is None or whose is None:
            continue
        if whose:  # the own subset grew the shared one: written at its numbers
            placed.update(zip(subset.objects, slot.numbers, strict=True))
            filled.add(key)
        else:  # the shared subset draws all the own one does
            placed[subset.font] = slot.numbers[0]
            skipped.update(subset.objects)
    return placed, skipped, filled


def _same_subsets(part: Parsed) -> dict[int, int]:
    """The objects of each subset of *part* that repeats an earlier one (the
    same program, map, descriptor and font dictionary but for the numbers),
    each with the number of the earlier one's object."""
    seen: dict[tuple[bytes, ...], Subset] = {}
    again: dict[int, int] = {}
    for _number, (_key, subset) in sorted(_subsets(part).items()):
        font, descriptor, program, to_unicode = (part.objects[n] for n in subset.objects)
        try:
            sign = (
                write(font.value, {subset.objects[1]: 0, subset.objects[3]: 0}),
                write(descriptor.value, {subset.objects[2]: 0}),
                program.body,
                to_unicode.body,
            )
        except SpliceError:  # a font refers to more: left as it is
            continue
        earlier = seen.setdefault(sign, subset)
        if earlier is not subset:
            again.update(zip(subset.objects, earlier.objects, strict=True))
    return again


#: A reference as pypdf writes it (a mention in a stream's data is looked at,
#: then found to be none when the object's value is read).
_MENTION = re.compile(rb"(?<![0-9])([0-9]{1,10})\s+0\s+R")

#: Streams this short are looked for twice in a template (pypdf writes the
#: small streams that bracket each stamped annex page once per page).
_SMALL = 256


def same_streams(part: Parsed) -> tuple[dict[int, int], dict[int, bytes]]:
    """For a template: the short streams of *part* that repeat an earlier one
    and refer to nothing, and the objects of each font subset that repeats
    an earlier one (the same stamps on the pages of two annexes), each with
    the number of the one written for both; and the text of each object
    that refers to one, its references moved to that one. Nothing when an
    object that may refer to one cannot be read (an annex's producer's
    syntax): then every object is written as it is."""
    first: dict[bytes, int] = {}
    again: dict[int, int] = {}
    for num in sorted(part.objects):
        body = part.objects[num].body
        at = body.find(b"stream")
        if len(body) > _SMALL or at < 0 or b"R" in body[:at]:
            continue
        known = first.setdefault(body, num)
        if known != num:
            again[num] = known
    again.update(_same_subsets(part))
    if not again:
        return {}, {}
    renumber = {n: again.get(n, n) for n in part.objects}
    texts: dict[int, bytes] = {}
    try:
        for num, obj in part.objects.items():
            if num in again or not any(int(n) in again for n in _MENTION.findall(obj.body)):
                continue
            if any(r in again for r in refs(obj.value)):
                texts[num] = obj.text(renumber)
    except SpliceError:
        return {}, {}
    return again, texts


def place(
    num: int,
    text: bytes,
    raw: bytes | None,
    out: bytearray,
    rows: dict[int, tuple[int, int, int]],
    packable: list[tuple[int, bytes]],
    streams: dict[bytes, int],
) -> None:
    """Object *num* of a template (*text*, or as written already, *raw*): a
    stream → appended to *out*, its row in *rows*, known by its text in
    *streams* if it refers to nothing; anything else → *packable*."""
    if not is_stream(text):
        packable.append((num, text))
        return
    rows[num] = (1, len(out), 0)
    out += raw if raw is not None else _obj(num, text)
    key = self_contained(text)
    if key is not None:
        streams.setdefault(key, num)


def as_template(
    streams: dict[bytes, int], own: Parsed, kept: set[int], mapping: dict[int, int]
) -> dict[int, bytes]:
    """The text of each of *own*'s streams that refers to no other object (a
    page's content, an image), but those of *kept*: a stream equal to one of
    *streams* (a template's, by a hash of their text: a logo in the
    letterhead and the body) is given that one's number in *mapping*, and
    empty text here."""
    texts: dict[int, bytes] = {}
    for num in sorted(own.objects) if streams else ():
        obj = own.objects[num]
        if num in kept or num in own.pages or not obj.tail:
            continue
        if next(refs(obj.value), None) is not None:
            continue
        text = obj.text(mapping)
        same = streams.get(hashlib.sha256(text).digest())
        texts[num] = text if same is None else b""
        if same is not None:
            mapping[num] = same
    return texts
