"""The text-layer plan of a drawn line and the letters of presentation forms
(what the text layer relies on in ReportLab: tests/unit/test_rl_contract.py)."""

from __future__ import annotations

import arabic_reshaper

from letterkit.typeset.bidi import visual_chars
from letterkit.typeset.textlayer import base_form, base_letters, copied_as, line_plan, mirrored


def test_presentation_forms_give_their_letters() -> None:
    assert base_form("\ufefb") == "\u0644\u0627"  # lam-alef: lam, then alef
    assert base_form("\ufef7") == "\u0644\u0623"  # lam-alef with hamza above
    assert base_form("\ufee0") == "\u0644"  # medial lam
    assert base_form("\ufe70") == "\u064b"  # fathatan: the sign, not the space that carries it
    assert base_form("\ufe71") == "\u064b"  # on a tatweel: the sign (the stretch is not text)
    assert base_form("a") == "a"
    assert base_form("\ufb01") == "\ufb01"  # a Latin ligature is left alone


def test_shaped_text_reads_back_as_the_text() -> None:
    text = "الإفراج عن عظيمجان أسكاروف، 15 يونيو 2010"
    assert base_letters(arabic_reshaper.reshape(text)) == text
    assert base_letters("Plain Latin text") == "Plain Latin text"


def _plan(text: str, base: str = "R"):  # type: ignore[no-untyped-def]
    shaped = arabic_reshaper.reshape(text)
    return shaped, line_plan(shaped, [i for i, _ in visual_chars(shaped, base)])  # type: ignore[arg-type]


def test_a_line_without_right_to_left_letters_has_no_plan() -> None:
    assert line_plan("Yours sincerely,", list(range(16))) is None
    assert line_plan("", []) is None


def test_digits_are_a_segment_of_their_own() -> None:
    shaped, plan = _plan("بروكسل، 6 ديسمبر 2018")
    assert plan is not None
    kinds = {plan.kinds[n] for n, i in enumerate(plan.order) if shaped[i] in "2018"}
    assert kinds == {"L"}
    digits = {plan.segments[n] for n, i in enumerate(plan.order) if shaped[i].isdigit()}
    assert len(digits) == 2  # "6" and "2018"
    assert all(segment not in plan.rtl for segment in digits)


def test_a_digit_inside_arabic_does_not_join_the_arabic_segment() -> None:
    shaped, plan = _plan("منذ 6 أشهر")
    assert plan is not None
    [six] = [n for n, i in enumerate(plan.order) if shaped[i] == "6"]
    assert plan.segments.count(plan.segments[six]) == 1


def test_a_latin_name_in_an_arabic_line_is_one_left_to_right_segment() -> None:
    shaped, plan = _plan("أيدت Human Rights Watch النداء")
    assert plan is not None
    latin = {
        plan.segments[n]
        for n, i in enumerate(plan.order)
        if shaped[i].isascii() and shaped[i].isalpha()
    }
    assert len(latin) == 1
    assert latin.isdisjoint(plan.rtl)


def test_a_bracket_in_arabic_is_a_segment_of_its_own() -> None:
    """This test ensures that a bracket or quotation mark inside right-to-left
    text is written alone (extractors differ on its direction), while one in
    a left-to-right stretch stays in it."""
    shaped, plan = _plan("في تقريرها «الاحتجاز» [انظر] Human Rights Watch (HRW) النداء")
    assert plan is not None
    for mark in "«»[]":
        [n] = [n for n, i in enumerate(plan.order) if shaped[i] == mark]
        assert plan.segments.count(plan.segments[n]) == 1, mark
    [n] = [n for n, i in enumerate(plan.order) if shaped[i] == "(" and shaped[i + 1] == "H"]
    assert plan.segments[n] == plan.segments[n + 1]  # "(" of "(HRW)" stays with "HRW"


def test_stand_ins_copy_as_brackets_and_ligatures_as_letters() -> None:
    """This test ensures that a mirrored bracket's stand-in copies as the
    bracket the text has, and a ligature of the text as its letters."""
    assert mirrored("(") is not None
    assert copied_as(mirrored("(") or "") == "("
    assert copied_as(mirrored("«") or "") == "«"
    assert mirrored("a") is None
    assert copied_as("\ufb01") == "fi"
    assert copied_as("\ufb03") == "ffi"
    assert copied_as("\ufefb") == "\u0644\u0627"
    assert copied_as("x") == "x"
