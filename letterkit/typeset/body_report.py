"""What the composed body keeps aside → problems naming the template and its line.

:func:`letterkit.typeset.compose.compose` records what the body holds that a
letter does not draw as written (raw HTML, a horizontal rule, a note nothing
refers to: warnings, LK115) and what cannot be drawn at all (an image that is
missing, remote or not a PNG or JPEG; a table too large): errors. Each is
reported here against the template file, at the line of the template that
writes it: the merged text's line numbers differ from the template's where
Jinja adds or removes lines, so the line is the one nearest to where the
merged text puts it that holds the problem's text.
"""

from __future__ import annotations

from ..input.sources import Reporter
from ..text.merge import MergedText
from .compose import Composed


def _body_start(lines: list[str]) -> int:
    """How many lines of the template come before its body (its front matter)."""
    if lines and lines[0].strip() == "---":
        for number, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                return number + 1
    return 0


def template_line(source: str, line: int | None, snippet: str) -> int | None:
    """The 1-based line of the template *source* that holds *snippet*, the one
    nearest to *line* (0-based, of the body) when several do; else None."""
    lines = source.splitlines()
    start = _body_start(lines)
    holding = [n for n, text in enumerate(lines, start=1) if snippet and snippet in text]
    if snippet.strip() and not holding:
        holding = [n for n, text in enumerate(lines, start=1) if text.strip() == snippet.strip()]
    if not holding:
        return None
    if line is None:
        return holding[0]
    expected = start + line + 1
    return min(holding, key=lambda n: (abs(n - expected), n))


def report_body(body: Composed, merged: MergedText, reporter: Reporter) -> None:
    """Report each problem the composed *body* holds, in the order it holds them."""
    for problem in body.problems:
        at = (merged.template, (template_line(merged.source, problem.line, problem.snippet), None))
        if problem.severity == "error":
            reporter.error(at, problem.code, problem.message)
        else:
            reporter.warning(at, problem.code, problem.message)


__all__ = ["report_body", "template_line"]
