"""The whole pipeline for one letter: spec → PDF bytes (or an atomically written file).

load → order signatories → open annexes → merge template → compose Markdown →
check glyph coverage → lay out → assemble. Every stage reports its problems
before anything is written.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import l10n, memo
from .errors import Problem, UsageError, ValidationError
from .input.letter_spec import load_letter
from .input.signatories import ordered
from .input.sources import Reporter, Source, display_path
from .model import Letter, Signatory
from .pdf.annexes import open_annexes
from .pdf.assemble import assemble
from .text.merge import MergedText, merge
from .typeset import fonts, generated
from .typeset.columns import TooLarge
from .typeset.compose import Composed, compose
from .typeset.document import lay_out
from .typeset.story import AnnexInfo, dateline_text
from .typeset.styles import Styles, styles_for

log = logging.getLogger("letterkit")

PathLike = str | os.PathLike[str]


def _spec_display(letter: Letter) -> str:
    return display_path(letter.inputs[0]) if letter.inputs else "<letter>"


def _texts(
    letter: Letter, merged: MergedText, signatories: list[Signatory]
) -> Iterator[tuple[str, str]]:
    """Every piece of text the PDF will draw, with where it came from (of the
    signatories, only the fields with a character the main fonts lack)."""
    loc = letter.locale
    yield "subject", merged.subject
    yield "salutation", merged.salutation
    yield "closing", merged.closing
    yield "dateline", dateline_text(letter)
    if letter.sender:
        yield "sender.name", l10n.localize(letter.sender.name, loc)
        for line in letter.sender.address:
            yield "sender.address", l10n.localize(line, loc)
        yield "sender.email", letter.sender.email
    for r in letter.recipients:
        for name, value in (
            ("honorific", r.honorific),
            ("name", r.name),
            ("title", r.title),
            ("organization", r.organization),
        ):
            yield f"recipient {name}", l10n.localize(value, loc)
        for line in r.address:
            yield "recipient address", l10n.localize(line, loc)
        yield "recipient email", r.email
    yield from _signatory_texts(tuple(signatories))
    for c in letter.cc:
        yield "cc", l10n.localize(c, loc)
    for a in letter.annexes:
        yield "annex title", l10n.localize(a.title, loc)


@memo.table
@functools.lru_cache(maxsize=8)
def _signatory_texts(signatories: tuple[Signatory, ...]) -> tuple[tuple[str, str], ...]:
    """The signatory fields the main fonts lack a character of, with their labels
    (found once for the letters of a bundle, which share the list)."""
    found: list[tuple[str, str]] = []
    for s in signatories:
        if s.withhold:
            continue
        for name, value in (
            ("name", s.name),
            ("acronym", s.acronym),
            ("country", s.country),
            ("title", s.title),
            ("affiliation", s.affiliation),
            ("group", s.group),
        ):
            if value and fonts.uncovered([value]):
                found.append((f"signatory '{s.name}' {name}", value))
    return tuple(found)


def _key_position(path: Path, key: str) -> tuple[int | None, int | None]:
    """Where a top-level *key* is written in the spec file (best effort)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None, None
    return Source(path, str(path), text).find_key(key)


def _check_glyphs(
    letter: Letter,
    merged: MergedText,
    signatories: list[Signatory],
    body_text: list[str],
    reporter: Reporter,
    extra: tuple[fonts.UserFont, ...] = (),
) -> None:
    spec = _spec_display(letter)
    origins = {s.name: s.origin for s in signatories if s.origin is not None and not s.withhold}
    sources = list(_texts(letter, merged, signatories)) + [
        (f"text from {merged.template}", t) for t in body_text
    ]
    spec_keys = {"dateline": "place", "cc": "cc", "subject": "subject"}
    reported: set[tuple[str, str]] = set()
    for where, text in sources:
        missing = [c for c in fonts.uncovered([text], extra) if (where, c) not in reported]
        if not missing:
            continue
        reported.update((where, c) for c in missing)
        at: tuple[str, int | None, int | None] = (spec, None, None)
        if where in spec_keys and letter.inputs:
            at = (spec, *_key_position(letter.inputs[0], spec_keys[where]))
        if where.startswith("signatory '"):
            at = origins.get(where[len("signatory '") : where.rindex("'")], at)
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:6])
        more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        word = "character" if len(missing) == 1 else "characters"
        reporter.error(
            (at[0], (at[1], at[2])),
            "LK140",
            f"{where}: {word} {shown}{more} cannot be drawn by the bundled fonts"
            + (" or those of 'fonts'" if extra else "")
            + "; replace it, or add a TrueType font that has it to a 'fonts' folder",
        )


@dataclass(frozen=True)
class Built:
    """A rendered letter: the PDF, its page count and how many are the letter's own."""

    pdf: bytes
    pages: int
    letter_pages: int


_COMPOSED: dict[tuple[str, int], tuple[Styles, Composed]] = memo.table({})


def _compose(markdown: str, styles: Styles) -> Composed:
    """:func:`compose`, remembered: the letters of a bundle mostly share their body,
    and its paragraphs then keep their line breaks from one letter to the next."""
    key = (markdown, id(styles))
    cached = _COMPOSED.get(key)
    if cached is not None and cached[0] is styles:
        return cached[1]
    body = compose(markdown, styles)
    memo.keep(_COMPOSED, key, (styles, body), 8)
    return body


def build_pdf(letter: Letter, warnings: list[Problem] | None = None) -> bytes:
    """Run every stage for a loaded letter and return the PDF bytes.

    Warnings (a repaired annex…) are added to *warnings* when it is given.
    """
    return build(letter, warnings).pdf


#: One letter at a time per process: the stages share what they made between
#: letters (paragraphs, annex readers, ReportLab settings during a layout), so
#: threads take turns; processes (``bundle --jobs``) run side by side.
_ONE_AT_A_TIME = threading.RLock()


def build(letter: Letter, warnings: list[Problem] | None = None, *, reuse: bool = True) -> Built:
    """Run every stage for a loaded letter (see :func:`build_pdf`). Without
    *reuse*, the letter pages are laid out as one document, sharing nothing
    with other letters (slower; the same pages)."""
    try:
        with _ONE_AT_A_TIME:
            return _build(letter, warnings, reuse=reuse)
    except l10n.LocalizationError as exc:
        # A field of the spec (place, an annex title…) lacks this letter's
        # language: possible when a campaign sends the letter in several.
        problem = Problem(
            _spec_display(letter), None, None, "error", "LK108",
            f"a text of the spec (its place, an annex title…) has {exc}",
        )  # fmt: skip
        raise ValidationError([problem]) from exc


def _build(letter: Letter, warnings: list[Problem] | None = None, *, reuse: bool = True) -> Built:
    reporter = Reporter()
    signatories = ordered(
        letter.signatories, letter.signatory_order, letter.collation, letter.locale
    )
    log.info("Step 1 - Opening %d annex(es)", len(letter.annexes))
    styles = styles_for(letter)
    opened = open_annexes(letter, reporter, generated.maker(letter, signatories, styles))
    reporter.raise_if_failed()
    infos = [AnnexInfo(a.number, a.title, len(a.pages)) for a in opened]
    log.info("Step 2 - Merging the template")
    merged = merge(
        letter,
        signatories,
        [{"number": i.number, "title": i.title, "pages": i.pages} for i in infos],
        _spec_display(letter),
    )
    log.info("Step 3 - Composing the body")
    fonts.register()
    body = _compose(merged.markdown, styles)
    _check_glyphs(letter, merged, signatories, body.text, reporter, styles.extra_fonts)
    reporter.raise_if_failed()
    log.info("Step 4 - Laying out the letter")
    try:
        laid = lay_out(letter, merged, body, signatories, infos, styles, reuse=reuse)
    except TooLarge as exc:
        problem = Problem(
            _spec_display(letter), None, None, "error", "LK150",
            f"{exc.what} is too large to fit on an empty {letter.paper} page; shorten it",
        )  # fmt: skip
        raise ValidationError([problem]) from exc
    log.info("Step 5 - Assembling %d letter page(s) and annexes", laid.pages)
    if warnings is not None:
        warnings.extend(p for p in reporter.problems if p.severity != "error")
    pdf = assemble(letter, laid, opened, merged.subject, styles)
    annex_pages = sum(len(a.pages) for a in opened)
    return Built(pdf, laid.pages + annex_pages, laid.pages)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; a PDF is not
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render(
    letter: Letter | PathLike,
    output: PathLike | None = None,
    *,
    allow_outside: bool = False,
    warnings: list[Problem] | None = None,
) -> bytes:
    """Render a letter (a :class:`Letter` or a spec path) to PDF bytes.

    With *output*, the PDF is also written there atomically; an output path
    that is one of the letter's inputs is refused with :class:`UsageError`.
    Raises :class:`ValidationError` for bad input; nothing is written then.
    Warnings (e.g. an annex that had to be repaired) go to *warnings*.
    """
    if not isinstance(letter, Letter):
        letter = load_letter(letter, allow_outside=allow_outside)
    target = Path(output).resolve() if output is not None else None
    if target is not None and target in {p.resolve() for p in letter.inputs}:
        raise UsageError(
            f"the output {output} is one of the letter's inputs; choose another file name"
        )
    if target is not None and target.is_dir():
        raise UsageError(f"the output {output} is a folder; give a file name ending in .pdf")
    pdf = build_pdf(letter, warnings)
    if target is not None:
        write_atomically(target, pdf)
    return pdf


def check(letter: Letter | PathLike, *, allow_outside: bool = False) -> list[Problem]:
    """Every problem with a letter or a campaign (errors and warnings), writing nothing."""
    if not isinstance(letter, Letter):
        from .bundle.campaign import check_campaign, is_campaign

        if is_campaign(Path(letter)):
            return check_campaign(Path(letter), allow_outside=allow_outside)
    warnings: list[Problem] = []
    try:
        if not isinstance(letter, Letter):
            letter = load_letter(letter, allow_outside=allow_outside, problems=warnings)
        build_pdf(letter, warnings)
    except ValidationError as exc:
        return warnings + exc.problems
    return warnings
