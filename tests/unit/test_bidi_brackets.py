"""Paired brackets (UAX #9 BD16/N0) in the visual order of one line."""

from __future__ import annotations

import pytest

from letterkit.typeset import brackets
from letterkit.typeset.bidi import Direction, visual_chars

# Lines of Unicode's BidiCharacterTest.txt (UCD 6.3.0 and later, unchanged
# since): the examples of UAX #9 section 3.3.5, "Nonspacing marks applied to
# paired brackets" and "Canonically equivalent brackets". Fields: code points;
# paragraph direction (0 LTR, 1 RTL); paragraph level; levels; visual order.
CASES = """\
05D0 05D1 0028 05D2 05D3 005B 0026 0065 0066 005D 002E 0029 0067 0068;0;0;1 1 0 1 1 0 0 0 0 0 0 0 0 0;1 0 2 4 3 5 6 7 8 9 10 11 12 13
05D0 05D1 0028 05D2 05D3 005B 0026 0065 0066 005D 002E 0029 0067 0068;1;1;1 1 1 1 1 1 1 2 2 1 1 1 2 2;12 13 11 10 9 7 8 6 5 4 3 2 1 0
0061 0062 0063 0020 0028 0064 0065 0066 0020 0627 0628 062C 0029 0020 05D0 05D1 05D2;0;0;0 0 0 0 0 0 0 0 0 1 1 1 0 0 1 1 1;0 1 2 3 4 5 6 7 8 11 10 9 12 13 16 15 14
0061 0062 0063 0020 0028 0064 0065 0066 0020 0627 0628 062C 0029 0020 05D0 05D1 05D2;1;1;2 2 2 1 1 2 2 2 1 1 1 1 1 1 1 1 1;16 15 14 13 12 11 10 9 8 5 6 7 4 3 0 1 2
05D0 05D1 05D2 0020 0028 0064 0065 0066 0020 0627 0628 062C 0029 0020 0061 0062 0063;0;0;1 1 1 0 0 0 0 0 0 1 1 1 0 0 0 0 0;2 1 0 3 4 5 6 7 8 11 10 9 12 13 14 15 16
05D0 05D1 05D2 0020 0028 0064 0065 0066 0020 0627 0628 062C 0029 0020 0061 0062 0063;1;1;1 1 1 1 1 2 2 2 1 1 1 1 1 1 2 2 2;14 15 16 13 12 11 10 9 8 5 6 7 4 3 2 1 0
0061 0062 0063 0020 0028 0627 0628 062C 0020 0064 0065 0066 0029 0020 05D0 05D1 05D2;0;0;0 0 0 0 0 1 1 1 0 0 0 0 0 0 1 1 1;0 1 2 3 4 7 6 5 8 9 10 11 12 13 16 15 14
0061 0062 0063 0020 0028 0627 0628 062C 0020 0064 0065 0066 0029 0020 05D0 05D1 05D2;1;1;2 2 2 1 1 1 1 1 1 2 2 2 1 1 1 1 1;16 15 14 13 12 9 10 11 8 7 6 5 4 3 0 1 2
05D0 05D1 05D2 0020 0028 0627 0628 062C 0020 0064 0065 0066 0029 0020 0061 0062 0063;0;0;1 1 1 0 0 1 1 1 0 0 0 0 0 0 0 0 0;2 1 0 3 4 7 6 5 8 9 10 11 12 13 14 15 16
05D0 05D1 05D2 0020 0028 0627 0628 062C 0020 0064 0065 0066 0029 0020 0061 0062 0063;1;1;1 1 1 1 1 1 1 1 1 2 2 2 1 1 2 2 2;14 15 16 13 12 9 10 11 8 7 6 5 4 3 2 1 0
0627 0628 062C 0020 0062 006F 006F 006B 0028 0073 0029;0;0;1 1 1 0 0 0 0 0 0 0 0;2 1 0 3 4 5 6 7 8 9 10
0627 0628 062C 0020 0062 006F 006F 006B 0028 0073 0029;1;1;1 1 1 1 2 2 2 2 2 2 2;4 5 6 7 8 9 10 3 2 1 0
0061 0028 0062 0029 0331;1;1;2 2 2 2 2;0 1 2 3 4
0061 0028 0332 0062 0029 0333;1;1;2 2 2 2 2 2;0 1 2 3 4 5
05D0 0028 05D1 0029 0331;0;0;1 1 1 1 1;4 3 2 1 0
05D0 0028 0332 05D1 0029 0333;0;0;1 1 1 1 1 1;5 4 3 2 1 0
0661 0028 0662 0029 0331;0;0;2 1 2 1 1;4 3 2 1 0
0661 0028 0332 0662 0029 0333;0;0;2 1 1 2 1 1;5 4 3 2 1 0
0061 0020 2329 0062 002E 0031 3009;1;1;2 2 2 2 2 2 2;0 1 2 3 4 5 6
05D0 0020 3008 05D1 002E 0031 232A;0;0;1 1 1 1 1 2 1;6 5 4 3 2 1 0
"""


def _case(line: str) -> tuple[str, Direction, list[int]]:
    points, direction, _level, _levels, order = line.split(";")
    text = "".join(chr(int(point, 16)) for point in points.split())
    base: Direction = "R" if direction == "1" else "L"
    return text, base, [int(i) for i in order.split()]


@pytest.mark.parametrize("line", CASES.splitlines())
def test_visual_order_matches_unicode(line: str) -> None:
    text, base, order = _case(line)
    assert [index for index, _ in visual_chars(text, base)] == order


def test_brackets_around_latin_in_arabic_keep_their_shape() -> None:
    text = "أصدرت منظمة Human Rights Watch (HRW) تقريرا"
    shown = "".join(char for _, char in visual_chars(text, "R"))
    assert "Human Rights Watch (HRW)" in shown
    assert ")Human" not in shown


def test_symbol_with_year_reads_in_order() -> None:
    shown = "".join(char for _, char in visual_chars("انظر الوثيقة A/HRC/40/60 (2019).", "R"))
    assert shown.startswith(".A/HRC/40/60 (2019) ")


def test_brackets_in_arabic_are_mirrored_for_drawing() -> None:
    # Logical "(" at an odd level is drawn with the glyph of ")".
    shown = "".join(char for _, char in visual_chars("قال (أ) ان", "R"))
    assert shown == "نا (أ) لاق"


def test_unmatched_brackets_are_left_to_the_neutral_rules() -> None:
    assert brackets.bracket_pairs([{"ch": c, "type": "ON"} for c in "(a]"]) == []
    pairs = brackets.bracket_pairs([{"ch": c, "type": "ON"} for c in "([)]"])
    assert pairs == [(0, 2)]


def test_bracket_table_is_unicode_data() -> None:
    table = brackets.bracket_table()
    assert table["("] == (")", True)
    assert table["]"] == ("[", False)
    assert table["\u300a"] == ("\u300b", True)
    assert "<" not in table
    assert "«" not in table
