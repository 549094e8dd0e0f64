"""Typing mistakes in YAML and CSV files → one problem that names the mistake, at
its line and column, with the fix (letterkit.input.yaml_hints, csvtable, sources)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from letterkit.input import data
from letterkit.input.data import load_data_file
from letterkit.input.signatories import SIGNATORY_TABLE
from letterkit.input.sources import Reporter, Source, display_path, shown_from
from letterkit.input.tables import read_rows


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture(params=["libyaml", "pure-python"])
def either_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both of PyYAML's parsers (their messages differ; the hints must not)."""
    if request.param == "pure-python":
        monkeypatch.setattr(data, "_Loader", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without LibYAML")


def _yaml(tmp_path: Path, text: str) -> tuple[Any, list[str]]:
    path = tmp_path / "letter.yaml"
    path.write_text(text, encoding="utf-8")
    reporter = Reporter()
    data = load_data_file(path, reporter, "letter spec")
    return data, [str(p) for p in reporter.problems]


TAB = "a tab is used for indentation on this line; YAML needs spaces: replace the tab with spaces"


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("sender:\n\tname: Coalition\n", f"letter.yaml:2:1: error: [LK102] not valid YAML: {TAB}"),
        ("recipients:\n  - name: A\n  \t title: B\n", f"letter.yaml:3:3: error: [LK102] not valid YAML: {TAB}"),
        ("subject: Re: Askarov\n",
         "letter.yaml:1:10: error: [LK102] not valid YAML: the value holds ': '; put it in "
         'quotes: subject: "Re: Askarov"'),
        ("recipients:\n  - name: A\n    title: Minister: Foreign Affairs # MFA\n",
         "letter.yaml:3:12: error: [LK102] not valid YAML: the value holds ': '; put it in "
         'quotes: title: "Minister: Foreign Affairs"'),
        ('place: Brussels\nsubject: Re: "Askarov" case\n',
         "letter.yaml:2:10: error: [LK102] not valid YAML: the value holds ': '; put it in "
         "quotes: subject: 'Re: \"Askarov\" case'"),
        ("title: Minister:\n",
         "letter.yaml:1:8: error: [LK102] not valid YAML: the value ends with ':'; put it in "
         'quotes: title: "Minister:"'),
        ("subject: \u201cRe: Askarov\u201d\n",
         "letter.yaml:1:10: error: [LK102] not valid YAML: the value starts with the curly quote "
         "\u201c, which YAML does not read as a quote (text pasted from a word processor?); use "
         'straight quotes: subject: "Re: Askarov"'),
        ("place: \u2018Bishkek: centre\u2019\n",
         "letter.yaml:1:8: error: [LK102] not valid YAML: the value starts with the curly quote "
         "\u2018, which YAML does not read as a quote (text pasted from a word processor?); use "
         'straight quotes: place: "Bishkek: centre"'),
        ('subject: "Release of Askarov\nplace: Brussels\n',
         "letter.yaml:1:10: error: [LK102] not valid YAML: the quote \" that starts this value is "
         'never closed; end the value with " on the same line (a quote inside double quotes is '
         'written \\")'),
        ("title: 'It's urgent'\n",
         "letter.yaml:1:12: error: [LK102] not valid YAML: the value ends at its closing quote ' "
         "and more text follows it; quote the whole value once: title: \"It's urgent\""),
        ('title: "The "Memorial" centre"\n',
         "letter.yaml:1:14: error: [LK102] not valid YAML: the value ends at its closing quote \" "
         "and more text follows it; quote the whole value once: "
         "title: 'The \"Memorial\" centre'"),
        ("annexes:\n  - path: a.pdf\n   title: Views\n",
         "letter.yaml:3:4: error: [LK102] not valid YAML: 'title' is in the list that starts on "
         "line 2 but does not start with '- ' and is not lined up with the item above; start it "
         "with '- ' for a new item, or in column 5 under 'path' to add it to that item"),
        ("recipients:\n  - name: A\n  title: B\n",
         "letter.yaml:3:3: error: [LK102] not valid YAML: 'title' is in the list that starts on "
         "line 2 but does not start with '- ' and is not lined up with the item above; start it "
         "with '- ' for a new item, or in column 5 under 'name' to add it to that item"),
        ("cc:\n  - A\n - B\n",
         "letter.yaml:3:2: error: [LK102] not valid YAML: '- B' starts in column 2, which lines "
         "it up with no key above it; keys of one mapping and items of one list start in the same "
         "column; indent it like the key or item it belongs with: like '- A' on line 2 (column 3) "
         "or 'cc' on line 1 (column 1)"),
        ("sender:\n  name: A\n email: b@c.org\n",
         "letter.yaml:3:2: error: [LK102] not valid YAML: 'email' starts in column 2, which lines "
         "it up with no key above it; keys of one mapping and items of one list start in the same "
         "column; indent it like the key or item it belongs with: like 'name' on line 2 (column 3) "
         "or 'sender' on line 1 (column 1)"),
        ("locale: en-GB\n  date: 2018-12-06\n",
         "letter.yaml:2:3: error: [LK102] not valid YAML: 'date' is indented more than the line "
         "above it, so it is read as the rest of that line's value; start it in column 1, like "
         "the line above"),
        ("cc: Josep Borrell\n- Kaja Kallas\n",
         "letter.yaml:2:1: error: [LK102] not valid YAML: a list item cannot stand among the "
         "keys of the mapping that starts on line 1; put the list under a key of its own: the key "
         "alone on its line (key:), then each '- ' item on a line below it, indented"),
        ("cc:\n  - Josep Borrell\nplace\n",
         "letter.yaml:3:1: error: [LK102] not valid YAML: 'place' has no ': ' after it; write "
         "key: value (a line that goes on with the value above must be indented more than that "
         "value's key)"),
        ("  locale: en-GB\ndate: 2018-12-06\n",
         "letter.yaml:2:1: error: [LK102] not valid YAML: this line starts in column 1, left of "
         "the file's first line (line 1, column 3); start the top-level keys of the file in the "
         "same column"),
        ("locale:en-GB\ndate: 2018-12-06\n",
         "letter.yaml:1:8: error: [LK102] not valid YAML: a space is missing after the ':' on "
         "this line; write locale: en-GB"),
        ("subject: @Askarov\n",
         "letter.yaml:1:10: error: [LK102] not valid YAML: a value cannot start with '@' unless "
         'it is quoted; put it in quotes: subject: "@Askarov"'),
        ("title: [Draft] Release\n",
         "letter.yaml:1:8: error: [LK102] not valid YAML: a value that starts with '[' is read "
         'as a list; put it in quotes: title: "[Draft] Release"'),
        ("subject: - Release\n",
         "letter.yaml:1:10: error: [LK102] not valid YAML: a value that starts with '- ' is read "
         "as a list; put it in quotes (subject: \"- Release\"), or put each '- ' item on a line of "
         "its own under 'subject:', indented"),
        ("place: Brussels\nplace: Geneva\n",
         "letter.yaml:2:1: error: [LK102] key 'place' appears twice (first on line 1); keep one"),
        ("subject: *Urgent* release\n",
         "letter.yaml:1:10: error: [LK102] not valid YAML: a value cannot start with '*' unless "
         'it is quoted; put it in quotes: subject: "*Urgent* release"'),
        ("subject: *Urgent\n",
         "letter.yaml:1:10: error: [LK102] not valid YAML: alias '*Urgent' names no anchor "
         "before it; a text that starts with '*' must be in quotes: \"*Urgent…\""),
    ],
)  # fmt: skip
@pytest.mark.usefixtures("either_parser")
def test_a_yaml_typing_mistake_is_one_line_with_its_fix(
    tmp_path: Path, text: str, printed: str
) -> None:
    """This test ensures that the usual typing mistakes in a YAML file print as one
    problem at the mistake's line and column, naming it and the fix."""
    _, problems = _yaml(tmp_path, text)
    assert problems == [printed]


def test_curly_quotes_that_parse_are_left_alone(tmp_path: Path) -> None:
    """This test ensures that a value wrapped in curly quotes that YAML reads fine
    is no parser problem here (it is text with quote marks)."""
    data, problems = _yaml(tmp_path, "subject: \u201cAskarov\u201d\n")
    assert problems == []
    assert data == {"subject": "\u201cAskarov\u201d"}


def test_a_curly_quoted_value_that_parses_is_not_blamed_for_a_later_line(tmp_path: Path) -> None:
    """This test ensures that a mistake further down a mapping is named as itself,
    not as the curly quotes of a value that YAML read fine."""
    _, [problem] = _yaml(tmp_path, "subject: \u201cAskarov\u201d\nplace: Brussels\n- x\n")
    assert "curly" not in problem
    assert problem.startswith("letter.yaml:3:1: error: [LK102] not valid YAML: a list item")


def test_a_control_character_is_named_at_its_place(tmp_path: Path) -> None:
    """This test ensures that a control character YAML refuses is one line at its
    place, named by its code point (never printed raw)."""
    _, problems = _yaml(tmp_path, "place: Brussels\nsubject: Re \x1b[31mAskarov\n")
    assert problems == [
        "letter.yaml:2:13: error: [LK102] not valid YAML: the file holds the control character "
        "U+001B, which YAML does not allow; delete it"
    ]


def test_a_value_quoted_back_keeps_control_characters_escaped(tmp_path: Path) -> None:
    """This test ensures that a value quoted back in a fix cannot move the cursor."""
    _, [problem] = _yaml(tmp_path, "subject: Re: \u202eAskarov\n")
    assert "\\u202eAskarov" in problem
    assert "\u202e" not in problem


def test_front_matter_mistakes_are_placed_in_the_template_file(tmp_path: Path) -> None:
    """This test ensures that front matter gets the same explanation, at the
    template file's own line (the front matter starts on line 2)."""
    from letterkit.text.templates import read_template

    path = tmp_path / "t.md"
    path.write_text("---\nsubject: Re: Askarov\n---\nBody\n", encoding="utf-8")
    reporter = Reporter()
    assert read_template(path, reporter) is None
    assert [str(p) for p in reporter.problems] == [
        "t.md:2:10: error: [LK111] front matter is not valid YAML: the value holds ': '; "
        'put it in quotes: subject: "Re: Askarov"'
    ]


# --- CSV -------------------------------------------------------------------------------


def _csv(tmp_path: Path, data: bytes, name: str = "signatories.csv") -> tuple[list[Any], list[str]]:
    path = tmp_path / name
    path.write_bytes(data)
    reporter = Reporter()
    rows = read_rows(path, (Source(tmp_path / "l.yaml", "l.yaml"), (1, 1)), reporter,
                     SIGNATORY_TABLE)  # fmt: skip
    return rows, [str(p) for p in reporter.problems]


SAVE_CSV = "save it as UTF-8 (in Excel: Save As > 'CSV UTF-8 (Comma delimited)')"


@pytest.mark.parametrize(
    ("data", "printed"),
    [
        (b'name,country\n"Centre "Memorial" Kyiv",UA\n',
         'signatories.csv:2:9: error: [LK102] a quote in this row ends its cell before the cell '
         "does (the cell starts with a quote, so a quote inside it closes it); inside a quoted "
         'cell write each quote twice: "Centre ""Memorial"" Kyiv"'),
        (b'name,country\nA,FR\n"Viasna, Minsk,BY\nC,DE\n',
         "signatories.csv:3:1: error: [LK102] the quote that starts a cell on this line is never "
         "closed, so the rest of the file would be one cell; close it with a quote, or write a "
         'quote inside a quoted cell twice ("")'),
        (b'name;country\nA;"FR\n',
         "signatories.csv:2:3: error: [LK102] the quote that starts a cell on this line is never "
         "closed, so the rest of the file would be one cell; close it with a quote, or write a "
         'quote inside a quoted cell twice ("")'),
        (b'name,country\n"Viasna" ,BY\n',
         "signatories.csv:2:9: error: [LK102] a space follows the quote that closes this cell; "
         "delete it, so that ',' comes right after the quote"),
        (b"name\tcountry\nA\tFR\n",
         "signatories.csv:1:1: error: [LK102] the file is separated by tabs, so its header reads "
         "as one column; letterkit reads commas or semicolons: save it as CSV (in Excel: Save As "
         "> 'CSV UTF-8 (Comma delimited)')"),
        (b"name\nAmnesty;GB\nViasna;BY\n",
         "signatories.csv:2:1: error: [LK102] the header has one column, 'name', but the rows "
         "hold semicolons: if the file is separated by semicolons, separate the header's columns "
         "the same way; a cell that holds ';' goes in quotes"),
        ("name,country\nÉcole,FR\n".encode("utf-16"),
         f"signatories.csv:1:1: error: [LK102] signatories file is saved as UTF-16, not UTF-8; "
         f"{SAVE_CSV}"),
        ("name,country\nÉcole,FR\n".encode("utf-16-le"),
         f"signatories.csv:1:1: error: [LK102] signatories file is saved as UTF-16, not UTF-8; "
         f"{SAVE_CSV}"),
        ("name,country\nA,FR\nLigue des droits de l’Homme,FR\n".encode("cp1252"),
         "signatories.csv:3:22: error: [LK102] signatories file is not UTF-8 text: byte 0x92 "
         "here is '’' in Windows-1252 (Latin-1): the file was saved in that encoding; "
         f"{SAVE_CSV}"),
    ],
)  # fmt: skip
def test_a_csv_typing_mistake_is_one_line_with_its_fix(
    tmp_path: Path, data: bytes, printed: str
) -> None:
    """This test ensures that a badly quoted cell, the wrong separator or the wrong
    encoding is one problem at its row (and column), saying how to save the file."""
    rows, problems = _csv(tmp_path, data)
    assert rows == []
    assert problems == [printed]


def test_quotes_written_as_csv_wants_them_still_read(tmp_path: Path) -> None:
    """This test ensures that strict reading keeps doubled quotes, quoted
    separators, quoted line breaks and a quote inside an unquoted cell."""
    rows, problems = _csv(
        tmp_path,
        b'name,country\n"Centre ""Memorial""",UA\n"Viasna, Minsk",BY\nA "B" C,FR\n"X\nY",DE\n',
    )
    assert problems == []
    assert [r[0]["name"] for r in rows] == ['Centre "Memorial"', "Viasna, Minsk", 'A "B" C', "X\nY"]


def test_a_yaml_file_not_in_utf8_says_how_to_save_it(tmp_path: Path) -> None:
    """This test ensures that a spec saved as Latin-1 names the line, column and
    character, and the fix for a text editor (no Excel advice)."""
    (tmp_path / "letter.yaml").write_bytes("place: Bruxelles\nsubject: Libérez\n".encode("latin-1"))
    reporter = Reporter()
    load_data_file(tmp_path / "letter.yaml", reporter, "letter spec")
    assert [str(p) for p in reporter.problems] == [
        "letter.yaml:2:13: error: [LK102] letter spec is not UTF-8 text: byte 0xE9 here is 'é' "
        "in Windows-1252 (Latin-1): the file was saved in that encoding; save it again with the "
        "encoding UTF-8 (your editor's Save As offers it)"
    ]


# --- paths in problems -----------------------------------------------------------------


def test_paths_outside_the_working_folder_are_named_from_the_spec_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a problem never prints an absolute path: a file
    outside the working folder is named relative to the spec's folder."""
    (tmp_path / "work").mkdir()
    (tmp_path / "letters" / "data").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "work")
    spec = tmp_path / "letters" / "letter.yaml"
    assert display_path(tmp_path / "work" / "x.csv") == "x.csv"
    assert display_path(spec) == "letter.yaml"  # no spec known: the name alone
    with shown_from(spec):
        assert display_path(spec) == "letter.yaml"
        assert display_path(tmp_path / "letters" / "data" / "s.csv") == "data/s.csv"
        assert display_path(tmp_path / "shared" / "s.csv") == "../shared/s.csv"
        assert display_path(tmp_path / "work" / "x.csv") == "x.csv"


def test_no_problem_prints_an_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that `check` run from another folder on a spec with a
    missing case file, an annex outside its folder, a linked font
    leading out and a signatory list saved as Windows-1252 prints every
    problem without the spec's absolute folder."""
    import shutil

    import letterkit

    root = Path(__file__).resolve().parents[2]
    folder = tmp_path / "home" / "user" / "letters"
    shutil.copytree(root / "examples" / "askarov-eu-2018", folder)
    (tmp_path / "elsewhere").mkdir()
    (folder / "fonts").mkdir()
    (folder / "fonts" / "Out.ttf").symlink_to(root / "fonts" / "NotoSans-Regular.ttf")
    spec = folder / "letter.yaml"
    text = spec.read_text(encoding="utf-8")
    text = text.replace("case: case.yaml", "case: missing.yaml")
    text = text.replace("path: chronology.pdf", "path: ../chronology.pdf")
    text = text.replace("paper: A4", "paper: A4\nfonts: fonts")
    spec.write_text(text, encoding="utf-8")
    (folder / "signatories.csv").write_bytes("name\nLigue des droits de l’Homme\n".encode("cp1252"))
    monkeypatch.chdir(tmp_path / "elsewhere")
    problems = letterkit.check(spec)
    assert {p.code for p in problems} >= {"LK101", "LK102", "LK107"}
    for problem in problems:
        assert not problem.path.startswith("/"), problem
        assert str(tmp_path) not in str(problem), problem
        assert "home/user" not in str(problem), problem
