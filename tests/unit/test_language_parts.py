"""``parts`` and ``signatories_in`` read from a spec, from plain data and from
code, and held to the rules: each problem once, at its line, all at once."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

import letterkit
from letterkit import LetterPart, ValidationError
from letterkit.model import Dateline, Signatory, part_letter
from letterkit.validate.languages import MAX_PARTS

from ..conftest import ROOT, page_texts
from ..test_cli import run
from ._letters import letter

SHAPES = ROOT / "examples" / "shapes"

BAD = """\
template: L13b.en.md
locale: en-GB
date: 2017-07-13
place: {en: Istanbul}
case: case-marmara.yaml
signatories: signatories-41.csv
parts:
  - {}
  - locale: tr
    template: missing.tr.md
    locle: tr
    annexes: []
  - locale: xx-nope-nope
  - just a string
  - locale: tr
    dateline: {position: sideways}
    variables: [1, 2]
signatories_in: first
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("L13b.en.md", "L13b.tr.md", "signatories-41.csv"):
        shutil.copy(SHAPES / name, tmp_path / name)
    spec = yaml.safe_load((SHAPES / "L13b-english-turkish.yaml").read_text(encoding="utf-8"))
    case = yaml.safe_dump(spec["case"], allow_unicode=True, default_flow_style=False)
    (tmp_path / "case-marmara.yaml").write_text(case, encoding="utf-8")
    return tmp_path


def _problems(spec: Path) -> list[tuple[int, str, str]]:
    status, out, err = run("check", str(spec), "--format", "json")
    assert status == 1, err
    return [(p["line"], p["code"], p["message"]) for p in json.loads(out)["problems"]]


def test_check_reports_every_problem_of_the_parts_at_its_line(folder: Path) -> None:
    """This test ensures that ``check`` reports, in one run and each at its line:
    an unknown part key with "did you mean", a key that is the same for every
    part, a part that is no mapping, wrong types, a wrong word, a part's
    template that is not there, an unknown locale, a bad dateline position and
    a text of the spec without the part's language."""
    (folder / "bad.yaml").write_text(BAD, encoding="utf-8")
    found = _problems(folder / "bad.yaml")
    expected = [
        (11, "LK103", "did you mean 'locale'?"),
        (12, "LK103", "'annexes' is the same for every part; set it once at the top"),
        (14, "LK105", "must be a mapping of keys and values"),
        (17, "LK105", "'variables' must be a mapping"),
        (18, "LK105", "'signatories_in' must be one of last, each, not 'first'"),
        (10, "LK110", "template file 'missing.tr.md' not found"),
        (13, "LK105", "unknown locale 'xx-nope-nope'"),
        (16, "LK105", "'position' must be one of before-subject, after-subject"),
        (4, "LK108", "in part 2 (tr): 'place' has no text for locale 'tr'"),
        (4, "LK108", "in part 5 (tr): 'place' has no text for locale 'tr'"),
    ]
    for line, code, words in expected:
        assert any(f == (line, code, f[2]) and words in f[2] for f in found), (line, code, words)
    assert len(found) == len(expected), found


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('"tr"', "'parts' must be a list of mappings"),
        ("{locale: tr}", "'parts' must be a list of mappings"),
        ("[{}, {locale: [tr]}]", "'locale' must be text"),
        ("[{}, {subject: [a, b]}]", "'subject' must be text, not a list"),
        ("[{}, {template: missing.md}]", "template file 'missing.md' not found"),
        ("[{locale: tr}]", "'parts' has one part"),
    ],
)
def test_a_wrong_parts_value_is_one_problem(folder: Path, value: str, words: str) -> None:
    spec = folder / "letter.yaml"
    text = BAD.split("parts:")[0].replace("{en: Istanbul}", "Istanbul")
    spec.write_text(text + f"parts: {value}\n", encoding="utf-8")
    found = _problems(spec)
    assert len(found) == 1, found
    assert words in found[0][2]
    assert found[0][0] == 7


def test_plain_data_names_the_part_field(folder: Path) -> None:
    """This test ensures that letter_from_data reads parts too, and a part's
    problem names the part's field."""
    data = {
        "template": "L13b.en.md", "locale": "en-GB", "date": "2017-07-13",
        "case": "case-marmara.yaml", "signatories": ["Org A"],
        "parts": [{}, {"locale": "tr", "template": "nope.md"}],
    }  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        letterkit.letter_from_data(data, folder)
    [problem] = caught.value.problems
    assert problem.path == "letter.parts[1].template"
    assert problem.code == "LK110"
    data["parts"] = [{}, {"locale": "tr", "template": "L13b.tr.md"}]
    built = letterkit.letter_from_data(data, folder)
    assert built.parts == (LetterPart(), LetterPart(locale="tr", template="L13b.tr.md"))
    assert built.signatories_in == "last"


def test_a_letter_built_in_code_has_parts_too(tmp_path: Path) -> None:
    """This test ensures that ``Letter(parts=...)`` renders one part per language,
    and that the model's rules hold a part built in code."""
    (tmp_path / "x.md").write_text("We write about {{ person.name }}.\n", encoding="utf-8")
    two = letter(
        tmp_path,
        template="x.md",
        signatories=(Signatory("Org A"), Signatory("Org B")),
        parts=(LetterPart(), LetterPart(locale="fr")),
    )
    pages = page_texts(letterkit.render(two))
    assert "Page 1 of" in pages[0]
    assert any("Page 1 sur" in p for p in pages)
    assert sum("Org A" in p for p in pages) == 1
    bad = letter(tmp_path, parts=(LetterPart(dateline="top"), "fr"))  # type: ignore[arg-type]
    messages = [str(p) for p in letterkit.validate(bad)]
    assert (
        "letter.parts[0].dateline: error: [LK105] a part's 'dateline' must be a Dateline"
        in messages
    )
    assert "letter.parts[1]: error: [LK105] a part must be a LetterPart, not a str" in messages
    many = letter(tmp_path, parts=(LetterPart(),) * (MAX_PARTS + 1))
    assert any("at most" in p.message for p in letterkit.validate(many))
    wrong = letter(tmp_path, parts=(LetterPart(),) * 2, signatories_in="both")  # type: ignore[arg-type]
    assert [p.code for p in letterkit.validate(wrong) if p.severity == "error"] == ["LK105"]


def test_a_part_is_the_letter_with_its_own_fields() -> None:
    """This test ensures that a part keeps the letter's fields it does not give,
    takes those it gives, and adds its variables to the letter's."""
    base = letter(
        place="Brussels",
        variables={"a": 1, "b": 2},
        parts=(
            LetterPart(),
            LetterPart(locale="tr", variables={"b": 3}, dateline=Dateline(format="short")),
        ),
    )
    first, second = part_letter(base, 0), part_letter(base, 1)
    assert first.parts == ()
    assert first.locale == "en-GB"
    assert first.variables == {"a": 1, "b": 2}
    assert second.locale == "tr"
    assert second.place == "Brussels"
    assert second.variables == {"a": 1, "b": 3}
    assert second.dateline.format == "short"
    assert second.date == dt.date(2018, 12, 6)


def test_no_parts_key_is_one_letter(folder: Path) -> None:
    """This test ensures that ``parts: []`` is a letter as if the key were absent."""
    text = BAD.split("parts:")[0].replace("{en: Istanbul}", "Istanbul")
    text += "variables: {detained: [A, B]}\n"
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    (folder / "b.yaml").write_text(text + "parts: []\nsignatories_in: each\n", encoding="utf-8")
    assert letterkit.render(folder / "a.yaml") == letterkit.render(folder / "b.yaml")


def test_the_bundled_fonts_draw_turkish() -> None:
    """This test ensures that every face of the bundled families draws the
    Turkish letters, so a Turkish part never falls back or fails the glyph check."""
    from letterkit.typeset import fonts

    assert fonts.uncovered("ÇçĞğİıÖöŞşÜüÂâÎîÛû") == []


def test_a_template_given_by_every_part_is_not_needed_at_the_top(folder: Path) -> None:
    """This test ensures that a field every part gives (each part its template)
    need not be given at the top of the spec, and that a part's own problem
    with it is still reported at the part's line."""
    text = BAD.split("parts:")[0].replace("template: L13b.en.md\n", "")
    text += "variables: {detained: [A]}\n"
    parts = "parts:\n  - {template: L13b.en.md}\n  - {locale: tr, template: L13b.tr.md}\n"
    spec = folder / "letter.yaml"
    spec.write_text(text.replace("{en: Istanbul}", "Istanbul") + parts, encoding="utf-8")
    pages = page_texts(letterkit.render(spec))
    assert any("Sayfa 1 /" in p for p in pages)
    spec.write_text(spec.read_text(encoding="utf-8").replace("L13b.tr.md", "gone.md"), "utf-8")
    found = _problems(spec)
    assert [(line, code) for line, code, _ in found] == [(9, "LK110")]


def test_concatenate_keeps_every_page_in_order() -> None:
    """This test ensures that the documents joined for the parts keep their
    pages, in order, each drawing its own text, and read back as a PDF."""
    import io

    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    from letterkit.pdf import splice

    docs = []
    for name, count in (("first", 2), ("second", 1)):
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1)
        for n in range(count):
            canvas.drawString(72, 700, f"{name} page {n + 1}")
            canvas.showPage()
        canvas.save()
        docs.append(splice.read(buffer.getvalue()))
    joined = splice.concatenate(docs)
    texts = [p.extract_text().strip() for p in PdfReader(io.BytesIO(joined)).pages]
    assert texts == ["first page 1", "first page 2", "second page 1"]
    assert len(splice.read(joined).pages) == 3
    assert splice.concatenate(docs) == joined


def test_a_part_reads_salutation_and_closing_as_the_spec_does(tmp_path: Path) -> None:
    """``""`` prints none; a key left empty (null) keeps the spec's, as at the top."""
    spec = tmp_path / "letter.yaml"
    shutil.copy(SHAPES / "case.yaml", tmp_path / "case.yaml")
    spec.write_text(
        "template: appeal-release\nlocale: en-GB\ndate: 2020-01-02\ncase: case.yaml\n"
        "signatories: [Org A, Org B]\nparts:\n  - {}\n"
        '  - {locale: ru, salutation: "", closing: null}\n',
        encoding="utf-8",
    )
    part = letterkit.load_letter(spec).parts[1]
    assert part.salutation == ""
    assert part.closing is None
