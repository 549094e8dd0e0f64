"""``--open``: a written PDF → shown in the system's PDF viewer, once.

The viewer is ``os.startfile`` on Windows, ``open`` on macOS and ``xdg-open``
elsewhere; ``LETTERKIT_OPENER`` names another command (it gets the PDF's path
as its one argument), as ``BROWSER`` does for web pages. No viewer is not a
failure: the letter is written, and a hint says how to open it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TextIO

#: The environment variable that names the command to open PDFs with.
OPENER = "LETTERKIT_OPENER"


def _command() -> list[str] | None:
    """The command line that opens a file, without the file; None when the
    system has none (``os.startfile`` on Windows needs none)."""
    chosen = os.environ.get(OPENER, "").strip()
    if chosen:
        return shlex.split(chosen)
    name = "open" if sys.platform == "darwin" else "xdg-open"
    found = shutil.which(name)
    return [found] if found else None


def open_pdf(path: Path, err: TextIO) -> bool:
    """Open *path* in the viewer without waiting for it; True when a viewer was
    started. When none can be, say so on *err* with a hint, and return False."""
    target = str(Path(path).resolve())
    if sys.platform == "win32" and not os.environ.get(OPENER, "").strip():
        try:
            os.startfile(target)  # type: ignore[attr-defined]  # Windows only
            return True
        except OSError as exc:
            return _no_viewer(path, str(exc.strerror or exc), err)
    command = _command()
    if command is None:
        return _no_viewer(path, "no xdg-open or open command was found", err)
    try:
        subprocess.Popen(  # not waited for: the viewer lives on after letterkit
            [*command, target],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        return _no_viewer(path, f"{command[0]} could not be started ({exc.strerror or exc})", err)
    return True


def _no_viewer(path: Path, why: str, err: TextIO) -> bool:
    print(
        f"letterkit: note: {path} is written but not opened: {why}; open it yourself, "
        f"or set {OPENER} to the command of a PDF viewer",
        file=err,
    )
    return False
