"""``signatory_block`` and the ``note``/``signed_by`` columns: read from every kind
of file, checked with their line, and the entry template's own rules."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

import letterkit
from letterkit.input.letter_spec import letter_from_data, load_letter
from letterkit.model import Case, Letter, Person, Signatory, SignatoryBlock
from letterkit.text import sandbox
from letterkit.text.entries import EntryError, entry_texts, fields_used, tidy
from letterkit.validate.signatory_block import LETTERKIT_FILTERS, entry_problems

from ..conftest import within

MINIMAL = (
    "template: appeal-release\nlocale: en-GB\ndate: 2018-12-06\n"
    "case: {person: {name: Jane Doe}}\nsignatories: [Org A, Org B]\n"
)


def _spec(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "letter.yaml"
    path.write_text(MINIMAL + text, encoding="utf-8")
    return path


def _checked(spec: Path) -> list[letterkit.Problem]:
    """The problems ``check`` finds in the spec itself (it also reports the case
    fields the built-in template requires, which ``MINIMAL`` leaves out)."""
    return [p for p in letterkit.check(spec) if p.path.endswith(spec.name)]


def test_absent_block_is_none_and_a_given_one_is_read(tmp_path: Path) -> None:
    assert load_letter(_spec(tmp_path, "")).signatory_block is None
    letter = load_letter(
        _spec(
            tmp_path,
            "signatory_block:\n  heading: List of signatories\n  note: ''\n  size: Body\n"
            "  entry: '{{ name }}, {{ country }}'\n",
        )
    )
    assert letter.signatory_block == SignatoryBlock(
        heading="List of signatories", note="", size="body", entry="{{ name }}, {{ country }}"
    )
    empty = load_letter(_spec(tmp_path, "signatory_block:\n  heading:\n")).signatory_block
    assert empty == SignatoryBlock(heading="", note="auto")


def test_every_problem_of_the_block_at_once_with_its_line(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "signatory_block:\n"  # line 6
        "  heding: x\n"  # 7: unknown key
        "  size: huge\n"  # 8: not a size
        "  note: [a, b]\n"  # 9: not text
        "  entry: '{{ name }}, {{ city }}'\n",  # 10: unknown field
    )
    problems = _checked(spec)
    found = sorted((p.line, p.code) for p in problems)
    assert found == [(7, "LK103"), (8, "LK105"), (9, "LK105"), (10, "LK112")]
    by_line = {p.line: p.message for p in problems}
    assert "did you mean 'heading'" in by_line[7]
    assert "'size' must be one of small, body, not 'huge'" in by_line[8]
    assert "'city'" in by_line[10]
    assert all(p.path.endswith("letter.yaml") for p in problems)


def test_an_entry_syntax_error_names_the_line(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "signatory_block:\n  entry: '{{ name }'\n")
    [problem] = _checked(spec)
    assert (problem.line, problem.code) == (7, "LK111")
    assert "syntax error" in problem.message


def test_block_must_be_a_mapping(tmp_path: Path) -> None:
    [problem] = _checked(_spec(tmp_path, "signatory_block: small\n"))
    assert (problem.line, problem.code) == (6, "LK105")
    assert "'signatory_block' must be a mapping" in problem.message


def test_entry_problems() -> None:
    assert entry_problems("{{ name }}, {{ country | upper }} {{ number }}.") == ()
    assert entry_problems("{{ title }} {{ affiliation }}{% if note %}; {{ note }}{% endif %}") == ()
    [(code, message)] = entry_problems("{{ name }} {{ case.person }}")
    assert code == "LK112"
    assert "'case'" in message
    assert "name, type, acronym" in message
    [(code, message)] = entry_problems("{{ name | shout }}")
    assert code == "LK111"
    assert "shout" in message
    [(code, _)] = entry_problems("{% include 'x' %}")
    assert code == "LK111"
    [(code, _)] = entry_problems("{% for %}")
    assert code == "LK111"


def test_the_entry_filters_are_the_sandbox_filters() -> None:
    from jinja2.filters import FILTERS

    assert set(sandbox.PLAIN_ENV.filters) == set(FILTERS) | set(LETTERKIT_FILTERS)


def test_entry_texts_tidy_and_withhold() -> None:
    people = [
        Signatory("Ann Lee", type="individual", title="Judge", country="KG"),
        Signatory("Org", country="Elbonia", note="observer"),
        Signatory("Hidden", withhold=True),
    ]
    template = "{{ number }}. {{ name }}, {{ title }}, {{ country }} {{ note }}"
    assert entry_texts(template, people, "en-GB") == [
        "1. Ann Lee, Judge, Kyrgyzstan",
        "2. Org, Elbonia observer",
        "",
    ]
    assert entry_texts("{{ country }}", people[:1], "ru") == ["Кыргызстан"]
    assert tidy("  Name,  , Org ,") == "Name, Org"


def test_tidy_drops_separators_and_empty_brackets() -> None:
    """ "Name (ACRONYM, Country, note)" with cells left empty reads as written by hand."""
    template = "{{ name }} ({{ acronym }}, {{ country }}, {{ note }})"
    orgs = [
        Signatory("Legal Prosperity Foundation", country="KG"),
        Signatory("Partnership", acronym="IPHR", country="BE"),
        Signatory("Nota Bene", acronym="NB", country="TJ", note="based in exile"),
        Signatory("Plain"),
    ]
    assert entry_texts(template, orgs, "en-GB") == [
        "Legal Prosperity Foundation (Kyrgyzstan)",
        "Partnership (IPHR, Belgium)",
        "Nota Bene (NB, Tajikistan, based in exile)",
        "Plain",
    ]
    assert tidy("A [; B]") == "A [B]"


def test_entry_render_errors() -> None:
    with pytest.raises(EntryError) as info:
        entry_texts("{{ name.nothing.more }}", [Signatory("A")], "en-GB")
    assert info.value.code == "LK112"
    with pytest.raises(EntryError) as info:
        entry_texts("{{ name * 100000000 }}", [Signatory("A")], "en-GB")
    assert info.value.code in {"LK113", "LK114"}


def test_an_entry_that_fails_to_render_is_a_problem_at_the_block(tmp_path: Path) -> None:
    (tmp_path / "t.md").write_text("We write.\n", encoding="utf-8")
    spec = _spec(tmp_path, "signatory_block:\n  entry: '{{ name.nothing.more }}'\n")
    spec.write_text(
        spec.read_text().replace("template: appeal-release", "template: t.md"), encoding="utf-8"
    )
    [problem] = letterkit.check(spec)
    assert (problem.line, problem.code) == (6, "LK112")
    assert problem.path.endswith("letter.yaml")


def _rows(tmp_path: Path) -> list[Signatory]:
    return list(load_letter(tmp_path / "letter.yaml").signatories)


def test_note_and_signed_by_columns_in_csv_json_yaml_and_inline(tmp_path: Path) -> None:
    expected = ("observer", "Ida Stone")
    (tmp_path / "s.csv").write_text(
        "Name;Note;Signed_By;Title\nOrg A;observer;Ida Stone;Director\n", encoding="utf-8"
    )
    (tmp_path / "s.json").write_text(
        json.dumps([{"name": "Org A", "note": "observer", "signed_by": "Ida Stone"}]),
        encoding="utf-8",
    )
    (tmp_path / "s.yaml").write_text(
        "- {name: Org A, note: observer, signed_by: Ida Stone}\n", encoding="utf-8"
    )
    for source in (
        "s.csv",
        "s.json",
        "s.yaml",
        "[{name: Org A, note: observer, signed_by: Ida Stone}]",
    ):
        _spec(tmp_path, "").write_text(
            MINIMAL.replace("signatories: [Org A, Org B]", f"signatories: {source}"),
            encoding="utf-8",
        )
        [s] = _rows(tmp_path)
        assert (s.note, s.signed_by) == expected, source


def test_note_and_signed_by_from_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "note", "signed_by"])
    sheet.append(["Org A", "observer", "Ida Stone"])
    book.save(tmp_path / "s.xlsx")
    _spec(tmp_path, "").write_text(
        MINIMAL.replace("signatories: [Org A, Org B]", "signatories: s.xlsx"), encoding="utf-8"
    )
    [s] = _rows(tmp_path)
    assert (s.note, s.signed_by) == ("observer", "Ida Stone")


def test_signed_by_is_for_organisations(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text(
        "name,type,signed_by\nOrg A,,Ida Stone\nJo Bell,individual,Ida Stone\n", encoding="utf-8"
    )
    spec = _spec(tmp_path, "")
    spec.write_text(MINIMAL.replace("[Org A, Org B]", "s.csv"), encoding="utf-8")
    [problem] = letterkit.check(spec)
    assert (problem.code, problem.line) == ("LK105", 3)
    assert problem.path.endswith("s.csv")
    assert "signed_by" in problem.message


def test_letters_built_in_code_and_from_data() -> None:
    base = Letter(
        template="appeal-release",
        locale="en-GB",
        date=dt.date(2018, 12, 6),
        case=Case(person=Person(name="A")),
        signatories=(Signatory("Org A", note="observer"), Signatory("Org B")),
    )
    assert base.signatory_block is None
    assert letterkit.validate(base) == []
    block = SignatoryBlock(heading={"en": "Signers", "fr": "Signataires"}, size="body")
    assert letterkit.validate(Letter(**{**base.__dict__, "signatory_block": block})) == []
    wrong = Letter(**{**base.__dict__, "signatory_block": SignatoryBlock(size="large")})  # type: ignore[arg-type]
    [problem] = letterkit.validate(wrong)
    assert problem.path == "letter.signatory_block.size"
    missing = Letter(
        **{**base.__dict__, "signatory_block": SignatoryBlock(heading={"fr": "Signataires"})}
    )
    [problem] = letterkit.validate(missing)
    assert (problem.path, problem.code) == ("letter.signatory_block.heading", "LK108")
    letter = letter_from_data(
        {
            "template": "appeal-release",
            "locale": "en-GB",
            "date": "2018-12-06",
            "case": {"person": {"name": "A"}},
            "signatories": [{"name": "Org A", "note": "observer"}],
            "signatory_block": {"heading": "", "entry": "{{ name }} ({{ note }})"},
        },
        ".",
    )
    assert letter.signatory_block == SignatoryBlock(heading="", entry="{{ name }} ({{ note }})")
    with pytest.raises(letterkit.ValidationError) as info:
        letter_from_data(
            {
                "template": "appeal-release",
                "locale": "en-GB",
                "date": "2018-12-06",
                "case": {"person": {"name": "A"}},
                "signatories": ["Org A"],
                "signatory_block": {"entry": "{{ city }}"},
            },
            ".",
        )
    [problem] = info.value.problems
    assert (problem.path, problem.code) == ("letter.signatory_block.entry", "LK112")


def test_a_character_no_font_has_in_the_block_is_reported_at_its_key(tmp_path: Path) -> None:
    (tmp_path / "t.md").write_text("We write.\n", encoding="utf-8")
    spec = _spec(tmp_path, 'signatory_block:\n  heading: "Signers \\uE000"\n')
    spec.write_text(
        spec.read_text().replace("template: appeal-release", "template: t.md"), encoding="utf-8"
    )
    [problem] = letterkit.check(spec)
    assert (problem.line, problem.code) == (6, "LK140")
    assert "U+E000" in problem.message


def test_fields_used() -> None:
    assert fields_used("{{ name }}, {{ affiliation | upper }}") == {"name", "affiliation"}
    assert fields_used("{{ name }") == frozenset()


@pytest.mark.parametrize(
    "template",
    [
        "{{ ((10 ** 10000) ** 10000) ** 100 }}",
        "{{ 10 ** 5000 }}",
        "{{ name ~ 10 ** 5000 }}",
        "{% for i in range(10**9) %}{{ i }}{% endfor %}",
    ],
)
def test_an_entry_that_computes_too_much_is_lk113_at_once(template: str) -> None:
    """Reading the template works out no constant (no ten-billion-digit number),
    and rendering it is refused with LK113, never a crash."""
    assert within(5, lambda: entry_problems(template)) == ()
    with pytest.raises(EntryError) as info:
        within(5, lambda: entry_texts(template, [Signatory("Org")], "en-GB"))
    assert info.value.code == "LK113"


def test_numbered_prints_up_to_9999_signatories() -> None:
    base = Letter(
        template="appeal-release", locale="en-GB", date=dt.date(2020, 1, 1),
        case=Case(Person("Jane Doe")), signatory_style="numbered",
    )  # fmt: skip
    people = tuple(Signatory(f"Org {n}") for n in range(10_000))
    errors = [p for p in letterkit.validate(replace(base, signatories=people)) if p.code == "LK105"]
    assert [p.path for p in errors] == ["letter.signatory_style"]
    assert "1 to 9,999" in errors[0].message
    assert not [
        p
        for p in letterkit.validate(replace(base, signatories=people[:9_999]))
        if p.code == "LK105"
    ]
