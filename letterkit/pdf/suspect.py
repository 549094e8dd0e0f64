"""An annex's first bytes, its raw bytes, or what a parser raised → what to
tell the user, and whether pypdf's view of the file can be trusted.

pypdf reads most files as their makers meant, but on a few it is silently
wrong: an image whose stream dictionary is followed by a comment before the
``stream`` keyword loses its data, and an incremental update that deletes an
object still shows the object of the revision before. Such files are rebuilt
by qpdf (which reads them right) before pypdf sees them; the checks here are
cheap scans of the raw bytes, so a clean annex costs nothing more.

When a file cannot be used, the reason is told in words a user understands:
what the file is when it is not a PDF (a Word document, a web page, a ZIP
archive…), and what a parser's failure means, never a Python exception's
name.
"""

from __future__ import annotations

import re

from pypdf.errors import LimitReachedError, PdfReadError

#: What a file that is not a PDF starts with → what it is, and how to make a PDF of it.
_OFFICE = "save it as PDF (File → Save As → PDF) and name that file in the spec"
_KINDS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word (.doc) or Office document", _OFFICE),
    (b"{\\rtf", "an RTF document", _OFFICE),
    (
        b"\x89PNG\r\n\x1a\n",
        "a PNG image",
        "name it with the .png suffix: letterkit lays images out",
    ),
    (b"\xff\xd8\xff", "a JPEG image", "name it with the .jpg suffix: letterkit lays images out"),
    (b"GIF8", "a GIF image", "save it as PNG or PDF and name that file in the spec"),
    (b"II*\x00", "a TIFF image", "save it as PNG or PDF and name that file in the spec"),
    (b"MM\x00*", "a TIFF image", "save it as PNG or PDF and name that file in the spec"),
    (b"%!PS", "a PostScript file", "convert it to PDF (ps2pdf) and name that file in the spec"),
)
#: Files inside a ZIP archive that say which office format it is.
_ZIPPED = (
    (b"word/", "a Word (.docx) document"),
    (b"application/vnd.oasis.opendocument.text", "a LibreOffice (.odt) document"),
    (b"application/vnd.oasis.opendocument", "a LibreOffice document"),
    (b"xl/", "an Excel (.xlsx) workbook"),
    (b"ppt/", "a PowerPoint (.pptx) presentation"),
)


def what_it_is(data: bytes) -> tuple[str, str] | None:
    """What the file *data* is, when it is plainly not a PDF: (what, how to
    fix); None when it may be a damaged PDF. A ZIP archive is told by the names
    of the files in it (an office document lists them at its end).

    >>> what_it_is(b"PK\\x03\\x04....word/document.xml")[0]
    'a Word (.docx) document'
    """
    lead = data[:1024].lstrip(b" \t\r\n\x00\xef\xbb\xbf")
    for magic, kind, fix in _KINDS:
        if lead.startswith(magic):
            return kind, fix
    if lead.startswith(b"PK\x03\x04"):
        for marker, kind in _ZIPPED:
            if marker in data:
                return kind, _OFFICE
        return "a ZIP archive", "unpack it and name the PDF inside it in the spec"
    low = lead[:256].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in low:
        return "an HTML page", "download the PDF itself, not the web page that links to it"
    return None


def shown(head: bytes) -> str:
    """What a file that is not a PDF starts with, safe to print on one line:
    its first printable words, or that it starts with binary data.

    >>> shown(b"oops\\x00\\x17\\x1b[2J")
    'it starts with “oops”'
    >>> shown(b"\\x00\\x17\\xff")
    'it starts with binary data, not text'
    """
    text = re.match(rb"[ -~]*", head[:40].lstrip(b" \t\r\n"))
    words = text.group().strip().decode("ascii") if text else ""
    if len(words) < 3:
        return "it starts with binary data, not text"
    return f"it starts with “{words[:32]}”"


#: A dictionary, then a comment, then ``stream``: pypdf takes the dictionary for
#: the whole object and drops the stream's data.
_COMMENT_BEFORE_STREAM = re.compile(
    rb">>[\x00\t\n\x0c\r ]*(?:%[^\r\n]*[\r\n]+[\x00\t\n\x0c\r ]*)+stream[\r\n]"
)
#: The offset and generation of a cross-reference entry, before its `` f``.
_ENTRY = re.compile(rb"[0-9]{10} [0-9]{5}")


def _frees_objects(data: bytes) -> bool:
    """Whether a cross-reference table of *data* marks an object free, other
    than the head of the free list (found with ``bytes.find``: a regular
    expression tried at every byte takes 100 ms a megabyte)."""
    pos = data.find(b" f", 16)
    while pos != -1:
        if data[pos + 2 : pos + 3] in (b"\r", b"\n", b" "):
            entry = data[pos - 16 : pos]
            if entry != b"0000000000 65535" and _ENTRY.fullmatch(entry):
                return True
        pos = data.find(b" f", pos + 2)
    return False


def misread_by_pypdf(data: bytes) -> str:
    """Why pypdf would show *data* other than it is ("" when nothing says so):
    what qpdf is asked to normalise the file for."""
    if _COMMENT_BEFORE_STREAM.search(data):
        return "a comment stands between a stream's dictionary and its data"
    if data.count(b"startxref") > 1 and _frees_objects(data):
        return "a later revision deletes objects an earlier one had"
    return ""


def reason(exc: BaseException) -> str:
    """What a parser's failure *exc* means, in a user's words (never a Python
    exception's name): pypdf's own message when it says what is wrong."""
    if isinstance(exc, RecursionError):
        return "its objects nest too deeply to be read safely"
    if isinstance(exc, MemoryError):
        return "it needs more memory to read than there is"
    if isinstance(exc, LimitReachedError):
        return limit_reason(exc)
    if isinstance(exc, PdfReadError) and str(exc).strip():
        return damage(str(exc))
    return BROKEN


#: What a failure that says nothing a user can act on means.
BROKEN = "its structure is broken in a way the PDF reader cannot follow"
#: A phrase in pypdf's message about damage (lower case) → what it means.
_DAMAGE: tuple[tuple[str, str], ...] = (
    ("elementary object", "an object holds something that is not a PDF value"),
    ("hexadecimal", "a hex string holds characters that are not hex digits"),
    ("pdf header", "something stands before its PDF header"),
    (
        "startxref",
        "its index of objects, the cross-reference table, is not where the file says",
    ),
    ("xref", "its index of objects, the cross-reference table, points to wrong places"),
    ("object stream", "an object stream says its objects are where they are not"),
    ("root object", "its trailer does not lead to the document's catalog"),
    ("null object", "an object it refers to cannot be read"),
    ("filter name", "a stream names its compression in a short form PDF readers no longer take"),
    ("trailer", "its trailer cannot be read"),
)
#: What shows a message is Python's, not a user's: an object written out,
#: bytes written as Python writes them, an offset, an escape.
_PYTHON = re.compile(r"\b[A-Z][a-z]+[A-Z]\w*\(|\bb['\"]|@\d|\\[nrtx]")


def damage(message: str) -> str:
    """What pypdf's *message* about a damaged file means, in a user's words:
    the meaning of a message it is known to give, else the message itself
    when it reads as words (at most 100 characters), else :data:`BROKEN`.

    >>> damage("Invalid Elementary Object starting with b'{' @753: b' 1 0 R'")
    'an object holds something that is not a PDF value'
    >>> damage("Unable to find 'endstream' marker for obj starting at 341.")
    "unable to find 'endstream' marker for obj starting at 341"
    """
    text = " ".join(message.split())
    low = text.lower()
    for phrase, words in _DAMAGE:
        if phrase in low:
            return words
    if not text or _PYTHON.search(text) or len(text) > 100:
        return BROKEN
    text = text.rstrip(".")
    return text[0].lower() + text[1:] if text[1:2].islower() else text  # "EOF" stays


def limit_reason(exc: LimitReachedError) -> str:
    """What a limit pypdf reached means (a stream that inflates too far is a
    decompression bomb; a nesting or count limit is not)."""
    text = str(exc).lower()
    if "cycle" in text or "cyclic" in text or "loop" in text:
        return "its objects refer to each other in a loop"
    if "depth" in text:
        return "its objects nest deeper than a PDF reader can safely follow"
    if "decompress" in text or "decoding" in text or "buffer" in text or "jbig2" in text:
        return "a stream inflates beyond what can be read safely (a decompression bomb?)"
    return "it holds more entries, or larger values, than a PDF reader can safely take"


def is_bomb(exc: BaseException) -> bool:
    """Whether *exc* is pypdf stopping a stream that inflates too far."""
    return isinstance(exc, LimitReachedError) and "bomb" in limit_reason(exc)


def nested(exc: BaseException) -> bool:
    """Whether *exc* is, or was caused by, running out of recursion depth
    (pypdf wraps it in its own errors)."""
    seen: BaseException | None = exc
    for _depth in range(8):
        if seen is None:
            return False
        if isinstance(seen, RecursionError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
