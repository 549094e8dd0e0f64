"""The reference letter made by other tools, when they are installed.

:func:`weasyprint_ms` and :func:`typst_ms` turn the workload of ``run.py``
(``letter.md``, ``signatories.csv``, ``annex.pdf``) into the nearest
equivalent input of each tool and time a warm render, addressed to a new
recipient each time, like ``letterkit.render`` in ``run.py``:

- **Typst** (the ``typst`` Python package): the same text with bold, italics,
  links and 6 footnotes, 300 signatories in 2 columns, "Page X of Y", the
  bundled Noto fonts, and the 12 annex pages placed as PDF images.
- **WeasyPrint**: the same, as HTML and CSS (footnotes with
  ``float: footnote``), but without the annex: WeasyPrint cannot place the
  pages of another PDF, so its time is for the letter pages alone.

Each returns None when its tool cannot be imported. Neither is a dependency
of letterkit or of its tests.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable
from pathlib import Path

from letterkit._resources import fonts_dir

#: Times a render: the median ms of a few calls after a warm-up (``run.py``).
Timer = Callable[[Callable[[], None]], float]

_NOTE = re.compile(r"^\[\^(\d+)\]:\s*(.*)$")
_REF = re.compile(r"\[\^(\d+)\]")


def _workload(folder: Path) -> tuple[list[str], dict[str, str], list[str]]:
    """(body paragraphs, notes by number, signatory names) of the workload."""
    paragraphs, notes = [], {}
    for block in (folder / "letter.md").read_text(encoding="utf-8").split("\n\n"):
        block = block.strip()
        m = _NOTE.match(block)
        if m:
            notes[m.group(1)] = m.group(2)
        elif block:
            paragraphs.append(block)
    rows = (folder / "signatories.csv").read_text(encoding="utf-8").splitlines()[1:]
    return paragraphs, notes, [row.split(",")[0] for row in rows]


# -- WeasyPrint ----------------------------------------------------------------------


def _html_inline(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"\*(.+?)\*", r"<i>\1</i>", text)
    text = re.sub(r"\[([^\]^]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', text)
    return re.sub(r"&lt;(https?://[^&]+)&gt;", r'<a href="\1">\1</a>', text)


def html_letter(folder: Path, recipient: str) -> str:
    """The reference letter as one HTML page for WeasyPrint."""
    paragraphs, notes, names = _workload(folder)
    faces = "".join(
        f"@font-face {{ font-family: LK; src: url('{(fonts_dir() / f'NotoSerif-{face}.ttf').as_uri()}');"
        f" font-weight: {weight}; font-style: {style}; }}"
        for face, weight, style in (
            ("Regular", 400, "normal"), ("Bold", 700, "normal"), ("Italic", 400, "italic"),
        )
    )  # fmt: skip
    body = []
    for text in paragraphs:
        text = _html_inline(text)
        text = _REF.sub(
            lambda m: f'<span class="fn">{_html_inline(notes[m.group(1)])}</span>', text
        )
        body.append(f"<p>{text}</p>")
    signatories = "".join(f"<p>{html.escape(n)}</p>" for n in names)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
{faces}
@page {{ size: A4; margin: 20mm 25mm;
  @bottom-center {{ content: "Page " counter(page) " of " counter(pages); font: 8pt LK; }} }}
body {{ font: 10.5pt/1.35 LK; }}
p {{ margin: 0 0 6pt; text-align: justify; }}
.fn {{ float: footnote; font-size: 8pt; }}
.sig {{ columns: 2; column-gap: 14pt; font-size: 8.5pt; }}
.sig p {{ margin: 0 0 2pt; text-align: left; }}
</style></head><body>
<p>{html.escape(recipient)}<br>Member of the European Parliament<br>Rue Wiertz 60<br>1047 Brussels</p>
<p style="text-align: right">6 December 2018</p>
<p><b>Re: Reference letter</b></p>
<p>Dear {html.escape(recipient)},</p>
{"".join(body)}
<p>Yours sincerely,</p>
<h3>Signatories</h3><div class="sig">{signatories}</div>
</body></html>"""


def weasyprint_ms(folder: Path, timed: Timer) -> float | None:
    """Median ms of a warm WeasyPrint render, or None when it is not installed."""
    try:
        import weasyprint  # type: ignore[import-not-found]
    except (ImportError, OSError):  # OSError: its system libraries are missing
        return None
    count = itertools.count()

    def render() -> None:
        letter = html_letter(folder, f"Member {next(count)} Example")
        weasyprint.HTML(string=letter, base_url=str(folder)).write_pdf()

    return timed(render)


# -- Typst ---------------------------------------------------------------------------


def _typst_inline(text: str) -> str:
    # The workload's words hold no Typst markup characters; only its Markdown is turned.
    text = re.sub(r"\*\*(.+?)\*\*", "\x00\\1\x00", text)
    text = re.sub(r"\*(.+?)\*", r"_\1_", text).replace("\x00", "*")
    text = re.sub(r"\[([^\]^]+)\]\(([^)]+)\)", r'#link("\2")[\1]', text)
    return re.sub(r"<(https?://[^>]+)>", r'#link("\1")', text)


def typst_letter(folder: Path, recipient: str, annex: bool = True) -> str:
    """The reference letter (and, when *annex*, its 12-page annex) as Typst markup."""
    paragraphs, notes, names = _workload(folder)
    body = []
    for text in paragraphs:
        text = _typst_inline(text)
        body.append(_REF.sub(lambda m: f"#footnote[{_typst_inline(notes[m.group(1)])}]", text))
    signatories = "\n\n".join(n.replace("#", "\\#") for n in names)
    pages = range(1, 13) if annex else range(0)
    annexes = "\n".join(
        f'#page(margin: 0pt, footer: none)[#image("annex.pdf", page: {n}, width: 100%)]'
        for n in pages
    )
    return f"""#set page(paper: "a4", margin: (x: 25mm, y: 20mm),
  footer: context align(center, text(size: 8pt)[Page #counter(page).display() of #counter(page).final().first()]))
#set text(font: "Noto Serif", size: 10.5pt, lang: "en")
#set par(justify: true, spacing: 6pt)
{recipient} \\ Member of the European Parliament \\ Rue Wiertz 60 \\ 1047 Brussels

#align(right)[6 December 2018]

*Re: Reference letter*

Dear {recipient},

{chr(10).join(p + chr(10) for p in body)}
Yours sincerely,

== Signatories
#columns(2, gutter: 14pt)[
#set text(size: 8.5pt)
#set par(justify: false, spacing: 2pt)
{signatories}
]
{annexes}
"""


def typst_ms(folder: Path, timed: Timer) -> float | None:
    """Median ms of a warm Typst compile, or None when it is not installed."""
    try:
        import typst  # type: ignore[import-not-found]
    except ImportError:
        return None
    compiler = typst.Compiler(
        root=str(folder), font_paths=[str(fonts_dir())], ignore_system_fonts=True
    )
    count = itertools.count()

    def render() -> None:
        letter = typst_letter(folder, f"Member {next(count)} Example")
        compiler.compile(input=letter.encode(), format="pdf")

    return timed(render)
