"""What the rules share: a collector of findings, and how a path is shown."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from ..errors import Problem, Severity


@dataclass(frozen=True)
class Finding:
    """A problem and the field it is about (``letter.case.person.name``)."""

    field: str
    problem: Problem


@dataclass
class Check:
    """Collects findings; a field's problem is printed at the field's path."""

    found: list[Finding] = field(default_factory=list)

    def add(
        self,
        path: str,
        code: str,
        message: str,
        severity: Severity = "error",
        at: tuple[str, int | None, int | None] | None = None,
    ) -> None:
        """A problem about *path*, printed there, or at *at* (a signatory's row)."""
        where = at or (path, None, None)
        problem = Problem(where[0], where[1], where[2], severity, code, message)
        self.found.append(Finding(path, problem))

    def error(self, path: str, code: str, message: str) -> None:
        self.add(path, code, message)

    def choice(self, path: str, value: object, allowed: tuple[str, ...]) -> None:
        """*value* is one of *allowed*."""
        if value not in allowed:
            key = path.rsplit(".", 1)[-1]
            self.error(path, "LK105", f"'{key}' must be one of {', '.join(allowed)}, not '{value}'")

    def whole(self, path: str, value: object, bounds: tuple[int, int]) -> bool:
        """*value* is a whole number within *bounds* (True when it is)."""
        lo, hi = bounds
        if isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi:
            return True
        key = path.rsplit(".", 1)[-1]
        self.error(
            path, "LK105", f"'{key}' must be a whole number from {lo} to {hi}, not '{value}'"
        )
        return False

    def date(self, path: str, value: object, label: str) -> bool:
        """*value* is a :class:`datetime.date` (not a datetime, not text)."""
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return True
        if isinstance(value, dt.datetime):
            hint = f"give its day, datetime.date({value.year}, {value.month}, {value.day})"
        elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            hint = "give a datetime.date, e.g. datetime.date.fromisoformat(" + repr(value) + ")"
        else:
            hint = "give a datetime.date (in a file: YYYY-MM-DD, e.g. 2018-12-06)"
        shown = value if isinstance(value, str) else type(value).__name__
        self.error(path, "LK106", f"'{label}' is '{shown}', not a date; {hint}")
        return False


@functools.cache
def literal(alias: Any) -> tuple[str, ...]:
    """The words of a ``Literal[...]`` type of the model."""
    return tuple(str(v) for v in get_args(alias))


def relative(path: Path, base: Path) -> str:
    """A path as a problem prints it: relative to the letter's folder."""
    try:
        return os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return path.name
