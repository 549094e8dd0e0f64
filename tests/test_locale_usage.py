"""A letter speaks one usage of its language: bare ``en`` takes the British
words (and is warned about its American dates), a script the catalog does not
write is warned about, and a campaign letter's problems print at the base
spec's line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import letterkit
from letterkit import l10n

from .conftest import EXAMPLE, pdf_text


@pytest.mark.parametrize(
    ("tag", "closing", "organisations"),
    [
        ("en", "Yours sincerely,", "3 organisations"),
        ("en-GB", "Yours sincerely,", "3 organisations"),
        ("en-US", "Sincerely,", "3 organizations"),
    ],
)
def test_bare_en_takes_the_british_catalog(tag: str, closing: str, organisations: str) -> None:
    assert l10n.catalog_name(tag) == ("en_US" if tag == "en-US" else "en")
    assert l10n.word(tag, "Yours sincerely,") == closing
    assert l10n.signatory_counts(3, 0, tag) == organisations


def _spec(tmp_path: Path, locale: str) -> Path:
    folder = tmp_path / "letter"
    shutil.copytree(EXAMPLE, folder)
    spec = folder / "appeal.en-GB.yaml"
    text = spec.read_text(encoding="utf-8").replace("locale: en-GB", f"locale: {locale}")
    spec.write_text(text, encoding="utf-8")
    return spec


def _small(tmp_path: Path, locale: str) -> Path:
    """A letter of plain texts (nothing to translate) in *locale*."""
    (tmp_path / "body.md").write_text("Matn.\n", encoding="utf-8")
    spec = tmp_path / "letter.yaml"
    spec.write_text(
        f"template: body.md\nlocale: {locale}\ndate: 2024-05-02\n"
        "subject: Xat\nsignatories: [{name: Tashkilot}]\n",
        encoding="utf-8",
    )
    return spec


@pytest.mark.parametrize(
    ("locale", "says"),
    [
        ("en", "'en' alone mixes usages: American dates"),
        ("uz-Cyrl", "translated for 'uz' in the Latn script only"),
    ],
)
def test_a_locale_the_words_cannot_speak_fully_is_warned_about(
    tmp_path: Path, locale: str, says: str
) -> None:
    problems = letterkit.check(_small(tmp_path, locale))
    warned = [str(p) for p in problems if p.code == "LK109"]
    assert len(warned) == 1, warned
    assert says in warned[0]
    assert "letter.yaml:2:" in warned[0]
    assert all(p.severity == "warning" for p in problems)


def test_a_regional_locale_is_not_warned_about(tmp_path: Path) -> None:
    assert not [p for p in letterkit.check(_small(tmp_path, "en-US")) if p.code == "LK109"]


def test_the_count_style_prints_no_identification_note(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "en-GB")
    text = spec.read_text(encoding="utf-8") + "signatory_style: count\n"
    spec.write_text(text.replace("signatory_style: columns\n", ""), encoding="utf-8")
    words = " ".join(pdf_text(letterkit.render(spec)).split())
    assert "32 organisations and 13 individuals" in words
    assert "identification purposes" not in words


def test_a_campaign_row_whose_language_the_letter_lacks_is_one_problem_at_its_cell(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder)
    base = folder / "campaign-letter.yaml"
    text = base.read_text(encoding="utf-8")
    base.write_text(
        text.replace(
            "  - path: chronology.pdf", "  - path: {en: chronology.pdf, fr: chronology.pdf}"
        ),
        encoding="utf-8",
    )
    rows = (folder / "recipients.csv").read_text(encoding="utf-8").splitlines()
    rows += ["XS,Sr.,Ministro,Ministerio,Madrid,es", "XR,-,Министр,МИД,Москва,ru"]
    (folder / "recipients.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    es, ru = len(rows) - 1, len(rows)
    found = {str(p) for p in letterkit.check(folder / "campaign.yaml") if p.severity == "error"}
    # the template has no Spanish version: that alone is said, at the locale cell
    assert [p for p in found if "recipient 'XS'" in p or f"csv:{es}:" in p] == [
        f"recipients.csv:{es}:6: error: [LK110] template 'eu-partners' has no 'es' version "
        "(has: en-GB, fr, ru); choose one of those locales or write your own template"
    ]
    # it has a Russian one, but texts of the base letter lack Russian: one line names them
    (russian,) = [p for p in found if "recipient 'XR'" in p or f"csv:{ru}:" in p]
    assert russian.startswith(f"recipients.csv:{ru}:6: error: [LK108] the base letter's texts")
    assert "annexes[0].path" in russian
    assert "add a 'ru' or 'default' entry to each" in russian
