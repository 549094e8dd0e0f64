"""A named input file → its bytes (or a bounded stream), when it is a regular file of a bounded size.

Every file letterkit reads on a user's behalf (the spec, the case, a
signatory or recipient table, a template, the logo, a font, an annex) passes
through here first:

1. its path is resolved, links and all; a link that loops is refused, and
   so is a path that leads outside the allowed folder, when one is given;
2. it is looked at by name (``stat``, never ``open``): a folder, a FIFO, a
   socket or a device is refused before anything opens it, because opening
   a FIFO waits for a writer that never comes and reading ``/dev/zero``
   never ends;
3. its size is checked against the cap of its kind (:data:`CAPS`);
4. it is opened without waiting (``O_NONBLOCK``) and checked again, on the
   open file, to be that same regular file; and
5. it is read through a counter that stops at the cap plus one byte, so a
   file that grows while it is read, or whose size lies (``/proc``), stops
   there too.

Each refusal is a :class:`Refused` with the problem code and a message that
says what the file is and what would fix it.

Files letterkit writes (a PDF, a manifest) go through :func:`write_atomically`:
whole, or not at all.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from .errors import LetterkitError

MB = 1_000_000

Kind = Literal["spec", "case", "table", "template", "font", "image", "annex"]

#: Largest file of each kind, in bytes, checked before a byte is read.
CAPS: dict[str, int] = {
    # A letter spec or campaign file, and a case file: hand-written YAML, TOML
    # or JSON of a few kilobytes. 1 MB leaves room for long inline lists, and
    # keeps what a YAML parser builds from it (several hundred bytes a value)
    # well inside a run's memory.
    "spec": 1 * MB,
    "case": 1 * MB,
    # Signatory and recipient tables (CSV, XLSX, YAML, JSON): 20,000 signatories
    # with long affiliations come to about 40 MB of CSV.
    "table": 50 * MB,
    # A letter template: a few pages of Markdown and Jinja.
    "template": 1 * MB,
    # One TrueType font: full CJK fonts, the largest there are, come to 20-30 MB.
    "font": 30 * MB,
    # A logo or a photo annex: a 40-megapixel JPEG straight from a camera.
    "image": 30 * MB,
    # A PDF annex: a court record of a thousand scanned pages.
    "annex": 250 * MB,
}

#: How a message names the files of each kind ("the limit for fonts is 30 MB").
PLURAL: dict[str, str] = {
    "spec": "spec files",
    "case": "case files",
    "table": "tables",
    "template": "templates",
    "font": "fonts",
    "image": "images",
    "annex": "annexes",
}

#: Largest sum of the fonts in one ``fonts:`` folder: ReportLab keeps every font
#: it registers in memory, with its parsed tables, for the rest of the process.
FONTS_FOLDER_CAP = 60 * MB

_CHUNK = 1 << 20


def annex_kind(path: Path | str) -> Kind:
    """The kind of an annex file: an image (a PNG or JPEG, by its name) or a PDF."""
    return "image" if Path(path).suffix.lower() in {".png", ".jpg", ".jpeg"} else "annex"


class Refused(LetterkitError):
    """A named file letterkit does not read: ``code`` is the problem code, and
    ``reason`` says what the file is and what would fix it; it reads after the
    file's name (``"… is a FIFO (a named pipe), not a regular file; …"``)."""

    def __init__(self, code: str, reason: str, path: Path | None = None) -> None:
        super().__init__(f"{path} {reason}" if path is not None else reason)
        self.code = code
        self.reason = reason
        #: The file as it was named, when known.
        self.path = path


def size_text(size: int) -> str:
    """``3_100_000_000`` → ``'3.1 GB'`` (decimal units, as the caps are written).

    >>> size_text(30 * MB), size_text(1_500), size_text(12)
    ('30 MB', '1.5 kB', '12 bytes')
    """
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def real_path(path: Path) -> Path:
    """*path* made absolute with every link resolved; :class:`Refused` (LK102)
    for a link that loops, or a path the system cannot follow."""
    if "\0" in str(path):
        raise Refused("LK105", NUL, path)
    try:
        return Path(path).resolve()
    except RuntimeError as exc:  # how Python before 3.13 reports a loop
        raise Refused("LK102", _LOOP, path) from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused("LK102", _LOOP, path) from exc
        raise Refused("LK102", f"cannot be followed ({exc.strerror or exc})", path) from exc


NUL = "holds a NUL character, which no file name can hold; remove it"
_LOOP = "is a symbolic link that loops back on itself; replace it with the file it should name"


def kind_problem(mode: int) -> str:
    """Why a file of this ``st_mode`` cannot be read as an input ("" for a regular file)."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "is a folder, not a file; name a file"
    if stat.S_ISFIFO(mode):
        what = "a FIFO (a named pipe)"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    else:
        what = "a special file"
    return f"is {what}, not a regular file: give a file"


def regular_file(path: Path, kind: Kind, root: Path | None = None) -> os.stat_result:
    """*path* → its ``stat``, when it is a regular file within the cap of *kind*
    (and inside *root*, when given); raises :class:`Refused` otherwise.

    Nothing is opened: a FIFO or a device is refused by what its name is.
    """
    real = real_path(path)
    if root is not None and not real.is_relative_to(real_path(root)):
        raise Refused(
            "LK107",
            f"leads outside the folder '{root.name}' (a link?); put the file itself in the folder",
            path,
        )
    try:
        info = os.stat(real)
    except FileNotFoundError as exc:
        raise Refused("LK101", "is not there; check the path", path) from exc
    except OSError as exc:
        reason = _LOOP if exc.errno == errno.ELOOP else f"cannot be read ({exc.strerror or exc})"
        raise Refused("LK102", reason, path) from exc
    problem = kind_problem(info.st_mode)
    if problem:
        raise Refused("LK102", problem, path)
    if info.st_size > CAPS[kind]:
        raise Refused("LK102", _too_large(kind, info.st_size), path)
    return info


def fonts_folder_problem(fonts: Iterable[Path]) -> str:
    """Why a ``fonts:`` folder holding *fonts* is too large to load ("" when it is not),
    from their sizes alone (a file that is not regular counts nothing here: it is
    refused on its own)."""
    total = 0
    for path in fonts:
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            continue
        total += info.st_size if stat.S_ISREG(info.st_mode) else 0
    if total <= FONTS_FOLDER_CAP:
        return ""
    return (
        f"the fonts in the folder come to {size_text(total)}; the limit for a fonts folder "
        f"is {size_text(FONTS_FOLDER_CAP)}: keep only the fonts the letter needs"
    )


def _too_large(kind: Kind, size: int | None = None) -> str:
    """``is 3.1 GB; the limit for fonts is 30 MB`` (*size* None: it grew while read)."""
    cap = size_text(CAPS[kind])
    said = size_text(size) if size is not None else f"more than {cap}"
    if said == cap:  # just past the cap: the rounded size would read as the cap itself
        said = f"{size:,} bytes"
    return f"is {said}; the limit for {PLURAL[kind]} is {cap}"


class _Bounded(io.RawIOBase):
    """A regular file opened for reading that yields no byte past its kind's cap:
    a read that would go past it raises :class:`Refused` (LK102)."""

    def __init__(self, fd: int, kind: Kind, path: Path) -> None:
        super().__init__()
        self._fd = fd
        self.kind = kind
        self.path = path

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        position = os.lseek(self._fd, 0, os.SEEK_CUR)
        room = CAPS[self.kind] + 1 - position
        count = os.readv(self._fd, [view[: min(len(view), room)]]) if room > 0 else 1
        if position + count > CAPS[self.kind]:
            raise Refused("LK102", _too_large(self.kind), self.path)
        return count

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return os.lseek(self._fd, offset, whence)

    def tell(self) -> int:
        return os.lseek(self._fd, 0, os.SEEK_CUR)

    def close(self) -> None:
        if not self.closed:
            os.close(self._fd)
        super().close()


def _open(path: Path, kind: Kind, root: Path | None) -> tuple[int, os.stat_result]:
    """Open the regular file *path* names, checked by name first and again once open."""
    info = regular_file(path, kind, root)
    waitless = getattr(os, "O_NONBLOCK", 0)  # POSIX: a FIFO swapped in is opened without waiting
    flags = os.O_RDONLY | waitless | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(real_path(path), flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Refused("LK102", f"cannot be read ({exc.strerror or exc})", path) from exc
    opened = os.fstat(fd)
    same = (opened.st_dev, opened.st_ino) == (info.st_dev, info.st_ino)
    if not same or not stat.S_ISREG(opened.st_mode):
        os.close(fd)
        raise Refused("LK102", "changed while it was being opened; run again", path)
    if waitless:
        os.set_blocking(fd, True)
    return fd, opened


def open_bounded(path: Path, kind: Kind, root: Path | None = None) -> io.BufferedReader:
    """The regular file *path* names, opened as a buffered binary stream that
    raises :class:`Refused` when a read would pass the cap of *kind*; seekable
    (a workbook's zip reader needs that). Use it in a ``with`` block."""
    fd, _ = _open(path, kind, root)
    return io.BufferedReader(_Bounded(fd, kind, path), buffer_size=1 << 16)


def read_bounded(path: Path, kind: Kind, root: Path | None = None) -> bytes:
    """The bytes of the regular file *path* names, at most the cap of *kind*;
    raises :class:`Refused` for anything else (see the module's steps)."""
    fd, info = _open(path, kind, root)
    cap = CAPS[kind]
    try:
        first = os.read(fd, min(info.st_size, cap) + 1)  # the whole file, usually
        chunks, total = [first], len(first)
        while first and total <= cap:  # a file that grew, or whose size says 0
            chunk = os.read(fd, min(_CHUNK, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > cap:
        raise Refused("LK102", _too_large(kind), path)
    return first if len(chunks) == 1 else b"".join(chunks)


def head(path: Path, kind: Kind, count: int, root: Path | None = None) -> bytes:
    """The first *count* bytes of the regular file *path* names (a signature check)."""
    fd, _ = _open(path, kind, root)
    try:
        return os.read(fd, count)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: How the temporary files of :func:`write_atomically` are named: ``TEMP_PREFIX``,
#: eight random letters, digits or ``_``, and ``TEMP_SUFFIX``. A bundle removes
#: such files left by a killed run, and no others.
TEMP_PREFIX, TEMP_SUFFIX = ".letterkit-", ".tmp"


def write_atomically(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file and a rename."""
    import tempfile  # on the first write: importing letterkit stays light

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; a PDF is not
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
