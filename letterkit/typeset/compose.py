"""Markdown text → ReportLab flowables and footnote texts.

Stage 3 (typeset), first step. markdown-it-py (CommonMark, raw HTML and images off,
plus footnotes) turns the merged text into tokens; each block token becomes a
Paragraph, and inline tokens become ReportLab's paragraph markup with every
piece of text XML-escaped, so data can never become markup. A link becomes a
link only to a web page, an e-mail address or one of the letter's notes;
any other prints as its text, and :func:`report_links` says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote
from xml.sax.saxutils import escape, quoteattr

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from reportlab.platypus import Flowable, Spacer

from ..input.sources import Reporter
from ..text.merge import MergedText
from .styles import LINK, Styles


class _Parser(MarkdownIt):
    """CommonMark that keeps every link as a link, whatever its target: markdown-it
    would print a ``javascript:`` link as its source text, silently; here
    :func:`link_target` judges each one, and a refused link is reported."""

    def validateLink(self, url: str) -> bool:
        return True


_PARSER = (
    _Parser("commonmark", {"html": False})
    .use(footnote_plugin)
    .disable(["image", "html_block", "html_inline"])
)

#: The only targets a link may have, besides the letter's own notes: a web page
#: or an e-mail address. Anything else (``pdf:`` would open another file, over
#: the network for a ``\\server`` path; ``file:``, ``javascript:``, a relative
#: name) prints as text.
_SCHEMES = re.compile(r"(?i)(https?://[^/?#\s\\]|mailto:[^\s])")
#: A ``mailto:`` field some mail programs act on by attaching a local file.
_ATTACH = re.compile(r"(?i)^mailto:[^?]*\?(?:.*[&;])?\s*attach")


@dataclass
class Composed:
    """The letter body as flowables, and its notes as paragraph markup, in number order."""

    flowables: list[Flowable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    #: Links printed as text: their targets, in order, each with whether it is
    #: an anchor the letter lacks (an error) rather than a refused target.
    refused: list[tuple[str, bool]] = field(default_factory=list)


def link_target(href: str, anchors: frozenset[str]) -> str | None:
    """What becomes of a link to *href*: None when it becomes a link (a web page,
    an e-mail address, or one of *anchors*, the letter's own places), else why it
    prints as text (``"refused"`` or ``"missing"``)."""
    if href.startswith("#"):
        return None if href[1:] in anchors else "missing"
    if _ATTACH.match(unquote(href)):
        return "refused"
    return None if _SCHEMES.match(href) else "refused"


def xml(text: str) -> str:
    """Escape text for ReportLab paragraph markup."""
    return escape(text)


def inline_markup(
    children: Sequence[Token],
    collected: list[str] | None = None,
    anchors: frozenset[str] = frozenset(),
    refused: list[tuple[str, bool]] | None = None,
) -> str:
    """Inline tokens → ReportLab markup (bold, italic, links, note references).

    A link whose target :func:`link_target` refuses prints as its text, and is
    added to *refused*."""
    out: list[str] = []
    linked: list[bool] = []  # for each open link: whether it became <a>
    for tok in children:
        kind = tok.type
        if kind == "text" or kind == "code_inline":
            out.append(xml(tok.content))
            if collected is not None:
                collected.append(tok.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("<br/>")
        elif kind == "strong_open":
            out.append("<b>")
        elif kind == "strong_close":
            out.append("</b>")
        elif kind == "em_open":
            out.append("<i>")
        elif kind == "em_close":
            out.append("</i>")
        elif kind == "link_open":
            href = str(tok.attrGet("href") or "")
            why = link_target(href, anchors)
            linked.append(why is None)
            if why is not None:
                if refused is not None:
                    refused.append((href, why == "missing"))
                continue
            if collected is not None:
                collected.append(href)
            out.append(f"<a href={quoteattr(href)} color={quoteattr(LINK.hexval())}>")
        elif kind == "link_close":
            if linked.pop() if linked else False:
                out.append("</a>")
        elif kind == "footnote_ref":
            number = int(tok.meta["id"]) + 1
            out.append(f'<a href="#lk-note-{number}"><super>{number}</super></a>')
        else:
            out.append(xml(tok.content))
    return "".join(out)


def _anchors(env: dict[str, Any]) -> frozenset[str]:
    """The places a link may point to: the letter's notes, ``lk-note-1``…"""
    notes = env.get("footnotes", {}).get("list", {})
    return frozenset(f"lk-note-{n + 1}" for n in range(len(notes)))


def compose(markdown: str, styles: Styles) -> Composed:
    """Parse the merged Markdown and build the body's flowables and notes."""
    env: dict[str, Any] = {}
    tokens = _PARSER.parse(markdown, env)
    anchors = _anchors(env)
    result = Composed()
    notes: dict[int, list[str]] = {}
    list_stack: list[dict[str, Any]] = []
    note_id: int | None = None
    quote_depth = 0
    pending_bullet: str | None = None
    for i, tok in enumerate(tokens):
        kind = tok.type
        if kind == "footnote_open":
            note_id = int(tok.meta["id"]) + 1
            notes[note_id] = []
        elif kind == "footnote_close":
            note_id = None
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind in {"bullet_list_open", "ordered_list_open"}:
            start = int(tok.attrGet("start") or 1)
            list_stack.append({"ordered": kind == "ordered_list_open", "n": start - 1})
        elif kind in {"bullet_list_close", "ordered_list_close"}:
            list_stack.pop()
            if not list_stack and note_id is None:
                result.flowables.append(
                    Spacer(1, styles.body.spaceAfter - styles.bullet.spaceAfter)
                )
        elif kind == "list_item_open":
            top = list_stack[-1]
            top["n"] += 1
            pending_bullet = f"{top['n']}." if top["ordered"] else "•"
        elif kind == "inline":
            markup = inline_markup(tok.children or [], result.text, anchors, result.refused)
            parent = tokens[i - 1].type if i else ""
            if note_id is not None:
                notes[note_id].append(markup)
            elif parent == "heading_open":
                result.flowables.append(styles.para(markup, styles.heading))
            elif list_stack:
                depth = len(list_stack)
                if styles.rtl:
                    style = styles.bullet.clone(
                        f"bullet{depth}-rtl", rightIndent=styles.bullet.rightIndent * depth
                    )
                else:
                    style = styles.bullet.clone(
                        f"bullet{depth}",
                        leftIndent=styles.bullet.leftIndent * depth,
                        bulletIndent=styles.bullet.bulletIndent
                        + styles.bullet.leftIndent * (depth - 1),
                    )
                result.flowables.append(styles.para(markup, style, bullet=pending_bullet))
                pending_bullet = None
            elif quote_depth:
                result.flowables.append(styles.para(markup, styles.quote))
            else:
                result.flowables.append(styles.para(markup, styles.body))
        elif kind in {"fence", "code_block"}:
            result.text.append(tok.content)
            result.flowables.append(
                styles.para(xml(tok.content).replace("\n", "<br/>"), styles.body)
            )
    result.notes = [" ".join(notes[k]) for k in sorted(notes)]
    return result


#: Links reported one by one; past these, one problem counts the rest.
_LINKS_SHOWN = 20


def report_links(body: Composed, merged: MergedText, reporter: Reporter) -> None:
    """Report each link the body prints as text: a warning (LK113) for a target
    that is not a web page, an e-mail address or a note, an error (LK113) for a
    link to a place the letter does not have. Each names the template and the
    line that writes the target, when the template itself holds it; past
    :data:`_LINKS_SHOWN` targets, one problem counts the others."""
    targets = dict(body.refused)  # each target once, in order of first use
    lines = merged.source.splitlines()
    for href, missing in list(targets.items())[:_LINKS_SHOWN]:
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
    rest = list(targets.values())[_LINKS_SHOWN:]
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
    written = _PARSER.normalizeLinkText(href)
    for target in dict.fromkeys((href, written, written.replace("\\", "\\\\"))):
        for number, line in enumerate(lines, start=1):
            if target in line:
                return number
    return None
