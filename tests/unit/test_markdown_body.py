"""The body's Markdown → flowables and problems, without a PDF: what is drawn,
what is warned about, and how a problem finds its line in the template."""

from __future__ import annotations

import pytest
from reportlab.platypus import Table

from letterkit.typeset import fonts
from letterkit.typeset.body_report import template_line
from letterkit.typeset.compose import compose
from letterkit.typeset.styles import make_styles
from letterkit.typeset.tables import column_widths

fonts.register()
STYLES = make_styles()


def _warnings(markdown: str) -> list[str]:
    return [p.message for p in compose(markdown, STYLES).problems]


@pytest.mark.parametrize(
    "markdown",
    [
        "A link <https://example.org/a> and <office@example.org>.\n",
        "Code `<b>` is text.\n",
        "A value \\<b\\> escaped by the template.\n",
        "Less than: a < b > c, and <3.\n",
        "```\n<div>code</div>\n```\n",
        "Note.[^1]\n\n[^1]: Text.\n\n    More text.\n",
    ],
    ids=["autolinks", "code-span", "escaped", "comparison", "fence", "used-note"],
)
def test_no_warning_for_what_prints_as_written(markdown: str) -> None:
    assert _warnings(markdown) == []


@pytest.mark.parametrize(
    ("markdown", "said"),
    [
        ("<div>A block</div>\n", "raw HTML '<div>'"),
        ("Text <!-- a comment --> here.\n", "raw HTML '<!--'"),
        ("One.\n\n- - -\n\nTwo.\n", "horizontal rule"),
        ("Text.\n\n[^x]: Never used.\n", "[^x] is never referred to"),
        ("# ![alt](x.png)\n", "image in a heading"),
    ],
)
def test_warning_for_what_is_not_drawn(markdown: str, said: str) -> None:
    [message] = _warnings(markdown)
    assert said in message


def test_each_tag_is_reported_once() -> None:
    messages = _warnings("<b>a</b> and <b>b</b>\n\n<b>again</b> and <i>new</i>\n")
    assert messages == [
        "raw HTML '<b>', '</b>' prints as text: a letter draws Markdown only",
        "raw HTML '<i>', '</i>' prints as text: a letter draws Markdown only",
    ]


def test_a_table_becomes_one_flowable_that_repeats_its_header() -> None:
    body = compose("| a | b |\n|---|--:|\n| 1 | 2 |\n| 3 | 4 |\n", STYLES)
    [table] = body.flowables
    assert isinstance(table, Table)
    assert table.repeatRows == 1
    assert body.text == ["a", "b", "1", "2", "3", "4"]


CELLS = (STYLES.table_head, STYLES.table_cell)


def test_narrow_columns_take_the_width_of_their_text() -> None:
    widths = column_widths([["Country", "Count"], ["A", "12"]], CELLS, 450)
    assert sum(widths) < 200
    assert widths[0] > widths[1]


def test_wide_columns_share_the_measure_by_their_text() -> None:
    long = "word " * 60
    widths = column_widths([["short", "long"], ["x", long]], CELLS, 450)
    assert sum(widths) == pytest.approx(450)
    assert widths[0] < 60 < 300 < widths[1]


def test_columns_of_long_words_each_keep_a_share() -> None:
    words = ["W" * 30] * 6
    widths = column_widths([words, words], CELLS, 450)
    assert sum(widths) == pytest.approx(450)
    assert min(widths) == pytest.approx(max(widths))


def test_notes_of_several_paragraphs_keep_each_paragraph() -> None:
    body = compose("A.[^1]\n\n[^1]: One.\n\n    Two.\n\n    Three.\n", STYLES)
    assert body.notes == ["One.<br/>Two.<br/>Three."]


def test_heading_levels_take_their_own_styles() -> None:
    body = compose("# One\n\n## Two\n\n### Three\n\n#### Four\n", STYLES)
    names = [f.style.name for f in body.flowables]
    assert names == ["heading1", "heading", "heading3", "heading3"]


TEMPLATE = """---
subject: x
---
First line.

{% for x in items %}
Line {{ x }}
{% endfor %}

---

<b>bold</b>
"""


def test_a_problem_finds_its_template_line_near_where_the_text_puts_it() -> None:
    # The merged text has lost the front matter and gained lines from the loop.
    assert template_line(TEMPLATE, 9, "---") == 10  # not the front matter's "---"
    assert template_line(TEMPLATE, 14, "<b>") == 12
    assert template_line(TEMPLATE, None, "First line.") == 4
    assert template_line(TEMPLATE, 3, "nowhere") is None
