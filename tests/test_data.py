"""Data in: every loader gives the same letter, names print exactly as typed."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

import letterkit
from letterkit import l10n
from letterkit.input import signatories
from letterkit.model import Case, Letter, Person, Signatory, Typography
from letterkit.typeset import fonts

from .conftest import EXAMPLE, ROOT, pdf_text

# -- one list, four file formats ----------------------------------------------------


def _rows() -> list[list[str]]:
    with (EXAMPLE / "signatories.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _variant(folder: Path, name: str, value: str) -> Path:
    spec = (folder / "letter.yaml").read_text(encoding="utf-8")
    path = folder / f"letter-{name}.yaml"
    path.write_text(spec.replace("signatories: signatories.csv", f"signatories: {value}"))
    return path


def test_csv_xlsx_yaml_and_json_lists_give_identical_letters(example_copy: Path) -> None:
    import openpyxl

    rows = _rows()
    header, body = rows[0], rows[1:]
    # Excel's "CSV UTF-8" in a European locale: BOM, semicolons, CRLF.
    with (example_copy / "excel.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows(rows)
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    sheet = book.create_sheet("Signers")
    for row in rows:
        sheet.append(row)
    book.save(example_copy / "list.xlsx")
    items = [{k: v for k, v in zip(header, row, strict=True) if v} for row in body]
    (example_copy / "list.yaml").write_text(yaml.safe_dump(items, allow_unicode=True))
    (example_copy / "list.json").write_text(json.dumps(items, ensure_ascii=False))
    specs = [
        example_copy / "letter.yaml",
        _variant(example_copy, "excel", "excel.csv"),
        _variant(example_copy, "xlsx", "{path: list.xlsx, sheet: Signers}"),
        _variant(example_copy, "yaml", "list.yaml"),
        _variant(example_copy, "json", "list.json"),
    ]
    digests = {hashlib.sha256(letterkit.render(spec)).hexdigest() for spec in specs}
    assert len(digests) == 1


def test_xlsx_first_sheet_numbers_and_blank_rows(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Country", "Lead"])
    sheet.append(["Committee 1961", "Norway", True])
    sheet.append([None, None, None])
    sheet.append([2024, "Chile", None])
    book.save(tmp_path / "s.xlsx")
    from letterkit.input.sources import Reporter, Source

    reporter = Reporter()
    found = signatories.load_signatories(
        tmp_path / "s.xlsx", (Source(tmp_path / "l.yaml", "l.yaml"), (1, 1)), reporter
    )
    assert reporter.problems == []
    assert [(s.name, s.country, s.lead) for s in found] == [
        ("Committee 1961", "Norway", True),
        ("2024", "Chile", False),
    ]
    assert found[1].origin is not None
    assert found[1].origin[0].endswith("s.xlsx[Sheet]!A4")
    assert found[1].origin[1:] == (4, 1)


def test_csv_quoted_multiline_cells_keep_physical_lines(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text(
        'name,affiliation\n"Centre\nfor  Rights",x\nB,"two\nlines"\n,missing\n', encoding="utf-8"
    )
    from letterkit.input.sources import Reporter, Source

    reporter = Reporter()
    found = signatories.load_signatories(
        tmp_path / "s.csv", (Source(tmp_path / "l.yaml", "l.yaml"), (1, 1)), reporter
    )
    assert [s.name for s in found] == ["Centre for Rights", "B"]
    assert found[1].affiliation == "two lines"
    [problem] = reporter.problems
    assert (problem.code, problem.line) == ("LK120", 6)


def test_nfc_and_duplicates_across_normal_forms(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Société Générale des Droits")
    (tmp_path / "s.csv").write_text(
        f"name\n{decomposed}\nSociété  Générale des Droits\n", encoding="utf-8"
    )
    from letterkit.input.sources import Reporter, Source

    reporter = Reporter()
    found = signatories.load_signatories(
        tmp_path / "s.csv", (Source(tmp_path / "l.yaml", "l.yaml"), (1, 1)), reporter
    )
    assert found[0].name == "Société Générale des Droits"
    assert unicodedata.is_normalized("NFC", found[0].name)
    [problem] = reporter.problems
    assert problem.code == "LK121"
    assert problem.line == 3
    assert "s.csv:2" in problem.message


# -- collation ----------------------------------------------------------------------

TURKISH = ["Çağdaş Hukukçular Derneği", "Cumhuriyet Vakfı", "Dünya Barış Derneği"]


def test_icu_without_pyicu_is_an_error(example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    rules = importlib.import_module("letterkit.validate.rules")
    monkeypatch.setattr(rules, "icu_available", lambda: False)
    text = (example_copy / "letter.yaml").read_text()
    (example_copy / "letter.yaml").write_text(
        text.replace("paper: A4", "paper: A4\ncollation: icu")
    )
    problems = letterkit.check(example_copy / "letter.yaml")
    [problem] = [p for p in problems if p.severity == "error"]
    assert problem.code == "LK105"
    assert problem.line == 9
    assert "pip install 'letterkit[icu]'" in problem.message


def test_uca_order_is_the_same_everywhere() -> None:
    people = [Signatory(name=n) for n in reversed(TURKISH)]
    assert [s.name for s in signatories.ordered(people, "alphabetical")] == TURKISH


def test_icu_gives_the_tailored_order() -> None:
    pytest.importorskip("icu")
    people = [Signatory(name=n) for n in TURKISH]
    names = [s.name for s in signatories.ordered(people, "alphabetical", "icu", "tr")]
    assert names == ["Cumhuriyet Vakfı", "Çağdaş Hukukçular Derneği", "Dünya Barış Derneği"]


# -- check on every example ---------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    sorted([*ROOT.glob("examples/*/letter*.yaml"), *ROOT.glob("examples/shapes/L*.yaml")]),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_check_passes_on_every_example(spec: Path) -> None:
    assert letterkit.check(spec) == []


# -- filters in several locales ------------------------------------------------------

FILTERS = (
    "{{ case.detained_on|date }} | {{ case.detained_on|duration(letter.date) }} | "
    "{{ ['A', 'B', 'C']|join_list }} | {{ 12345|number }} | "
    "{{ 5|plural(one='x', few='y', many='z', other='w') }} | {{ case.country|country }} | "
    "{{ 1956|age(letter.date) }} | {{ 'Frédérique Müller'|slug }}"
)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-GB", "15 June 2010 | 8 years and 5 months | A, B and C | 12,345 | 5 w | "
                  "Kyrgyzstan | 62 | frederique-muller"),
        ("en-US", "June 15, 2010 | 8 years and 5 months | A, B, and C | 12,345 | 5 w | "
                  "Kyrgyzstan | 62 | frederique-muller"),
        ("fr", "15 juin 2010 | 8 ans et 5\u00a0mois | A, B et C | 12\u00a0345 | 5 w | "
               "Kirghizistan | 62 | frederique-muller"),
        ("ru", "15 июня 2010\u00a0г. | 8 лет и 5 месяцев | A, B и C | 12\u00a0345 | 5 z | "
               "Кыргызстан | 62 | frederique-muller"),
    ],
)  # fmt: skip
def test_filters_in_several_locales(tmp_path: Path, locale: str, expected: str) -> None:
    from letterkit.text.merge import merge

    (tmp_path / "t.md").write_text(FILTERS + "\n", encoding="utf-8")
    letter = Letter(
        template=str(tmp_path / "t.md"),
        locale=locale,
        date=dt.date(2018, 12, 6),
        case=Case(person=Person(name="X"), country="KG", detained_on=dt.date(2010, 6, 15)),
        base_dir=tmp_path,
    )
    merged = merge(letter, [], [], "spec")
    assert merged.markdown.strip().replace("\\", "") == expected


# -- literal data, proven ------------------------------------------------------------

MARKUP = "*_[]()<>&#`\\!~|{}%'\"/:;=+-."


def _drawable(char: str) -> bool:
    category = unicodedata.category(char)
    return (
        category[0] in "LNPS"
        and not fonts.uncovered([char])
        and unicodedata.is_normalized("NFC", char)
    )


ALPHABET = [
    c
    for c in (
        [chr(i) for i in range(0x21, 0x17F)]  # Latin, Latin-1, Latin Extended-A
        + [chr(i) for i in range(0x391, 0x3CA)]  # Greek
        + [chr(i) for i in range(0x410, 0x450)]  # Cyrillic
        + list(MARKUP)
    )
    if _drawable(c)
]
WORD = st.text(alphabet=st.sampled_from(ALPHABET), min_size=1, max_size=12)
VALUE = st.lists(WORD, min_size=1, max_size=5).map(" ".join)


def _squash(text: str) -> str:
    return "".join(text.split())


@seed(20181206)
@settings(
    max_examples=int(os.environ.get("LETTERKIT_HYPOTHESIS_EXAMPLES", "30")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=VALUE, person=VALUE, subject=VALUE, note=VALUE)
def test_any_value_prints_exactly_as_given(
    tmp_path: Path, name: str, person: str, subject: str, note: str
) -> None:
    """Signatory name, defender name, subject and a footnote value come out of the PDF
    exactly as given, whatever Markdown or markup characters they hold (with the
    quotes as typed: test_typography covers their education)."""
    template = tmp_path / "t.md"
    template.write_text(
        "About {{ person.name }} here.[^1]\n\n[^1]: Source: {{ variables.note }} end.\n",
        encoding="utf-8",
    )
    letter = Letter(
        template=str(template),
        locale="en-GB",
        date=dt.date(2018, 12, 6),
        subject=subject,
        case=Case(person=Person(name=person)),
        signatories=(Signatory(name=name), Signatory(name="Zz Second Signatory")),
        variables={"note": note},
        base_dir=tmp_path,
        typography=Typography(smart_quotes=False),
    )
    text = _squash(pdf_text(letterkit.render(letter)))
    assert _squash(f"About {person} here.") in text
    assert _squash(f"Re: {subject}") in text
    assert _squash(f"Source: {note} end.") in text
    assert _squash(name) in text


def test_values_outside_the_fonts_are_the_documented_error(tmp_path: Path) -> None:
    letter = letterkit.load_letter(EXAMPLE / "letter.yaml")
    letter = replace(letter, signatories=(*letter.signatories[:-1], Signatory(name="Forum 王")))
    letter = replace(letter, expected_signatories=None)
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.render(letter)
    assert [p.code for p in info.value.problems] == ["LK140"]
    assert "U+738B" in info.value.problems[0].message


def test_l10n_duration_is_rounded_down_not_babel_rounding() -> None:
    assert l10n.duration(dt.date(2010, 6, 15), dt.date(2018, 12, 14), "en-GB") == (
        "8 years and 5 months"
    )


def test_a_name_in_a_script_no_font_has_is_one_problem(tmp_path: Path) -> None:
    letter = letterkit.load_letter(EXAMPLE / "letter.yaml")
    letter = replace(
        letter,
        signatories=(*letter.signatories[:-1], Signatory(name="国际人权组织")),
        expected_signatories=None,
    )
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.render(letter)
    [problem] = info.value.problems
    assert "characters '国' (U+56FD), '际' (U+9645)" in problem.message


def test_recipient_sheet_accepts_british_organisation(tmp_path: Path) -> None:
    from letterkit.input.campaign import RECIPIENT_TABLE
    from letterkit.input.sources import Reporter, Source
    from letterkit.input.tables import read_rows

    sheet = tmp_path / "r.csv"
    sheet.write_text("id,name,organisation\nA,Minister,Ministry of Examples\n")
    reporter = Reporter()
    rows = read_rows(sheet, (Source(sheet, "r.csv"), (1, 1)), reporter, RECIPIENT_TABLE)
    assert reporter.problems == []
    assert rows[0][0]["organization"] == "Ministry of Examples"


def test_two_people_of_one_name_both_sign(tmp_path: Path) -> None:
    """This test ensures that a list with two people of one name (differing
    affiliations) keeps both rows, and that a row repeating one of them with
    blank cells is still the LK121 error at its line."""
    (tmp_path / "s.csv").write_text(
        "name,type,affiliation,title,country\n"
        "Ahmed Hassan,individual,Cairo University,Professor,EG\n"
        "Ahmed Hassan,individual,Lawyers Union,Lawyer,SD\n"
        "ahmed hassan,,,Lawyer,\n",
        encoding="utf-8",
    )
    from letterkit.input.sources import Reporter, Source

    reporter = Reporter()
    found = signatories.load_signatories(
        tmp_path / "s.csv", (Source(tmp_path / "l.yaml", "l.yaml"), (1, 1)), reporter
    )
    assert [(s.name, s.affiliation) for s in found] == [
        ("Ahmed Hassan", "Cairo University"),
        ("Ahmed Hassan", "Lawyers Union"),
    ]
    [problem] = reporter.problems
    assert (problem.code, problem.line) == ("LK121", 4)
    assert "also at s.csv:3" in problem.message
