"""Letters of a bundle → one PDF: an outline entry per recipient, page labels per
letter, and every identical object (font programs, annex pages) stored once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle

from ._pypdf import count_objects
from .annexes import pypdf_messages


def _runs(labels: Sequence[str]) -> list[tuple[int, int, str, int]]:
    """Page labels "1", "2", "A1-1"… → runs (first, last, prefix, start number)."""
    runs: list[tuple[int, int, str, int]] = []
    for index, label in enumerate(labels):
        prefix, _, number = label.rpartition("-") if "-" in label else ("", "", label)
        prefix = f"{prefix}-" if prefix else ""
        value = int(number) if number.isdigit() else 1
        if runs and runs[-1][2] == prefix and runs[-1][3] + (index - runs[-1][0]) == value:
            runs[-1] = (runs[-1][0], index, prefix, runs[-1][3])
        else:
            runs.append((index, index, prefix, value))
    return runs


def combine(letters: Sequence[tuple[Path, str, str]]) -> bytes:
    """(file, recipient id, outline title) of each letter → the combined PDF's bytes.

    A letter's pages keep their labels behind the recipient id (``R07:2``,
    ``R07:A1-3``) and its outline nests under the recipient's entry.
    """
    writer = PdfWriter()
    with pypdf_messages():
        for path, rid, title in letters:
            reader = PdfReader(path)
            labels = list(reader.page_labels)
            start = len(writer.pages)
            writer.append(reader, outline_item=title, import_outline=True)
            for first, last, prefix, number in _runs(labels):
                writer.set_page_label(
                    start + first,
                    start + last,
                    style=PageLabelStyle.DECIMAL,
                    prefix=f"{rid}:{prefix}",
                    start=number,
                )
        _store_once(writer)
        if letters:
            first_info: dict[str, Any] = dict(PdfReader(letters[0][0]).metadata or {})
            keep = {k: v for k, v in first_info.items() if k in ("/Creator", "/CreationDate")}
            writer.add_metadata(keep)
        writer.page_mode = "/UseOutlines"
        buffer = io.BytesIO()
        writer.write(buffer)
    return buffer.getvalue()


#: Most passes of merging identical objects. An object that refers to
#: duplicates is identical to its twin only once they are merged: an annex
#: stamp's form refers to its font, the font to its descriptor, the descriptor
#: to its program, each level one pass after the one below.
_PASSES = 8


def _store_once(writer: PdfWriter) -> None:
    """Merge identical objects, pass after pass, until a pass merges none."""
    live = count_objects(writer)
    for _pass in range(_PASSES):
        writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
        now = count_objects(writer)
        if now == live:
            return
        live = now
