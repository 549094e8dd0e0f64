"""Fuzzing: every loader and the Markdown → layout stage, with random input.

Each must end in data or in reported problems (ValidationError), never in
another exception. Inputs that once broke letterkit live in ``corpus/`` and
run on every test run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

import letterkit
from letterkit.input.data import load_data_file
from letterkit.input.signatories import SIGNATORY_TABLE
from letterkit.input.sources import Reporter, Source
from letterkit.input.tables import read_rows
from letterkit.model import Case, Letter, Person, Signatory

CORPUS = Path(__file__).parent / "corpus"
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"])
    | st.sampled_from("*_[]()<>&#`\\!{}%:-|\n\t\"'"),
    max_size=300,
)


def _load(tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    reporter = Reporter()
    load_data_file(path, reporter, "input")
    for problem in reporter.problems:
        assert problem.code.startswith("LK")


@seed(1)
@FUZZ
@given(data=TEXT.map(str.encode) | st.binary(max_size=300))
def test_yaml_json_toml_loaders(tmp_path: Path, data: bytes) -> None:
    for suffix in (".yaml", ".json", ".toml"):
        _load(tmp_path, suffix, data)


@seed(2)
@FUZZ
@given(data=TEXT.map(str.encode) | st.binary(max_size=300))
def test_table_loaders(tmp_path: Path, data: bytes) -> None:
    where = (Source(tmp_path / "spec.yaml", "spec.yaml"), (1, 1))
    for suffix in (".csv", ".xlsx", ".yaml", ".json"):
        path = tmp_path / f"list{suffix}"
        path.write_bytes(data)
        reporter = Reporter()
        read_rows(path, where, reporter, SIGNATORY_TABLE)
        assert all(p.code.startswith("LK") for p in reporter.problems)


def _render_markdown(tmp_path: Path, text: str) -> None:
    template = tmp_path / "t.md"
    template.write_text(
        "{% raw %}" + text.replace("{% endraw %}", "") + "{% endraw %}\n", encoding="utf-8"
    )
    letter = Letter(
        template=str(template),
        locale="en-GB",
        date=dt.date(2018, 12, 6),
        case=Case(person=Person(name="X")),
        signatories=(Signatory(name="A"),),
        base_dir=tmp_path,
    )
    problems: list[letterkit.Problem] = []
    pdf = b""
    try:
        pdf = letterkit.render(letter)
    except letterkit.ValidationError as exc:
        problems = exc.problems
    if problems:
        assert all(p.code.startswith("LK") for p in problems)
    else:
        assert pdf.startswith(b"%PDF-")


@seed(3)
@FUZZ
@given(text=TEXT)
def test_markdown_to_layout(tmp_path: Path, text: str) -> None:
    _render_markdown(tmp_path, text)


@pytest.mark.parametrize("case", sorted(CORPUS.glob("*.md")), ids=lambda p: p.name)
def test_corpus_of_past_failures(tmp_path: Path, case: Path) -> None:
    _render_markdown(tmp_path, case.read_text(encoding="utf-8"))
