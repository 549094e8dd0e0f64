"""The signatories' signature images → problems: each a PNG or JPEG that is
there, within the pixel limit, and printed by the ``signatures`` style only.

The files follow the logo's rules (:func:`letterkit.validate.files.logo`):
checked by name (there, a regular file, within the size cap), then by their
bytes (PNG or JPEG, the size in pixels from the header, a header Pillow can
read). Each problem is printed at the signatory's row.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from .. import memo
from ..model import Letter, Signatory
from ._check import Check, relative
from .files import image_problem, image_refused


def signature_path(signatory: Signatory, base: Path | str) -> Path | None:
    """Where a signatory's signature image is: a relative path is *base*'s
    (the letter's folder); None when it has none."""
    if signatory.signature is None:
        return None
    return Path(base) / signatory.signature


def signatures(letter: Letter, check: Check) -> None:
    """Every signature image can be drawn; images named under another style
    than ``signatures`` are a warning (they would not print)."""
    named = 0
    for index, s in enumerate(letter.signatories):
        if not isinstance(s, Signatory) or s.signature is None:
            continue
        path = f"letter.signatories[{index}].signature"
        if not isinstance(s.signature, str | PathLike) or not str(s.signature):
            check.add(
                path, "LK105", "'signature' must be the path of a PNG or JPEG file (None for none)",
                at=s.origin,
            )  # fmt: skip
            continue
        if s.withhold:
            check.add(
                path, "LK105",
                "a withheld signatory's signature is not printed; leave 'signature' empty",
                "warning", at=s.origin,
            )  # fmt: skip
            continue
        named += 1
        why = _problem(signature_path(s, letter.base_dir) or Path(), Path(letter.base_dir))
        if why is not None:
            check.add(path, why[0], why[1], at=s.origin)
    if named and letter.signatory_style != "signatures":
        check.add(
            "letter.signatory_style", "LK105",
            f"{named} signator{'y names' if named == 1 else 'ies name'} a signature image, "
            "which only 'signatory_style: signatures' prints; choose that style or clear "
            "the 'signature' column",
            "warning",
        )  # fmt: skip


#: (path, size, modification time) → why the image cannot be drawn ("" when it
#: can): a file several signers name, or every letter of a bundle, is read once.
_READ: dict[tuple[Path, int, int], str] = memo.table({})


def _problem(file: Path, base: Path) -> tuple[str, str] | None:
    """(code, message) for a signature file that cannot be drawn; None when it can."""
    shown = relative(file, base)
    refused = image_refused(file)
    if refused is not None and refused.code == "LK101":
        return "LK101", f"signature file '{shown}' not found; check the path"
    if refused is not None:
        return refused.code, f"the signature '{shown}' {refused.reason}"
    try:
        info = file.stat()
    except OSError:
        key = None
    else:
        key = (file, info.st_size, info.st_mtime_ns)
    why = _READ.get(key) if key is not None else None
    if why is None:
        why = image_problem(file)
        if key is not None:
            memo.keep(_READ, key, why, 256)
    if why:
        return "LK105", f"the signature '{shown}' {why}"
    return None
