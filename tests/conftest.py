"""Shared fixtures: the example letters rendered once, PDF readers, paths."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from pypdf import PdfReader

import letterkit

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "askarov-eu-2018"
SHARED = ROOT.parent / "shared"
T = TypeVar("T")
#: The real-world annex files; LETTERKIT_ANNEX_CORPUS points elsewhere (a checkout in a
#: worktree, say). Its tests are skipped when neither place has it.
CORPUS = Path(os.environ.get("LETTERKIT_ANNEX_CORPUS") or SHARED / "annex-corpus")


#: The cache folder of this test session (letterkit.cache): never the user's own
#: cache, and the subprocesses tests start inherit it. Set before any test runs.
SESSION_CACHE = Path(tempfile.mkdtemp(prefix="letterkit-test-cache-"))
os.environ["LETTERKIT_CACHE_DIR"] = str(SESSION_CACHE)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(SESSION_CACHE, ignore_errors=True)


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


class ExamplePdfs:
    """The letters of examples/, each rendered the first time a test asks for it, then shared.

    A key is the spec's path under examples/ without ``.yaml``: ``"shapes/L8-numbered"``,
    ``"askarov-eu-2018/appeal.fr"``. Only unchanged examples belong here; a test that edits a
    letter renders its own copy.
    """

    def __init__(self) -> None:
        self._pdfs: dict[str, bytes] = {}

    def __getitem__(self, name: str) -> bytes:
        if name not in self._pdfs:
            spec = EXAMPLES / f"{name}.yaml"
            if not spec.is_file():
                raise KeyError(f"no example letter {spec}")
            self._pdfs[name] = letterkit.render(spec)
        return self._pdfs[name]


@pytest.fixture(scope="session")
def example_pdfs() -> ExamplePdfs:
    """Every example letter's PDF, rendered once per test session."""
    return ExamplePdfs()


@pytest.fixture(scope="session")
def english_pdf(example_pdfs: ExamplePdfs) -> bytes:
    return example_pdfs["askarov-eu-2018/letter"]


@pytest.fixture(scope="session")
def russian_pdf(example_pdfs: ExamplePdfs) -> bytes:
    return example_pdfs["askarov-eu-2018/letter.ru"]


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the example folder."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target


def qpdf_problems(pdf: bytes | Path, password: str = "") -> list[str]:
    """What qpdf's checks (through pikepdf) find wrong with a PDF; [] when clean."""
    import pikepdf

    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    with pikepdf.open(source, password=password) as doc, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # no jbig2dec: some streams unchecked
        # pikepdf 9 names it check(); later versions check_pdf_syntax() and deprecate check().
        check = getattr(doc, "check_pdf_syntax", None) or doc.check
        return [str(p) for p in check()]


def within(seconds: float, call: Callable[[], T]) -> T:
    """*call*'s result (or what it raised), failing the test if it blocks
    longer than *seconds* (as opening a FIFO would)."""
    box: list[object] = []

    def run() -> None:
        try:
            box.append(call())
        except BaseException as exc:  # handed to the test
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert box, f"the call blocked for {seconds} s (a FIFO was opened?)"
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]  # type: ignore[return-value]
