"""The letterhead keys: ``sender.logo_position`` and ``sender.logos``, read from a
spec and held to their rules (one problem each, at its line, all at once),
built in code, and laid out as a row."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.units import mm

import letterkit
from letterkit.errors import Problem
from letterkit.model import Sender, Signatory
from letterkit.typeset.letterhead import LogoRow

from ._letters import letter

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ROOT / "examples" / "shapes"
LOGOS = ["logo-steppe.png", "logo-legal.png", "logo-press.png", "logo-women.png", "logo-trials.png"]


def _spec(folder: Path, sender_lines: list[str]) -> Path:
    """L18 in *folder*, its sender block's lines after the name replaced by *sender_lines*."""
    needed = ("L18-coalition.md", "case.yaml", "logo.png", *LOGOS, *SHAPES.glob("sig-*.png"))
    for name in needed:
        shutil.copy(SHAPES / name, folder / Path(name).name)
    text = (SHAPES / "L18-coalition.yaml").read_text(encoding="utf-8")
    head, rest = text.split("sender:\n", 1)
    body = rest[rest.index("recipients:") :]
    block = "sender:\n  name: Coalition for Defenders in Central Asia\n"
    block += "".join(f"  {line}\n" for line in sender_lines)
    spec = folder / "letter.yaml"
    spec.write_text(head + block + body, encoding="utf-8")
    return spec


def _line(spec: Path, needle: str) -> int:
    """The line of *spec* (1-based) that holds *needle*."""
    lines = spec.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def _one(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, problems
    return found[0]


def test_the_coalition_example_is_fine() -> None:
    spec = SHAPES / "L18-coalition.yaml"
    assert letterkit.check(spec) == []
    sender = letterkit.load_letter(spec).sender
    assert sender is not None
    assert [p.name for p in sender.logos] == LOGOS
    assert all(p.is_absolute() for p in sender.logos)
    assert sender.logo is None
    assert sender.logo_position == "auto"


def test_thirteen_logos_are_one_problem(tmp_path: Path) -> None:
    names = ", ".join(LOGOS * 2 + LOGOS[:3])
    spec = _spec(tmp_path, [f"logos: [{names}]"])
    [problem] = letterkit.check(spec)
    assert problem.code == "LK105"
    assert problem.line == _line(spec, "logos:")
    assert "'logos' holds 13 logos; a row takes 2 to 12" in problem.message


def test_one_logo_belongs_in_logo(tmp_path: Path) -> None:
    spec = _spec(tmp_path, ["logos: [logo-steppe.png]"])
    [problem] = letterkit.check(spec)
    assert problem.code == "LK105"
    assert "put a single logo in 'logo'" in problem.message
    assert problem.line == _line(spec, "logos:")


def test_twelve_logos_are_fine(tmp_path: Path) -> None:
    spec = _spec(tmp_path, [f"logos: [{', '.join((LOGOS * 3)[:12])}]"])
    assert letterkit.check(spec) == []


def test_a_missing_logo_names_its_line(tmp_path: Path) -> None:
    spec = _spec(tmp_path, ["logos:", "  - logo-steppe.png", "  - logo-gone.png"])
    [problem] = letterkit.check(spec)
    assert problem.code == "LK101"
    assert problem.message == "logo file 'logo-gone.png' not found"
    assert problem.line == _line(spec, "logo-gone.png")


def test_a_logo_that_is_not_an_image(tmp_path: Path) -> None:
    spec = _spec(tmp_path, ["logos: [logo-steppe.png, notes.png, notes.txt]"])
    (tmp_path / "notes.png").write_text("not an image", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not an image either", encoding="utf-8")
    problems = letterkit.check(spec)
    assert [p.code for p in problems] == ["LK105", "LK105"]
    assert "the logo 'notes.png' is not a readable PNG or JPEG image" in problems[0].message
    assert problems[1].message == "the logo 'notes.txt' must be a PNG or JPEG file"
    assert {p.line for p in problems} == {_line(spec, "logos:")}


def test_a_logo_outside_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "letter"
    folder.mkdir()
    shutil.copy(SHAPES / "logo.png", tmp_path / "outside.png")
    spec = _spec(folder, ["logos:", "  - ../outside.png", "  - logo-steppe.png", "  - x.png"])
    problems = letterkit.check(spec)
    assert [p.code for p in problems] == ["LK107", "LK101"]
    assert "outside the folder" in problems[0].message
    assert problems[0].line == _line(spec, "../outside.png")
    # the refused one keeps its place: the next problem is at its own line
    assert problems[1].message == "logo file 'x.png' not found"
    assert problems[1].line == _line(spec, "x.png")


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("middle", "'logo_position' must be one of auto, left, right, top, not 'middle'"),
        ("rigth", "not 'rigth'; did you mean 'right'?"),
    ],
)
def test_a_wrong_logo_position(tmp_path: Path, value: str, says: str) -> None:
    spec = _spec(tmp_path, ["logo: logo.png", f"logo_position: {value}"])
    [problem] = letterkit.check(spec)
    assert problem.code == "LK105"
    assert says in problem.message
    assert problem.line == _line(spec, "logo_position:")


def test_a_logo_position_without_a_logo_is_a_warning(tmp_path: Path) -> None:
    spec = _spec(tmp_path, ["logo_position: top"])
    [problem] = letterkit.check(spec)
    assert problem.severity == "warning"
    assert "there is none; add 'logo' or remove 'logo_position'" in problem.message


def test_wrong_shapes_and_keys(tmp_path: Path) -> None:
    spec = _spec(tmp_path, ["logos: logo-steppe.png", "logo_postion: left", "logo: logo.png"])
    problems = letterkit.check(spec)
    unknown = _one(problems, "LK103")
    assert "unknown sender key 'logo_postion'; did you mean 'logo_position'?" in unknown.message
    assert unknown.line == _line(spec, "logo_postion")
    shape = _one(problems, "LK105")
    assert shape.message == "'logos' must be a list of PNG or JPEG files"
    assert shape.line == _line(spec, "logos:")


def test_an_item_that_is_not_a_path(tmp_path: Path) -> None:
    spec = _spec(tmp_path, ["logos:", "  - logo-steppe.png", "  - {file: x.png}"])
    [problem] = letterkit.check(spec)
    assert problem.code == "LK105"
    assert problem.message == "each of 'logos' must be a PNG or JPEG file's path"
    assert problem.line == _line(spec, "{file: x.png}")


def test_every_letterhead_problem_at_once(tmp_path: Path) -> None:
    names = ", ".join(["logo-gone.png", *LOGOS * 2, "notes.txt", "logo.png"])
    spec = _spec(tmp_path, [f"logos: [{names}]", "logo: missing.png", "logo_position: middle"])
    (tmp_path / "notes.txt").write_text("text", encoding="utf-8")
    problems = letterkit.check(spec)
    messages = [p.message for p in problems]
    assert len(problems) == 5, messages
    assert {p.code for p in problems} == {"LK101", "LK105"}
    joined = "\n".join(messages)
    for says in (
        "logo file 'missing.png' not found",
        "'logo_position' must be one of",
        "'logos' holds 13 logos",
        "logo file 'logo-gone.png' not found",
        "the logo 'notes.txt' must be a PNG or JPEG file",
    ):
        assert says in joined


# -- built in code ------------------------------------------------------------------


def test_code_built_letters_are_held_to_the_same_rules(tmp_path: Path) -> None:
    shutil.copy(SHAPES / "logo.png", tmp_path / "a.png")
    fine = letter(
        tmp_path,
        sender=Sender(name="Coalition", logos=(tmp_path / "a.png",) * 2),
        signatories=(Signatory("Org"),),
    )
    assert letterkit.validate(fine) == []
    one = dataclasses.replace(fine, sender=Sender(name="C", logos=(tmp_path / "a.png",)))
    assert ["put a single logo in 'logo'" in str(p) for p in letterkit.validate(one)] == [True]
    text = dataclasses.replace(fine, sender=Sender(name="C", logos="a.png"))  # type: ignore[arg-type]
    [problem] = letterkit.validate(text)
    assert str(problem) == (
        "letter.sender.logos: error: [LK105] 'logos' must be a tuple or list of paths, not text"
    )
    where = dataclasses.replace(fine, sender=Sender(name="C", logo_position="middle"))  # type: ignore[arg-type]
    [problem] = letterkit.validate(where)
    assert problem.path == "letter.sender.logo_position"
    missing = dataclasses.replace(
        fine, sender=Sender(name="C", logos=(tmp_path / "a.png", tmp_path / "b.png"))
    )
    [problem] = letterkit.validate(missing)
    assert str(problem) == "letter.sender.logos[1]: error: [LK101] logo file 'b.png' not found"


def test_a_sender_without_the_new_keys_is_as_before() -> None:
    sender = Sender(name="Example")
    assert sender.logo_position == "auto"
    assert sender.logos == ()


# -- the row ------------------------------------------------------------------------


def _pictures(folder: Path, sizes: list[tuple[int, int]]) -> tuple[Path, ...]:
    paths = []
    for n, size in enumerate(sizes):
        path = folder / f"p{n}.png"
        Image.new("RGB", size, (10 * n, 40, 90)).save(path)
        paths.append(path)
    return tuple(paths)


def test_a_row_reads_from_the_start_edge(tmp_path: Path) -> None:
    paths = _pictures(tmp_path, [(100, 100), (200, 100), (50, 100)])
    measure = 160 * mm
    ltr = LogoRow(paths, measure, rtl=False)
    rtl = LogoRow(paths, measure, rtl=True)
    assert ltr.height == rtl.height == 12 * mm
    assert [w for _, w in ltr.places] == pytest.approx([12 * mm, 24 * mm, 6 * mm])
    assert ltr.places[0][0] == 0
    assert ltr.places[-1][0] + ltr.places[-1][1] == pytest.approx(measure)
    # right to left: the first logo at the right edge, the last at the left
    assert rtl.places[0][0] + rtl.places[0][1] == pytest.approx(measure)
    assert rtl.places[-1][0] == pytest.approx(0)
    for (x, w), (y, v) in zip(ltr.places, rtl.places, strict=True):
        assert w == v
        assert y == pytest.approx(measure - x - w)


def test_a_row_too_wide_for_the_measure_is_made_lower(tmp_path: Path) -> None:
    paths = _pictures(tmp_path, [(500, 100)] * 4)
    row = LogoRow(paths, 160 * mm, rtl=False)
    assert row.height == pytest.approx((160 * mm - 3 * 4 * mm) / 20)
    assert row.places[-1][0] + row.places[-1][1] == pytest.approx(160 * mm)


def test_plain_data_takes_the_same_keys() -> None:
    base = {
        "template": "generic.md", "locale": "en-GB", "date": "2018-12-06",
        "case": "case.yaml", "signatories": ["Org A"],
    }  # fmt: skip
    sender = {"name": "X", "logo": "logo.png", "logo_position": "top", "logos": LOGOS[:2]}
    made = letterkit.letter_from_data({**base, "sender": sender}, SHAPES).sender
    assert made is not None
    assert made.logo_position == "top"
    assert made.logos == tuple(SHAPES / name for name in LOGOS[:2])
    wrong = {"name": "X", "logos": LOGOS[:1], "logo_position": "middle"}
    with pytest.raises(letterkit.ValidationError) as caught:
        letterkit.letter_from_data({**base, "sender": wrong}, SHAPES)
    assert [p.path for p in caught.value.problems] == [
        "letter.sender.logo_position",
        "letter.sender.logos",
    ]


def test_a_row_logo_is_held_to_the_pixel_limit(tmp_path: Path) -> None:
    from letterkit import limits

    spec = _spec(tmp_path, ["logos: [logo-steppe.png, logo-legal.png]"])
    with limits.applied(limits.Limits(image_pixels=15_000)):
        found = letterkit.check(spec)
    [problem] = [p for p in found if "signature" not in p.message]  # they are larger too
    assert problem.code == "LK105"
    assert "the logo 'logo-legal.png'" in problem.message
    assert "more than the 15,000" in problem.message
    assert problem.line == _line(spec, "logos:")
