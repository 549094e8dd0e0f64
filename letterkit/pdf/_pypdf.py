"""Every use of pypdf beyond its documented API, in one place.

Each function says what it relies on; ``tests/unit/test_pypdf_contract.py``
checks each reliance against the installed pypdf and names the attribute and
the version when one no longer holds. Everything else in :mod:`letterkit.pdf`
uses pypdf's public API only.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfWriter
from pypdf.filters import ZLIB_MAX_OUTPUT_LENGTH
from pypdf.generic import NameObject

#: The pypdf version these reliances were checked against last.
CHECKED = "7.1.1"


def own_contents(writer: PdfWriter, page: PageObject) -> None:
    """Give *page* a content stream of its own in *writer*.

    Relies on ``PdfWriter._add_object`` (private): it adds an object to the
    writer and returns its indirect reference (pypdf has no public way to add
    an object). Needed because ``PageObject.merge_page`` rewrites the page's
    content stream in place (undocumented), so pages that share one stream
    would all get one page's stamp.
    """
    contents = page.get_contents()
    if contents is not None:
        page[NameObject("/Contents")] = writer._add_object(contents)


def zlib_limit() -> int:
    """The most bytes pypdf inflates from one Flate stream before it raises
    ``LimitReachedError``.

    Relies on ``pypdf.filters.ZLIB_MAX_OUTPUT_LENGTH``: not in the documented
    API (pypdf 7 marks it deprecated in favour of its configuration), but
    still the limit pypdf applies by default.
    """
    return int(ZLIB_MAX_OUTPUT_LENGTH)


def write_classic(writer: PdfWriter) -> bytes:
    """The bytes of *writer*'s document, for :mod:`letterkit.pdf.splice` to cut.

    Relies on what ``PdfWriter.write`` produces without being asked
    (undocumented): a classic cross-reference table (no cross-reference or
    object streams), every object written as ``n 0 obj … endobj`` with
    generation 0, and a document information dictionary (``/Info``) in the
    trailer.
    """
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
