"""Template, sender, recipients, dateline and annexes (letterkit.input.parts)."""

from __future__ import annotations

from pathlib import Path

from letterkit.input.fields import Reader
from letterkit.input.parts import (
    read_annexes,
    read_dateline,
    read_recipients,
    read_sender,
    read_template,
)
from letterkit.input.sources import Located, Reporter, from_data
from letterkit.model import Annex, Dateline, Recipient


def _spec(base: Path, **values: object) -> tuple[Located, Reader]:
    return from_data(values, "letter", base), Reader(Reporter(), base, False)


def test_template_paths_are_inputs_and_names_are_kept(tmp_path: Path) -> None:
    (tmp_path / "t.md").write_text("x", encoding="utf-8")
    spec, reader = _spec(tmp_path, template={"ru": "t.md", "default": "appeal-release"})
    assert read_template(spec, reader) == {"ru": "t.md", "default": "appeal-release"}
    assert reader.inputs == [(tmp_path / "t.md").resolve()]
    spec, reader = _spec(tmp_path, template="../elsewhere.md")
    assert read_template(spec, reader) == "../elsewhere.md"
    assert [p.code for p in reader.reporter.problems] == ["LK107"]


def test_sender_reads_lines_and_a_logo_path(tmp_path: Path) -> None:
    spec, reader = _spec(tmp_path, sender={"name": "C", "address": "A | B", "logo": "logo.png"})
    sender = read_sender(spec, reader)
    assert sender is not None
    assert (sender.name, sender.address, sender.logo) == ("C", ("A", "B"), tmp_path / "logo.png")
    assert reader.reporter.problems == []  # whether the logo is there is validation's to say


def test_recipient_or_recipients_not_both(tmp_path: Path) -> None:
    spec, reader = _spec(tmp_path, recipient={"name": "M", "title": {"en": "Minister"}})
    assert read_recipients(spec, reader) == (Recipient(name="M", title={"en": "Minister"}),)
    spec, reader = _spec(tmp_path, recipient={"name": "M"}, recipients=[{"name": "N"}])
    assert read_recipients(spec, reader) == ()
    assert [str(p) for p in reader.reporter.problems] == [
        "letter.recipients: error: [LK105] give either 'recipient' or 'recipients', not both"
    ]


def test_dateline_words_are_kept_for_validation(tmp_path: Path) -> None:
    spec, reader = _spec(
        tmp_path,
        dateline={"position": "After-Subject", "format": "d MMMM y", "trailing_comma": "yes"},
    )
    assert read_dateline(spec, reader) == Dateline("after-subject", "d MMMM y", True)
    spec, reader = _spec(tmp_path, dateline={"position": "top"})
    assert read_dateline(spec, reader).position == "top"
    assert reader.reporter.problems == []


def test_annexes_files_generated_and_left_out(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    spec, reader = _spec(
        tmp_path,
        annexes=["a.pdf", {"generate": "chronology", "title": "Events"}, "../b.pdf", 7],
    )
    annexes = read_annexes(spec, reader)
    assert annexes == (
        Annex(path=tmp_path / "a.pdf", title="a"),
        Annex(title="Events", generate="chronology"),
    )
    assert reader.inputs == [tmp_path / "a.pdf"]
    assert [str(p).split(": ")[0] for p in reader.reporter.problems] == [
        "letter.annexes[2].path",
        "letter.annexes[3]",
    ]
    assert reader.reported == set()  # left out, so nothing of the letter to hold back
