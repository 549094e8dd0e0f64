"""Hostile tables and data files: each reader stops at its limits while it reads.

Every case is a crafted file, built here, put in place of the signatory list
or the case file of the example letter, and rendered in its own bounded
process (see ``harness``): it must end in the row-limit problem (LK105), an
unreadable-file problem (LK102) or a correct PDF, within 60 s and 300 MB,
with no traceback and nothing but the output touched.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from . import workbooks
from .harness import assert_clean_end, letterkit, tree_digest
from .harness import edit as _set
from .workbooks import cell, sheet


def _signatories(name: str) -> Callable[[Path], Path]:
    """A setup step: the spec names *name* as its signatory list; returns its path."""

    def setup(folder: Path) -> Path:
        _set(folder, "signatories: signatories.csv", f"signatories: {name}")
        _set(folder, "expected_signatories: 45\n", "")
        return folder / name

    return setup


def _case(name: str) -> Callable[[Path], Path]:
    def setup(folder: Path) -> Path:
        _set(folder, "case: case.yaml", f"case: {name}")
        return folder / name

    return setup


# --- the crafted files -----------------------------------------------------------------


def _csv_rows(path: Path) -> None:
    """6 MB: 130,000 rows, every column filled."""
    header = "name,type,acronym,country,affiliation,title,group,sort_as,lead,withhold\n"
    rows = (f"Org {n},organization,O{n},Country {n % 50},,,,,,\n" for n in range(130_000))
    path.write_text(header + "".join(rows), encoding="utf-8")
    assert path.stat().st_size > 6_000_000


def _json_list(path: Path) -> None:
    """12 MB: 130,000 signatories as JSON objects."""
    items = [
        {"name": f"Organisation {n}", "country": "Norway", "affiliation": "x" * 20}
        for n in range(135_000)
    ]
    path.write_text(json.dumps(items), encoding="utf-8")
    assert path.stat().st_size > 12_000_000


def _yaml_list(path: Path) -> None:
    """4 MB: 90,000 signatories as a YAML list of mappings."""
    rows = (f"- name: Organisation {n}\n  country: Norway\n" for n in range(90_000))
    path.write_text("".join(rows), encoding="utf-8")
    assert path.stat().st_size > 4_000_000


def _big_xlsx(path: Path) -> None:
    """7.5 MB: 270,000 rows of inline strings that compress poorly."""
    draw = random.Random(1)

    def rows() -> Iterator[bytes]:
        yield f'<worksheet xmlns="{workbooks.MAIN}"><sheetData>'.encode()
        yield f'<row r="1">{cell("A1", "name")}{cell("B1", "country")}</row>'.encode()
        for n in range(2, 270_000):
            name, country = f"Org {draw.random():.12f}", f"C{draw.randrange(10**9)}"
            yield f'<row r="{n}">{cell(f"A{n}", name)}{cell(f"B{n}", country)}</row>'.encode()
        yield b"</sheetData></worksheet>"

    workbooks.workbook(path, rows())
    assert path.stat().st_size > 7_000_000


_HEAD = sheet(f'<row r="1">{cell("A1", "name")}</row>').split("</sheetData>")[0].encode()
_TAIL = f'<row r="2">{cell("A2", "Org")}</row></sheetData></worksheet>'.encode()


def _whitespace_bomb(path: Path) -> None:
    """4 MB of zip that inflates to 3.9 GB of spaces between two rows."""
    workbooks.bomb(path, _HEAD, 3_900, _TAIL)
    assert path.stat().st_size < 5_000_000


def _lying_size(path: Path) -> None:
    """The zip's directory says the sheet is 5 kB; it inflates to 2 GB."""
    workbooks.bomb(path, _HEAD, 2_000, _TAIL, declared=5_000)


def _whitespace_inside_caps(path: Path) -> None:
    """100 MB of spaces inside a cell: under the part cap, so the parser must bound it."""
    workbooks.bomb(path, _HEAD + b'<row r="2"><c r="A2" t="inlineStr"><is><t>', 100,
                   b"</t></is></c></row></sheetData></worksheet>")  # fmt: skip


def _lying_dimension(path: Path, ref: str) -> None:
    """1.9 kB whose <dimension> claims every cell of a sheet, with one in the last row."""
    rows = f'<row r="1">{cell("A1", "name")}</row><row r="1048576">{cell(ref, "Zyxwv Monitoring Org")}</row>'
    workbooks.workbook(path, sheet(rows, "A1:XFD1048576"))
    assert path.stat().st_size < 2_000


def _shared_strings_bomb(path: Path) -> None:
    """7,000,000 shared strings (120 MB inflated) and a cell that wants the last one."""
    count = 7_000_000

    def strings() -> Iterator[bytes]:
        yield f'<sst xmlns="{workbooks.MAIN}" count="{count}" uniqueCount="{count}">'.encode()
        for _ in range(count // 10_000):
            yield b"<si><t>a</t></si>" * 10_000
        yield b"</sst>"

    rows = f'<row r="1">{cell("A1", "name")}</row><row r="2"><c r="A2" t="s"><v>{count - 1}</v></c></row>'
    workbooks.workbook(path, sheet(rows), strings())


def _entity_bomb(path: Path) -> None:
    """Billion laughs in the sheet's XML."""
    entities = '<!ENTITY a "lollollollollol">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(9)
    )
    xml = sheet(f'<row r="1">{cell("A1", "name")}</row><row r="2">{cell("A2", "&j;")}</row>')
    workbooks.workbook(
        path, xml.replace("<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet", 1)
    )


def _broken_xml(path: Path) -> None:
    workbooks.workbook(path, sheet(f'<row r="1">{cell("A1", "name")}</row><row r="2"><c r="A2">'))


def _many_entries(path: Path) -> None:
    """A 1.5 MB zip of 20,000 empty parts."""
    workbooks.workbook(path, sheet(""), extra={f"xl/media/{n}.xml": "" for n in range(20_000)})


def _shared_string_of_spaces(path: Path) -> None:
    """One shared string of 100 MB of spaces, wanted by a cell."""
    rows = f'<row r="1">{cell("A1", "name")}</row><row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    spaces = (b" " * (1 << 20) for _ in range(100))
    head = [f'<sst xmlns="{workbooks.MAIN}"><si><t xml:space="preserve">'.encode()]
    workbooks.workbook(path, sheet(rows), [*head, *spaces, b"</t></si></sst>"])


def _wide_header(path: Path) -> None:
    """A header row of 16,384 cells."""
    names = "".join(cell(f"{_letters(n)}1", f"c{n}") for n in range(1, 16_385))
    workbooks.workbook(path, sheet(f'<row r="1">{names}</row>'))


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _alias_list(path: Path) -> None:
    """Signatories that are aliases of aliases: a billion names from a few lines."""
    lines = ["- &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"- &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 10)}]" for n in range(8)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _deep(opener: str, closer: str, head: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(
        head + opener * 100_000 + closer * 100_000 + "\n", encoding="utf-8"
    )


def _long_number(head: str, tail: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(head + "9" * 900_000 + tail, encoding="utf-8")


CASES: list[tuple[str, Callable[[Path], Path], Callable[[Path], None], str, str]] = [
    # (case, where the file goes, how it is made, code expected or "ok", text the problem names)
    ("CSV of 6 MB, 130,000 rows", _signatories("big.csv"), _csv_rows, "LK105", "big.csv:20002"),
    ("JSON list of 12 MB", _signatories("big.json"), _json_list, "LK105", "big.json:1"),
    ("YAML list of 4 MB", _signatories("big.yaml"), _yaml_list, "LK105", "big.yaml:40001"),
    ("XLSX of 7.5 MB", _signatories("big.xlsx"), _big_xlsx, "LK105", "big.xlsx[Sheet1]!A20002"),
    ("XLSX whitespace bomb", _signatories("ws.xlsx"), _whitespace_bomb, "LK102", "ws.xlsx"),
    ("XLSX directory lies about a size", _signatories("lie.xlsx"), _lying_size, "LK102", "lie.xlsx"),
    ("XLSX cell of 100 MB of spaces", _signatories("cell.xlsx"), _whitespace_inside_caps, "LK102", "cell.xlsx"),
    ("XLSX dimension lies, cell in XFD1048576", _signatories("dim.xlsx"),
     lambda p: _lying_dimension(p, "XFD1048576"), "LK103", "dim.xlsx[Sheet1]!XFD1"),
    ("XLSX dimension lies, cell in A1048576", _signatories("dim.xlsx"),
     lambda p: _lying_dimension(p, "A1048576"), "ok", ""),
    ("XLSX of 7,000,000 shared strings", _signatories("sst.xlsx"), _shared_strings_bomb, "LK102", "sst.xlsx"),
    ("XLSX with XML entities", _signatories("laughs.xlsx"), _entity_bomb, "LK102", "laughs.xlsx"),
    ("XLSX with broken XML", _signatories("broken.xlsx"), _broken_xml, "LK102", "broken.xlsx"),
    ("XLSX zip of 20,000 entries", _signatories("many.xlsx"), _many_entries, "LK102", "many.xlsx"),
    ("XLSX that is not a zip", _signatories("text.xlsx"), lambda p: p.write_text("name\nOrg\n"), "LK102", "text.xlsx"),
    ("JSON case nested 100,000 deep", _case("case.json"), _deep("[", "]", '{"person": '), "LK102", "case.json"),
    ("JSON case with a 900,000-digit number", _case("case.json"), _long_number('{"person": {"name": ', "}}"), "LK102", "case.json"),
    ("TOML case nested 100,000 deep", _case("case.toml"), _deep("[", "]", "person = "), "LK102", "case.toml"),
    ("TOML case with a 900,000-digit number", _case("case.toml"), _long_number("[person]\nname = ", "\n"), "LK102", "case.toml"),
    ("YAML case nested 100,000 deep", _case("deep.yaml"), _deep("[", "]", "person: "), "LK102", "deep.yaml"),
    ("YAML case nested 1,000 deep in blocks", _case("deep.yaml"),
     lambda p: p.write_text("".join(" " * n + f"k{n}:\n" for n in range(1_000))), "LK102", "deep.yaml"),
    ("XLSX shared string of 100 MB of spaces", _signatories("sst.xlsx"), _shared_string_of_spaces, "LK102", "sst.xlsx"),
    ("XLSX header of 16,384 columns", _signatories("wide.xlsx"), _wide_header, "LK105", "wide.xlsx[Sheet1]!GS1"),
    ("YAML list of nested aliases", _signatories("laughs.yaml"), _alias_list, "LK102", "laughs.yaml"),
    ("CSV cell of 10 MB over many lines", _signatories("tall.csv"),
     lambda p: p.write_text('name\n"' + "x\n" * 5_000_000 + '"\n'), "LK105", "tall.csv:2"),
    ("CSV of 12 MB of line breaks and empty cells", _signatories("gaps.csv"),
     lambda p: p.write_text("name,country\n" + "\n" * 6_000_000 + ",\n" * 3_000_000
                            + "Zyxwv Monitoring Org,Norway\n"), "ok", ""),
    ("JSON list of 3,000,000 empty lists", _signatories("nodes.json"),
     lambda p: p.write_text("[" + ",".join(["[]"] * 3_000_000) + "]"), "LK105", "nodes.json"),
]  # fmt: skip


@pytest.mark.slow  # a process per case, seconds each
@pytest.mark.parametrize(
    ("place", "make", "code", "names"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hostile_table_or_data_file_ends_cleanly(
    folder: Path,
    place: Callable[[Path], Path],
    make: Callable[[Path], None],
    code: str,
    names: str,
) -> None:
    make(place(folder))
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, code, names, output=folder / "out.pdf")
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before
    if code == "ok":
        text = "".join(page.extract_text() for page in PdfReader(folder / "out.pdf").pages)
        assert "Zyxwv Monitoring Org" in text
