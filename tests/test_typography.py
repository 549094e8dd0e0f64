"""Smart typography read back from the PDF: the locale's quotation marks and
apostrophes in template text and data alike (never in URLs, e-mail addresses
or code), ``typography: {smart_quotes: false}``, no-break ties, and
hyphenation of justified text that never breaks a name, an entry or a URL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import letterkit

from .conftest import ROOT, pdf_text
from .letters import body_letter

SHAPES = ROOT / "examples" / "shapes"
URL = "https://example.org/reports/it's-a-very-long-path/with-many-parts/report.pdf"

BODY = """\
The "Committee's" Views on {{ person.name }} were clear: 'free him'. See the
[report]({url}) and {url}, or write to o'brien@example.org.
The code `"as is"` stays as written.

Some "nested 'inner' words" here, and {{ case.facts.motto }}.
"""

#: Words without hyphens or capitals, so that a line ending in "-" is a break
#: the hyphenator made.
PROSE = {
    "en-GB": "the international community has repeatedly expressed considerable concern "
    "regarding unacceptable conditions of imprisonment and the continuing deterioration "
    "of fundamental guarantees for independent professional organisations",
    "fr": "la communauté internationale a exprimé régulièrement une préoccupation "
    "considérable concernant les conditions inacceptables de détention et la "
    "détérioration continuelle des garanties fondamentales",
    "ru": "международное сообщество неоднократно выражало значительную обеспокоенность "
    "относительно неприемлемых условий содержания и продолжающегося ухудшения "
    "фундаментальных гарантий независимых профессиональных организаций",
    "de": "die internationale gemeinschaft hat wiederholt erhebliche besorgnis "
    "hinsichtlich unannehmbarer haftbedingungen und der fortschreitenden "
    "verschlechterung grundlegender garantien unabhängiger organisationen geäußert",
}


def _letter(
    tmp_path: Path, body: str, locale: str = "en-GB", name: str = "Temir O'Sample", **spec: str
) -> Path:
    return body_letter(
        tmp_path, body, locale=locale,
        case=f'person: {{name: "{name}", role: defender}}\ncountry: KG\n'
        "detained_on: 2010-06-15\nfacts: {motto: \"'Justice' for all\"}\n",
        subject="'The \"Defenders\" in detention'",
        recipients="[{honorific: Ms., name: Ilse O'Example, address: [\"1 King's Road\"]}]",
        **spec,
    )  # fmt: skip


def _outside_urls(text: str) -> str:
    """The text without URLs, e-mail addresses and the code span's words."""
    text = text.replace(URL, "").replace("o'brien@example.org", "")
    return text.replace('"as is"', "")


@pytest.mark.parametrize("locale", ["en-GB", "fr", "ru"])
def test_no_straight_quotes_outside_urls(tmp_path: Path, locale: str) -> None:
    text = pdf_text(letterkit.render(_letter(tmp_path, BODY.replace("{url}", URL), locale)))
    assert URL in text  # the URL as written
    assert "o'brien@example.org" in text
    assert '"as is"' in text  # a code span as written
    rest = _outside_urls(text)
    assert not re.findall(r".{0,20}['\"].{0,20}", rest)
    assert "O’Sample" in text  # data: the person's name
    assert "O’Example" in text  # data: the addressee


def test_english_marks(tmp_path: Path) -> None:
    text = pdf_text(letterkit.render(_letter(tmp_path, BODY.replace("{url}", URL))))
    assert "The “Committee’s” Views" in text
    assert "‘free him’" in text
    assert "“nested ‘inner’ words”" in text
    assert "‘Justice’ for all" in text  # data
    assert "“Defenders”" in text  # the subject
    assert "King’s Road" in text
    assert "«" not in text
    assert "„" not in text


def test_french_guillemets_have_no_break_spaces_inside(tmp_path: Path) -> None:
    """The text layer reads U+00A0 inside the guillemets, and the tie shows in the
    lines: many quotations, at every offset, and no line ends with « or starts with »."""
    text = pdf_text(letterkit.render(_letter(tmp_path, BODY.replace("{url}", URL), "fr")))
    assert "«\u00a0nested “inner” words\u00a0»" in text
    assert "«\u00a0Committee’s\u00a0»" in text
    assert "«\u00a0Defenders\u00a0»" in text
    body = " ".join(f"{' '.join(['mot'] * (i % 9))} « libérez-le » : oui ;" for i in range(60))
    lines = _lines(letterkit.render(_letter(tmp_path, body + "\n", "fr")))
    assert sum(line.count("«") for line in lines) >= 60
    assert not [line for line in lines if line.endswith("«") or line.startswith(("»", ":", ";"))]


def test_french_markup_has_no_break_spaces(tmp_path: Path) -> None:
    """What ReportLab is given: U+00A0 inside the guillemets and before the colon."""
    from letterkit.typeset.styles import make_styles

    styles = make_styles(locale="fr")
    p = styles.para('<b>Objet :</b> "libre"', styles.body)
    assert p.getPlainText() == "Objet\u00a0: «\u00a0libre\u00a0»"


def test_russian_marks(tmp_path: Path) -> None:
    text = pdf_text(letterkit.render(_letter(tmp_path, BODY.replace("{url}", URL), "ru")))
    assert "«nested „inner“ words»" in text
    assert "„free him“" in text
    assert "„Justice“ for all" in text
    assert "”" not in text
    assert "‘" not in text


def test_smart_quotes_off_keeps_straight_quotes(tmp_path: Path) -> None:
    spec = _letter(tmp_path, BODY.replace("{url}", URL), typography="{smart_quotes: false}")
    text = pdf_text(letterkit.render(spec))
    assert 'The "Committee\'s" Views' in text
    assert "Temir O'Sample" in text
    assert not set("“”‘«»„") & set(text)


def test_typography_keys_are_checked(tmp_path: Path) -> None:
    spec = _letter(tmp_path, "Text.\n", typography="{smart_quote: false, }")
    problems = letterkit.check(spec)
    assert any(
        p.code == "LK103" and "did you mean 'smart_quotes'" in p.message and p.line == 8
        for p in problems
    ), problems
    spec = _letter(tmp_path, "Text.\n", typography="{smart_quotes: maybe}")
    problems = [p for p in letterkit.check(spec) if p.severity == "error"]
    assert len(problems) == 1
    assert problems[0].code == "LK105"
    assert problems[0].line == 8
    assert "smart_quotes" in problems[0].message
    spec = _letter(tmp_path, "Text.\n", typography="quotes")
    assert any(p.code == "LK105" and p.line == 8 for p in letterkit.check(spec))


def _lines(pdf: bytes) -> list[str]:
    return [line.strip() for line in pdf_text(pdf).splitlines() if line.strip()]


@pytest.mark.parametrize("locale", ["en-GB", "fr", "ru", "de"])
def test_justified_text_is_hyphenated(tmp_path: Path, locale: str) -> None:
    words = PROSE[locale].split()
    paragraph = " ".join(words[i % len(words)] for i in range(400))
    name = "Konstantinopolskaya Abdurakhmanovna"
    body = f"{paragraph} {{{{ person.name }}}} {URL} {paragraph}\n"
    pdf = letterkit.render(_letter(tmp_path, body, locale, name=name, justify="true"))
    lines = _lines(pdf)
    broken = [line for line in lines if re.search(r"\w-$", line)]
    assert len(broken) >= 2, lines
    for line in broken:  # a dictionary break in a common word, never a name or a URL
        head = line.split()[-1]
        assert head[0].islower(), line
        assert not set("/.@") & set(head), line
    text = " ".join(lines)
    assert name in text  # the name whole, on one line or split at its space
    for row in (SHAPES / "signatories-6.csv").read_text(encoding="utf-8").splitlines()[1:]:
        assert row.split(",")[0] in text  # every signatory entry whole


def test_ragged_text_is_not_hyphenated(tmp_path: Path) -> None:
    paragraph = " ".join(PROSE["en-GB"].split() * 20)
    lines = _lines(letterkit.render(_letter(tmp_path, paragraph + "\n")))
    assert not [line for line in lines if re.search(r"[a-z]-$", line)]


@pytest.mark.parametrize("justify", ["false", "true"])
def test_ties_never_split(tmp_path: Path, justify: str) -> None:
    """ "31 March", "No. 5" and a spaced dash: many times at every offset, none split."""
    filler = "word"
    body = " ".join(f"{' '.join([filler] * (i % 9))} on 31 March, No. 5 – then" for i in range(60))
    lines = _lines(letterkit.render(_letter(tmp_path, body + "\n", justify=justify)))
    assert not [line for line in lines if line.endswith((" 31", "No."))]
    assert not [line for line in lines if line.startswith(("March", "–", "5 "))]
