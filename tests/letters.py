"""Letters the tests write: a spec around a Markdown body, with a case and the
six-signatory list of ``examples/shapes``."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import ROOT

SHAPES = ROOT / "examples" / "shapes"


def body_letter(
    folder: Path,
    body: str,
    *,
    locale: str = "en-GB",
    case: str = "person: {name: Temir Sample, role: defender}\ncountry: KG\n"
    "detained_on: 2010-06-15\n",
    date: str = "2024-11-20",
    subject: str = "Defenders in detention",
    recipients: str = "[{honorific: Ms., name: Ilse Example}]",
    **spec: str,
) -> Path:
    """``folder/letter.yaml``: *body* as its template, *case* as ``case.yaml``, and
    each of *spec*'s keys written as given."""
    (folder / "case.yaml").write_text(case, encoding="utf-8")
    shutil.copy(SHAPES / "signatories-6.csv", folder / "signatories.csv")
    (folder / "body.md").write_text(body, encoding="utf-8")
    lines = [
        "template: body.md",
        f"locale: {locale}",
        f"date: {date}",
        f"subject: {subject}",
        f"recipients: {recipients}",
        "case: case.yaml",
        "signatories: signatories.csv",
        *(f"{key}: {value}" for key, value in spec.items()),
    ]
    (folder / "letter.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "letter.yaml"
