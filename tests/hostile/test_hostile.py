"""Hostile input: each case ends cleanly, in its own bounded process (see ``harness``).

A clean end is exit 1 with one problem line naming the input and no output
file, or, where the input is merely large, exit 0 with a correct PDF.
"""

from __future__ import annotations

import os
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from ..conftest import EXAMPLE
from . import pdfs
from .harness import MEGABYTES, assert_clean_end, letterkit, tree_digest
from .harness import edit as _set


def _template(folder: Path, body: str) -> None:
    (folder / "evil.md").write_text(body, encoding="utf-8")
    _set(folder, "template: eu-partners.en.md", "template: evil.md")


def _annex(folder: Path, data: bytes, name: str = "evil.pdf") -> None:
    (folder / name).write_bytes(data)
    _set(folder, "  - path: chronology.pdf", f"  - path: {name}")


def _signatories(folder: Path, text: str | bytes) -> None:
    path = folder / "signatories.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    _set(folder, "expected_signatories: 45\n", "")


CASES: list[tuple[str, Callable[[Path], None], str, str]] = [
    # (case, setup, code expected or "ok", text the problem line names)
    ("template reaches for Python internals", lambda f: _template(f, "{{ ''.__class__.__mro__ }}\n"), "LK113", "evil.md"),
    ("template reaches for globals", lambda f: _template(f, "{{ self.__init__.__globals__ }}\n"), "LK113", "evil.md"),
    ("template builds a gigabyte string", lambda f: _template(f, "{{ 'a' * 10**9 }}\n"), "LK113", "evil.md"),
    ("template raises a huge power", lambda f: _template(f, "{{ 2 ** 100000000 }}\n"), "LK113", "evil.md"),
    ("template loops for ever", lambda f: _template(
        f, "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n"), "LK114", "evil.md"),
    ("template prints 100 MB", lambda f: _template(
        f, "{% for i in range(99999) %}{{ 'x' * 999 }}{% endfor %}\n"), "LK114", "evil.md"),
    ("template includes a system file", lambda f: _template(f, "{% include '/etc/passwd' %}\n"), "LK11", "evil.md"),
    ("template imports a module", lambda f: _template(f, "{% import 'os' as os %}{{ os }}\n"), "LK11", "evil.md"),
    ("template path leaves the folder", lambda f: _set(f, "template: eu-partners.en.md", "template: ../../../etc/passwd.md"), "LK107", "letter.yaml"),
    ("case path leaves the folder", lambda f: _set(f, "case: case.yaml", "case: ../../case.yaml"), "LK107", "letter.yaml"),
    ("signatories from an absolute path", lambda f: _set(f, "signatories: signatories.csv", "signatories: /etc/passwd"), "LK107", "letter.yaml"),
    ("annex through a symlink outside", lambda f: (os.symlink("/etc/hostname", f / "link.pdf"), _set(f, "  - path: chronology.pdf", "  - path: link.pdf")), "LK107", "letter.yaml"),
    ("annex is a URL", lambda f: _set(f, "  - path: chronology.pdf", "  - path: https://example.org/annex.pdf"), "LK107", "letter.yaml"),
    ("logo is a URL", lambda f: _set(f, "  email: office@example.org", "  email: office@example.org\n  logo: http://example.org/logo.png"), "LK107", "letter.yaml"),
    ("fonts folder leaves the folder", lambda f: _set(f, "paper: A4", "paper: A4\nfonts: ../../"), "LK107", "letter.yaml"),
    ("annex inflates to 1 GB", lambda f: _annex(f, pdfs.bomb(1024)), "ok", ""),  # carried, never inflated
    ("annex with an xref loop", lambda f: _annex(f, pdfs.xref_loop()), "ok", ""),
    ("annex claims a billion pages", lambda f: _annex(f, pdfs.lying_count()), "ok", ""),
    ("annex nests 100,000 arrays", lambda f: _annex(f, pdfs.deep_nesting()), "LK130", "evil.pdf"),
    ("annex is a PNG pixel bomb", lambda f: _annex(f, _pixel_bomb(), "evil.png"), "LK130", "evil.png"),
    ("CSV of 100,000 rows", lambda f: _signatories(f, "name\n" + "".join(f"Org {n}\n" for n in range(100_000))), "LK105", "signatories.csv"),
    ("a 10 MB cell", lambda f: _signatories(f, "name\n" + "A" * 10_000_000 + "\n"), "LK105", "signatories.csv"),
    ("signatories not UTF-8", lambda f: _signatories(f, b"name\nCaf\xe9 \xff\xfe\n"), "LK102", "signatories.csv"),
    ("spec not UTF-8", lambda f: (f / "letter.yaml").write_bytes(b"template: \xff\xfe\n"), "LK102", "letter.yaml"),
    ("YAML billion laughs", lambda f: (f / "case.yaml").write_text(_laughs()), "LK102", "case.yaml"),
    ("NUL in the template", lambda f: _template(f, "Text \x00 more\n"), "LK113", "evil.md"),
]  # fmt: skip


def _pixel_bomb() -> bytes:
    """A PNG that claims 100,000 × 100,000 pixels in a few bytes."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )


def _laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        prev, cur = chr(96 + n), chr(97 + n)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("person: {name: *j}")
    return "\n".join(lines) + "\n"


@pytest.mark.slow  # a process per case, about 1 s each: together well over 10 s
@pytest.mark.parametrize(
    ("setup", "code", "names"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hostile_input_ends_cleanly(
    folder: Path, setup: Callable[[Path], None], code: str, names: str
) -> None:
    setup(folder)
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(
        ["render", "letter.yaml", "-o", "out.pdf", "--template-seconds", "4"], folder
    )
    assert_clean_end(result, code, names, output=folder / "out.pdf")
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before
    if code == "ok":
        assert len(PdfReader(folder / "out.pdf").pages) >= 2


def test_output_never_overwrites_an_input(folder: Path) -> None:
    result = letterkit(["render", "letter.yaml", "-o", "case.yaml"], folder)
    assert result.status == 2
    assert "one of the letter's inputs" in result.err
    assert (folder / "case.yaml").read_text(encoding="utf-8").startswith("# The case")


def test_filename_template_cannot_leave_the_output_folder(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "c")
    campaign = tmp_path / "c" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace(
        '"{{ recipient.id }}-{{ recipient.organization | slug }}.pdf"',
        '"../../{{ recipient.id }}.pdf"'))  # fmt: skip
    result = letterkit(["bundle", "campaign.yaml", "-o", "dist"], tmp_path / "c")
    assert result.status == 1
    assert "[LK160]" in result.err
    assert not list(tmp_path.rglob("AT*.pdf"))


@pytest.mark.slow
def test_ten_thousand_signatories_make_a_correct_pdf(folder: Path) -> None:
    rows = "".join(
        f"Organisation {n:05d} for Human Rights,Country {n % 50}\n" for n in range(10_000)
    )
    _signatories(folder, "name,country\n" + rows)
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert result.status == 0, result.err
    assert result.peak_mb < MEGABYTES, f"peak RSS {result.peak_mb:.0f} MB"
    text = "".join(page.extract_text() for page in PdfReader(folder / "out.pdf").pages[-3:])
    assert "Organisation 09999 for Human Rights" in text


@pytest.mark.slow
def test_thousand_page_annex_makes_a_correct_pdf(folder: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(folder / "big.pdf"), invariant=1)
    for n in range(1000):
        canvas.drawString(72, 700, f"Court record, page {n + 1}")
        canvas.showPage()
    canvas.save()
    _set(folder, "  - path: chronology.pdf", "  - path: big.pdf")
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert result.status == 0, result.err
    assert result.peak_mb < MEGABYTES, f"peak RSS {result.peak_mb:.0f} MB"
    reader = PdfReader(folder / "out.pdf")
    assert list(reader.page_labels)[-1] == "A1-1000"
    assert "Annex 1\u00a0– page 1000 of 1000" in reader.pages[-1].extract_text()


@pytest.mark.slow
def test_two_thousand_letter_bundle_runs_in_bounded_memory(tmp_path: Path) -> None:
    from ..test_bundle import _campaign

    campaign = _campaign(tmp_path / "c", 2000)
    # Scale is about memory; the time bound here only guards against a hang.
    result = letterkit(["bundle", "campaign.yaml", "-o", "dist", "--jobs", "2", "--quiet"],
                       campaign.parent, seconds=300)  # fmt: skip
    assert result.status == 0, result.err
    assert result.peak_mb < MEGABYTES, f"peak RSS {result.peak_mb:.0f} MB"
    assert len(list((campaign.parent / "dist").glob("*.pdf"))) == 2000


def test_withheld_name_appears_nowhere(folder: Path) -> None:
    import json

    import pikepdf

    secret = "Zyxwvut Quietly Withheld Org"
    with (folder / "signatories.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{secret},organization,,,,,,,,true\n")
    _set(folder, "expected_signatories: 45", "expected_signatories: 46")
    result = letterkit(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert result.status == 0, result.err
    data = (folder / "out.pdf").read_bytes()
    assert secret.encode() not in data
    with pikepdf.open(folder / "out.pdf") as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                assert secret.encode() not in obj.read_bytes()
            assert secret not in str(obj)
        assert all(secret not in str(v) for _, v in pdf.docinfo.items())
        with pdf.open_outline() as outline:
            assert all(secret not in item.title for item in outline.root)
    assert "Name withheld" in "".join(p.extract_text() for p in PdfReader(folder / "out.pdf").pages)
    # Nor in a bundle's manifest or file names.
    campaign = folder / "campaign.yaml"
    shutil.copy(EXAMPLE / "campaign-letter.yaml", folder / "campaign-letter.yaml")
    _set(folder, "expected_signatories: 45", "expected_signatories: 46", "campaign-letter.yaml")
    result = letterkit(["bundle", "campaign.yaml", "-o", "dist", "--jobs", "1", "--quiet"], folder)
    assert result.status == 0, result.err
    manifest = (folder / "dist" / "manifest.json").read_text(encoding="utf-8")
    assert secret not in manifest
    assert json.loads(manifest)["letters"]
    assert campaign.exists()
