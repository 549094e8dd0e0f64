"""The Python API: building a letter in code, writing atomically, the example script."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import letterkit

from .conftest import EXAMPLE, ROOT, pdf_text


def _letter(**changes: object) -> letterkit.Letter:
    values: dict[str, object] = dict(
        template="appeal-release",
        locale="en-GB",
        date=dt.date(2018, 12, 6),
        case=letterkit.Case(
            person=letterkit.Person(name="Jane Doe", role="journalist"),
            country="TR",
            detained_on=dt.date(2017, 7, 5),
            sentence="pre-trial detention",
            events=(letterkit.Event(dt.date(2017, 7, 5), "Detained in Istanbul"),),
            demands=("Release Jane Doe",),
        ),
        signatories=(
            letterkit.Signatory("Org B"),
            letterkit.Signatory("Org A"),
            letterkit.Signatory("Lead", lead=True),
        ),
        recipients=(letterkit.Recipient(name="Minister of Justice"),),
        sender=letterkit.Sender(name="Example Coalition"),
        paper="letter",
    )
    values.update(changes)
    return letterkit.Letter(**values)  # type: ignore[arg-type]


def test_letter_built_in_code_renders_on_us_letter() -> None:
    """This test ensures that a Letter made in code renders, lead first, then collated."""
    import io

    from pypdf import PdfReader

    pdf = letterkit.render(_letter())
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
    text = pdf_text(pdf)
    assert "Jane Doe" in text
    assert text.index("Lead") < text.index("Org A") < text.index("Org B")


def test_render_writes_atomically_and_returns_bytes(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "letter.pdf"
    pdf = letterkit.render(EXAMPLE / "letter.yaml", target)
    assert target.read_bytes() == pdf
    assert [p.name for p in target.parent.iterdir()] == ["letter.pdf"]


def test_failed_render_keeps_an_existing_output(tmp_path: Path) -> None:
    target = tmp_path / "letter.pdf"
    target.write_bytes(b"old")
    bad = _letter(case=letterkit.Case(person=letterkit.Person(name="X")))
    with pytest.raises(letterkit.ValidationError):
        letterkit.render(bad, target)
    assert target.read_bytes() == b"old"


def test_errors_share_one_base() -> None:
    assert issubclass(letterkit.ValidationError, letterkit.LetterkitError)
    assert issubclass(letterkit.ValidationError, ValueError)
    with pytest.raises(letterkit.LetterkitError) as info:
        letterkit.load_letter(ROOT / "nope.yaml")
    assert info.value.problems[0].code == "LK101"  # type: ignore[attr-defined]


def test_check_returns_no_problems_for_the_example() -> None:
    assert letterkit.check(EXAMPLE / "letter.yaml") == []


def test_toml_and_json_specs_match_yaml(tmp_path: Path, example_copy: Path) -> None:
    """This test ensures that YAML, TOML and JSON specs give the same letter."""
    import json

    import yaml

    data = yaml.safe_load((example_copy / "letter.yaml").read_text(encoding="utf-8"))
    data["date"] = str(data["date"])
    (example_copy / "letter.json").write_text(json.dumps(data), encoding="utf-8")
    lines = [
        'template = "eu-partners.en.md"', 'locale = "en-GB"', "date = 2018-12-06", 'place = "Brussels"',
        'subject_prefix = "Re:"', 'paper = "A4"', 'case = "case.yaml"', 'signatories = "signatories.csv"',
        "expected_signatories = 45", 'signatory_order = "alphabetical"', 'signatory_style = "columns"',
        "signatory_columns = 2",
        "[sender]", f"name = {json.dumps(data['sender']['name'])}", f"address = {json.dumps(data['sender']['address'])}",
        f"email = {json.dumps(data['sender']['email'])}",
        "[[recipients]]", *[f"{k} = {json.dumps(v)}" for k, v in data["recipients"][0].items()],
        "[[annexes]]", 'path = "chronology.pdf"', f"title = {json.dumps(data['annexes'][0]['title'])}",
    ]  # fmt: skip
    (example_copy / "letter.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    reference = letterkit.render(example_copy / "letter.yaml")
    assert letterkit.render(example_copy / "letter.json") == reference
    assert letterkit.render(example_copy / "letter.toml") == reference


def test_yaml_scalars_are_strings(tmp_path: Path, example_copy: Path) -> None:
    """``country: NO`` is Norway, not False."""
    case = example_copy / "case.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("country: KG", "country: NO"), encoding="utf-8"
    )
    letter = letterkit.load_letter(example_copy / "letter.yaml")
    assert letter.case.country == "NO"


def test_example_script_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "askarov_eu_letter.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "6\u00a0декабря 2018" in pdf_text((tmp_path / "askarov-ru.pdf").read_bytes())
    assert "6\u00a0December 2018" in pdf_text((tmp_path / "askarov-en.pdf").read_bytes())


def test_privacy_minimal_leaves_only_dates_and_creator() -> None:
    """This test ensures that privacy: minimal strips title, author and producer."""
    import io

    import pikepdf

    pdf = letterkit.render(_letter(privacy="minimal"))
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert set(doc.docinfo.keys()) == {"/Creator", "/CreationDate", "/ModDate"}


def test_help_lists_the_public_functions_and_types() -> None:
    """This test ensures that ``help(letterkit)`` names every public function
    and type, and that ``__all__`` is the sorted list of names that resolve."""
    import pydoc

    text = pydoc.render_doc(letterkit, renderer=pydoc.plaintext)
    for name in ("render(", "build(", "check(", "validate(", "load_letter(", "build_bundle("):
        assert name in text, name
    for name in ("BuildResult", "Limits", "Letter", "Problem", "ValidationError", "InternalError"):
        assert name in text, name
    assert letterkit.__all__ == sorted(letterkit.__all__)
    missing = [name for name in letterkit.__all__ if not hasattr(letterkit, name)]
    assert not missing, missing


def test_import_is_fast_and_loads_no_pdf_machinery() -> None:
    """This test ensures that ``import letterkit`` stays light: no ReportLab,
    pypdf, Babel or Jinja until a function needs them, and under 150 ms."""
    script = (
        "import sys, time; t = time.perf_counter(); import letterkit; "
        "t = time.perf_counter() - t; "
        "heavy = sorted(m for m in ('reportlab', 'pypdf', 'babel', 'jinja2', 'yaml') if m in sys.modules); "
        "print(t, heavy)"
    )
    best = None
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
        ).stdout.split(maxsplit=1)
        assert out[1].strip() == "[]", out[1]
        best = min(float(out[0]), best or 1.0)
    assert best is not None
    assert best < 0.15, f"import letterkit took {best:.3f} s"


#: Modules a plain letter (CSV signatories, PDF annexes, nothing to repair) needs
#: none of: the annex repair tool, the XLSX writer, the network modules, package
#: metadata, a campaign's modules.
_UNNEEDED = (
    "pikepdf", "openpyxl", "urllib.request", "http.client", "email.parser", "ssl",
    "importlib.metadata", "xml.sax.saxutils", "letterkit.bundle.campaign", "pypdfium2",
    "tomllib", "letterkit.input.xlsx", "letterkit.input.jsondata", "letterkit.input.yaml_hints",
    "letterkit.pdf.repair",
)  # fmt: skip


def test_a_plain_letter_loads_only_what_it_needs() -> None:
    """This test ensures that rendering the example letter from the command line
    leaves the modules only other letters (or other commands) need unloaded."""
    # What the libraries a letter needs load themselves (older releases of some
    # load urllib.request) is not letterkit's to leave out.
    script = (
        "import sys, reportlab.platypus, pypdf, jinja2, babel.dates, markdown_it, yaml; "
        f"theirs = {{m for m in {_UNNEEDED!r} if m in sys.modules}}; "
        "from letterkit.cli.main import main; "
        f"main(['render', {str(EXAMPLE / 'letter.yaml')!r}, '-o', sys.argv[1]]); "
        f"print(sorted(m for m in {_UNNEEDED!r} if m in sys.modules and m not in theirs))"
    )
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, "-c", script, str(Path(folder) / "out.pdf")],
            capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
        assert (Path(folder) / "out.pdf").read_bytes().startswith(b"%PDF-")
    assert done.stdout.splitlines()[-1] == "[]", done.stdout


def test_importing_the_library_leaves_the_programs_exception_hook() -> None:
    """This test ensures that a program importing letterkit keeps its own (and
    Python's) handling of exceptions: only the command installs its own."""
    script = "import sys; import letterkit; print(sys.excepthook is sys.__excepthook__)"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "True"


def test_help_loads_no_typesetter() -> None:
    """This test ensures that ``letterkit --help`` and ``letterkit render --help``
    answer without loading the pipeline, ReportLab or pypdf (they answer in a
    few tens of milliseconds)."""
    heavy = ("letterkit.pipeline", "reportlab.platypus", "pypdf", "jinja2", "babel.dates")
    for args in (["--help"], ["render", "--help"]):
        script = (
            "import sys; from letterkit.cli.main import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
        )
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
        )
        assert "usage:" in done.stdout
        assert done.stdout.splitlines()[-1] == "[]", (args, done.stdout[-300:])


def test_render_writes_to_a_stream_and_returns_the_same_bytes() -> None:
    import io

    stream = io.BytesIO()
    pdf = letterkit.render(_letter(), stream)
    assert stream.getvalue() == pdf
    assert pdf.startswith(b"%PDF-")


@pytest.mark.parametrize("output", [io.StringIO(), object(), 5, b"out.pdf"], ids=repr)
def test_an_output_that_cannot_take_a_pdf_is_a_usage_error(output: object) -> None:
    """This test ensures that a text stream or a value that is neither a path nor
    a binary stream is refused as a UsageError, not an AttributeError or a
    TypeError after the whole letter was laid out."""
    with pytest.raises(letterkit.UsageError, match="binary stream"):
        letterkit.render(_letter(), output)  # type: ignore[arg-type]


def test_an_output_path_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    """This test ensures that an output in a place that cannot hold a file is a
    UsageError naming it, not a bare OSError, and leaves nothing behind."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(letterkit.UsageError, match="cannot write the output") as info:
        letterkit.render(_letter(), blocker / "out.pdf")
    assert isinstance(info.value.__cause__, OSError)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_build_returns_a_result_with_pages_and_warnings() -> None:
    """This test ensures that build() returns the PDF, its page counts and the
    warnings in one frozen result, the same PDF as render()."""
    import dataclasses

    letter = letterkit.load_letter(EXAMPLE / "letter.yaml")
    result = letterkit.build(letter)
    assert isinstance(result, letterkit.BuildResult)
    assert result.pdf == letterkit.render(letter)
    import io

    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(result.pdf)).pages) == result.pages
    assert 0 < result.letter_pages < result.pages  # the chronology follows the letter
    assert result.warnings == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.pages = 0  # type: ignore[misc]
    with pytest.raises(letterkit.UsageError):
        letterkit.build(EXAMPLE / "letter.yaml")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad",
    [{"template_seconds": "5"}, {"template_seconds": float("nan")}, {"signatories": 2.5},
     {"cell": None}, {"annex_pages": True}],
    ids=repr,
)  # fmt: skip
def test_a_limit_that_is_not_a_number_is_refused_when_made(bad: dict[str, object]) -> None:
    """This test ensures that Limits(template_seconds="5") or a NaN is a UsageError
    naming the field, not a silently disabled time limit or a template error
    ("'<' not supported between 'int' and 'str'") at render time."""
    with pytest.raises(letterkit.UsageError, match=next(iter(bad))):
        letterkit.Limits(**bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", [None, 5, {"template": "appeal-release"}, b"letter.yaml"], ids=repr
)
def test_a_path_argument_of_the_wrong_type_is_a_usage_error(value: object, tmp_path: Path) -> None:
    """This test ensures that None, a number, a dict or bytes where a spec, a
    campaign or a folder is expected is a UsageError naming the argument, not a
    TypeError from pathlib or an LK900 "internal error"."""
    calls = [
        lambda: letterkit.render(value),  # type: ignore[arg-type]
        lambda: letterkit.check(value),  # type: ignore[arg-type]
        lambda: letterkit.load_letter(value),  # type: ignore[arg-type]
        lambda: letterkit.letter_from_data({}, value),  # type: ignore[arg-type]
        lambda: letterkit.build_bundle(value, tmp_path),  # type: ignore[arg-type]
        lambda: letterkit.build_bundle(EXAMPLE / "campaign.yaml", value),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(letterkit.UsageError, match="must be a file path"):
            call()


def test_limits_are_per_call() -> None:
    """This test ensures that limits given to one call bound that call only."""
    from letterkit import limits

    tight = letterkit.Limits(template_output=200)
    [problem] = letterkit.check(EXAMPLE / "letter.yaml", limits=tight)
    assert problem.code == "LK114"
    with pytest.raises(letterkit.ValidationError) as info:
        letterkit.build(letterkit.load_letter(EXAMPLE / "letter.yaml"), limits=tight)
    assert [p.code for p in info.value.problems] == ["LK114"]
    with pytest.raises(letterkit.ValidationError):
        letterkit.render(_letter(), limits=tight)
    assert limits.current() == letterkit.Limits()
    assert letterkit.check(EXAMPLE / "letter.yaml") == []


def test_check_takes_a_campaign(tmp_path: Path) -> None:
    """This test ensures that the public check() tells a campaign from a letter."""
    campaign = EXAMPLE / "campaign.yaml"
    assert letterkit.check(campaign) == []
    bad = tmp_path / "campaign.yaml"
    bad.write_text(
        f"letter: {EXAMPLE / 'campaign-letter.yaml'}\nrecipients: {EXAMPLE / 'recipients.csv'}\n",
        encoding="utf-8",
    )
    assert {p.code for p in letterkit.check(bad)} == {"LK107"}
    assert letterkit.check(bad, allow_outside=True) == []


def test_bundle_workers_get_the_callers_limits(tmp_path: Path) -> None:
    """This test ensures that build_bundle's limits reach its worker processes."""
    from .test_bundle import _campaign

    campaign = _campaign(tmp_path / "c", 4)
    tight = letterkit.Limits(template_output=200)
    result = letterkit.build_bundle(
        campaign, tmp_path / "out", jobs=2, keep_going=True, limits=tight
    )
    assert sorted(result.failed) == ["R0000", "R0001", "R0002", "R0003"]
    assert {p.code for problems in result.failed.values() for p in problems} == {"LK114"}
