"""Markdown text → ReportLab flowables and footnote texts.

Stage 3 (typeset), first step. markdown-it-py (CommonMark, raw HTML and images off,
plus footnotes) turns the merged text into tokens; each block token becomes a
Paragraph, and inline tokens become ReportLab's paragraph markup with every
piece of text XML-escaped, so data can never become markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from reportlab.platypus import Flowable, Spacer

from .styles import LINK, Styles

_PARSER = (
    MarkdownIt("commonmark", {"html": False})
    .use(footnote_plugin)
    .disable(["image", "html_block", "html_inline"])
)


@dataclass
class Composed:
    """The letter body as flowables, and its notes as paragraph markup, in number order."""

    flowables: list[Flowable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


def xml(text: str) -> str:
    """Escape text for ReportLab paragraph markup."""
    return escape(text)


def inline_markup(children: Sequence[Token], collected: list[str] | None = None) -> str:
    """Inline tokens → ReportLab markup (bold, italic, links, note references)."""
    out: list[str] = []
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
            if collected is not None:
                collected.append(href)
            out.append(f"<a href={quoteattr(href)} color={quoteattr(LINK.hexval())}>")
        elif kind == "link_close":
            out.append("</a>")
        elif kind == "footnote_ref":
            number = int(tok.meta["id"]) + 1
            out.append(f'<a href="#lk-note-{number}"><super>{number}</super></a>')
        else:
            out.append(xml(tok.content))
    return "".join(out)


def compose(markdown: str, styles: Styles) -> Composed:
    """Parse the merged Markdown and build the body's flowables and notes."""
    env: dict[str, Any] = {}
    tokens = _PARSER.parse(markdown, env)
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
            markup = inline_markup(tok.children or [], result.text)
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
