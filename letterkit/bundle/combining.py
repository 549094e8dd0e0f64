"""A bundle run's letters → its combined PDF, appended while the run goes on.

Workers finish letters in any order; :class:`Feed` appends letter *i* to the
combined PDF (:class:`~letterkit.pdf.combine.Combined`) once every letter
before it is done, so the file is the same whatever the number of
processes, and only the letters done out of order wait, as names. A letter
that fails, an interruption or an error drops the temporary file: the
combined PDF is put in place only when every letter of the run is in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..pdf.combine import Combined
from .manifest import LetterResult, combined_entry, outline_title
from .state import State


class Feed:
    """The combined PDF *name* in *out* being made of the letters *ids*, in
    that order, as each is recorded in *state* (nothing when *name* is "")."""

    def __init__(self, out: Path, name: str, ids: list[str], state: State) -> None:
        self._out = out
        self._ids = ids
        self._state = state
        self._next = 0
        self._ready: set[str] = set()
        self._error: Exception | None = None
        self._writer = Combined(out / name) if name else None

    def done(self, rid: str) -> None:
        """Letter *rid* is on disk and recorded: append it, and the letters
        after it that were waiting for it."""
        if self._writer is None:
            return
        self._ready.add(rid)
        try:
            while self._next < len(self._ids) and self._ids[self._next] in self._ready:
                rid = self._ids[self._next]
                letter = LetterResult.from_entry(self._state[rid])
                self._writer.add(self._out / letter.file, letter.id, outline_title(letter))
                self._ready.discard(rid)
                self._next += 1
        except Exception as exc:  # told when the run ends, as the manifest is written
            self._error = exc
            self.abort()
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """No combined PDF from this run: its temporary file is deleted."""
        if self._writer is not None:
            self._writer.abort()
            self._writer = None

    def finish(self) -> dict[str, Any] | None:
        """Put the combined PDF in place; its manifest entry (None without one).
        Raises what went wrong while it was written."""
        if self._error is not None:
            raise self._error
        writer, self._writer = self._writer, None
        if writer is None:
            return None
        try:
            if self._next != len(self._ids):
                raise RuntimeError(f"the combined PDF lacks {self._ids[self._next]}'s letter")
            return combined_entry(writer.finish())
        except BaseException:
            writer.abort()
            raise
