"""Every error letterkit raises, and the problems it reports.

The tree::

    LetterkitError                  base of everything letterkit raises
    ├── ValidationError(ValueError) bad input; carries every Problem found
    ├── UsageError(ValueError)      a call that cannot work (bad option, output = input)
    └── InternalError               a fault in letterkit itself (LK900): please report it

The stages raise their own subclasses (an annex that cannot be read, a part
too large for a page…); :func:`letterkit.pipeline.build` turns each into a
:class:`ValidationError` with a coded problem, and anything else into an
:class:`InternalError`, in one place around all the stages.

A :class:`Problem` is one finding about the input, printed as
``path:line:col: error: [CODE] message``; the message says what would fix it.
The codes are stable, so tests and CI can match them; the table lives in
:data:`CODES` and in the README.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]

#: Stable problem codes and what they mean.
CODES: dict[str, str] = {
    "LK101": "a file that is named cannot be found",
    "LK102": "a file cannot be read or parsed",
    "LK103": "an unknown key or column",
    "LK104": "a required field is missing",
    "LK105": "a value has the wrong type or is not one of the allowed values",
    "LK106": "a date is not a valid ISO date (YYYY-MM-DD)",
    "LK107": "a path leaves the spec's folder or is a URL",
    "LK108": "a localizable text has no entry for the letter's locale",
    "LK109": "the layout words do not speak the letter's language, script or usage (a warning)",
    "LK110": "the template cannot be found",
    "LK111": "the template has a syntax error",
    "LK112": "the template uses a value the data does not supply",
    "LK113": "a value printed by the template is not allowed where it is printed",
    "LK114": "a template ran past its time or size limit",
    "LK115": "the body's Markdown holds something a letter does not draw as written (a warning)",
    "LK116": "a plain (not per-language) text prints in a letter of another language (a warning)",
    "LK120": "a signatory has no name",
    "LK121": "the same signatory is listed twice",
    "LK122": "the number of signatories differs from expected_signatories",
    "LK123": "two signatories look like one (names alike, or a name and an acronym) (a warning)",
    "LK124": "a text was damaged by a wrong encoding (?, �, Ã©) (a warning)",
    "LK125": "a value is wrapped in quote marks (a warning)",
    "LK130": "an annex file cannot be used",
    "LK131": "an annex was damaged and has been repaired (a warning)",
    "LK132": "something that runs, opens or sends files, or plays media was removed from an annex "
    "(a warning)",
    "LK133": "an annex page had no blank room for its stamp and got a strip at its foot (a warning)",
    "LK134": "files embedded in an annex were left out; 'attachments: keep' carries them (a warning)",
    "LK135": "an annex keeps an archived letter from being PDF/A: the letter is written tagged but "
    "not declared PDF/A (a warning)",
    "LK140": "a character cannot be drawn by any font",
    "LK141": "a font file cannot be used (CFF outlines, a web font, damaged)",
    "LK150": "a part of the letter is too large for a page",
    "LK160": "an output file name is not safe or not unique",
    "LK161": "shards to merge were built from different inputs",
    "LK162": "a shard's letter differs from its manifest (missing or changed)",
    "LK163": "a shard, or a letter of a shard, is missing from a merge",
    "LK900": "an internal error: please report it, with the output of --debug",
}


#: Characters of a problem's message at most printed (a quoted value can be huge).
MAX_SHOWN = 500
#: Characters of a problem's path at most printed.
MAX_SHOWN_PATH = 300

#: C0 and C1 controls, DEL, line and paragraph separators and bidi embedding,
#: override and isolate marks → visible escapes: printed, they could move the
#: cursor, retitle a terminal, start a new line, or reorder what a line shows.
_ESCAPES = {
    c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029,
              *range(0x202A, 0x202F), *range(0x2066, 0x206A))
}  # fmt: skip


def printable(text: str, most: int | None = None) -> str:
    """*text* as one safe line: control characters and bidi marks as escapes
    (``\\x1b``, ``\\u202e``), and cut to *most* characters with "…".

    >>> printable("red\\x1b[31m \\u202eevil")
    'red\\\\x1b[31m \\\\u202eevil'
    >>> printable("x" * 10, 5)
    'xxxx…'
    """
    return _cut(text.translate(_ESCAPES), most)


def _cut(text: str, most: int | None) -> str:
    return text if most is None or len(text) <= most else text[: most - 1] + "…"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about the input: where it is, how bad, and what would fix it."""

    path: str
    line: int | None
    col: int | None
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        """One line for a terminal or a log: control characters and bidi marks of
        the input shown as escapes, the path and the message cut when long."""
        where = printable(self.path, MAX_SHOWN_PATH)
        if "]!" in where:  # a spreadsheet cell, e.g. signatories.xlsx[Signers]!B7
            pass
        elif self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.severity}: [{self.code}] {printable(self.message, MAX_SHOWN)}"

    def as_dict(self) -> dict[str, object]:
        """The JSON form used by ``letterkit check --format json`` (the message
        cut as when printed; JSON itself escapes control characters)."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": _cut(self.message, MAX_SHOWN),
        }


class LetterkitError(Exception):
    """Base class of every error letterkit raises."""


class ValidationError(LetterkitError, ValueError):
    """The input has problems; :attr:`problems` lists every one found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid input")

    def __reduce__(self) -> tuple[Any, ...]:
        # Comes back whole from a bundle's worker process.
        return (type(self), (self.problems,))

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]


class UsageError(LetterkitError, ValueError):
    """The call itself cannot work (exit status 2 on the command line)."""


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """*problems* with those of each file by line and column (a file's problems
    without a line first), the files in the order they first appear; stable, so
    problems at one place keep the order they were found in. A workbook's cells
    (``book.xlsx[Sheet]!C7``) are of one file, in the order of their rows."""
    files: dict[str, list[Problem]] = {}
    for problem in problems:
        files.setdefault(problem.path.split("]!")[0], []).append(problem)
    return [
        problem
        for found in files.values()
        for problem in sorted(found, key=lambda p: (p.line or 0, p.col or 0))
    ]


def path_argument(value: object, what: str) -> None:
    """Raise :class:`UsageError` unless *value* is a path (``str`` or ``os.PathLike``)."""
    import os

    if not isinstance(value, str | os.PathLike):
        raise UsageError(
            f"{what} must be a file path (str or pathlib.Path), not {type(value).__name__}"
        )


class InternalError(LetterkitError):
    """A fault in letterkit, not in the input: :attr:`problem` says so in one line
    (code LK900); the exception it comes from is its ``__cause__``."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))

    @classmethod
    def from_exception(cls, where: str, exc: BaseException) -> InternalError:
        """The internal error for *exc*, raised while working on *where*."""
        text = str(exc).strip()
        line = text.splitlines()[0] if text else "no message"
        line = line if len(line) <= 200 else line[:199] + "…"
        return cls(Problem(
            where, None, None, "error", "LK900",
            f"internal error ({type(exc).__name__}: {line}); "
            "please report it, with the output of --debug",
        ))  # fmt: skip

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problem,))
