"""Problems → GitHub Actions workflow commands, for ``letterkit check --format github``.

Each problem becomes one line such as
``::error file=letters/case.yaml,line=4,col=3,title=LK106::'date' is …``
(``::warning`` for a warning), which GitHub turns into an annotation on that
file and line of a pull request or a run.

GitHub places an annotation by its path from the repository's root, so each
problem's path is made into one: a problem names its file relative to the
working folder (or, failing that, to the spec's folder), and the path printed
is that file's path from the repository root, the nearest folder at or above
the spec's that holds ``.git`` (the working folder when there is none). A
problem whose file is outside the repository, or that names no file, gets no
``file=``; its location leads the message instead. A spreadsheet cell
(``book.xlsx[Signers]!B7``) annotates the workbook, and its sheet and cell lead
the message, as a line number means nothing in a workbook.

GitHub shows at most 10 error and 10 warning annotations per step (the
rest are in the log only), so the commands come errors first and, among
them, the most specific first: a table's cell or row, then a line of a spec or
template, then a problem with no line; otherwise in the order found.

Values are escaped as GitHub reads them: ``%``, CR and LF in the message, and
``:`` and ``,`` too in the properties. Control characters and bidi marks of the
input are first shown as escapes (:func:`~letterkit.errors.printable`), as in
the plain lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import MAX_SHOWN, MAX_SHOWN_PATH, Problem, printable

__all__ = ["escape_data", "escape_property", "github_commands", "repository_root"]


def escape_data(text: str) -> str:
    """The message of a workflow command, escaped as GitHub reads it.

    >>> escape_data("100% sure\\r\\nnext")
    '100%25 sure%0D%0Anext'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``file=``, ``title=``) of a workflow command, escaped.

    >>> escape_property("a:b,c%")
    'a%3Ab%2Cc%25'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repository_root(start: Path) -> Path | None:
    """The nearest folder at or above *start* that holds ``.git`` (a folder, or
    the file of a worktree or submodule); None outside any repository."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


#: The files whose problems name a cell or a row of a table.
_TABLES = (".csv", ".tsv", ".xlsx", ".xls", ".ods")


def github_commands(problems: Iterable[Problem], spec: str | Path) -> list[str]:
    """One workflow command per problem of checking *spec*: errors first, the
    most specific first (:func:`_rank`), else in order."""
    spec_path = Path(spec)
    spec_folder = (spec_path if spec_path.is_dir() else spec_path.parent).resolve()
    base = repository_root(spec_folder) or Path.cwd().resolve()
    return [_command(p, spec_folder, base) for p in sorted(problems, key=_rank)]


def _rank(problem: Problem) -> tuple[int, int]:
    """Errors before warnings; a table's cell or row, then a line, then the rest."""
    path = _split_cell(problem.path)[0]
    if "]!" in problem.path or path.lower().endswith(_TABLES):
        where = 0
    else:
        where = 1 if problem.line is not None else 2
    return (0 if problem.severity == "error" else 1, where)


def _command(problem: Problem, spec_folder: Path, base: Path) -> str:
    path, cell = _split_cell(problem.path)
    file = _in_repository(path, spec_folder, base)
    line = problem.line if cell is None and file is not None else None
    col = problem.col if line is not None else None
    message = printable(problem.message, MAX_SHOWN)
    if file is None:
        message = f"{_location(problem)}: {message}"
    elif cell is not None:
        message = f"{printable(cell, MAX_SHOWN_PATH)}: {message}"
    props = []
    if file is not None:
        props.append(f"file={escape_property(file)}")
    if line is not None:
        props.append(f"line={line}")
    if col is not None:
        props.append(f"col={col}")
    props.append(f"title={escape_property(problem.code)}")
    return f"::{problem.severity} {','.join(props)}::{escape_data(message)}"


def _split_cell(path: str) -> tuple[str, str | None]:
    """``book.xlsx[Signers]!B7`` → (``book.xlsx``, ``[Signers]!B7``); a file
    path → (the path, None). A sheet's name never holds ``[``."""
    if "]!" not in path or "[" not in path:
        return path, None
    file, _, cell = path.rpartition("[")
    return file, f"[{cell}"


def _in_repository(path: str, spec_folder: Path, base: Path) -> str | None:
    """*path*, as a problem gives it, from *base* with ``/`` between its parts;
    None when it names no file (``<letter>``) or one outside *base*."""
    if not path or path.startswith("<"):
        return None
    given = Path(path)
    candidates = [Path.cwd() / given, spec_folder / given]  # both *given* when absolute
    found = next((c for c in candidates if _exists(c)), candidates[0])
    try:
        return found.resolve().relative_to(base).as_posix()
    except (ValueError, OSError, RuntimeError):  # outside it, or a link that loops
        return None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long, a folder that may not be read
        return False


def _location(problem: Problem) -> str:
    """Where the problem is, as its plain line starts (``path:line:col``)."""
    where = printable(problem.path, MAX_SHOWN_PATH)
    if "]!" not in where and problem.line is not None:
        where += f":{problem.line}" + (f":{problem.col}" if problem.col is not None else "")
    return where
