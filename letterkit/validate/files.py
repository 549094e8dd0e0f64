"""Files a letter names: the logo, the fonts folder, the annexes (and their page ranges).

Checked without the stages that use them: a file exists and starts with the
bytes of its kind (a TrueType font; a PNG or JPEG logo, whose size in pixels
is read from its header and held to ``Limits.image_pixels``, and whose header
and checksums Pillow also reads); those stages parse the files fully, and
report what only a full parse can find.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from pathlib import Path

from .. import limits
from ..files import (
    Kind,
    Refused,
    annex_kind,
    fonts_folder_problem,
    head,
    read_bounded,
    regular_file,
)
from ..model import ATTACHMENTS, GENERATED, Annex, Letter
from . import images
from ._check import Check, relative

PAGES = re.compile(r"\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*")
#: First bytes of the font files ReportLab can embed (TrueType outlines,
#: or a collection of them), and of those it cannot.
TRUETYPE_MAGIC = (b"\x00\x01\x00\x00", b"true", b"ttcf")
OTHER_FONT_MAGIC = {
    b"OTTO": "CFF (PostScript) outlines",
    b"wOFF": "WOFF packing (a web font)",
    b"wOF2": "WOFF2 packing (a web font)",
}


def logo(path: Path, base: Path, check: Check, field: str = "letter.sender.logo") -> None:
    """A logo of the letterhead (the sender's, or a co-signer's at *field*): a
    PNG or JPEG file that is there, within the pixel limit by its header, with
    segments (for a JPEG) that can be walked."""
    shown = relative(path, base)
    refused = _refused(path, "image")
    if path.suffix.lower() not in {".png", ".jpg", ".jpeg"}:
        check.error(field, "LK105", _must_be_image(field, shown))
    elif refused is not None and refused.code == "LK101":
        check.error(field, "LK101", f"logo file '{shown}' not found")
    elif refused is not None:
        check.error(field, refused.code, f"the logo '{shown}' {refused.reason}")
    else:
        why = image_problem(path)
        if why:
            check.error(field, "LK105", f"the logo '{shown}' {why}")


def _must_be_image(field: str, shown: str) -> str:
    if field == "letter.sender.logo":  # worded as it always was
        return "the logo must be a PNG or JPEG file"
    return f"the logo '{shown}' must be a PNG or JPEG file"


def image_problem(path: Path) -> str:
    """Why an image (the logo, a signature) cannot be used ("" when it can): its bytes are checked
    before Pillow (which ReportLab draws images with) reads the header and,
    for a PNG, its chunks' checksums."""
    unreadable = "is not a readable PNG or JPEG image; save it again as PNG"
    try:
        data = read_bounded(path, "image")
    except Refused as exc:
        return exc.reason
    found = images.kind(data)
    if found is None:
        return unreadable
    try:
        size = images.pixel_size(data)
    except images.BadImage as exc:
        return str(exc)
    too_large = images.too_many_pixels(size, limits.current().image_pixels)
    if too_large:
        return too_large
    from PIL import Image  # a dependency of ReportLab; loaded only when a logo is named

    try:
        with Image.open(io.BytesIO(data), formats=[found]) as image:
            image.verify()
    except Exception:  # Pillow raises many kinds for a damaged image
        return unreadable
    return ""


def image_refused(path: Path) -> Refused | None:
    """Why *path* cannot be read as an image file, looked at by name only
    (not there, not a regular file, too large); None when it can."""
    return _refused(path, "image")


def _refused(path: Path, kind: Kind, root: Path | None = None) -> Refused | None:
    """Why *path* cannot be read as a *kind* (not there, not a regular file, too
    large, outside *root*), looked at by name only; None when it can."""
    try:
        regular_file(path, kind, root)
    except Refused as exc:
        return exc
    return None


#: File name endings of the fonts a ``fonts:`` folder may hold: TrueType-outline
#: fonts, OpenType fonts (usable when their outlines are TrueType) and collections.
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


def fonts(letter: Letter, check: Check) -> None:
    """A ``fonts:`` folder that is there and holds fonts with TrueType outlines only."""
    if letter.fonts is None:
        return
    folder = Path(letter.fonts)
    shown = relative(folder, letter.base_dir)
    if not folder.is_dir():
        check.error(
            "letter.fonts", "LK101", f"fonts folder {shown} not found; create it or fix the path"
        )
        return
    found = sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)
    if not found:
        check.error(
            "letter.fonts",
            "LK101",
            f"fonts folder {shown} holds no fonts (.ttf, .otf, .ttc or .otc files); add fonts "
            "or remove 'fonts'",
        )
    for path in found:
        try:
            regular_file(path, "font", folder)
        except Refused as exc:
            check.error("letter.fonts", "LK102", f"font {path.name}: {exc.reason}")
            continue
        problem = font_problem(path, folder)
        if problem:
            check.error("letter.fonts", "LK141", f"font {path.name}: {problem}")
    too_large = fonts_folder_problem(found)
    if too_large:
        check.error("letter.fonts", "LK102", f"fonts folder {shown}: {too_large}")


#: What to use instead of a font whose outlines ReportLab cannot embed.
USE_TTF = (
    "use the TrueType (.ttf) version of the font (Noto fonts come as .ttf from Google "
    "Fonts: NotoSans-Regular.ttf, NotoSansSC-Regular.ttf…)"
)


def font_problem(path: Path, folder: Path | None = None) -> str:
    """Why a file of a ``fonts:`` *folder* cannot be used ("" when its first bytes,
    or for a collection the first bytes of each face, are fine): it must be a
    regular file inside the folder, of a bounded size, with TrueType outlines."""
    try:
        first = head(path, "font", 4, root=folder)
        if first == b"ttcf":
            return outline_problem(read_bounded(path, "font", root=folder))
    except Refused as exc:
        return exc.reason
    return outline_problem(first)


def outline_problem(data: bytes) -> str:
    """Why the font in *data* (its first bytes at least; all of a collection)
    cannot be embedded by ReportLab ("" when it can): CFF outlines, a web font,
    no font at all, or a collection with no face of TrueType outlines."""
    first = data[:4]
    if first == b"ttcf":
        kinds = {data[at : at + 4] for at in collection_faces(data)}
        if kinds & set(TRUETYPE_MAGIC):
            return ""
        if not kinds:
            return "a font collection (.ttc) that holds no font; use a .ttf file"
        return (
            "a font collection whose fonts have CFF (PostScript) outlines (as Noto Sans CJK's "
            f".ttc has), which ReportLab cannot embed; {USE_TTF}"
        )
    if first in OTHER_FONT_MAGIC:
        return f"a font with {OTHER_FONT_MAGIC[first]}, which ReportLab cannot embed; {USE_TTF}"
    if first not in TRUETYPE_MAGIC:
        return "not a TrueType font; use a .ttf file with TrueType outlines"
    return ""


def collection_faces(data: bytes) -> list[int]:
    """Where each font of a collection (``ttcf``) starts in *data* (those that lie
    past its end are left out)."""
    if len(data) < 12:
        return []
    count = int.from_bytes(data[8:12], "big")
    offsets = data[12 : 12 + 4 * min(count, 4096)]
    found = [int.from_bytes(offsets[i : i + 4], "big") for i in range(0, len(offsets) - 3, 4)]
    return [at for at in found if at + 12 <= len(data)]


def _annex_file(letter: Letter, check: Check, path: str, file: object, which: str = "") -> None:
    """An annex file is there and may be read (*which*: the language it is for)."""
    if not isinstance(file, str | Path):
        check.error(path, "LK105", "an annex path must be a file path")
        return
    refused = _refused(Path(file), annex_kind(file))
    named = relative(Path(file), letter.base_dir)
    if refused is not None and refused.code == "LK101":
        check.error(path, "LK101", f"annex file '{named}'{which} not found; check the path")
    elif refused is not None:
        check.error(path, refused.code, f"annex file '{named}'{which} {refused.reason}")


def annexes(letter: Letter, check: Check) -> None:
    for index, annex in enumerate(letter.annexes):
        path = f"letter.annexes[{index}]"
        if not isinstance(annex, Annex):
            check.error(path, "LK105", "an annex must be an Annex")
            continue
        if annex.pages and not (isinstance(annex.pages, str) and PAGES.fullmatch(annex.pages)):
            check.error(
                f"{path}.pages",
                "LK105",
                f"'pages' must be 1-based ranges such as 1-3,7, not '{annex.pages}'",
            )
        check.choice(f"{path}.attachments", annex.attachments, ATTACHMENTS)
        if annex.generate:
            if annex.path is not None:
                check.error(f"{path}.generate", "LK105", "give 'generate' or 'path', not both")
            elif annex.generate not in GENERATED:
                check.error(
                    f"{path}.generate",
                    "LK105",
                    f"'generate' must be {' or '.join(GENERATED)}, not '{annex.generate}'",
                )
            continue
        if annex.path is None:
            check.error(path, "LK104", "an annex needs a 'path' (or 'generate')")
            continue
        if isinstance(annex.path, Mapping):  # {locale: file}: each file
            for key, one in annex.path.items():
                _annex_file(letter, check, f"{path}.path", one, f" (for {key})")
        else:
            _annex_file(letter, check, f"{path}.path", annex.path)
        env = annex.password_env
        if env and env not in os.environ:
            check.error(f"{path}.password_env", "LK104", f"environment variable {env} is not set")
