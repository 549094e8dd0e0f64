"""A canvas's page code → the same code with marked-content sequences.

Tagged letters wrap what a paragraph or a picture drew in
``/P <</MCID n>> BDC … EMC`` and everything else on the page (rules, running
heads, page numbers) in ``/Artifact BMC … EMC`` (see
:mod:`letterkit.typeset.marking`).

Relies on: a canvas appends each piece of its page's content to the list
``Canvas._code`` (a text object as one item, ``drawText``), and joins the
list with newlines when it writes the page (``showPage``); ``transform``
merges a ``cm`` into the item before only when that item ends with ``" cm"``.
A link annotation enters ``Canvas._annotationrefs`` as a reference whose
``name`` finds the annotation in ``doc.idToObject``; an internal link's
annotation has its destination (``pdfdoc.Destination``, its ``name``) in
``Destination``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

#: What begins an item that is a whole marked-content sequence.
_MARKED = "%lk-marked\n"
#: Operators that leave marks on the page (text, paths, images, shadings).
_PAINTS = re.compile(r"(?:^|\s)(?:Tj|TJ|'|\"|S|s|f|F|f\*|B|B\*|b|b\*|Do|sh|BI)(?=\s|$)")


def position(canvas: Any) -> int:
    """Where what the canvas draws next begins in its page's code."""
    return len(canvas._code)


def wrap(canvas: Any, start: int, opener: str) -> bool:
    """Wrap what was drawn since *start* in *opener* … ``EMC`` (one item);
    False, and nothing changed, when nothing was drawn."""
    code = canvas._code
    drawn = code[start:]
    if not drawn:
        return False
    code[start:] = [_MARKED + opener + "\n" + "\n".join(drawn) + "\nEMC"]
    return True


def artifacts(canvas: Any) -> None:
    """Wrap each run of the page's items that is in no marked-content
    sequence and paints something in ``/Artifact BMC … EMC``."""
    code = canvas._code
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if any(_PAINTS.search(item) for item in run):
            out.append("/Artifact BMC\n" + "\n".join(run) + "\nEMC")
        else:
            out.extend(run)
        run.clear()

    for item in code:
        if item.startswith(_MARKED):
            flush()
            out.append(item[len(_MARKED) :])
        else:
            run.append(item)
    flush()
    code[:] = out


def annotation_count(canvas: Any) -> int:
    """How many annotations the page being drawn has."""
    return len(canvas._annotationrefs)


def annotation_targets(canvas: Any, start: int) -> list[str]:
    """The destination names of the page's annotations from *start* on
    (``""`` for a link to a web page)."""
    objects = canvas._doc.idToObject
    found = []
    for ref in canvas._annotationrefs[start:]:
        target = getattr(objects.get(getattr(ref, "name", None)), "Destination", None)
        found.append(str(getattr(target, "name", "")) if target is not None else "")
    return found


def table_rows(table: Any) -> list[tuple[Any, bool, list[Any]]]:
    """A table's rows as (the row's first cell, whether a header row, its cells).

    Relies on: ``Table._cellvalues`` holds the rows' cells (a flowable, a list
    of flowables or a string each); ``repeatRows`` (a count) are the rows
    repeated at the top of each part.
    """
    rows = []
    heads = table.repeatRows if isinstance(table.repeatRows, int) else 0
    for index, row in enumerate(table._cellvalues):
        cells: list[Any] = []
        for value in row:
            cells.extend(value if isinstance(value, (list, tuple)) else [value])
        cells = [c for c in cells if not isinstance(c, str)]
        if cells:
            rows.append((cells[0], index < heads, cells))
    return rows


def wrap_label(canvas: Any, start: int, label: str, body: str) -> bool:
    """Wrap what was drawn since *start*, a paragraph with its bullet, as two
    sequences: the first text object (the bullet: ``_drawBullet`` draws it
    before the lines) in *label* … ``EMC``, the text objects after it in
    *body* … ``EMC`` (with the colour set between them). False, and nothing
    changed, unless it was drawn so (``q``, a ``cm``, ``q``, the bullet's
    text object, the lines' text objects, ``Q``, ``Q``)."""
    code = canvas._code
    drawn = code[start:]
    texts = [i for i, item in enumerate(drawn) if item.startswith("BT")]
    if len(texts) < 2 or drawn[-2:] != ["Q", "Q"] or texts[-1] != len(drawn) - 3:
        return False
    first = texts[0]
    parts = [*drawn[:first], label, drawn[first], "EMC", body, *drawn[first + 1 : -2], "EMC"]
    code[start:] = [_MARKED + "\n".join([*parts, "Q", "Q"])]
    return True


def latin_only(text: str) -> bool:
    """Whether *text*'s letters are all Latin (and there is one)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(c, "") for c in letters)


def foreign_language(canvas: Any) -> str | None:
    """The language a tagged layout's canvas gives a Latin run in a letter
    whose script is not Latin (``/Span <</Lang (en)>> BDC``); None otherwise."""
    marker = getattr(canvas, "lk_marker", None)
    return getattr(marker, "foreign", None) if marker is not None else None


def settle(canvas: Any, start: int) -> None:
    """What was drawn since *start*, its text objects already holding their
    marked content: each other item that paints is an artifact (a bullet,
    a link's underline), and the lot is left as it is at the page's end."""
    code = canvas._code
    drawn = [
        item if "BDC" in item or not _PAINTS.search(item) else f"/Artifact BMC\n{item}\nEMC"
        for item in code[start:]
    ]
    if drawn:
        code[start:] = [_MARKED + "\n".join(drawn)]
