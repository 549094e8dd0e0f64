"""What the composed body keeps aside → problems naming the template and its line.

:func:`letterkit.typeset.compose.compose` records what the body holds that a
letter does not draw as written (raw HTML, a horizontal rule, a note nothing
refers to: warnings, LK115) and what cannot be drawn at all (an image that is
missing, remote or not a PNG or JPEG; a table too large): errors. Each is
reported here against the template file, and so is each link that prints as
text (:func:`report_links`), at the line of the template that
writes it: the merged text's line numbers differ from the template's where
Jinja adds or removes lines, so the line is the one nearest to where the
merged text puts it that holds the problem's text.
"""

from __future__ import annotations

from ..input.sources import Reporter
from ..text.merge import MergedText
from .compose import Composed, link_as_written

#: Links reported one by one; past these, one problem counts the rest.
LINKS_SHOWN = 20


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


def report_links(body: Composed, merged: MergedText, reporter: Reporter) -> None:
    """Report each link the body prints as text: a warning (LK113) for a target
    that is not a web page, an e-mail address or a note, an error (LK113) for a
    link to a place the letter does not have. Each names the template and the
    line that writes the target, when the template itself holds it; past
    :data:`LINKS_SHOWN` targets, one problem counts the others."""
    targets = dict(body.refused)  # each target once, in order of first use
    lines = merged.source.splitlines()
    for href, missing in list(targets.items())[:LINKS_SHOWN]:
        shown = href if len(href) <= 80 else href[:79] + "…"
        at = (merged.template, (_line_holding(lines, href), None))
        if missing:
            reporter.error(
                at, "LK113",
                f"the link to '{shown}' points to no place in the letter; "
                "fix the name after '#' or remove the link",
            )  # fmt: skip
        else:
            reporter.warning(
                at, "LK113",
                f"the link to '{shown}' prints as plain text: a letter links only to "
                "http, https and mailto addresses and to its own notes",
            )  # fmt: skip
    rest = list(targets.values())[LINKS_SHOWN:]
    if rest:
        report = reporter.error if any(rest) else reporter.warning
        report(
            (merged.template, (None, None)), "LK113",
            f"{len(rest):,} more links print as plain text or point to no place in the "
            "letter; a letter links only to http, https and mailto addresses and to its notes",
        )  # fmt: skip


def _line_holding(lines: list[str], href: str) -> int | None:
    """The number of the first of *lines* that holds the link target *href* (as
    written, or as markdown-it normalised it, its backslashes escaped or not), or None."""
    written = link_as_written(href)
    for target in dict.fromkeys((href, written, written.replace("\\", "\\\\"))):
        for number, line in enumerate(lines, start=1):
            if target in line:
                return number
    return None


__all__ = ["report_body", "report_links", "template_line"]
