"""Derived data kept between processes: a costly result (pyuca's collation
table parsed from its text file, a font's parsed tables, the sort keys of a
signatory list) turned into a file of the user cache folder once, and loaded
back fast by every later process.

Where: ``LETTERKIT_CACHE_DIR`` when set, else the platform's user cache folder
(``$XDG_CACHE_HOME/letterkit`` or ``~/.cache/letterkit`` on Linux,
``~/Library/Caches/letterkit`` on macOS, ``%LOCALAPPDATA%\\letterkit\\Cache``
on Windows). ``LETTERKIT_NO_CACHE=1`` (any value but empty, ``0``, ``no``,
``false`` or ``off``) turns it off: everything is computed in memory, as
without a cache.

An entry is named by a hash of everything it derives from (its *key*: the
data file's or font's content hash, the dependency's version), plus
letterkit's and Python's versions, so a changed input or upgrade is a new
entry and never a stale one. Entries are written to a temporary file in the
same folder and renamed into place, so two processes that build one entry at
once both succeed; each entry carries the hash of its own bytes. A missing,
truncated, damaged or unreadable entry, and a folder that cannot be created
or written (a read-only home, a full disk), are never errors: the value is
computed again. The cache holds only what could be computed again from the
same inputs, so a letter's bytes never depend on it.

Entries are :mod:`marshal` data (plain numbers, strings, bytes, lists, tuples
and dicts): loading one runs no code, whoever wrote the folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

#: Environment variable: the folder to keep the cache in.
CACHE_DIR_ENV = "LETTERKIT_CACHE_DIR"
#: Environment variable: set to 1 (or anything but 0 and "") to use no cache.
NO_CACHE_ENV = "LETTERKIT_NO_CACHE"

#: Values of ``LETTERKIT_NO_CACHE`` that leave the cache on (any other turns it off).
_NOT_SET = ("", "0", "no", "false", "off")
#: An entry's file name after its kind: a hash (see :func:`entry_name`).
_ENTRY = re.compile(r"-[0-9a-f]{40}")

#: The first bytes of every entry; a new layout of the file gets a new tag.
_MAGIC = b"LKC1"
_DIGEST = 32  # sha256


def folder() -> Path | None:
    """The cache folder, or None when ``LETTERKIT_NO_CACHE`` turns the cache off."""
    if os.environ.get(NO_CACHE_ENV, "").strip().lower() not in _NOT_SET:
        return None
    given = os.environ.get(CACHE_DIR_ENV, "")
    try:
        return Path(given).expanduser() if given else _platform_folder()
    except (RuntimeError, KeyError, OSError):  # no home folder to be found: no cache
        return None


def _platform_folder() -> Path:
    """The user cache folder for letterkit, as each platform's conventions place it."""
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / "letterkit" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "letterkit"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base_dir = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache"
    return base_dir / "letterkit"


def entry_name(kind: str, key: Sequence[object]) -> str:
    """The file name of the entry of *kind* derived from *key* (any values with a
    stable ``repr``), letterkit's version and Python's.

    >>> entry_name("uca", ["9.0.0", 1234])[:4], len(entry_name("uca", []))
    ('uca-', 44)
    """
    from letterkit import __version__

    ident = repr((kind, __version__, sys.implementation.cache_tag, marshal.version, *key))
    return f"{kind}-{hashlib.sha256(ident.encode()).hexdigest()[:40]}"


def cached(
    kind: str,
    key: Sequence[object],
    build: Callable[[], T],
    encode: Callable[[T], Any],
    decode: Callable[[object], T],
    keep: int | None = None,
) -> T:
    """The value of *kind* for *key*: decoded from its entry when the cache has a
    sound one, else built (and its entry written, when it can be).

    *keep* bounds the entries of a kind whose keys come from the user's data
    (a signatory list, a font of theirs): writing a new one removes the oldest
    beyond that many, so the folder does not grow with every list ever seen.

    *encode* turns the value into marshal data (a value it cannot encode
    raises, and is then not kept); *decode* turns that data back, raising on
    anything unexpected (the value is then built again).
    """
    where = folder()
    if where is None:
        return build()
    path = where / entry_name(kind, key)
    data = read(path)
    if data is not None:
        try:
            return decode(marshal.loads(data))
        except Exception:  # an entry of another shape, or damaged past the hash: build again
            pass
    value = build()
    try:
        payload = marshal.dumps(encode(value))
    except Exception:  # a value that is not plain data this time: keep it in memory only
        return value
    if write(path, payload) and keep is not None:
        prune(where, kind, keep)
    return value


def prune(where: Path, kind: str, keep: int) -> None:
    """Remove the oldest entries of *kind* in *where* beyond the newest *keep*
    (entries another process removes meanwhile are no error)."""
    entries = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(where):
            name = entry.name
            if name.startswith(kind) and _ENTRY.fullmatch(name, len(kind)):  # ours alone
                with contextlib.suppress(OSError):
                    entries.append((entry.stat().st_mtime_ns, entry.name))
    for _mtime, name in sorted(entries, reverse=True)[keep:]:
        with contextlib.suppress(OSError):
            os.unlink(where / name)


def read(path: Path) -> bytes | None:
    """The payload of the entry at *path*, or None when it is missing, unreadable
    or damaged (its hash does not match its bytes)."""
    try:
        blob = path.read_bytes()
    except (OSError, ValueError):
        return None
    head = len(_MAGIC) + _DIGEST
    if len(blob) < head or not blob.startswith(_MAGIC):
        return None
    payload = blob[head:]
    if hashlib.sha256(payload).digest() != blob[len(_MAGIC) : head]:
        return None
    return payload


def write(path: Path, payload: bytes) -> bool:
    """Write the entry at *path*: into a temporary file of the same folder, then
    renamed over it (another process building it at once gives the same bytes).
    A folder that cannot be made or written is no error; says whether it was written."""
    import tempfile

    blob = _MAGIC + hashlib.sha256(payload).digest() + payload
    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(blob)
        os.replace(temp, path)
    except OSError:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        return False
    return True
