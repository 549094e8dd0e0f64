"""A character no font draws → the script it belongs to and a font that covers it.

LK140 says which ``fonts:`` line would fix a missing character: this module
names the script of a character (from its Unicode name) and a free TrueType
font for it, from the Noto family, with the file name Google Fonts gives it.
Only fonts with TrueType outlines are named: ReportLab cannot embed CFF
fonts such as Noto Sans CJK's ``.otf``/``.ttc`` files.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Hint:
    """A script and a Noto font (its family and file) that draws it."""

    script: str
    family: str

    @property
    def file(self) -> str:
        """The font's file name: ``Noto Sans Armenian`` → ``NotoSansArmenian-Regular.ttf``."""
        return self.family.replace(" ", "") + "-Regular.ttf"


#: The first words of Unicode character names → the script and its Noto font.
_BY_NAME: dict[str, Hint] = {
    "CJK": Hint("Han", "Noto Sans SC"),
    "KANGXI": Hint("Han", "Noto Sans SC"),
    "IDEOGRAPHIC": Hint("Han", "Noto Sans SC"),
    "BOPOMOFO": Hint("Bopomofo", "Noto Sans TC"),
    "HIRAGANA": Hint("Japanese", "Noto Sans JP"),
    "KATAKANA": Hint("Japanese", "Noto Sans JP"),
    "HALFWIDTH KATAKANA": Hint("Japanese", "Noto Sans JP"),
    "HANGUL": Hint("Korean", "Noto Sans KR"),
    "ARMENIAN": Hint("Armenian", "Noto Sans Armenian"),
    "GEORGIAN": Hint("Georgian", "Noto Sans Georgian"),
    "DEVANAGARI": Hint("Devanagari", "Noto Sans Devanagari"),
    "BENGALI": Hint("Bengali", "Noto Sans Bengali"),
    "GURMUKHI": Hint("Gurmukhi", "Noto Sans Gurmukhi"),
    "GUJARATI": Hint("Gujarati", "Noto Sans Gujarati"),
    "ORIYA": Hint("Odia", "Noto Sans Oriya"),
    "TAMIL": Hint("Tamil", "Noto Sans Tamil"),
    "TELUGU": Hint("Telugu", "Noto Sans Telugu"),
    "KANNADA": Hint("Kannada", "Noto Sans Kannada"),
    "MALAYALAM": Hint("Malayalam", "Noto Sans Malayalam"),
    "SINHALA": Hint("Sinhala", "Noto Sans Sinhala"),
    "THAI": Hint("Thai", "Noto Sans Thai"),
    "LAO": Hint("Lao", "Noto Sans Lao"),
    "TIBETAN": Hint("Tibetan", "Noto Serif Tibetan"),
    "MYANMAR": Hint("Myanmar", "Noto Sans Myanmar"),
    "KHMER": Hint("Khmer", "Noto Sans Khmer"),
    "ETHIOPIC": Hint("Ethiopic", "Noto Sans Ethiopic"),
    "CHEROKEE": Hint("Cherokee", "Noto Sans Cherokee"),
    "MONGOLIAN": Hint("Mongolian", "Noto Sans Mongolian"),
    "SYRIAC": Hint("Syriac", "Noto Sans Syriac"),
    "THAANA": Hint("Thaana", "Noto Sans Thaana"),
    "TIFINAGH": Hint("Tifinagh", "Noto Sans Tifinagh"),
    "NKO": Hint("N'Ko", "Noto Sans NKo"),
    "CANADIAN SYLLABICS": Hint("Canadian syllabics", "Noto Sans Canadian Aboriginal"),
    "ARABIC": Hint("Arabic", "Noto Sans Arabic"),
    "HEBREW": Hint("Hebrew", "Noto Sans Hebrew"),
    "SAMARITAN": Hint("Samaritan", "Noto Sans Samaritan"),
    "JAVANESE": Hint("Javanese", "Noto Sans Javanese"),
    "BALINESE": Hint("Balinese", "Noto Sans Balinese"),
    "YI": Hint("Yi", "Noto Sans Yi"),
    "VAI": Hint("Vai", "Noto Sans Vai"),
    "OL CHIKI": Hint("Ol Chiki", "Noto Sans Ol Chiki"),
    "ADLAM": Hint("Adlam", "Noto Sans Adlam"),
    "COPTIC": Hint("Coptic", "Noto Sans Coptic"),
    "GLAGOLITIC": Hint("Glagolitic", "Noto Sans Glagolitic"),
    "RUNIC": Hint("Runic", "Noto Sans Runic"),
    "OGHAM": Hint("Ogham", "Noto Sans Ogham"),
    "BRAILLE": Hint("Braille", "Noto Sans Symbols 2"),
    "MATHEMATICAL": Hint("mathematical letters", "Noto Sans Math"),
}


def hint(char: str) -> Hint | None:
    """The script of *char* and a TrueType font that draws it (None when unknown).

    >>> hint("王")
    Hint(script='Han', family='Noto Sans SC')
    >>> hint("Ա").file
    'NotoSansArmenian-Regular.ttf'
    """
    name = unicodedata.name(char, "")
    words = name.split()
    for size in (2, 1):
        found = _BY_NAME.get(" ".join(words[:size]))
        if found is not None:
            return found
    return None
