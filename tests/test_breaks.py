"""Long URLs and slash-joined titles break after a slash and never overflow."""

from __future__ import annotations

import pytest
from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as rl_paragraph

from letterkit.typeset import fonts
from letterkit.typeset.bidi import LKParagraph
from letterkit.typeset.breaks import slash_breaks
from letterkit.typeset.styles import make_styles

URL = (
    "https://reports.example.org/central-asia/turkmenistan/2019/annual-report-on-the-"
    "situation-of-civil-society-and-human-rights-defenders-full-text-with-annexes.pdf"
)


def _lines(p: Paragraph) -> list[tuple[str, float]]:
    """(text, room left) of each line of a wrapped paragraph (negative: overflow)."""
    out = []
    for line in p.blPara.lines:
        if isinstance(line, tuple):
            extra, words = line
            out.append((" ".join(words), extra))
        else:
            text = "".join(getattr(w, "text", "") for w in line.words)
            out.append((text, line.extraSpace))
    return out


@pytest.mark.parametrize("width", [200.0, 300.0, 441.0])
@pytest.mark.parametrize("link", [False, True])
def test_long_url_breaks_inside_the_measure_and_keeps_every_character(
    width: float, link: bool
) -> None:
    fonts.register()
    style = make_styles().note
    text = f'<a href="{URL}">{URL}</a>' if link else URL
    with slash_breaks():
        p = LKParagraph(f"See {text} and more.", style)
        for w in (width, width * 0.7, width):  # wrapped again, as the layout does
            p.wrap(w, 1e6)
        lines = _lines(p)
    assert all(room >= -0.1 for _, room in lines), lines
    joined = "".join(t.replace(" ", "") for t, _ in lines)
    assert joined == f"See{URL}andmore."
    assert lines[0][0].endswith("/")


TITLE = "Dear High Representative/Vice-President of the European Commission Mogherini,"


def test_titles_break_after_the_slash() -> None:
    fonts.register()
    with slash_breaks():
        p = LKParagraph(TITLE, make_styles().body)
        p.wrap(190, 1e6)
    assert any(t.endswith("Representative/") for t, _ in _lines(p)), _lines(p)


def test_the_rule_reaches_no_other_paragraph_and_changes_no_module() -> None:
    """ReportLab's own paragraphs, and letterkit's outside the block, break as
    ReportLab breaks them; the paragraph module is never changed."""
    fonts.register()
    style = make_styles().body
    before = dict(vars(rl_paragraph))
    with slash_breaks():
        plain = Paragraph(TITLE, style)
        plain.wrap(190, 1e6)
        assert vars(rl_paragraph) == before
    outside = LKParagraph(TITLE, style)
    outside.wrap(190, 1e6)
    assert vars(rl_paragraph) == before
    for p in (plain, outside):
        assert not any(t.endswith("Representative/") for t, _ in _lines(p)), _lines(p)
