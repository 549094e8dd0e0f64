"""Inline Markdown tokens → ReportLab paragraph markup, every piece of text escaped.

Bold, italic, line breaks, note references and links become ReportLab's
markup; all text is XML-escaped, so data can never become markup. A link
becomes a link only to a web page, an e-mail address or one of the letter's
notes (:func:`link_target`); any other prints as its text. An image inside a
line of text is handed back to the caller, which draws it as a block.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import unquote

from markdown_it.token import Token

from ..text.typography import Typographer
from .styles import LINK

#: A note's reference in the text: 65 % of the text's size, raised by 40 % of it
#: (ReportLab's own superscript is 2 pt smaller, whatever the size, and higher).
NOTE_CALL = 'size="65%" rise="40%"'

#: The only targets a link may have, besides the letter's own notes: a web page
#: or an e-mail address. Anything else (``pdf:`` would open another file, over
#: the network for a ``\\server`` path; ``file:``, ``javascript:``, a relative
#: name) prints as text.
_SCHEMES = re.compile(r"(?i)(https?://[^/?#\s\\]|mailto:[^\s])")
#: A ``mailto:`` field some mail programs act on by attaching a local file.
_ATTACH = re.compile(r"(?i)^mailto:[^?]*\?(?:.*[&;])?\s*attach")


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
    """Escape text for ReportLab paragraph markup (``&``, ``<``, ``>``).

    >>> xml("R&D <b>")
    'R&amp;D &lt;b&gt;'
    """
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """*text* escaped and quoted as a markup attribute's value, as the standard
    library's ``xml.sax.saxutils.quoteattr`` quotes it (which would load its
    ``urllib.request``, and so the network modules, for two replacements).

    >>> print(quoteattr('a"b'), quoteattr("it's"), quoteattr("x\\ty"))
    'a"b' "it's" "x&#9;y"
    """
    data = xml(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"{}"'.format(data.replace('"', "&quot;"))


#: What a token of emphasis or a line break becomes in ReportLab's markup.
_MARKUP = {
    "softbreak": " ",
    "hardbreak": "<br/>",
    "strong_open": "<b>",
    "strong_close": "</b>",
    "em_open": "<i>",
    "em_close": "</i>",
}


def inline_markup(
    children: Sequence[Token],
    collected: list[str] | None = None,
    anchors: frozenset[str] = frozenset(),
    refused: list[tuple[str, bool]] | None = None,
    images: list[Token] | None = None,
    numeral: Callable[[int], str] = str,
    typographer: Typographer | None = None,
) -> str:
    """Inline tokens → ReportLab markup (bold, italic, links, note references).

    With a *typographer* the text is typeset for the letter's locale (quotes,
    apostrophes, no-break ties) run by run; code spans and link targets are
    left as written.

    A link whose target :func:`link_target` refuses prints as its text, and is
    added to *refused*. An image is added to *images* and prints nothing; where
    no image can be drawn (*images* is None) it prints its alt text. A note's
    number is printed by *numeral* (the letter's digits)."""
    out: list[str] = []
    linked: list[bool] = []  # for each open link: whether it became <a>
    for tok in children:
        kind = tok.type
        if kind == "text" or kind == "code_inline":
            text = tok.content
            if typographer is not None:
                if kind == "text":
                    text = typographer.text(text)
                else:
                    typographer.skip(text)
            out.append(xml(text))
            if collected is not None:
                collected.append(tok.content)
        elif kind in _MARKUP:
            out.append(_MARKUP[kind])
            if typographer is not None and kind.endswith("break"):
                typographer.skip(" ")
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
        elif kind == "image":
            if images is not None:
                images.append(tok)
            else:
                alt = alt_text(tok)
                out.append(xml(typographer.text(alt) if typographer is not None else alt))
                if collected is not None:
                    collected.append(alt_text(tok))
        elif kind == "footnote_ref":
            number = int(tok.meta["id"]) + 1
            out.append(
                f'<a href="#lk-note-{number}"><super {NOTE_CALL}>{numeral(number)}</super></a>'
            )
        else:
            out.append(xml(tok.content))
    return "".join(out)


def alt_text(image: Token) -> str:
    """An image's alt text as plain text (its emphasis and links dropped)."""
    return "".join(c.content for c in image.children or () if c.type in {"text", "code_inline"})
