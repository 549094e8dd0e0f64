"""Annex files → opened PDFs with their selected pages, or problems naming the file.

Opening happens before anything is laid out or written, so a broken or locked
annex stops the render with a clear error and no output.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, WrongPasswordError

from . import l10n
from .model import Annex
from .sources import Reporter, display_path


@dataclass
class OpenAnnex:
    """An annex ready to append: its reader and the 0-based pages to take."""

    annex: Annex
    number: int
    title: str
    reader: PdfReader
    pages: list[int]


def parse_ranges(spec: str, count: int) -> list[int]:
    """``"1-3,7"`` → ``[0, 1, 2, 6]``; raises ValueError for pages outside 1..count.

    >>> parse_ranges("1-3,7", 10)
    [0, 1, 2, 6]
    """
    if not spec.strip():
        return list(range(count))
    out: list[int] = []
    for part in spec.split(","):
        lo_s, _, hi_s = part.strip().partition("-")
        lo = int(lo_s)
        hi = int(hi_s) if hi_s else lo
        if lo < 1 or hi > count or lo > hi:
            raise ValueError(f"pages '{part.strip()}' is outside 1-{count}")
        out += range(lo - 1, hi)
    return out


def open_annexes(annexes: Sequence[Annex], locale: str, reporter: Reporter) -> list[OpenAnnex]:
    """Open every annex; report each one that cannot be used."""
    out: list[OpenAnnex] = []
    for number, annex in enumerate(annexes, start=1):
        where = (display_path(annex.path), (None, None))
        title = l10n.localize(annex.title, locale)
        try:
            reader = PdfReader(annex.path, strict=False)
            if reader.is_encrypted:
                password = annex.password or (
                    os.environ.get(annex.password_env, "") if annex.password_env else ""
                )
                if not reader.decrypt(password) and not password:
                    raise FileNotDecryptedError("needs a password")
            count = len(reader.pages)
        except (FileNotDecryptedError, WrongPasswordError):
            reporter.error(
                where,
                "LK130",
                f"annex {number} is encrypted and the password is missing or wrong; "
                "give 'password' or 'password_env' in the spec",
            )
            continue
        except DependencyError as exc:
            reporter.error(
                where,
                "LK130",
                f"annex {number} needs an extra package: {exc}; pip install 'pypdf[crypto]'",
            )
            continue
        except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
            reporter.error(
                where,
                "LK130",
                f"annex {number} is not a readable PDF ({exc}); export it again as PDF",
            )
            continue
        if count == 0:
            reporter.error(where, "LK130", f"annex {number} has no pages")
            continue
        try:
            pages = parse_ranges(annex.pages, count)
        except ValueError as exc:
            reporter.error(where, "LK130", f"annex {number}: {exc}; fix 'pages' in the spec")
            continue
        out.append(OpenAnnex(annex, number, title, reader, pages))
    return out
