"""A word → the places it may be hyphenated, for justified paragraphs.

ReportLab's paragraphs call a style's ``hyphenationLang`` with a word that
overflows the line (only words of letters: ReportLab never offers one with a
digit, a dot, "@" or "/", so URLs, e-mail addresses and numbers are never
hyphenated) and take the first (head, tail) pair that fits. The dictionaries
are pyphen's (LibreOffice's patterns). A word that begins with a capital
letter is never hyphenated: that keeps every name whole (of a person, an
organisation, a place), whether it comes from the template or from the data.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import pyphen  # type: ignore[import-untyped]


@functools.lru_cache(maxsize=16)
def _dictionary(language: str) -> pyphen.Pyphen:
    # pyphen before 0.15 leaves the dictionary file to the garbage collector
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        # at least two letters before the hyphen and three on the next line
        return pyphen.Pyphen(lang=language, left=2, right=3)


def dictionary_for(locale: str) -> str | None:
    """pyphen's dictionary for *locale* (``en-GB`` → ``en_GB``, ``fr-CA`` → ``fr``),
    or None for a language pyphen has none for."""
    found = pyphen.language_fallback(locale.replace("-", "_"))
    return str(found) if found else None


@dataclass(frozen=True)
class Hyphenator:
    """The hyphenation points of words in one language, longest head first."""

    language: str

    def __call__(self, word: str) -> Iterator[tuple[str, str]]:
        if not word or word[0].isupper():
            return iter(())
        pairs: Iterator[tuple[str, str]] = (
            _at_hyphen(head, tail) for head, tail in _dictionary(self.language).iterate(word)
        )
        if self.language.startswith("de"):
            # the German patterns also offer "fort-s-chreiten": never split "sch"
            return (p for p in pairs if not (p[0][-1:] == "s" and p[1][:2] == "ch"))
        return pairs


def _at_hyphen(head: str, tail: str) -> tuple[str, str]:
    """A break at a hyphen the word already has ("counter-extremism"): the line
    ends with that hyphen (ReportLab adds it to the head) and the next line
    starts with the letter after it, never with a second hyphen."""
    if tail.startswith("-"):
        return head, tail[1:]
    if head.endswith("-"):
        return head[:-1], tail
    return head, tail


def hyphenator_for(locale: str) -> Hyphenator | None:
    """The hyphenator of *locale*, or None where there is no dictionary."""
    language = dictionary_for(locale)
    return Hyphenator(language) if language else None


__all__ = ["Hyphenator", "dictionary_for", "hyphenator_for"]
