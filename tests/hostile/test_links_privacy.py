"""Hostile links, withheld names in problems, and a signatory list too large to typeset.

Each case runs ``letterkit`` in its own bounded process (see ``harness``). A link
to anything but a web page, an e-mail address or one of the letter's notes
prints as text (an LK113 warning, exit 0) and leaves no action in the PDF that
could open a file; a link to a place the letter lacks is an LK113 error. A
withheld signatory is named in no problem. The fast in-process tests check the
same rules on :func:`letterkit.build` and :func:`letterkit.validate`.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

import letterkit
from letterkit import limits
from letterkit.input.letter_spec import load_letter
from letterkit.model import Signatory
from letterkit.typeset.compose import link_target

from ..conftest import EXAMPLE
from .harness import assert_clean_end, tree_digest
from .harness import edit as _set
from .harness import letterkit as run

SECRET = "Zyxwvut Quietly Withheld"
OUT = "letter/out.pdf"


def _template(folder: Path, body: str) -> None:
    (folder / "evil.md").write_text("---\nsubject: Links\n---\n" + body, encoding="utf-8")
    _set(folder, "template: eu-partners.en.md", "template: evil.md")


def _signatory_rows(folder: Path, rows: str) -> None:
    with (folder / "signatories.csv").open("a", encoding="utf-8") as handle:
        handle.write(rows)
    _set(folder, "expected_signatories: 45\n", "")


def _actions(pdf: Path | bytes) -> list[tuple[str, str]]:
    """Every link annotation of the PDF as (action kind, target)."""
    found: list[tuple[str, str]] = []
    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    with pikepdf.open(source) as doc:
        for page in doc.pages:
            for annot in page.obj.get("/Annots", []):
                action = annot.get("/A")
                if action is not None:
                    target = action.get("/URI", action.get("/F", action.get("/JS", "")))
                    found.append((str(action.get("/S")), str(target)))
                elif annot.get("/Dest") is not None:
                    found.append(("/Dest", ""))
    return found


def _assert_only_safe_actions(pdf: Path | bytes) -> list[tuple[str, str]]:
    actions = _actions(pdf)
    for kind, target in actions:
        assert kind in {"/URI", "/GoTo", "/Dest"}, (kind, target)
        if kind == "/URI":
            assert target.lower().startswith(("http://", "https://", "mailto:")), target
    return actions


# --- in their own bounded processes --------------------------------------------------

LINKS = [
    # (case, the link as the template writes it, the target the warning names)
    ("pdf: link (GoToR)", "[the record](pdf:record.pdf)", "pdf:record.pdf"),
    ("file: link", "[passwords](file:///etc/passwd)", "file:///etc/passwd"),
    ("javascript: link", "[click](javascript:app.alert(1))", "javascript:app.alert(1)"),
    ("UNC path", "[share](\\\\\\\\server\\\\share\\\\a.pdf)", "%5C%5Cserver%5Cshare%5Ca.pdf"),
    ("smb: link", "<smb://server/share>", "smb://server/share"),
    ("relative file", "[other](other.pdf)", "other.pdf"),
    ("data: link", "[x](data:text/html;base64,PHNjcmlwdD4=)", "data:text/html;base64,PHNjcmlwdD4="),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("link", "target"), [c[1:] for c in LINKS], ids=[c[0] for c in LINKS])
def test_a_link_to_a_file_or_script_prints_as_text(folder: Path, link: str, target: str) -> None:
    _template(folder, f"Dear all,\n\nSee {link} and <https://example.org/ok>.\n")
    before = tree_digest(folder.parent, skip=(OUT,))
    result = run(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "ok")
    warnings = result.problem_lines("LK113")
    assert len(warnings) == 1, result.err
    assert warnings[0].startswith("evil.md:6: warning: [LK113]"), warnings[0]
    assert f"'{target}'" in warnings[0]
    assert _assert_only_safe_actions(folder / "out.pdf") == [("/URI", "https://example.org/ok")]
    assert tree_digest(folder.parent, skip=(OUT,)) == before


@pytest.mark.slow
def test_a_link_to_a_missing_anchor_is_a_problem(folder: Path) -> None:
    _template(folder, "Dear all,\n\nAs [shown below](#evidence), it is so.\n")
    before = tree_digest(folder.parent, skip=(OUT,))
    result = run(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "LK113", "evil.md:6", output=folder / "out.pdf")
    assert "'#evidence'" in result.problem_lines("LK113")[0]
    assert tree_digest(folder.parent, skip=(OUT,)) == before


@pytest.mark.slow
def test_a_withheld_duplicate_is_not_named(folder: Path) -> None:
    _signatory_rows(folder, f"{SECRET},individual,,,,,,,,true\n{SECRET},individual,,,,,,,,\n")
    before = tree_digest(folder.parent, skip=(OUT,))
    result = run(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "LK121", "signatories.csv:48", output=folder / "out.pdf")
    assert "a withheld signatory is listed twice (also at signatories.csv:47)" in result.err
    assert SECRET.lower() not in (result.err + result.out).lower()
    assert tree_digest(folder.parent, skip=(OUT,)) == before


@pytest.mark.slow
def test_a_withheld_name_no_font_can_draw_is_not_named(folder: Path) -> None:
    # The name is never drawn ("Name withheld" is), so it needs no font and
    # no problem names it.
    secret = f"{SECRET} \U0001d11e\U000f0001"
    _signatory_rows(folder, f"{secret},individual,,,Affiliation \U000f0002,,,,,true\n")
    before = tree_digest(folder.parent, skip=(OUT,))
    result = run(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "ok")
    assert SECRET not in result.err + result.out
    assert SECRET.encode() not in (folder / "out.pdf").read_bytes()
    assert tree_digest(folder.parent, skip=(OUT,)) == before


def _individuals(folder: Path, rows: str) -> None:
    """Replace the example's signatories with *rows* (CSV lines of every column)."""
    (folder / "signatories.csv").write_text(
        "name,type,acronym,country,affiliation,title,group,sort_as,lead,withhold\n" + rows,
        encoding="utf-8",
    )
    _set(folder, "expected_signatories: 45\n", "")


@pytest.mark.slow
def test_twenty_thousand_long_signatories_are_refused_quickly(folder: Path) -> None:
    affiliation = ("Institute for Legal Defence and Human Rights Research " * 40)[:1900]
    rows = "".join(
        f"Person {n:05d},individual,,Country,{affiliation},,,,,\n" for n in range(20_000)
    )
    _individuals(folder, rows)
    before = tree_digest(folder.parent, skip=(OUT,))
    result = run(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "LK105", "signatories.csv", output=folder / "out.pdf")
    assert tree_digest(folder.parent, skip=(OUT,)) == before


@pytest.mark.slow
def test_twenty_thousand_individuals_within_the_text_limit_make_a_pdf(folder: Path) -> None:
    # Two lines an entry, 20,000 entries, just under 1,000,000 characters: each
    # entry's lines are kept only while its page is drawn.
    rows = "".join(
        f"Person {n:05d},individual,,KZ,Legal Aid Centre No. {n:05d},,,,,\n" for n in range(20_000)
    )
    _individuals(folder, rows)
    result = run(["render", "letter.yaml", "-o", "out.pdf"], folder)
    assert_clean_end(result, "ok")
    last = PdfReader(folder / "out.pdf").pages[-2].extract_text()
    assert "Person 19999" in last
    assert "Legal Aid Centre No.\u00a019999" in last  # "No." tied to its number


# --- in process ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "outcome"),
    [
        ("https://example.org/a", None),
        ("HTTP://EXAMPLE.ORG", None),
        ("mailto:office@example.org", None),
        ("#lk-note-1", None),
        ("#lk-note-2", "missing"),
        ("#nowhere", "missing"),
        ("pdf:record.pdf", "refused"),
        ("file:///etc/passwd", "refused"),
        ("javascript:alert(1)", "refused"),
        ("%5C%5Cserver%5Cshare", "refused"),
        ("//server/share", "refused"),
        ("https://", "refused"),
        ("https:///etc/passwd", "refused"),
        ("document:lk-note-1", "refused"),
        ("other.pdf", "refused"),
        ("", "refused"),
        ("mailto:office@example.org?subject=Appeal&body=attach", None),
        ("mailto:office@example.org?attach=/etc/passwd", "refused"),
        ("mailto:office@example.org?subject=x&Attachment=C:/secret.doc", "refused"),
        ("mailto:office@example.org?%61ttach=/etc/passwd", "refused"),
    ],
)
def test_link_targets(href: str, outcome: str | None) -> None:
    assert link_target(href, frozenset({"lk-note-1"})) == outcome


def _letter_with_body(tmp_path: Path, body: str) -> letterkit.Letter:
    folder = tmp_path / "letter"
    shutil.copytree(EXAMPLE, folder)
    _template(folder, body)
    return load_letter(folder / "letter.yaml")


def test_only_web_mail_and_note_links_become_actions(tmp_path: Path) -> None:
    letter = _letter_with_body(
        tmp_path,
        'Dear all,\n\nSee [a](https://example.org/x"onclick="y), <mailto:a@example.org>,\n'
        "[b](pdf:c.pdf), [c](javascript:x), [d](\\\\\\\\host\\\\share), <file:///etc/passwd>\n"
        "and [the note](#lk-note-1).[^1]\n\n[^1]: A note with [e](launch:calc.exe).\n",
    )
    result = letterkit.build(letter)
    actions = _assert_only_safe_actions(result.pdf)
    uris = [target for kind, target in actions if kind == "/URI"]
    # The quote is percent-encoded in the URI: it cannot end the markup's attribute.
    assert uris == ["https://example.org/x%22onclick=%22y", "mailto:a@example.org"]
    assert sum(kind != "/URI" for kind, _ in actions) == 2  # the note link and its number
    refused = [p for p in result.warnings if p.code == "LK113"]
    assert [p.line for p in refused] == [7, 7, 7, 7, 10]
    assert all(p.path.endswith("evil.md") and p.severity == "warning" for p in refused)
    printed = PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text()
    assert "pdf:c.pdf" not in printed
    assert "b, c, d" in printed.replace("\n", " ")


def test_a_missing_anchor_names_the_template_line(tmp_path: Path) -> None:
    letter = _letter_with_body(tmp_path, "Dear all,\n\nSee [there](#nowhere).\n")
    with pytest.raises(letterkit.ValidationError) as caught:
        letterkit.build(letter)
    (problem,) = caught.value.problems
    assert (Path(problem.path).name, problem.line, problem.code) == ("evil.md", 6, "LK113")
    assert "'#nowhere' points to no place in the letter" in problem.message


def test_validate_names_no_withheld_duplicate() -> None:
    letter = load_letter(EXAMPLE / "letter.yaml")
    hidden = Signatory(SECRET, withhold=True)
    for pair in ((hidden, Signatory(SECRET)), (Signatory(SECRET), hidden)):
        changed = dataclasses.replace(letter, signatories=(*letter.signatories, *pair))
        problems = [p for p in letterkit.validate(changed) if p.code == "LK121"]
        assert problems
        assert all(SECRET not in str(p) for p in problems)
        assert "a withheld signatory is listed twice" in problems[0].message
    shown = dataclasses.replace(letter, signatories=(Signatory("Open Org"), Signatory("Open Org")))
    assert any("'Open Org' is listed twice" in str(p) for p in letterkit.validate(shown))


def test_signatory_text_limit(tmp_path: Path) -> None:
    folder = tmp_path / "letter"
    shutil.copytree(EXAMPLE, folder)
    tight = letterkit.Limits(signatory_text=500)
    problems = letterkit.check(folder / "letter.yaml", limits=tight)
    (problem,) = [p for p in problems if p.code == "LK105"]
    assert Path(problem.path).name == "signatories.csv"
    assert problem.line is not None
    assert "passes 500 characters of text" in problem.message
    # A list built in code is held to the same limit.
    letter = load_letter(folder / "letter.yaml")
    with limits.applied(tight):
        found = [p for p in letterkit.validate(letter) if p.code == "LK105"]
    assert found
    assert found[0].line == problem.line
    assert not [p for p in letterkit.validate(letter) if p.code == "LK105"]


def test_many_refused_links_are_counted_not_listed() -> None:
    from letterkit.input.sources import Reporter
    from letterkit.text.merge import MergedText
    from letterkit.typeset.body_report import report_links
    from letterkit.typeset.compose import Composed

    lines = [f"[x](pdf:f{n}.pdf)" for n in range(30)] + ["[y](#gone)"]
    body = Composed(refused=[(f"pdf:f{n}.pdf", False) for n in range(30)] + [("#gone", True)])
    merged = MergedText("", "", "", "", "evil.md", source="\n".join(lines))
    reporter = Reporter()
    report_links(body, merged, reporter)
    problems = reporter.problems
    assert len(problems) == 21
    assert [p.line for p in problems[:20]] == list(range(1, 21))
    assert problems[-1].severity == "error"  # the missing anchor is among the rest
    assert problems[-1].message.startswith("11 more links")
