"""A signatory entry speaks the letter's language: Arabic title and affiliation
are joined with the Arabic comma, and the ``list`` style names a country given
as a code."""

from __future__ import annotations

from pathlib import Path

import letterkit
from letterkit.text.typography import Typographer

from .conftest import pdf_text


def _letter(tmp_path: Path, locale: str, style: str, signatories: str) -> Path:
    (tmp_path / "body.md").write_text("Text.\n", encoding="utf-8")
    spec = tmp_path / "letter.yaml"
    spec.write_text(
        f"template: body.md\nlocale: {locale}\ndate: 2024-05-02\nsubject: S\n"
        f"signatory_style: {style}\nsignatories:\n{signatories}",
        encoding="utf-8",
    )
    return spec


def test_arabic_title_and_affiliation_take_the_arabic_comma(tmp_path: Path) -> None:
    people = (
        "  - {name: ليلى, type: individual, title: أستاذة القانون, affiliation: جامعة بيروت}\n"
        "  - {name: Ana, type: individual, title: Professor, affiliation: Example University}\n"
    )
    text = pdf_text(letterkit.render(_letter(tmp_path, "ar", "columns", people)))
    assert "أستاذة القانون، جامعة بيروت" in text
    assert "أستاذة القانون, " not in text
    assert "Professor, Example University" in text


def test_the_list_style_names_a_country_given_as_a_code(tmp_path: Path) -> None:
    orgs = (
        "  - {name: Alpha Watch, acronym: AW, country: GB}\n"
        "  - {name: Beta Rights, country: Atlantis}\n"
    )
    english = " ".join(pdf_text(letterkit.render(_letter(tmp_path, "en-GB", "list", orgs))).split())
    assert "Alpha Watch (AW, United Kingdom)" in english
    assert "(AW, GB)" not in english
    assert "Beta Rights (Atlantis)" in english
    french = " ".join(pdf_text(letterkit.render(_letter(tmp_path, "fr", "list", orgs))).split())
    assert Typographer("fr", True).text("Alpha Watch (AW, Royaume-Uni)") in french


def test_typography_written_as_a_switch_says_how_to_write_it(tmp_path: Path) -> None:
    spec = _letter(tmp_path, "en-GB", "columns", "  - {name: Alpha Watch}\n")
    spec.write_text(spec.read_text(encoding="utf-8") + "typography: false\n", encoding="utf-8")
    problems = [str(p) for p in letterkit.check(spec) if p.code == "LK105"]
    assert len(problems) == 1, problems
    assert "letter.yaml:8:" in problems[0]
    assert "write 'typography: {smart_quotes: false}'" in problems[0]


def test_an_annex_path_given_as_a_list_is_a_type_error(tmp_path: Path) -> None:
    spec = _letter(tmp_path, "en-GB", "columns", "  - {name: Alpha Watch}\n")
    text = spec.read_text(encoding="utf-8") + "annexes:\n  - path: [a.pdf, b.pdf]\n"
    spec.write_text(text, encoding="utf-8")
    problems = [str(p) for p in letterkit.check(spec)]
    assert len(problems) == 1, problems
    assert "[LK105] 'path' must be one file name" in problems[0]
    assert "letter.yaml:9:" in problems[0]


def test_a_russian_date_ending_a_sentence_takes_one_stop() -> None:
    from letterkit.text.typography import educate

    assert educate("Задержан 6 декабря 2018 г.. Далее…", "ru") == (
        "Задержан 6\u00a0декабря 2018\u00a0г. Далее…"
    )
    assert educate("и т. д... Wait..", "ru").endswith("... Wait..")
