"""A paragraph's markup → whether ReportLab can lay it out in bounded time (LK150).

ReportLab breaks a word it cannot fit by trying every place in it, and
re-breaks the rest of a paragraph each time it is split across pages: a word
of 20,000 letters, a paragraph of a million, or thousands of italic pieces
glued into one word take minutes and gigabytes. Every paragraph is checked
here when it is made, before any layout: a text too long for that raises
:class:`Overlong`, which :func:`problem` turns into a problem naming where the
text came from (the template, a key of the spec, a signatory's row).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from html import unescape
from pathlib import Path

from .. import memo
from ..errors import Problem
from ..model import Letter, Signatory
from ..text.merge import MergedText
from .columns import TooLarge
from .spec_texts import spec_texts

#: The longest run of characters with no space and no slash a paragraph may hold.
RUN = 150
#: The longest run with no space (a long web address, broken after its slashes).
WORD = 400
#: The most characters one paragraph may hold.
PARAGRAPH = 20_000
#: The most characters the words longer than 40 letters of one letter may hold
#: together: ReportLab tries a break after each of their letters in turn.
LONG_WORDS = 20_000
#: The most Markdown marks (``*``, ``_``, backquotes, brackets) a body may hold:
#: each may become a piece of a paragraph, and a million pieces take gigabytes.
MARKS = 20_000
_MARK = re.compile(r"(?<!\\)[*_`\[\]]")
#: A word longer than this is cut between letters when it has no better break.
_LONG = 40

_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>")
#: Where a line may break: any space but the non-breaking ones.
_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")


class Overlong(TooLarge):
    """A paragraph too long to lay out: *reason* says how, *advice* what to do
    when the text is the template's, *sample* is the text at fault."""

    def __init__(self, reason: str, advice: str, sample: str) -> None:
        super().__init__(f"a paragraph that {reason}")
        self.reason = reason
        self.advice = advice
        self.sample = sample
        #: The part of the letter it is, when its maker knows ("footnote 2").
        self.part = ""


def plain(markup: str) -> str:
    """The text of paragraph *markup*: a line break a newline, its other tags
    dropped, its entities read."""
    if "<" not in markup and "&" not in markup:
        return markup
    return unescape(_TAG.sub("", _BREAK.sub("\n", markup)))


def check(markup: str) -> None:
    """Raise :class:`Overlong` when the paragraph of *markup* is longer than
    :data:`PARAGRAPH` characters or holds a run without a space longer than
    :data:`WORD` (or than :data:`RUN` without a slash either)."""
    if len(markup) <= RUN:
        return  # the common case: a short name or line (its text is no longer)
    text = plain(markup)
    if len(text) > PARAGRAPH:
        raise Overlong(
            f"is too large to lay out: {len(text):,} characters (at most {PARAGRAPH:,} "
            "in one paragraph)",
            "split it into paragraphs with blank lines",
            text[:PARAGRAPH],
        )
    for word in _SPACE.split(text):
        if len(word) <= RUN:
            continue
        if len(word) > WORD and "/" in word:
            raise Overlong(_run_reason(len(word), WORD, "a space"), _ADD, word)
        run = max(word.split("/"), key=len)
        if len(run) > RUN:
            raise Overlong(_run_reason(len(run), RUN, "a space or '/'"), _ADD, run)


_ADD = "add spaces or shorten it"


def _run_reason(length: int, most: int, breaks: str) -> str:
    return (
        f"is too large to lay out: {length:,} characters without {breaks} (at most "
        f"{most:,}: a line breaks only there)"
    )


def _fields(letter: Letter) -> Iterator[tuple[str, str]]:
    """The spec's texts that are laid out, each with its top-level key."""
    return ((key, text) for key, _label, text in spec_texts(letter))


def _signatory(signatories: Sequence[Signatory], sample: str) -> Signatory | None:
    """The signatory one of whose printed fields holds *sample* (never a withheld
    one's name: a withheld entry prints only its group)."""
    for s in signatories:
        printed = (s.group,) if s.withhold else (
            s.name, s.acronym, s.country, s.title, s.affiliation, s.group, s.note, s.signed_by
        )  # fmt: skip
        if any(sample in value for value in printed if value):
            return s
    return None


def problem(
    exc: Overlong,
    letter: Letter,
    merged: MergedText,
    signatories: Sequence[Signatory],
    spec_name: str,
    key_position: Callable[[Path, str], tuple[int | None, int | None]],
) -> Problem:
    """LK150 for *exc*, at the place its text came from: a signatory's row, a key
    of the spec, or (the rest: the body, the subject, the notes) the template,
    at the line that holds the text when the template itself holds it."""
    sample = exc.sample[:200]
    start = exc.sample[:40] + ("…" if len(exc.sample) > 40 else "")
    signatory = _signatory(signatories, sample)
    key = next((k for k, v in _fields(letter) if v and sample in v), None)
    if signatory is not None and signatory.origin is not None:
        name = signatory.name[:60] + ("…" if len(signatory.name) > 60 else "")
        what = "this signatory's entry" if signatory.withhold else f"the entry '{name}'"
        where, advice = signatory.origin, "shorten it"
    elif key is not None and letter.inputs:
        where = (spec_name, *key_position(Path(letter.inputs[0]), key))
        what, advice = f"the text of '{key}'", "shorten it"
    else:
        lines = merged.source.splitlines()
        line = next((n for n, t in enumerate(lines, 1) if sample[:40] in t), None)
        what = f"{exc.part or 'the paragraph'} beginning '{start}'"
        where, advice = (merged.template, line, None), exc.advice
    return Problem(*where, "error", "LK150", f"{what} {exc.reason}; {advice}")


def _long_letters(text: str) -> int:
    """How many characters of *text* are in words longer than 40 characters."""
    if len(text) <= _LONG:
        return 0
    return sum(len(w) for w in _SPACE.split(text) if len(w) > _LONG)


@memo.table
@functools.lru_cache(maxsize=8)
def _signatory_counts(signatories: tuple[Signatory, ...]) -> list[tuple[int, Signatory]]:
    """How many characters of each printed signatory entry are in words longer
    than 40 characters, when any are (found once for the letters of a bundle)."""
    counts = []
    for s in signatories:
        if not s.withhold and s.origin is not None:
            printed = (
                s.name, s.acronym, s.country, s.title, s.affiliation, s.group, s.note, s.signed_by
            )  # fmt: skip
            count = sum(_long_letters(v) for v in printed)
            if count:
                counts.append((count, s))
    return counts


def check_long_words(
    letter: Letter,
    merged: MergedText,
    signatories: Sequence[Signatory],
    spec_name: str,
    key_position: Callable[[Path, str], tuple[int | None, int | None]],
) -> Problem | None:
    """LK150 when the body holds more than :data:`MARKS` Markdown marks, or the
    letter's words longer than 40 characters (in its body, as written, its
    spec's texts and its signatories' entries) hold more than
    :data:`LONG_WORDS` characters together (at the text that holds the most)."""
    marks = sum(1 for _ in _MARK.finditer(merged.markdown)) if len(merged.markdown) > MARKS else 0
    if marks > MARKS:
        return Problem(
            merged.template, None, None, "error", "LK150",
            f"the letter's text has {marks:,} Markdown marks (*, _, `, [ or ]; at most "
            f"{MARKS:,}); use fewer, or write them as \\* and \\_",
        )  # fmt: skip
    texts = (merged.markdown, merged.subject, merged.salutation, merged.closing)
    counts: list[tuple[int, str | Signatory]] = [
        (sum(_long_letters(t) for t in texts), merged.template)
    ]
    keys: dict[str, int] = {}
    for key, value in _fields(letter):
        keys[key] = keys.get(key, 0) + _long_letters(value)
    counts += [(n, key) for key, n in keys.items()]
    counts += _signatory_counts(tuple(signatories))
    total = sum(n for n, _ in counts)
    if total <= LONG_WORDS:
        return None
    most, part = max(counts, key=lambda c: c[0])
    if isinstance(part, Signatory) and part.origin is not None:
        where, what = part.origin, "this signatory's entry"
    elif part == merged.template or not letter.inputs:
        lines = enumerate(merged.source.splitlines(), 1)
        line = next((n for n, t in lines if _long_letters(t)), None)
        where, what = (merged.template, line, None), "the template's text"
    else:
        where = (spec_name, *key_position(Path(letter.inputs[0]), str(part)))
        what = f"the text of '{part}'"
    return Problem(
        *where, "error", "LK150",
        f"the letter has {total:,} characters in words longer than {_LONG} characters "
        f"(at most {LONG_WORDS:,}; {most:,} in {what}): a line breaks only at a space "
        "or after a '/'; add spaces or shorten them",
    )  # fmt: skip
