"""Shared fixtures: the example letters rendered once, PDF readers, paths."""

from __future__ import annotations

import io
import shutil
import warnings
from pathlib import Path

import pytest
from pypdf import PdfReader

import letterkit

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "askarov-eu-2018"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "annex-corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regenerate",
        action="store_true",
        help="write new reference images in tests/reference instead of comparing",
    )


@pytest.fixture(scope="session")
def regenerate(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regenerate"))


def pdf_text(pdf: bytes) -> str:
    """The text of every page, joined by form feeds."""
    return "\f".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="session")
def english_pdf() -> bytes:
    return letterkit.render(EXAMPLE / "letter.yaml")


@pytest.fixture(scope="session")
def russian_pdf() -> bytes:
    return letterkit.render(EXAMPLE / "letter.ru.yaml")


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the example folder."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target


def qpdf_problems(pdf: bytes) -> list[str]:
    """What qpdf's checks (through pikepdf) find wrong with a PDF; [] when clean."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # no jbig2dec: some streams unchecked
        check = getattr(doc, "check_pdf_syntax", None) or doc.check
        return [str(p) for p in check()]
