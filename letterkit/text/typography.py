"""Plain text → the same text as a typesetter prints it in the letter's language.

Straight quotes become the locale's quotation marks (CLDR's delimiters: “ ”
‘ ’ in English, « » with no-break spaces inside in French, « » and „ “ in
Russian, „ “ in German …), apostrophes inside and after words become ’, and
no-break spaces tie what must not be split across lines: a day and its
month, a number and its unit, "No."/"№"/"p." and their number, and the space
before a spaced dash (a line never starts with "–"). URLs and e-mail
addresses are copied unchanged. The functions are pure and cached per
locale; the layout applies them to every text it draws
(:meth:`letterkit.typeset.styles.Styles.para`), the body's Markdown text
nodes one by one so that code spans and link targets stay as written.

U+00A0 is used for every tie, also where French typography would use the
narrow U+202F: ReportLab breaks lines at U+202F as at a space.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from babel import Locale, UnknownLocaleError

NBSP = "\u00a0"

#: Quotation marks per language: outer open, outer close, inner open, inner close
#: (CLDR's delimiters; French takes “ ” inside « » as French printers do, and the
#: Kyrgyz and Kazakh letters follow Russian usage).
_QUOTES = {
    "en": "“”‘’",
    "fr": "«»“”",
    "ru": "«»„“",
    "ky": "«»„“",
    "kk": "«»„“",
    "uz": "“”‘’",
    "tr": "“”‘’",
    "es": "«»“”",
    "de": "„“‚‘",
    "ar": "”“’‘",
    "he": "”””’",
}
#: Languages that put a no-break space inside « » and before ; : ! ?
_SPACED = frozenset({"fr"})

#: A URL, a www. address or an e-mail address: printed exactly as written.
_VERBATIM = re.compile(r"(?i)(?:\b(?:https?|ftp|mailto):\S+|\bwww\.\S+|[\w.+'-]+@[\w-]+\.[\w.-]+)")
#: Abbreviations that are never separated from the number after them.
_NUMBERED = frozenset((
    "No.", "Nos.", "no.", "nos.", "Nr.", "N°", "n°", "№", "p.", "pp.", "para.", "paras.",
    "art.", "Art.", "§", "§§", "ст.", "п.", "с.", "стр.", "Abs.", "S.", "núm.", "nº", "Nº",
    "pág.",
))  # fmt: skip
#: Units and currency signs that are never separated from the number before them.
_UNITS = frozenset((
    "%", "‰", "km", "m", "cm", "mm", "kg", "g", "t", "ha", "h", "min", "s", "°C", "°F",
    "€", "$", "£", "¥", "₽", "сом", "USD", "EUR", "GBP", "RUB", "KGS", "KZT", "UZS", "CHF",
    "км", "м", "см", "мм", "кг", "г", "т", "га", "ч", "мин", "с", "млн", "млрд", "тыс.",
    "Mio.", "Mrd.",
))  # fmt: skip
#: Punctuation that may follow a unit or a month ("10 km.", "31 March,").
_TRAILING = ".,;:!?)»”’"
#: Where a tie may be due: a space next to a digit or before a dash (one space:
#: the text's whitespace is folded). A leading literal keeps the scan fast.
_CANDIDATES = r" (?:(?<=[\d.] )|(?=[\d–—]))"
#: French: also a space after « and before » ; : ! ?
_FRENCH = r" (?:(?<=[\d.«] )|(?=[\d–—;:!?»]))"
#: Text with none of these has nothing to tie.
#: An abbreviation's stop followed by the sentence's ("2018 г.." → "2018 г."),
#: not an ellipsis.
_DOUBLE_STOP = re.compile(r"(?:(?<=\bг)|(?<=\bгг)|(?<=\bв)|(?<=\bвв)|(?<=\bж))\.\.(?!\.)")
_MAYBE = re.compile(r"[\d–—]")
_MAYBE_FRENCH = re.compile(r"[\d–—«»;:!?]")
#: Text with none of these has no URL or e-mail address.
_MAYBE_VERBATIM = re.compile(r"[:@]|www\.")


@dataclass(frozen=True)
class Marks:
    """The quotation marks of one language."""

    open: str
    close: str
    inner_open: str
    inner_close: str
    #: What goes between « » and the quoted words (a no-break space in French).
    inside: str = ""


@functools.lru_cache(maxsize=64)
def marks_for(locale: str) -> Marks:
    """The quotation marks of *locale* (``en-GB``, ``fr``, ``uz-Latn`` …); English
    ones for a language without its own."""
    language = locale.replace("_", "-").split("-")[0].lower()
    q = _QUOTES.get(language, _QUOTES["en"])
    return Marks(q[0], q[1], q[2], q[3], NBSP if language in _SPACED else "")


@functools.lru_cache(maxsize=64)
def _months(locale: str) -> frozenset[str]:
    """Month names of *locale* (wide and abbreviated, format and stand-alone)."""
    try:
        loc = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return frozenset()
    names: set[str] = set()
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for name in loc.months[context][width].values():
                name = name.strip(".")
                if len(name) > 1 and not name.isdigit():
                    names.update((name, name.capitalize(), name.lower()))
    return frozenset(names)


@dataclass(frozen=True)
class _Ties:
    """The no-break rules of one language: where to look, and what to tie there."""

    candidates: re.Pattern[str]
    maybe: re.Pattern[str]
    months: frozenset[str]
    french: bool

    def tie(self, m: re.Match[str]) -> str:
        """U+00A0 for the spaces *m* when what is on either side must stay together."""
        text, start, end = m.string, m.start(), m.end()
        before = text[text.rfind(" ", 0, start) + 1 : start]
        after_end = text.find(" ", end)
        after = text[end : after_end if after_end >= 0 else len(text)]
        if not before or not after:
            return m.group()
        if after[0] in "–—" and len(after) == 1:  # the space before a spaced dash
            return NBSP
        if self.french and (before[-1] == "«" or not after.strip(";:!?».,)")):
            return NBSP
        if after[0].isdigit():  # No. 5, p. 12, March 31 (not March 2019)
            if before in _NUMBERED:
                return NBSP
            day = after.rstrip(_TRAILING)
            if before.rstrip(".") in self.months and day.isdigit() and len(day) <= 2:
                return NBSP
            return m.group()
        word = after.rstrip(_TRAILING)
        if word in _UNITS or after in _UNITS:  # 5 km, 45 %
            return NBSP
        day = before.rstrip(".")
        if word in self.months and day.isdigit() and len(day) <= 2:  # 31 March, 6. Dezember
            return NBSP
        return m.group()


@functools.lru_cache(maxsize=64)
def _ties(locale: str) -> _Ties:
    french = marks_for(locale).inside != ""
    return _Ties(
        re.compile(_FRENCH if french else _CANDIDATES),
        _MAYBE_FRENCH if french else _MAYBE,
        _months(locale),
        french,
    )


_OPENERS = frozenset(" \t\n\u00a0([{<—–-/«„“‘‚\u2060")


@dataclass
class Typographer:
    """Educates the text of one paragraph, run by run: *before* carries the
    character before the run (so a quote after bold text closes) and the open
    quotations (so a quote inside a quote takes the inner marks)."""

    locale: str
    smart_quotes: bool = True
    marks: Marks = field(init=False)
    before: str = " "
    depth: int = 0
    inner: int = 0

    def __post_init__(self) -> None:
        self.marks = marks_for(self.locale)

    def text(self, text: str) -> str:
        """*text* educated; URLs and e-mail addresses are left as written."""
        if not text:
            return text
        if not _MAYBE_VERBATIM.search(text):
            return self._run(text)
        out: list[str] = []
        at = 0
        for m in _VERBATIM.finditer(text):
            out.append(self._run(text[at : m.start()]))
            out.append(m.group())
            self.before = m.group()[-1]
            at = m.end()
        out.append(self._run(text[at:]))
        return "".join(out)

    def skip(self, text: str) -> None:
        """Text printed as written (a code span): only its last character counts."""
        if text:
            self.before = text[-1]

    def _run(self, text: str) -> str:
        if not text:
            return text
        if self.smart_quotes and ("'" in text or '"' in text):
            text = self._quotes(text)
        elif text:
            self.before = text[-1]
        if ".." in text:  # a date's "г." that ends the sentence takes no second stop
            text = _DOUBLE_STOP.sub(".", text)
        ties = _ties(self.locale)
        if " " in text and ties.maybe.search(text):
            text = ties.candidates.sub(ties.tie, text)
        return text

    def _quotes(self, text: str) -> str:
        m = self.marks
        out: list[str] = []
        before = self.before
        for i, ch in enumerate(text):
            if ch == '"':
                after = text[i + 1] if i + 1 < len(text) else " "
                if before in _OPENERS and not after.isspace():
                    self.depth += 1
                    ch = (m.open + m.inside) if self.depth % 2 else m.inner_open
                elif self.depth > 0:
                    ch = (m.inside + m.close) if self.depth % 2 else m.inner_close
                    self.depth -= 1
                else:
                    ch = m.inside + m.close
            elif ch == "'":
                after = text[i + 1] if i + 1 < len(text) else " "
                ch = self._single(before, after)
            out.append(ch)
            before = ch[-1]
        self.before = before
        return "".join(out)

    def _single(self, before: str, after: str) -> str:
        """An apostrophe (in or after a word, or before a year: ’90s) or an inner quote."""
        m = self.marks
        if before.isalnum():
            if after.isalpha():
                return self._apostrophe(before)
            if self.inner > 0:
                self.inner -= 1
                return m.inner_close
            return "’"
        if before in _OPENERS and not after.isspace():
            if after.isdigit():
                return "’"
            self.inner += 1
            return m.inner_open
        if self.inner > 0:
            self.inner -= 1
            return m.inner_close
        return "’"

    def _apostrophe(self, before: str) -> str:
        if self.locale.split("-")[0].lower() == "uz":
            # Uzbek Latin writes oʻ and gʻ with a turned comma and the glottal stop with ʼ.
            return "\u02bb" if before in "oOgG" else "\u02bc"
        return "’"


def educate(text: str, locale: str, smart_quotes: bool = True) -> str:
    """One run of plain text, educated for *locale* (quotes, apostrophes, ties).

    >>> educate('"Free" O\\'Brien\\'s 31 March', "en-GB")
    '“Free” O’Brien’s 31\\xa0March'
    >>> educate('"Libérez-le"', "fr")
    '«\\xa0Libérez-le\\xa0»'
    """
    return Typographer(locale, smart_quotes).text(text)


__all__ = ["NBSP", "Marks", "Typographer", "educate", "marks_for"]
