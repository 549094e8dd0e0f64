"""An output folder made whole, or not at all: built in a temporary folder beside
it, then put in its place by renaming.

A merge writes its letters, the combined PDF and ``manifest.json`` into
:func:`staged`, a new hidden folder next to the output folder; whatever goes
wrong (a letter that does not match, Ctrl-C, a full disk), that folder is
removed and the output folder is as it was. :func:`put_in_place` renames the
finished folder to the output's name. An existing output folder is replaced
only when :func:`foreign_files` finds nothing in it a merge did not write
(the caller refuses otherwise); the two folders are swapped in one step where
the system can (Linux ``renameat2``), and otherwise the old one is moved
aside first, for an instant in which the output is absent.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import UsageError
from .manifest import MANIFEST
from .shape import RecordError, read_json

#: The names :func:`staged` gives its folders: ``.OUT.letterkit-XXXXXXXX.tmp``.
STAGING_SUFFIX = ".tmp"

_RENAME_EXCHANGE = 2  # linux/fs.h


def foreign_files(out: Path) -> list[str]:
    """The entries of the existing folder *out* that no merge wrote there (all
    of them when its ``manifest.json`` is not a merge's); [] when *out* is
    absent or empty, or holds only what its merge manifest names."""
    try:
        entries = sorted(os.listdir(out))
    except FileNotFoundError:
        return []
    owned = _merged_files(out) if MANIFEST in entries else set()
    return [name for name in entries if name not in owned]


def _merged_files(out: Path) -> set[str]:
    """The files the merge manifest in *out* names, itself included; none when
    it is not a merge's (a shard's, a bundle's with its state, another program's)."""
    try:
        data = read_json(out / MANIFEST)
    except (OSError, RecordError):
        return set()
    if not isinstance(data, dict) or "letterkit" not in data or "shard" in data:
        return set()
    names = {MANIFEST}
    for entry in data.get("letters") or []:
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            names.add(entry["file"])
    combined = data.get("combined")
    if isinstance(combined, dict) and isinstance(combined.get("file"), str):
        names.add(combined["file"])
    # Only regular files: a folder or a link by a letter's name was not written by a merge.
    return {n for n in names if _is_file(out / n)}


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


@contextlib.contextmanager
def staged(out: Path, shown: Path | str) -> Iterator[Path]:
    """A new, empty folder beside *out* (its parents made) to build the output
    in; removed with what it holds when the ``with`` block ends, unless
    :func:`put_in_place` took it. *shown* names *out* in an error."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        folder = Path(
            tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name[:80]}.letterkit-",
                             suffix=STAGING_SUFFIX)
        )  # fmt: skip
    except OSError as exc:
        raise UsageError(f"cannot make the output folder {shown}: {exc.strerror or exc}") from exc
    try:
        yield folder
    finally:
        if os.path.lexists(folder):
            shutil.rmtree(folder, ignore_errors=True)


def put_in_place(folder: Path, out: Path) -> None:
    """Rename the finished *folder* to *out*: an absent or empty *out* is simply
    taken; an existing one (checked by the caller) is swapped with it and the
    old files deleted."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(folder, 0o777 & ~mask)  # mkdtemp made it for its owner alone
    try:
        os.rename(folder, out)  # POSIX: replaces an empty folder too
        return
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise
    if not _exchange(folder, out):
        aside = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name[:80]}.letterkit-old-"))
        aside.rmdir()  # a name no one else takes: mkdtemp chose it
        os.rename(out, aside)
        os.rename(folder, out)
        folder = aside
    shutil.rmtree(folder, ignore_errors=True)  # now the old output


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2(RENAME_EXCHANGE)``);
    False where the system cannot."""
    name = ctypes.util.find_library("c")
    try:
        rename2 = ctypes.CDLL(name, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return False
    at_cwd = -100  # AT_FDCWD
    done = rename2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), _RENAME_EXCHANGE)
    return bool(done == 0)
