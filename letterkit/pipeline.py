"""One letter, every stage in order: :class:`Letter` → PDF bytes (or a written file).

order signatories → open annexes → merge the template → compose the Markdown →
check glyph coverage → lay out → assemble. Every stage reports its problems
before anything is written.

This is the one place where what goes wrong inside the stages becomes a
problem: :func:`reported` wraps every call that runs them (:func:`build`,
:func:`render`, :func:`check_letter`). Bad input leaves it as a
:class:`ValidationError` with a coded :class:`Problem`; anything else is a
fault of letterkit's and leaves as an :class:`InternalError` (LK900).
"""

from __future__ import annotations

import io
import logging
import os
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from . import files, l10n, memo
from . import limits as limits_
from .errors import InternalError, Problem, UsageError, ValidationError, path_argument
from .files import TEMP_PREFIX as TEMP_PREFIX
from .files import TEMP_SUFFIX as TEMP_SUFFIX
from .files import write_atomically as write_atomically
from .input.letter_spec import load_letter
from .input.signatories import ordered
from .input.sources import Reporter, display_path, shown_from
from .limits import Limits
from .model import Letter, Signatory, part_letter
from .pdf import active, archive
from .pdf.annexes import open_annexes
from .pdf.assemble import assemble
from .pdf.languages import PartPages, assemble_parts, listed_annexes
from .pdf.stamp import report_strips
from .text.merge import MergedText, merge
from .typeset import bounds, fonts, generated, images
from .typeset.body_images import BodySetting
from .typeset.body_report import report_body, report_links
from .typeset.columns import TooLarge
from .typeset.compose import Composed, compose
from .typeset.document import LaidOut, LetterLayout
from .typeset.glyphs import check_glyphs, key_position
from .typeset.signatures import SignatureImageError
from .typeset.story import AnnexInfo
from .typeset.styles import Styles, page_for, styles_for
from .validate import validate
from .validate.hygiene import silenced

log = logging.getLogger("letterkit")

PathLike = str | os.PathLike[str]


class BinaryOutput(Protocol):
    """Anything a PDF can be written to: an open binary file, ``io.BytesIO``, a response."""

    def write(self, data: bytes, /) -> object: ...


@dataclass(frozen=True)
class BuildResult:
    """A built letter: the PDF, its pages, how many are the letter's own (the
    rest are annexes), and the warnings found on the way (a repaired annex…)."""

    pdf: bytes
    pages: int
    letter_pages: int
    warnings: tuple[Problem, ...] = ()


def _split(letter: Letter) -> str:
    """How ``signatory_block`` splits the list (``none`` without a block)."""
    block = letter.signatory_block
    return block.split if block is not None else "none"


def _spec_display(letter: Letter | PathLike | None) -> str:
    if isinstance(letter, Letter):
        return display_path(letter.inputs[0]) if letter.inputs else "<letter>"
    return "<letter>" if letter is None else display_path(Path(letter))


def _bad_logo(letter: Letter | PathLike | None, exc: images.ImageError) -> Problem:
    """LK105 for a logo that could not be drawn, at the spec's ``sender`` key."""
    at: tuple[int | None, int | None] = (None, None)
    logo = "the logo"
    if isinstance(letter, Letter) and letter.sender and (exc.path or letter.sender.logo):
        path = Path(exc.path or letter.sender.logo or "")
        base = letter.base_dir
        logo = f"the logo '{path.relative_to(base) if path.is_relative_to(base) else path}'"
        at = key_position(letter.inputs[0], "sender") if letter.inputs else at
    return Problem(_spec_display(letter), *at, "error", "LK105", f"{logo} {exc}")


def _too_large(letter: Letter | PathLike | None, exc: TooLarge) -> Problem:
    """LK150 for a part that fits on no page; a signatory's own row when the
    part is one signatory's entry."""
    where: tuple[str, int | None, int | None] = (_spec_display(letter), None, None)
    paper = "a"
    if isinstance(letter, Letter):
        paper = f"an empty {letter.paper}"
        named = [
            s
            for s in letter.signatories
            if s.origin and s.name and not s.withhold and s.name in exc.what
        ]
        if named:
            where = max(named, key=lambda s: len(s.name)).origin or where
    what = re.sub(r"'([^']{60})[^']+'", r"'\1…'", exc.what)  # a long name, shortened
    return Problem(
        *where, "error", "LK150", f"{what} is too large to fit on {paper} page; shorten it"
    )


@contextmanager
def reported(letter: Letter | PathLike | None) -> Iterator[None]:
    """Turn what the stages raise into problems about *letter*: bad input into a
    :class:`ValidationError` with its code, a fault of letterkit into an
    :class:`InternalError` (LK900). Problems and usage errors pass unchanged, and
    so do ``KeyboardInterrupt`` and ``SystemExit``. Files outside the working
    folder are named relative to the spec's folder meanwhile."""
    spec = letter if not isinstance(letter, Letter) else next(iter(letter.inputs), None)
    with shown_from(spec):
        yield from _reported(letter)


def _reported(letter: Letter | PathLike | None) -> Iterator[None]:
    try:
        yield
    except (ValidationError, UsageError, InternalError):
        raise
    except l10n.LocalizationError as exc:
        # A field of the spec (place, an annex title…) lacks this letter's
        # language: possible when a campaign sends the letter in several.
        raise ValidationError([Problem(
            _spec_display(letter), None, None, "error", "LK108",
            f"a text of the spec (its place, an annex title…) has {exc}",
        )]) from exc  # fmt: skip
    except TooLarge as exc:
        raise ValidationError([_too_large(letter, exc)]) from exc
    except fonts.FontError as exc:  # found when a font is parsed, past the spec's checks
        at: tuple[int | None, int | None] = (None, None)
        if isinstance(letter, Letter) and letter.inputs:
            at = key_position(letter.inputs[0], "fonts")
        raise ValidationError(
            [Problem(_spec_display(letter), *at, "error", exc.code, f"font {exc}")]
        ) from exc
    except SignatureImageError as exc:  # a signature, changed since it was checked
        where = exc.signatory.origin or (_spec_display(letter), None, None)
        message = f"the signature '{exc.path.name}' {exc}"
        raise ValidationError([Problem(*where, "error", "LK105", message)]) from exc
    except images.ImageError as exc:  # the logo, changed since it was checked
        raise ValidationError([_bad_logo(letter, exc)]) from exc
    except files.Refused as exc:  # a file that became something else mid-run (a FIFO…)
        name = display_path(exc.path) if exc.path is not None else _spec_display(letter)
        raise ValidationError([Problem(name, None, None, "error", exc.code, exc.reason)]) from exc
    except OSError as exc:  # a file that went away or became unreadable mid-run
        name = display_path(Path(exc.filename)) if exc.filename else _spec_display(letter)
        raise ValidationError([Problem(
            name, None, None, "error", "LK102",
            f"cannot be read: {exc.strerror or exc}; check that it is there and readable",
        )]) from exc  # fmt: skip
    except Exception as exc:
        raise InternalError.from_exception(_spec_display(letter), exc) from exc


_COMPOSED: dict[tuple[str, int, BodySetting], tuple[Styles, Composed]] = memo.table({})


def body_setting(letter: Letter) -> BodySetting:
    """The measure of the letter's paper, the tallest a body image may be (two
    thirds of a page's text), the height of a page's text, and the folder its
    images are found in."""
    page = page_for(letter.paper)
    height = page.height - page.top - page.bottom
    return BodySetting(page.measure, height * 2 / 3, height, letter.base_dir, letter.allow_outside)


def _compose(markdown: str, styles: Styles, setting: BodySetting) -> Composed:
    """:func:`compose`, remembered: the letters of a bundle mostly share their body,
    and its paragraphs then keep their line breaks from one letter to the next."""
    key = (markdown, id(styles), setting)
    cached = _COMPOSED.get(key)
    if cached is not None and cached[0] is styles:
        return cached[1]
    body = compose(markdown, styles, setting)
    memo.keep(_COMPOSED, key, (styles, body), 8)
    return body


#: One letter at a time per process: the stages share what they made between
#: letters (paragraphs, annex readers, ReportLab settings during a layout), so
#: threads take turns; processes (``bundle --jobs``) run side by side.
_ONE_AT_A_TIME = threading.RLock()


def build(letter: Letter, *, reuse: bool = True, limits: Limits | None = None) -> BuildResult:
    """Run every stage for a :class:`Letter`; return the PDF with its page counts
    and warnings.

    *reuse* lets a letter share the pages it has in common with the letters
    built before it (the speed of a bundle); ``False`` lays out the whole
    letter as one document, to the same pages. *limits* bound the work
    (:class:`letterkit.Limits`; the defaults when ``None``).
    Raises :class:`ValidationError` for bad input.
    """
    if not isinstance(letter, Letter):
        raise UsageError(
            f"build takes a Letter, not {type(letter).__name__}; "
            "read a spec with load_letter, or call render"
        )
    with limits_.applied(limits), reported(letter), _ONE_AT_A_TIME:
        built = _build(letter, reuse)
    return replace(built, warnings=tuple(silenced(built.warnings, letter.ignore_warnings)))


def _build(letter: Letter, reuse: bool) -> BuildResult:
    errors = [p for p in validate(letter) if p.severity == "error"]
    if errors:
        raise ValidationError(errors)
    if letter.parts:
        return _build_parts(letter)
    reporter = Reporter()
    signatories = ordered(
        letter.signatories, letter.signatory_order, letter.collation, letter.locale, _split(letter)
    )
    log.info("Step 1 - Opening %d annex(es)", len(letter.annexes))
    styles = styles_for(letter)
    opened = open_annexes(letter, reporter, generated.maker(letter, signatories, styles))
    reporter.raise_if_failed()
    infos = [AnnexInfo(a.number, a.title, len(a.pages)) for a in opened]
    merged, laid = _lay_out(letter, signatories, infos, styles, reporter, reuse=reuse)
    log.info("Step 5 - Assembling %d letter page(s) and annexes", laid.pages)
    pdf = assemble(letter, laid, opened, merged.subject, styles)
    report_strips(opened, reporter)
    active.report(opened, reporter)
    archive.report(letter, opened, reporter)
    annex_pages = sum(len(a.pages) for a in opened)
    warnings = tuple(p for p in reporter.problems if p.severity != "error")
    return BuildResult(pdf, laid.pages + annex_pages, laid.pages, warnings)


def _lay_out(
    letter: Letter,
    signatories: list[Signatory],
    infos: Sequence[AnnexInfo],
    styles: Styles,
    reporter: Reporter,
    *,
    reuse: bool,
    trailing: bool = True,
) -> tuple[MergedText, LaidOut]:
    """Merge, compose, check and lay out one letter (or one part of a letter in
    several languages: without *trailing*, it ends with the closing)."""
    log.info("Step 2 - Merging the template")
    merged = merge(
        letter,
        signatories,
        [{"number": i.number, "title": i.title, "pages": i.pages} for i in infos],
        _spec_display(letter),
    )
    log.info("Step 3 - Composing the body")
    overlong = bounds.check_long_words(
        letter, merged, signatories, _spec_display(letter), key_position
    )
    if overlong is not None:
        raise ValidationError([overlong])
    fonts.register()
    try:
        body = _compose(merged.markdown, styles, body_setting(letter))
        report_links(body, merged, reporter)
        report_body(body, merged, reporter)
        check_glyphs(letter, merged, signatories, body.text, reporter, styles.extra_fonts)
        reporter.raise_if_failed()
        log.info("Step 4 - Laying out the letter")
        if not trailing and letter.cc_position == "end":  # cc lines at the top: every part
            letter = replace(letter, cc=())
        shown, listed = (signatories, infos) if trailing else ((), ())
        tagged = letter.archive is not None
        laid = LetterLayout(letter, merged, body, shown, listed, styles, tagged).lay_out(reuse)
    except bounds.Overlong as exc:
        where = bounds.problem(
            exc, letter, merged, signatories, _spec_display(letter), key_position
        )
        raise ValidationError([where]) from exc
    return merged, laid


def _build_parts(letter: Letter) -> BuildResult:
    """A letter in several languages: each part laid out as a letter of its own
    (the signatories, cc and annex list in the last part, or in each), then
    one PDF with the annexes once, after the last part."""
    reporter = Reporter()
    versions = [part_letter(letter, i) for i in range(len(letter.parts))]
    first = versions[0]
    orders = {  # the print order, collated in each part's language
        v.locale: ordered(
            letter.signatories, letter.signatory_order, letter.collation, v.locale, _split(letter)
        )
        for v in versions
    }
    styles = styles_for(first)
    opened = open_annexes(first, reporter, generated.maker(first, orders[first.locale], styles))
    reporter.raise_if_failed()
    laid_parts: list[PartPages] = []
    for index, version in enumerate(versions):
        last = index == len(versions) - 1
        own_styles = styles_for(version)
        own_order = orders[version.locale]
        infos = listed_annexes(opened, version.locale)
        merged, laid = _lay_out(
            version, own_order, infos, own_styles, reporter,
            reuse=False, trailing=last or letter.signatories_in == "each",
        )  # fmt: skip
        laid_parts.append(PartPages(version, laid, merged.subject))
    log.info("Step 5 - Assembling %d part(s) and annexes", len(laid_parts))
    pdf = assemble_parts(laid_parts, opened, styles)
    report_strips(opened, reporter)
    active.report(opened, reporter)
    archive.report(letter, opened, reporter)
    own_pages = sum(p.laid.pages for p in laid_parts)
    warnings = tuple(dict.fromkeys(p for p in reporter.problems if p.severity != "error"))
    return BuildResult(pdf, own_pages + sum(len(a.pages) for a in opened), own_pages, warnings)


def render(
    letter: Letter | PathLike,
    output: PathLike | BinaryOutput | None = None,
    *,
    allow_outside: bool = False,
    limits: Limits | None = None,
) -> bytes:
    """Render a letter (a :class:`Letter` or a spec path) and return the PDF bytes.

    *output* may be a path (written atomically: a failed render leaves an
    existing file as it was), a binary stream (anything with ``write``), or
    ``None``. An output path that is one of the letter's inputs, or a folder,
    is refused with :class:`UsageError`. Raises :class:`ValidationError` for
    bad input; nothing is written then. For the warnings, use :func:`build`.
    """
    if not isinstance(letter, Letter):
        path_argument(letter, "render's letter (a Letter or a spec)")
    is_path = isinstance(output, (str, os.PathLike))
    if output is not None and not is_path and not _binary_stream(output):
        raise UsageError(
            f"the output must be a file path, a binary stream or None, not {type(output).__name__}"
        )
    with limits_.applied(limits), reported(letter):
        if not isinstance(letter, Letter):
            letter = load_letter(letter, allow_outside=allow_outside)
        target = output_path(letter, output) if isinstance(output, (str, os.PathLike)) else None
        pdf = build(letter).pdf
    if target is not None:
        try:
            write_atomically(target, pdf)
        except OSError as exc:
            raise UsageError(f"cannot write the output {output}: {exc.strerror or exc}") from exc
    elif output is not None and not isinstance(output, (str, os.PathLike)):
        output.write(pdf)
    return pdf


def _binary_stream(output: object) -> bool:
    """*output* has a ``write`` that takes bytes (a text stream does not)."""
    return callable(getattr(output, "write", None)) and not isinstance(output, io.TextIOBase)


def output_path(letter: Letter, output: PathLike) -> Path:
    """Where to write *letter*'s PDF: *output*, unless it is one of the letter's
    inputs or a folder (:class:`UsageError`).

    A symbolic link at *output* is replaced by the PDF, never written through:
    a folder from someone else may ship ``letter.pdf`` as a link to a file of
    the user's."""
    target = Path(os.path.abspath(output))
    # realpath, not resolve: a link at the output that loops is replaced like any other
    if Path(os.path.realpath(target)) in {p.resolve() for p in letter.inputs}:
        raise UsageError(
            f"the output {output} is one of the letter's inputs; choose another file name"
        )
    if target.is_dir():
        raise UsageError(f"the output {output} is a folder; give a file name ending in .pdf")
    return target
