"""Markdown text → ReportLab flowables and footnote texts.

Stage 3 (typeset), first step. markdown-it-py (CommonMark with footnotes and
GFM pipe tables; raw HTML prints as text) turns the merged text into tokens;
each block token becomes a flowable: a paragraph (its inline markup from
:mod:`.markup`, every piece of text escaped), a table (:mod:`.tables`) or an
image (:mod:`.body_images`). What the body holds that letterkit does not draw
as written (raw HTML, a horizontal rule, a note nothing refers to) is kept
in :attr:`Composed.problems`, for :mod:`.body_report` to report with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Spacer

from ..text.typography import Typographer
from .body_images import MAX_IMAGES, BodyImageError, BodySetting, body_image
from .labels import label_width, labelled, nested_rtl
from .markup import alt_text, inline_markup, link_target, xml
from .styles import Styles
from .tables import TableRows, TableTooLarge, table_flowable, with_first_rows


class _Parser(MarkdownIt):
    """CommonMark that keeps every link as a link, whatever its target: markdown-it
    would print a ``javascript:`` link as its source text, silently; here
    :func:`link_target` judges each one, and a refused link is reported."""

    def validateLink(self, url: str) -> bool:
        return True


_PARSER = (
    _Parser("commonmark", {"html": False})
    .use(footnote_plugin)
    .disable(["html_block", "html_inline"])
    .enable("table")
)

#: A reference to a note, ``[^label]``, not escaped and not the note itself (``[^label]:``).
_NOTE_CALL = re.compile(r"(?<!\\)\[\^([^\]\s]+)\](?!:)")
#: A tag or comment of raw HTML, as markdown-it would have read it.
_HTML = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|!--)")
#: Raw HTML tags reported; past these, no more warnings about raw HTML.
_HTML_SHOWN = 20


@dataclass(frozen=True)
class BodyProblem:
    """Something of the body that is not drawn as written: its severity, code and
    message, the line of the merged text it is on (0-based) and the text that
    finds it in the template."""

    severity: str
    code: str
    message: str
    line: int | None
    snippet: str


@dataclass
class Composed:
    """The letter body as flowables, and its notes as paragraph markup, in number order."""

    flowables: list[Flowable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    #: Links printed as text: their targets, in order, each with whether it is
    #: an anchor the letter lacks (an error) rather than a refused target.
    refused: list[tuple[str, bool]] = field(default_factory=list)
    problems: list[BodyProblem] = field(default_factory=list)
    #: The SHA-256 of each image drawn, in order (pages are shared by what they draw).
    images: list[str] = field(default_factory=list)


def _anchors(env: dict[str, Any]) -> frozenset[str]:
    """The places a link may point to: the letter's notes, ``lk-note-1``…"""
    notes = env.get("footnotes", {}).get("list", {})
    return frozenset(f"lk-note-{n + 1}" for n in range(len(notes)))


#: Block tokens that are drawn, or that only open and close what is.
_DRAWN = frozenset(
    f"{name}_{end}"
    for name in (
        "paragraph", "heading", "bullet_list", "ordered_list", "list_item", "blockquote",
        "footnote_block", "footnote", "footnote_reference", "table", "thead", "tbody", "tr", "th", "td",
    )
    for end in ("open", "close")
) | {"inline", "fence", "code_block", "footnote_anchor"}  # fmt: skip
#: What a warning calls a block that is not drawn.
_NOT_DRAWN = {"hr": "a horizontal rule (---, ***)"}


class _Composer:
    """The walk over the body's tokens, with what is open at each token."""

    def __init__(self, markdown: str, styles: Styles, setting: BodySetting) -> None:
        self.markdown = markdown
        self.styles = styles
        self.setting = setting
        self.env: dict[str, Any] = {}
        self.tokens = _PARSER.parse(markdown, self.env)
        self.anchors = _anchors(self.env)
        self.result = Composed()
        self.notes: dict[int, list[str]] = {}
        self.list_stack: list[dict[str, Any]] = []
        self.note_id: int | None = None
        self.quote_depth = 0
        self.pending_bullet: str | None = None
        self.table: TableRows | None = None
        self.table_refused = False
        self.table_line: int | None = None
        self.cell_align = ""
        self.line: int | None = None
        self.html_seen: set[str] = set()
        self.prev: Token | None = None
        self.index = 0
        self.loaded: dict[Path, tuple[ImageReader, str]] = {}

    def problem(self, severity: str, code: str, message: str, snippet: str = "") -> None:
        self.result.problems.append(BodyProblem(severity, code, message, self.line, snippet))

    def run(self) -> Composed:
        for i, tok in enumerate(self.tokens):
            self.index = i
            if tok.map:
                self.line = tok.map[0]
            self.prev = self.tokens[i - 1] if i else None
            self.block(tok, self.prev.type if self.prev else "")
        self.result.notes = ["<br/>".join(self.notes[k]) for k in sorted(self.notes)]
        self.unreferenced()
        return self.result

    def block(self, tok: Token, parent: str) -> None:
        kind = tok.type
        if kind == "footnote_open":
            self.note_id = int(tok.meta["id"]) + 1
            self.notes[self.note_id] = []
        elif kind == "footnote_close":
            self.note_id = None
        elif kind in {"blockquote_open", "blockquote_close"}:
            self.quote_depth += 1 if kind == "blockquote_open" else -1
        elif kind in {"bullet_list_open", "ordered_list_open"}:
            self.open_list(tok)
        elif kind in {"bullet_list_close", "ordered_list_close"}:
            self.list_stack.pop()
            if not self.list_stack and self.note_id is None:
                gap = self.styles.body.spaceAfter - self.styles.bullet.spaceAfter
                self.result.flowables.append(Spacer(1, gap))
        elif kind == "list_item_open":
            top = self.list_stack[-1]
            top["n"] += 1
            self.pending_bullet = f"{self.styles.numeral(top['n'])}." if top["ordered"] else "•"
        elif kind.startswith(("table_", "tr_", "th_", "td_")):
            self.table_token(tok)
        elif kind == "inline":
            self.inline(tok, parent)
        elif kind in {"fence", "code_block"}:
            self.result.text.append(tok.content)
            markup = xml(tok.content).replace("\n", "<br/>")
            # printed as written: no quotes or ties in code
            self.result.flowables.append(self.styles.para(markup, self.styles.body, educated=True))
            if kind == "code_block":  # a fence is asked for; an indent is often a slip
                line = self.markdown.splitlines()[tok.map[0]] if tok.map else ""
                self.problem(
                    "warning", "LK115",
                    "a paragraph indented by four spaces is a code block, which prints as "
                    "ordinary text, line by line; unindent it if it is a paragraph",
                    line,
                )  # fmt: skip
        elif kind not in _DRAWN:
            what = _NOT_DRAWN.get(kind, f"a Markdown element ({kind})")
            line = self.markdown.splitlines()[tok.map[0]] if tok.map else ""
            self.problem("warning", "LK115", f"{what} is not drawn in a letter; remove it", line)

    def open_list(self, tok: Token) -> None:
        """A list begins: its items' text starts one step in from the enclosing
        list's, or further when its widest number needs the room."""
        ordered = tok.type == "ordered_list_open"
        start = int(tok.attrGet("start") or 1)
        labels = ["•"]
        if ordered:
            items = 0
            for later in self.tokens[self.index + 1 :]:
                if later.type == "ordered_list_close" and later.level == tok.level:
                    break
                items += later.type == "list_item_open" and later.level == tok.level + 1
            labels = [f"{n}." for n in range(start, start + max(items, 1))]
        outer = self.list_stack[-1]["style"].leftIndent if self.list_stack else 0.0
        bullet = self.styles.bullet
        style = labelled(bullet, label_width(labels, bullet), outer)
        self.list_stack.append({"ordered": ordered, "n": start - 1, "style": style})

    def table_token(self, tok: Token) -> None:
        kind = tok.type
        if kind == "table_open":
            self.table, self.table_refused = TableRows(), False
            self.table_line = self.line
        elif kind == "tr_open" and self.table is not None and not self.table_refused:
            try:
                self.table.start_row()
            except TableTooLarge as exc:
                self.refuse_table(str(exc))
        elif kind in {"th_open", "td_open"}:
            self.cell_align = str(tok.attrGet("style") or "")
        elif kind == "table_close" and self.table is not None:
            if not self.table_refused:
                setting = self.setting
                flowable = table_flowable(
                    self.table, self.styles, setting.measure, setting.text_height
                )
                self.keep_heading_with_rows()
                self.result.flowables.append(flowable)
            self.table = None

    def keep_heading_with_rows(self) -> None:
        """A heading over a table stands with the table's first rows (:func:`with_first_rows`)."""
        flowed = self.result.flowables
        heading = flowed[-1] if flowed else None
        if heading is None or getattr(heading, "style", None) not in (
            self.styles.heading1,
            self.styles.heading,
            self.styles.heading3,
        ):
            return
        flowed.insert(len(flowed) - 1, with_first_rows(heading, self.styles))

    def refuse_table(self, what: str) -> None:
        """An error naming the table's first line; the rest of the table is not drawn."""
        self.table_refused = True
        self.line = self.table_line
        self.problem(
            "error", "LK150",
            f"{what} is too large for a letter; put the data in an annex",
            self.markdown.splitlines()[self.line or 0],
        )  # fmt: skip

    def inline(self, tok: Token, parent: str) -> None:
        children = tok.children or []
        self.raw_html(children)
        styles, result = self.styles, self.result
        drawn = self.note_id is None and self.table is None and parent != "heading_open"
        images: list[Token] | None = [] if drawn else None
        typographer = Typographer(styles.locale, styles.smart_quotes)
        markup = inline_markup(
            children, result.text, self.anchors, result.refused, images, styles.numeral, typographer
        )
        if not drawn and any(c.type == "image" for c in children):
            self.problem(
                "warning", "LK115",
                "an image in a heading, a note or a table is not drawn (its alt text prints); "
                "put it on a line of its own",
                str(next(c for c in children if c.type == "image").attrGet("src")),
            )  # fmt: skip
        if self.note_id is not None:
            self.notes[self.note_id].append(markup)
        elif self.table is not None:
            if not self.table_refused:
                self.table.notes += [
                    int(c.meta["id"]) + 1 for c in children if c.type == "footnote_ref"
                ]
                try:
                    self.table.cell(markup, self.cell_align)
                except TableTooLarge as exc:
                    self.refuse_table(str(exc))
        elif parent == "heading_open":
            self.result.flowables.append(styles.para(markup, self.heading_style(), educated=True))
        elif images and not any(c.type != "image" and c.content.strip() for c in children):
            self.images(images)  # a paragraph that is images only
        else:
            self.paragraph(markup)
            if images:
                self.problem(
                    "warning", "LK115",
                    "an image inside a line of text is drawn below its paragraph; "
                    "put it on a line of its own",
                    str(images[0].attrGet("src")),
                )  # fmt: skip
                self.images(images)

    def heading_style(self) -> Any:
        """``#`` the largest, ``##`` as headings always were, ``###`` and below the least."""
        tag = self.prev.tag if self.prev is not None else "h2"
        level = int(tag[1:]) if tag[1:].isdigit() else 2
        if level == 1:
            return self.styles.heading1
        return self.styles.heading if level == 2 else self.styles.heading3

    def paragraph(self, markup: str) -> None:
        styles, depth = self.styles, len(self.list_stack)
        if depth:
            rtl = styles.rtl
            style = nested_rtl(styles.bullet, depth) if rtl else self.list_stack[-1]["style"]
            self.result.flowables.append(
                styles.para(markup, style, bullet=self.pending_bullet, educated=True)
            )
            self.pending_bullet = None
        elif self.quote_depth:
            self.result.flowables.append(styles.para(markup, styles.quote, educated=True))
        else:
            self.result.flowables.append(styles.para(markup, styles.body, educated=True))

    def images(self, images: list[Token]) -> None:
        for image in images:
            src = str(image.attrGet("src") or "")
            alt = alt_text(image)
            try:
                if len(self.result.images) >= MAX_IMAGES:
                    raise BodyImageError(
                        "LK150", f"is one image too many: a letter may show at most {MAX_IMAGES}"
                    )
                flowable = body_image(src, alt, self.setting, self.styles.rtl, self.loaded)
            except BodyImageError as exc:
                shown = src if len(src) <= 80 else src[:79] + "…"
                self.problem("error", exc.code, f"the image '{shown}' {exc.reason}", src)
                continue
            self.result.flowables.append(flowable)
            self.result.images.append(flowable.digest)

    def raw_html(self, children: list[Token]) -> None:
        """One warning for the tags of raw HTML a paragraph of the template writes
        (each tag once in the letter; a value's ``<`` is escaped, ``\\<``, and
        prints as text without one)."""
        tags: list[str] = []
        for child in children:
            if child.type != "text" or "<" not in child.content:
                continue
            for found in _HTML.finditer(child.content):
                tag = found.group(0)[:60]
                if tag in self.html_seen or tag in tags:
                    continue
                if re.search(r"(?<!\\)" + re.escape(tag), self.markdown):
                    tags.append(tag)
        if tags and len(self.html_seen) < _HTML_SHOWN:
            self.html_seen.update(tags)
            shown = ", ".join(f"'{t}'" for t in tags[:3]) + (", …" if len(tags) > 3 else "")
            self.problem(
                "warning", "LK115",
                f"raw HTML {shown} prints as text: a letter draws Markdown only",
                tags[0],
            )  # fmt: skip

    def unreferenced(self) -> None:
        """A note never referred to, and a reference to a note that is not there."""
        refs = self.env.get("footnotes", {}).get("refs", {})
        for label in dict.fromkeys(_NOTE_CALL.findall(self.markdown)):
            if f":{label}" not in refs:
                self.line = None
                self.problem(
                    "warning", "LK115",
                    f"the text refers to the note [^{label}], but no note [^{label}]: is "
                    "written, so it prints as it stands; write the note or fix the reference",
                    f"[^{label}]",
                )  # fmt: skip
        for label, number in refs.items():
            if number == -1:
                self.line = None
                self.problem(
                    "warning", "LK115",
                    f"the note [^{label[1:]}] is never referred to in the text, "
                    "so it does not print; refer to it or remove it",
                    f"[^{label[1:]}]:",
                )  # fmt: skip


def link_as_written(href: str) -> str:
    """A link target as the Markdown text writes it (markdown-it normalises it)."""
    return str(_PARSER.normalizeLinkText(href))


def compose(markdown: str, styles: Styles, setting: BodySetting | None = None) -> Composed:
    """Parse the merged Markdown and build the body's flowables and notes; the
    images are found and tables sized by *setting* (the A4 measure, the
    current folder, when None)."""
    return _Composer(markdown, styles, setting or BodySetting()).run()


__all__ = [
    "BodyProblem",
    "Composed",
    "compose",
    "inline_markup",
    "link_target",
    "xml",
]
