"""An image of the body, ``![alt text](chart.png)`` → a flowable drawn inside the measure.

The file is found like an annex: relative to the spec's folder, which it must
stay inside unless the letter allows otherwise; a URL is never fetched. It
must be a PNG or a JPEG by its first bytes and within the pixel limit
(:func:`letterkit.typeset.images.load`, which drops a JPEG's metadata).

It is drawn at its natural size at :data:`DPI` dots per inch, shrunk (never
enlarged) to the measure and to :attr:`BodySetting.image_height`, its aspect
ratio kept, at the start of the line (the right in a right-to-left letter).
The alt text prints nothing: it is kept on the flowable (``alt``), for the
tagged PDF to carry as the figure's alternate description.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from .. import files
from ..errors import LetterkitError
from . import marking
from .images import ImageError, decode

#: The resolution an image is drawn at when the measure leaves room for it:
#: a chart made for the screen (96 dpi) prints smaller but sharp.
DPI = 150
#: A link target that names a scheme (``https:``, ``data:``, ``file:``) or a host (``//``).
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]+:|//)")
_SUFFIXES = (".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class BodySetting:
    """What the body's layout needs from its letter: the measure, the tallest an
    image may be drawn, and where image files are found."""

    measure: float = 453.5
    image_height: float = 480.0
    #: The height of a page's text (a table's row taller than it is split).
    text_height: float = 728.5
    base: Path | None = None
    allow_outside: bool = False


class BodyImageError(LetterkitError, ValueError):
    """Why an image of the body cannot be drawn: a problem *code* and a phrase."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class BodyImage(Flowable):  # type: ignore[misc]
    """A picture of the body, scaled to fit; ``alt`` is its text alternative."""

    def __init__(
        self, reader: ImageReader, alt: str, max_height: float, rtl: bool = False, digest: str = ""
    ) -> None:
        super().__init__()
        self.reader = reader
        self.alt = alt
        #: The SHA-256 of the file: what a shared page drawing it is known by.
        self.digest = digest
        self.max_height = max_height
        pixels = reader.getSize()
        self.natural = (pixels[0] * 72 / DPI, pixels[1] * 72 / DPI)
        self.hAlign = "RIGHT" if rtl else "LEFT"
        self.drawWidth, self.drawHeight = self.natural

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, height = self.natural
        scale = min(1.0, availWidth / width, self.max_height / height)
        self.drawWidth, self.drawHeight = width * scale, height * scale
        return self.drawWidth, self.drawHeight

    def draw(self) -> None:
        with marking.figure(self.canv, self.alt or "image"):
            self.canv.drawImage(self.reader, 0, 0, self.drawWidth, self.drawHeight, mask="auto")

    def getSpaceBefore(self) -> float:
        return 3.0

    def getSpaceAfter(self) -> float:
        return 9.0


def find_image(src: str, setting: BodySetting) -> Path:
    """The file an image's link target names; raises :class:`BodyImageError`."""
    if _URL.match(src):
        raise BodyImageError(
            "LK107", "is a URL; letterkit never fetches: download the file and name it"
        )
    written = unquote(src)
    folder = (setting.base or Path.cwd()).resolve()
    try:
        path = files.real_path(folder / written)
    except files.Refused as exc:
        raise BodyImageError(exc.code, exc.reason) from exc
    if not setting.allow_outside and not path.is_relative_to(folder):
        raise BodyImageError(
            "LK107",
            "is outside the folder of the spec; move the file there or pass --allow-outside",
        )
    if path.suffix.lower() not in _SUFFIXES:
        raise BodyImageError("LK105", "must be a PNG or JPEG file")
    try:
        files.regular_file(path, "image")
    except files.Refused as exc:
        reason = "not found; check the path" if exc.code == "LK101" else exc.reason
        raise BodyImageError(exc.code, reason) from exc
    return path


#: The most pictures one body may draw, and the most different files among them:
#: each file is decoded and its pixels kept until the letter is written.
MAX_IMAGES = 100
MAX_FILES = 20


def body_image(
    src: str,
    alt: str,
    setting: BodySetting,
    rtl: bool,
    loaded: dict[Path, tuple[ImageReader, str]],
) -> BodyImage:
    """The image *src* of the body, checked and read once for the whole body
    (*loaded*: the files read so far); raises :class:`BodyImageError`."""
    path = find_image(src, setting)
    if len(loaded) >= MAX_FILES and path not in loaded:
        raise BodyImageError(
            "LK150", f"is one image file too many: a letter may show at most {MAX_FILES} files"
        )
    if path not in loaded:
        try:
            data = files.read_bounded(path, "image")
            reader, digest = decode(data, strip=True), hashlib.sha256(data).hexdigest()
        except ImageError as exc:
            raise BodyImageError("LK105", str(exc)) from exc
        except files.Refused as exc:
            raise BodyImageError(exc.code, exc.reason) from exc
        loaded[path] = (reader, digest)
    reader, digest = loaded[path]
    return BodyImage(reader, alt, setting.image_height, rtl, digest)


__all__ = [
    "DPI",
    "MAX_FILES",
    "MAX_IMAGES",
    "BodyImage",
    "BodyImageError",
    "BodySetting",
    "body_image",
    "find_image",
]
