"""The PDF object reader of the pdf stage: read, change, write back."""

from __future__ import annotations

import pytest

from letterkit.errors import LetterkitError
from letterkit.pdf.syntax import (
    Array,
    Dict,
    Hex,
    Name,
    Num,
    Numbers,
    Ref,
    SpliceError,
    Str,
    parse,
    refs,
    write,
)

ROUND_TRIPS = [
    b"<<\n/Font 1 0 R /ProcSet [ /PDF /Text /ImageB ]\n>>",
    b"<</A[/B<</C 1  0\nR>>]>>",
    b"[ 0 0 595.2756 841.8898 ]",
    b"[-.5 +3 12. 0.25]",
    b"<< /Title (Letter \\(draft\\) to \\\\ the court) /Lang (en-GB) >>",
    b"<< /T (a (nested (twice)) string) /U <FEFF0041 0042> >>",
    b"<< /Empty <<>> /None [] /Null null /Yes true /No false >>",
    b"<< /Name /A#20B /K /AAAAAA+NotoSerif-Bold >>",
    b"<<\n/ID \n[<1c17><1c17>]\n% a comment, kept as white space\n/Root 4 0 R\n>>",
]


@pytest.mark.parametrize("text", ROUND_TRIPS)
def test_an_object_is_written_back_as_it_was_read(text: bytes) -> None:
    """This test ensures that reading and writing an object changes no byte."""
    value, end = parse(text)
    assert end == len(text)
    assert write(value) == text


def test_values_are_read_as_their_kinds() -> None:
    """This test ensures that each kind of token becomes its kind of value."""
    value, _ = parse(b"<< /S (x) /H <41> /N 1.5 /R 7 0 R /A [ 1 2 0 R ] /D << /K /V >> >>")
    assert isinstance(value, Dict)
    assert isinstance(value.get(b"/S"), Str)
    assert isinstance(value.get(b"/H"), Hex)
    assert value.get(b"/N") == Num(b"1.5")
    assert value.ref(b"/R") == 7
    array = value.get(b"/A")
    assert isinstance(array, Array)
    assert array.items[0] == b"1"
    assert isinstance(array.items[1], Ref)
    assert array.items[1].num == 2
    inner = value.get(b"/D")
    assert isinstance(inner, Dict)
    assert inner.get(b"/K") == Name(b"/V")
    assert list(refs(value)) == [7, 2]


def test_an_array_of_numbers_is_one_value_kept_as_written() -> None:
    """This test ensures that a long array of numbers (a font's widths) is read
    in one step and written back unchanged, and one with a reference is not
    taken for it."""
    widths = b"[ " + b" ".join(b"%d" % (500 + n) for n in range(300)) + b" ]"
    value, _ = parse(b"<< /Widths " + widths + b" >>")
    assert isinstance(value, Dict)
    assert value.get(b"/Widths") == widths
    assert isinstance(value.get(b"/Widths"), Numbers)
    mixed, _ = parse(b"[ 1 2 0 R 3 ]")
    assert isinstance(mixed, Array)
    assert list(refs(mixed)) == [2]


def test_widths_with_a_reference_late_in_them_are_read_at_once() -> None:
    """This test ensures that an array of many numbers with a reference near
    its end (a producer's widths: ``... 525 10 0 R 0 454 ...``, as pdf.js's
    issue7855.pdf has) is read in well under a second, not by trying every
    split of its digits."""
    import time

    widths = b"[ " + b"506 " * 200 + b"10 0 R 0 454 ]"
    start = time.perf_counter()
    value, _ = parse(b"<< /Widths " + widths + b" >>")
    assert time.perf_counter() - start < 0.5
    assert isinstance(value, Dict)
    array = value.get(b"/Widths")
    assert isinstance(array, Array)
    assert list(refs(array)) == [10]
    assert write(value) == b"<< /Widths " + widths + b" >>"


def test_references_are_renumbered_and_strings_are_not() -> None:
    """This test ensures that only real references are renumbered: text in a
    literal or hex string that looks like a reference keeps its numbers."""
    text = b"<< /A << /URI (http://x.org/1 0 R\\)) >> /P 1 0 R /Q <31203020> /K [ 2 0 R ] >>"
    out = write(parse(text)[0], {1: 7, 2: 8})
    assert out == b"<< /A << /URI (http://x.org/1 0 R\\)) >> /P 7 0 R /Q <31203020> /K [ 8 0 R ] >>"


def test_a_string_with_balanced_parentheses_hides_what_looks_like_a_reference() -> None:
    """This test ensures that a string's nested parentheses are part of the string."""
    text = b"[ (see (note 1 0 R) here) 1 0 R ]"
    assert write(parse(text)[0], {1: 5}) == b"[ (see (note 1 0 R) here) 5 0 R ]"


def test_a_reference_that_is_not_carried_over_is_refused() -> None:
    """This test ensures that renumbering never leaves a reference dangling."""
    with pytest.raises(SpliceError, match="object 9"):
        write(parse(b"<< /P 9 0 R >>")[0], {1: 2})


def test_a_whole_object_that_is_a_reference_or_a_number() -> None:
    """This test ensures that a top-level number is a number, unless a
    generation and R follow it."""
    ref, end = parse(b"12 0 R\nendobj")
    assert isinstance(ref, Ref)
    assert (ref.num, end) == (12, 6)
    number, end = parse(b"12\nendobj")
    assert (number, end) == (b"12", 2)


def test_a_key_is_changed_in_place_and_a_new_one_goes_last() -> None:
    """This test ensures that setting a key keeps the rest of the text as it was."""
    value, _ = parse(b"<<\n/Font 1 0 R /ProcSet [ /PDF ]\n>>")
    assert isinstance(value, Dict)
    value.set(b"/Font", Ref(3))
    value.set(b"/XObject", Dict([(b"/Fm1", Ref(4))]))
    assert write(value) == b"<<\n/Font 3 0 R /ProcSet [ /PDF ]\n/XObject << /Fm1 4 0 R >> >>"


def test_entries_put_first_keep_the_old_spacing_after_them() -> None:
    """This test ensures that entries put first are written with single spaces."""
    value, _ = parse(b"<<\n/Filter [ /FlateDecode ] /Length 9\n>>")
    assert isinstance(value, Dict)
    value.put_first([(b"/Type", Name(b"/XObject")), (b"/BBox", Array([Num(b"0"), Num(b"1")]))])
    assert write(value) == (
        b"<< /Type /XObject /BBox [ 0 1 ]\n/Filter [ /FlateDecode ] /Length 9\n>>"
    )
    with pytest.raises(SpliceError, match="/Length"):
        value.put_first([(b"/Length", Num(b"1"))])


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (b"<< /A 1 /B >>", "a key and no value"),
        (b"<< 1 2 >>", "key that is not a name"),
        (b"<< /A 1 /A 2 >>", "key twice"),
        (b"[ 1 2 ]]", None),
        (b"[ 1 2 >>", "unmatched >>"),
        (b"[ (open ]", "does not end"),
        (b"[ /A R ]", "an R that does not follow"),
        (b"[ 1.5 0 R ]", "an R that does not follow"),
        (b"{ 1 }", "cannot read"),
        (b"<< /A 12abc >>", "cannot read"),
        (b"<< /A 1", "ends early"),
    ],
)
def test_what_cannot_be_read_is_refused_saying_what(text: bytes, says: str | None) -> None:
    """This test ensures that the reader refuses malformed or unsupported syntax
    with a SpliceError (a LetterkitError) that says what it found."""
    if says is None:  # a complete value followed by more: the caller sees the end
        value, end = parse(text)
        assert end == len(b"[ 1 2 ]")
        assert write(value) == b"[ 1 2 ]"
        return
    with pytest.raises(SpliceError, match=says) as caught:
        parse(text)
    assert isinstance(caught.value, LetterkitError)
    assert isinstance(caught.value, ValueError)


def test_widths_with_a_reference_among_them_read_at_once() -> None:
    """This test ensures that an array of many numbers with a reference among them
    (a font's /Widths as some producers write it) is read in linear time, not by
    trying every way to split each number into digits (which never ends)."""
    import subprocess
    import sys

    script = (
        "from letterkit.pdf.syntax import parse, write\n"
        "text = b'[' + b' 525' * 60 + b' 10 0 R' + b' 506' * 200 + b' ]'\n"
        "assert write(parse(text)[0]) == text\n"
    )
    done = subprocess.run([sys.executable, "-c", script], timeout=30, check=False)
    assert done.returncode == 0
