"""A logo or an image annex on disk → an image ReportLab draws, checked first.

The file must be a PNG or a JPEG by its first bytes and hold at most
``Limits.image_pixels`` pixels by its header, before any decoder sees it;
Pillow then opens it with that one format, so no other plugin (EPS, which runs
Ghostscript) is ever tried. ReportLab copies a JPEG's bytes into the PDF as
they are (``DCTDecode``), so a JPEG that must not carry the photo's metadata
is handed over without it (:func:`letterkit.validate.images.strip_jpeg`); a
PNG's pixels are decoded and compressed again, so none of its chunks but the
pixels reach the PDF.

The image is decoded here, once (ReportLab keeps the pixels), so a damaged
image is an :class:`ImageError`, not a failure halfway through a page.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from reportlab.lib.utils import ImageReader

from .. import files, limits
from ..errors import LetterkitError
from ..validate.images import BadImage, kind, pixel_size, strip_jpeg, too_many_pixels


class ImageError(LetterkitError):
    """Why an image cannot be used: a phrase that follows the file's name."""

    #: The file, when the one who loaded it says which (a letterhead's logos).
    path: Path | None = None


def load(path: Path, *, strip: bool) -> ImageReader:
    """The image at *path*, checked, its pixels read; JPEG metadata dropped
    when *strip*. Raises :class:`ImageError`."""
    try:
        data = files.read_bounded(path, "image")
    except files.Refused as exc:
        raise ImageError(exc.reason) from exc
    return decode(data, strip=strip)


def decode(data: bytes, *, strip: bool) -> ImageReader:
    """An image file's bytes → its pixels, checked as :func:`load` does."""
    try:
        size = pixel_size(data)
        found = kind(data)
        if found == "JPEG" and strip:
            data = strip_jpeg(data)
    except BadImage as exc:
        raise ImageError(str(exc)) from exc
    cap = limits.current().image_pixels
    why = too_many_pixels(size, cap)
    if why:
        raise ImageError(why)
    assert found is not None  # pixel_size accepts PNG and JPEG only
    try:
        image = Image.open(io.BytesIO(data), formats=[found])
        # Pillow's own reading of the header is what its decoder will use.
        why = too_many_pixels(image.size, cap)
        if why:
            raise ImageError(why)
        # ReportLab passes a JPEG through only when it opens the bytes itself.
        reader = ImageReader(io.BytesIO(data) if found == "JPEG" else image)
        reader.getRGBData()
    except ImageError:
        raise
    except Exception as exc:  # Pillow and ReportLab raise many kinds for a damaged image
        raise ImageError(
            f"is not a readable PNG or JPEG image ({exc.__class__.__name__}); save it again"
        ) from exc
    return reader


__all__ = ["ImageError", "decode", "load"]
