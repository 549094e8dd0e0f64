"""A bundle's own records read back → checked values: the JSON of the state file
and of ``manifest.json`` is data from disk, and may have been edited, truncated
or made by someone else.

:func:`read_json` reads a record file within a size cap; :func:`letter_problem`
says what is wrong with one letter's line (every field and its type);
:func:`name_problem` says whether a file name from a record stays inside its
folder.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import LetterkitError
from ..input.campaign import filename_problem

#: The largest state file or manifest read back: 100,000 letters of about 450 bytes.
RECORD_BYTES = 48 * 1024 * 1024
#: The most values (counted by ``{``, ``[``, ``,`` and ``:``) such a file may
#: hold: about 20 a letter. A file of tiny values (``[{},{},…]``) would take
#: many times its size in memory once parsed; this bound keeps it near 200 MB.
RECORD_ITEMS = 3_000_000

_SHA256 = re.compile(r"[0-9a-f]{64}")

#: The fields of a letter's line in ``manifest.json``, and their types.
LETTER_FIELDS: dict[str, type] = {
    "id": str,
    "file": str,
    "recipient": str,
    "locale": str,
    "pages": int,
    "letter_pages": int,
    "bytes": int,
    "sha256": str,
}


class RecordError(LetterkitError):
    """A record file that cannot be read or parsed, with the reason."""


def read_json(path: Path) -> Any:
    """The JSON value in *path*: a regular file of at most :data:`RECORD_BYTES`.

    Raises :class:`FileNotFoundError` when there is no file, and
    :class:`RecordError` when it is not a readable JSON file (a FIFO, a folder,
    too large, not UTF-8, not JSON, nested too deeply)."""
    try:
        with _open_regular(path, follow=True) as handle:
            if os.fstat(handle.fileno()).st_size > RECORD_BYTES:
                raise RecordError(f"is larger than {RECORD_BYTES // (1024 * 1024)} MB")
            data = handle.read(RECORD_BYTES + 1)
        if len(data) > RECORD_BYTES:
            raise RecordError(f"is larger than {RECORD_BYTES // (1024 * 1024)} MB")
        if sum(data.count(c) for c in (b"{", b"[", b",", b":")) > RECORD_ITEMS:
            raise RecordError(f"holds more than {RECORD_ITEMS:,} values")
        return json.loads(data.decode("utf-8"))
    except (FileNotFoundError, RecordError):
        raise
    except OSError as exc:
        raise RecordError(f"cannot be read: {exc.strerror or exc}") from exc
    except RecursionError:
        raise RecordError("is not JSON a bundle writes (nested too deeply)") from None
    except ValueError as exc:  # not UTF-8, not JSON, a number too long
        raise RecordError(f"is not valid JSON ({str(exc)[:200]})") from None


def name_problem(name: object, *, pdf: bool = True) -> str | None:
    """Why *name* cannot be a letter's file name in a bundle folder, or None: it
    must be a plain name (a ``.pdf`` one, with *pdf*), with no folder, ``..``
    or leading dot."""
    if not isinstance(name, str):
        return f"must be a file name, not {_kind(name)}"
    if "\x00" in name or os.sep in name or "/" in name or "\\" in name:
        return f"'{_short(name)}' holds a path separator; a bundle names files in its own folder"
    problem = filename_problem(name)
    if problem:
        return problem.replace("renders ", "is ", 1)
    if pdf and not name.lower().endswith(".pdf"):
        return f"'{_short(name)}' is not the name of a PDF"
    return None


def letter_problem(entry: object) -> str | None:
    """What is wrong with one letter's line of a manifest or state file (naming
    the field), or None when every field is there with its type."""
    if not isinstance(entry, dict):
        return f"must be a mapping, not {_kind(entry)}"
    for key, kind in LETTER_FIELDS.items():
        value = entry.get(key)
        if key not in entry:
            return f"has no '{key}'"
        if not isinstance(value, kind) or isinstance(value, bool):
            return (
                f"'{key}' must be {'a whole number' if kind is int else 'text'}, not {_kind(value)}"
            )
        if isinstance(value, int) and not 0 <= value < 2**53:
            return f"'{key}' must be a whole number of 0 or more, not {value}"
    if not entry["id"]:
        return "'id' is empty"
    if not _SHA256.fullmatch(entry["sha256"]):
        return "'sha256' must be 64 lower-case hexadecimal digits"
    problem = name_problem(entry["file"])
    return f"'file' {problem}" if problem else None


def sha256_matches(path: Path, expected: str) -> bool:
    """Whether the regular file at *path* (not a link) holds bytes with this sha256."""
    digest = hashlib.sha256()
    try:
        with _open_regular(path, follow=False) as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return False
    return digest.hexdigest() == expected


def _open_regular(path: Path, *, follow: bool) -> BinaryIO:
    """*path* opened for reading when it is a regular file; a FIFO, device or
    folder (or, unless *follow*, a symbolic link) is an :class:`OSError`, and
    opening never blocks."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


def _short(name: str) -> str:
    return name if len(name) <= 80 else name[:77] + "…"
