"""A campaign whose letter uses every letter-shape key at once: the bundle builds,
each letter has the shape asked for, and ``render CAMPAIGN --recipient ID``
gives the bundle's bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import letterkit
from letterkit.bundle.build import build_bundle

from .bundles import manifest_letters, rendered_alone
from .conftest import EXAMPLES, page_texts, pdf_text

SHAPES = EXAMPLES / "shapes"

SPEC = """\
template: thematic.md
locale: en-GB
date: 2026-06-01
place: Brussels
subject: Defenders in five countries
subject_prefix: ""
page_numbers: auto
dateline: {position: top, align: left}
addressees: {layout: lines, label: "To:"}
cc: {position: top, label: "Cc:", lines: [Permanent Representations to the EU]}
sender:
  name: Coalition for Defenders
  logos: [logo-steppe.png, logo-legal.png, logo-press.png]
signatories: signers.csv
signatory_order: as-given
signatory_style: signatures
signatory_columns: 3
signatory_block: {note: "", entry: "{{ name }}, {{ title }}", size: body}
parts:
  - {}
  - {locale: fr, template: thematic.fr.md, subject: Défenseurs dans cinq pays}
signatories_in: last
"""
TEMPLATE = """\
---
closing: "Sincerely,"
---
We write about the defenders detained in five countries.

## Kazakhstan

A section about one country.

| Year | Detained |
| --- | ---: |
| 2024 | 11 |
| 2025 | 14 |

![Detentions by year](chart.png)
"""
TEMPLATE_FR = """\
---
closing: "Veuillez agréer l'expression de notre haute considération."
---
Nous vous écrivons au sujet des défenseurs détenus dans cinq pays.
"""
SIGNERS = """\
name,type,title,affiliation,signature
Aigerim Example,individual,Director,Steppe Bureau,sig-moreau.png
Bakyt Sample,individual,Chair,Legal Prosperity Foundation,sig-lindqvist.png
"""
CAMPAIGN = """\
letter: letter.yaml
recipients: recipients.csv
output:
  filename: "{{ recipient.id }}.pdf"
"""
RECIPIENTS = """\
id,honorific,name,title,salutation,closing
A,H.E. Ms.,Anna Example,Minister of Foreign Affairs of Aldoria,,
B,H.E. Mr.,Boris Sample,Minister of Foreign Affairs of Borevia,-,-
C,,Carla Example,High Representative,"Dear High Representative,",
"""


def _campaign(folder: Path) -> Path:
    folder.mkdir()
    for name in ("logo-steppe.png", "logo-legal.png", "logo-press.png"):
        shutil.copy(SHAPES / name, folder / name)
    for name in ("sig-moreau.png", "sig-lindqvist.png", "chart.png"):
        shutil.copy(SHAPES / name, folder / name)
    files = {
        "letter.yaml": SPEC,
        "thematic.md": TEMPLATE,
        "thematic.fr.md": TEMPLATE_FR,
        "signers.csv": SIGNERS,
        "campaign.yaml": CAMPAIGN,
        "recipients.csv": RECIPIENTS,
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder / "campaign.yaml"


def test_a_bundle_with_every_shape_key_equals_render(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path / "c")
    out = tmp_path / "dist"
    result = build_bundle(campaign, out, jobs=2)
    assert len(result.built) == 3
    for entry in manifest_letters(out):
        rendered_alone(campaign, entry, tmp_path)
    letters = {e["id"]: (out / e["file"]).read_bytes() for e in manifest_letters(out)}
    english, french = page_texts(letters["A"])
    first = " ".join(english.split())
    # the letterhead, the date on top, the To and Cc lines, then the heading line
    top = "Coalition for Defenders Brussels, 1 June 2026 To: H.E. Ms. Anna Example, Minister"
    assert first.startswith(top)
    assert first.index("Cc: Permanent Representations") < first.index("Defenders in five countries")
    assert "Your Excellency," in first
    # the cc lines at the top belong to every part, in its language's order
    assert "Cc: Permanent Representations" in " ".join(french.split())
    assert "Page 1" not in english + french  # each part is one page: no "Page 1 of 1"
    assert "Aigerim Example" not in english  # the signatories follow the last part only
    assert "Aigerim Example" in french
    assert "Bakyt Sample" in french
    assert "identification" not in pdf_text(letters["A"])
    assert "Year Detained 2024 11 2025 14" in first  # the table, drawn in every letter
    # a row's "-" asks for no salutation and no closing
    b_text = " ".join(pdf_text(letters["B"]).split())
    assert "Dear" not in b_text
    assert "Sincerely," not in b_text
    assert "Dear High Representative," in pdf_text(letters["C"])


def test_a_row_asks_for_no_greeting_as_its_file_can_say_it(tmp_path: Path) -> None:
    """``-`` or a typed ``""`` in a spreadsheet, ``""`` in a YAML row: none; an
    empty cell or a key left out: the default."""
    campaign = _campaign(tmp_path / "c")
    folder = campaign.parent
    (folder / "rows.yaml").write_text(
        '- {id: A, name: Anna Example, salutation: ""}\n'
        "- {id: B, name: Boris Sample}\n"
        '- {id: C, name: Carla Example, salutation: "-", closing: ""}\n',
        encoding="utf-8",
    )
    (folder / "rows.csv").write_text(
        'id,name,salutation,closing\nD,Dora Example,"""""",-\nE,Emil Example,,\n', encoding="utf-8"
    )
    got = {}
    for rows in ("rows.yaml", "rows.csv"):
        text = CAMPAIGN.replace("recipients.csv", rows)
        (folder / "campaign.yaml").write_text(text, encoding="utf-8")
        for r in letterkit.load_campaign(campaign).recipients:
            got[r.id] = (r.recipient.salutation, r.recipient.closing)
    assert got == {
        "A": ("", None),
        "B": (None, None),
        "C": ("", ""),
        "D": ("", ""),
        "E": (None, None),
    }


def test_a_row_locale_with_a_letter_in_several_languages_is_an_error(tmp_path: Path) -> None:
    campaign = _campaign(tmp_path / "c")
    folder = campaign.parent
    (folder / "recipients.csv").write_text(
        "id,name,locale\nA,Anna Example,\nB,Boris Sample,ru\n", encoding="utf-8"
    )
    [problem] = [p for p in letterkit.check(campaign) if p.severity == "error"]
    assert problem.code == "LK105"
    assert problem.path.endswith("recipients.csv")
    assert problem.line == 3
    assert "leave the 'locale' cell empty" in problem.message
