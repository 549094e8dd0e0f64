"""``letterkit init DIR`` → a starter letter folder that renders as it is.

The folder holds a letter spec using the built-in ``appeal-release``
template, a case file, a signatory list, a one-page annex and a generated
chronology, all with made-up content to replace.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError

LETTER = """\
# A starter joint letter. Replace the made-up content, then:
#   letterkit check letter.yaml
#   letterkit render letter.yaml -o letter.pdf
template: appeal-release          # built-in: letterkit templates lists them
locale: en-GB
date: 2026-01-15
place: Brussels
sender:
  name: Example Coalition for Human Rights Defenders
  address: [Rue Example 1, 1000 Brussels, Belgium]
  email: office@example.org
recipient:
  honorific: His Excellency
  name: Example Name
  title: President of the Republic of Example
  address: [Presidential Palace, Example City]
case: case.yaml
signatories: signatories.csv
expected_signatories: 4
annexes:
  - path: annex.pdf
    title: Summary of the case
  - generate: chronology
"""

CASE = """\
# The facts of the case. Free text may be given per language: {en: ..., fr: ...}
person:
  name: Jane Example
  gender: female
  born: 1970
  role: human rights defender
country: KG                       # ISO code; the letter prints the country's name
detained_on: 2024-03-01
sentence: ten years in prison
events:
  - {date: 2024-03-01, text: Arrested at her office}
  - {date: 2024-11-20, text: Sentenced to ten years in prison}
demands:
  - Release Jane Example immediately and unconditionally
  - Guarantee her access to her lawyer and family
"""

SIGNATORIES = """\
name,type,acronym,country,affiliation,title,lead,withhold
Example Coalition for Human Rights Defenders,organization,ECHRD,Belgium,,,true,
Association for Legal Aid Example,organization,ALAE,France,,,,
Alex Sample,individual,,,University of Example,Professor of Law,,
A partner who asked not to be named,organization,,,,,,true
"""


def _annex_pdf() -> bytes:
    from ..typeset.sample import text_page

    return text_page(
        "Summary of the case (example annex)",
        [
            "Replace this file with the supporting documents of your case:",
            "a UN decision, a court record, a medical report, a photograph.",
            "Each annex is appended after the letter and stamped on every page.",
        ],
    )


def create(folder: Path) -> list[Path]:
    """Write the starter files into *folder* (new or empty); return them."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} already exists and is not empty; choose a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "letter.yaml": LETTER.encode(),
        "case.yaml": CASE.encode(),
        "signatories.csv": SIGNATORIES.encode(),
        "annex.pdf": _annex_pdf(),
    }
    written = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        written.append(folder / name)
    return written
