"""ReportLab, quicker at writing many similar documents: the same bytes, sooner.

A bundle writes hundreds of small ReportLab documents that embed the same font
subsets. Two of ReportLab's pure-Python steps then dominate, and both are
made cheaper here without changing a byte of output:

* compressing a large stream (a font program) is remembered, by its bytes;
* formatting a whole number (a glyph width: hundreds per font) takes ``str``,
  which gives what ReportLab's general number formatting gives for it.

:func:`install` is called when letterkit registers its fonts; it changes
nothing for other users of ReportLab in the process but the time taken.
"""

from __future__ import annotations

import functools
from typing import Any

from .. import memo

#: Shorter streams are compressed each time: they seldom repeat, and page
#: contents (which ReportLab passes as text) never reach the memory anyway.
_LARGE = 4096


@functools.cache
def install() -> None:
    """Put both shortcuts in place (once per process)."""
    from reportlab.pdfbase import pdfdoc

    _remember_compression(pdfdoc.PDFZCompress)
    number = pdfdoc.fp_str

    def fp_str(*values: Any) -> str:
        if len(values) == 1:
            value = values[0]
            if type(value) is int and -(2**52) < value < 2**52:
                return str(value)
        return number(*values)  # type: ignore[no-any-return]

    pdfdoc.fp_str = fp_str


def _remember_compression(flate: Any) -> None:
    encode = flate.encode
    done: dict[bytes, bytes] = memo.table({})

    def remembered(data: bytes | str) -> bytes:
        if not isinstance(data, bytes) or len(data) < _LARGE:
            return encode(data)  # type: ignore[no-any-return]
        packed = done.get(data)
        return packed if packed is not None else memo.keep(done, data, encode(data), 32)

    flate.encode = remembered
