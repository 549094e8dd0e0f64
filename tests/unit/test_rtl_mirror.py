"""Right-to-left pieces one at a time: digits per locale, the bold face of a
fallback run, harakat kept by shaping, mirrored styles and line offsets."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.enums import TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from letterkit import l10n
from letterkit.typeset import _rl, fonts
from letterkit.typeset.bidi import shape
from letterkit.typeset.styles import make_styles


def test_cldr_default_digits_and_the_override() -> None:
    assert l10n.numbering("ar") == "latn"
    assert l10n.numbering("ar-EG") == "arab"
    assert l10n.numbering("ar-SA") == "arab"
    assert l10n.numbering("ar", "arab") == "arab"
    assert l10n.numbering("ar-EG", "latn") == "latn"
    assert l10n.numbering("en-GB", "arab") == "latn"  # only Arabic-script letters


def test_formatted_numbers_and_dates_take_the_digits() -> None:
    day = dt.date(2018, 12, 6)
    assert l10n.format_date(day, "ar-EG") == "٦ ديسمبر ٢٠١٨"
    assert l10n.format_date(day, "ar") == "6 ديسمبر 2018"
    assert l10n.format_number(1234, "ar-EG") == "١٬٢٣٤"
    assert l10n.format_number(1234, "ar", "arab") == "١٬٢٣٤"
    assert l10n.format_number(1234, "ar") == "1,234"
    assert l10n.with_digits("Page 3 of 12", "ar-SA") == "Page ٣ of ١٢"


def test_a_fallback_run_inside_bold_names_the_bold_face() -> None:
    fonts.register()
    markup = fonts.with_fallback("<b>عريض</b> عادي <i><b>مائل</b></i>")
    assert f'<b><font name="{fonts.ARABIC}-Bold">عريض</font></b>' in markup
    assert f' <font name="{fonts.ARABIC}">عادي </font>' in markup
    assert f'<i><b><font name="{fonts.ARABIC}-Bold">مائل</font></b></i>' in markup
    heading = fonts.with_fallback("عنوان", bold=True)
    assert heading == f'<font name="{fonts.ARABIC}-Bold">عنوان</font>'
    assert fonts.with_fallback("plain <b>ascii</b>") == "plain <b>ascii</b>"


def test_shaping_keeps_the_harakat() -> None:
    shaped = shape("بِسْمِ")
    assert "\u0650" in shaped
    assert "\u0652" in shaped


def test_mirrored_styles_keep_hanging_indents_and_justification() -> None:
    styles = make_styles(justify=True, rtl=True)
    assert styles.body.alignment == TA_JUSTIFY
    assert styles.signatory.firstLineIndent == -8
    assert styles.signatory.rightIndent == 8
    assert styles.bullet.rightIndent == 14
    ragged = make_styles(rtl=True)
    assert ragged.body.alignment == TA_RIGHT


def test_lines_shifted_sets_and_restores_the_offsets() -> None:
    p = Paragraph("a b c " * 40, ParagraphStyle("x"))
    p.wrap(100, 1000)
    with _rl.lines_shifted(p, [5.0, 0.0]):
        assert p._offsets == [5.0, 0.0]
    assert "_offsets" not in p.__dict__
    broken = _rl.broken_lines(p)
    assert broken is not None
    slack, forced, words = _rl.line_slack(broken.lines[0])
    assert slack >= 0
    assert not forced
    assert words > 1


def test_reportlab_still_reads_the_line_offsets_when_drawing() -> None:
    """``_rl.lines_shifted`` relies on ``Paragraph.drawPara`` reading ``_offsets``
    (set by ReportLab's text-around-an-image layout) and on the lines' slack."""
    code = Paragraph.drawPara.__code__
    assert "_offsets" in code.co_consts
    p = Paragraph("a <b>b</b> c " * 30, ParagraphStyle("x"))
    p.wrap(100, 1000)
    broken = _rl.broken_lines(p)
    assert broken is not None
    line = broken.lines[0]
    assert hasattr(line, "extraSpace")
    assert hasattr(line, "wordCount")
