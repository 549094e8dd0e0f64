"""Letter pages + opened annexes → the final PDF (pypdf, then :mod:`letterkit.pdf.splice`).

Stage 4 of the pipeline: appends the annexes after the letter (form fields
renamed per annex so they never clash), writes the outline ("Letter",
"Signatories", "Annex 1 – …" with the annex's own outline under it), page
labels (letter 1…n, annex pages A1-1…), the annex stamps
(:mod:`letterkit.pdf.stamp`), metadata and the document language.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import traceback
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.errors import LimitReachedError
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from .. import __version__, countries, l10n, memo
from ..errors import LetterkitError, Problem, ValidationError
from ..input.sources import display_path
from ..l10n import _
from ..model import Letter
from ..text.context import person_name
from ..typeset.document import LaidOut, sharing
from ..typeset.reuse import FontStates, Shared, extension, grown_by_stamps, template_fonts
from ..typeset.styles import Styles, styles_key
from . import active, archive, names, splice, structure
from ._pypdf import write_classic
from .annexes import AnnexError, OpenAnnex, pypdf_messages, rebuilt
from .annots import annotation_key, clean_fields
from .annots import append as append_annexed
from .annots import clean as clean_annotations
from .inflation import BOMB
from .stamp import Stamp, StampCost
from .stamp import apply as apply_stamps
from .suspect import is_bomb, limit_reason, nested, reason


def pdf_date(letter: Letter) -> str:
    """The creation date: ``SOURCE_DATE_EPOCH`` when set, else the letter's date (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        when = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    else:
        when = dt.datetime(letter.date.year, letter.date.month, letter.date.day, tzinfo=dt.UTC)
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def describe(letter: Letter, subject: str) -> dict[str, str]:
    """Title, author, subject and keywords for the document information.

    With a case: the subject (or the localized "Letter") as title, the person
    and country as subject and keywords. Without one, only what the letter
    says: the subject as title and subject, the addressees as keywords; an
    entry with nothing to say is left out.
    """
    loc = letter.locale
    if letter.sender is not None:
        author = l10n.localize(letter.sender.name, loc)
    else:
        author = "; ".join(s.name for s in letter.signatories if s.lead and not s.withhold)
    addressees = [l10n.localize(r.name, loc) for r in letter.recipients]
    if letter.case is None:
        meta = {"/Title": subject, "/Subject": subject, "/Keywords": _joined(addressees)}
        meta = {key: value for key, value in meta.items() if value}
    else:
        person = person_name(letter)
        country = (
            countries.country_name(letter.case.country, loc, letter.case.country_name)
            if letter.case.country
            else ""
        )
        about = f"{person} ({country})" if country else person
        meta = {
            "/Title": subject or l10n.word(loc, _("Letter")),
            "/Subject": about,
            "/Keywords": _joined([person, country, *addressees]),
        }
    if author:
        meta["/Author"] = author
    return meta


def _joined(words: list[str]) -> str:
    """Keywords: each once, in order, the empty ones left out."""
    return ", ".join(dict.fromkeys(k for k in words if k))


def _detach_widgets(page: PageObject, seen: set[tuple[tuple[int, int], ...]]) -> None:
    """Drop what the page's /Annots holds that is no annotation, and an
    annotation's /Parent that points at a page or the page tree (some
    producers write it; copying such a page would corrupt the new page tree).
    An annotation array shared by many pages is looked at once (*seen*)."""
    clean_annotations(page)  # what is no annotation is dropped first
    key = annotation_key(page)
    if key is not None:
        if key in seen:
            return
        seen.add(key)
    for ref in page.get("/Annots") or []:
        annot = ref.get_object()
        parent = annot.get("/Parent")
        parent = parent.get_object() if parent is not None else None
        if isinstance(parent, DictionaryObject) and parent.get("/Type") in ("/Pages", "/Page"):
            del annot[NameObject("/Parent")]


#: Stamped annexes made in this process: every letter of a bundle that appends
#: the same annex as the same number, in the same language, after the same
#: shared pages (whose codes the stamps' fonts start from), reuses the copy.
_STAMPED: dict[
    tuple[int, tuple[int, ...], int, str, bool, str, int],
    tuple[PdfReader, PdfReader, tuple[int, ...], FontStates | None, FontStates],
] = memo.table({})


#: The name each annex reader's form fields were put under (it stays with the reader).
_TOPNAMES: weakref.WeakKeyDictionary[PdfReader, str] = weakref.WeakKeyDictionary()


def _stamped(
    item: OpenAnnex, loc: str, styles: Styles, seed: FontStates | None, states: FontStates
) -> PdfReader:
    """The annex's selected pages, form fields renamed, each page stamped
    ("Annex 1 – page 2 of 12"), as a reader to append; the stamps' fonts
    start from the codes of *seed* and end with those put in *states*."""
    lang = f"{loc}/{styles.digits}"  # the stamp's words and its digits
    annex = item.annex
    key = (id(item.reader), tuple(item.pages), item.number, lang, annex.stamp, annex.attachments,
           id(seed))  # fmt: skip
    cached = _STAMPED.get(key)
    if cached is not None and cached[0] is item.reader and cached[3] is seed:
        item.strips = cached[2]
        states.update(cached[4])
        return cached[1]
    seen: set[tuple[tuple[int, int], ...]] = set()
    for index in item.pages:
        _detach_widgets(item.reader.pages[index], seen)
    topname = f"annex{item.number}"
    clean_fields(item.reader)  # fields that are no dictionaries cannot be renamed
    if "/AcroForm" in item.reader.root_object and _TOPNAMES.get(item.reader) != topname:
        # Field names of different annexes must not clash: annex2.name, …
        item.reader.add_form_topname(topname)
        _TOPNAMES[item.reader] = topname
    copy = PdfWriter()
    append_annexed(copy, item.reader, item.pages, import_outline=True)
    active.strip(copy, item.reader, item.pages, annex.attachments == "keep")
    if item.annex.stamp:
        count = len(copy.pages)
        full = _("Annex {number} – page {page} of {pages}")
        # For a page too narrow for the words: the page label's form, and the count.
        short = _("A{number}-{page}/{pages}")
        stamps = [
            Stamp(
                page,
                styles.numeral(l10n.word(loc, full, number=item.number, page=n, pages=count)),
                styles.numeral(l10n.word(loc, short, number=item.number, page=n, pages=count)),
            )
            for n, page in enumerate(copy.pages, start=1)
        ]
        item.strips = tuple(apply_stamps(stamps, styles, copy, seed, states))
    buffer = io.BytesIO()
    copy.write(buffer)
    stamped = PdfReader(buffer)
    names.keep(
        stamped, names.legacy_names(buffer.getvalue())
    )  # read again: pypdf would recode them
    memo.keep(_STAMPED, key, (item.reader, stamped, item.strips, seed, dict(states)), 16)
    return stamped


def assemble(
    letter: Letter,
    laid: LaidOut,
    annexes: Sequence[OpenAnnex],
    subject: str,
    styles: Styles,
) -> bytes:
    """Join the letter and its annexes into one PDF and return its bytes.

    Each annex gets an outline entry (its own outline nested under it), page labels ``A1-1``…,
    and, unless ``stamp: false``, a stamp on every page. What pypdf logs about damaged annexes
    stays out of the application's log. Everything but the letter's own pages and metadata is
    made once per layout (:func:`_template`) and copied as bytes (:mod:`letterkit.pdf.splice`).
    """
    with pypdf_messages():  # damaged annexes were reported when opened
        tmpl, fonts = _template(letter, laid, annexes, styles)
    laid, serve = sharing(laid, fonts)
    own = splice.read(laid.pdf)
    splice.name_subsets(own)
    info = information(letter, subject)
    xmp = archive.metadata(letter, info, annexes, tmpl.tagged)
    return splice.join(tmpl, own, info, serve, xmp, tags=structure.tags_of(laid))


def information(letter: Letter, subject: str) -> bytes:
    """The document information dictionary, as PDF text."""
    stamp = pdf_date(letter)
    version = f"letterkit {__version__}"
    meta = {"/Creator": version, "/CreationDate": stamp, "/ModDate": stamp}
    if letter.privacy != "minimal":
        meta["/Producer"] = version
        meta.update(describe(letter, subject))
    info = DictionaryObject(
        {NameObject(key): TextStringObject(value) for key, value in meta.items()}
    )
    out = io.BytesIO()
    info.write_to_stream(out)
    return out.getvalue()


#: Shared letter pages read and their subsets named, by the shared part (kept
#: with the entry, so that its id() cannot be taken by another meanwhile).
_PARSED: dict[int, tuple[Shared, splice.Parsed]] = memo.table({})


def _parsed(shared: Shared) -> splice.Parsed:
    """The shared letter pages, read once for all the letters that share them."""
    cached = _PARSED.get(id(shared))
    if cached is not None and cached[0] is shared:
        return cached[1]
    parsed = splice.read(shared.pdf)
    splice.name_subsets(parsed)
    return memo.keep(_PARSED, id(shared), (shared, parsed), 8)[1]


#: Templates made in this process, by everything they are made from (at most
#: 8, and 64 MB together: they hold the annexes), with their fonts' codes.
_Made = tuple[tuple[Any, ...], splice.Template, FontStates]
_TEMPLATES: dict[tuple[Any, ...], _Made] = memo.table({})
_TEMPLATE_BYTES = 64 * 1024 * 1024


def _template(
    letter: Letter, laid: LaidOut, annexes: Sequence[OpenAnnex], styles: Styles
) -> tuple[splice.Template, FontStates]:
    """What every letter with this layout and these annexes shares: the annexes,
    the outline, the page labels, the catalogue and the shared letter pages;
    and the codes of its subsets that the own part may share."""
    loc = letter.locale
    key = (
        id(laid.shared),  # its own key is long to hash; the entry keeps it alive
        laid.pages,
        laid.marks.get("signatories"),
        laid.size,
        (loc, letter.archive),
        styles_key(letter),
        tuple((id(a.reader), tuple(a.pages), a.number, a.title, *_settings(a)) for a in annexes),
    )
    # The entry keeps the readers and the shared part it was made from, so that
    # their id()s in the key cannot be taken by others while it exists.
    made_from = (laid.shared, *(a.reader for a in annexes))
    cached = _TEMPLATES.get(key)
    if cached is not None and all(a is b for a, b in zip(cached[0], made_from, strict=True)):
        return cached[1], cached[2]
    seed = laid.shared.fonts if laid.shared is not None else None
    stamped: list[FontStates] = []
    writer = PdfWriter()
    for _page in range(laid.pages):
        writer.add_blank_page(*laid.size)
    writer.add_outline_item(title=l10n.word(loc, _("Letter")), page_number=0)
    if "signatories" in laid.marks:
        writer.add_outline_item(
            title=l10n.word(loc, _("Signatories")), page_number=laid.marks["signatories"]
        )
    writer.set_page_label(0, laid.pages - 1, style=PageLabelStyle.DECIMAL, start=1)
    for item in annexes:
        start = len(writer.pages)
        stamped.append(
            append_annex(writer, item, annex_entry(item, loc, styles), loc, styles, seed)
        )
        writer.set_page_label(
            start,
            len(writer.pages) - 1,
            style=PageLabelStyle.DECIMAL,
            prefix=f"A{item.number}-",
            start=1,
        )
    writer.root_object[NameObject("/Lang")] = TextStringObject(loc)
    writer.page_mode = "/UseOutlines"
    archived = archive.output_intent(writer, letter)
    shared = _parsed(laid.shared) if laid.shared is not None else None
    grown = grown_by_stamps(seed or {}, stamped)
    tags = structure.shared_tags(letter, laid.shared)
    tmpl = splice.template(
        write_classic(writer), laid.pages, shared, extension(grown), archived, tags=tags
    )
    fonts = template_fonts(seed or {}, grown, tmpl.extended)
    while _TEMPLATES and (
        len(_TEMPLATES) >= 8
        or sum(len(t[1].blob) for t in _TEMPLATES.values()) + len(tmpl.blob) > _TEMPLATE_BYTES
    ):
        _TEMPLATES.pop(next(iter(_TEMPLATES)))
    _TEMPLATES[key] = (made_from, tmpl, fonts)
    return tmpl, fonts


def _settings(item: OpenAnnex) -> tuple[object, ...]:
    """What the spec says of an annex that changes its copy in the letter."""
    return (item.annex.stamp, item.annex.path, item.annex.attachments)


def annex_entry(item: OpenAnnex, loc: str, styles: Styles) -> str:
    """An annex's outline entry, "Annex 2 – Title", as a generated annex is titled."""
    entry = _("Annex {number} – {title}")
    return l10n.word(loc, entry, number=styles.numeral(item.number), title=item.title)


def append_annex(
    writer: PdfWriter, item: OpenAnnex, title: str, loc: str, styles: Styles,
    seed: FontStates | None = None,
) -> FontStates:  # fmt: skip
    """Append one stamped annex under an outline entry *title*; LK130 if it
    cannot be. The codes of its stamps' fonts, from those of *seed*."""
    states: FontStates = {}
    display = (
        display_path(item.annex.path)
        if isinstance(item.annex.path, Path)
        else f"annex {item.number}"
    )
    try:
        stamped = _stamped_or_rebuilt(item, loc, styles, display, seed, states)
        pages = range(len(stamped.pages))
        append_annexed(writer, stamped, pages, outline_item=title, import_outline=True)
        active.carry_files(writer, item)
        return states
    except StampCost as exc:
        problem = Problem(display, None, None, "error", "LK130", f"annex {item.number} {exc}")
        raise ValidationError([problem]) from exc
    except LetterkitError:
        raise
    except Exception as exc:  # whatever pypdf raises on a hostile file
        if is_bomb(exc):
            problem = Problem(display, None, None, "error", "LK130", f"annex {item.number} {BOMB}")
            raise ValidationError([problem]) from exc
        if nested(exc):
            why = "nests its objects too deeply to be read safely"
        elif isinstance(exc, LimitReachedError):
            why = f"cannot be appended: {limit_reason(exc)}"
        else:
            why = f"cannot be appended: {reason(exc)}"
        problem = Problem(
            display, None, None, "error", "LK130", f"annex {item.number} {why}; export it again as PDF"
        )  # fmt: skip
        raise ValidationError([problem]) from exc


def _stamped_or_rebuilt(
    item: OpenAnnex, loc: str, styles: Styles, display: str, seed: FontStates | None,
    states: FontStates,
) -> PdfReader:  # fmt: skip
    """The stamped copy of *item*; when pypdf fails on the annex while making it,
    the copy of the file as qpdf rebuilds it (and *item* takes that reader)."""
    try:
        return _stamped(item, loc, styles, seed, states)
    except (LetterkitError, MemoryError, RecursionError):
        raise
    except Exception as exc:  # pypdf trips over a damaged file: qpdf may mend it
        if is_bomb(exc) or nested(exc):  # a limit, not damage: said as such
            raise
        try:
            item.reader = rebuilt(item, exc).reader
        except AnnexError as failed:
            problem = Problem(
                display, None, None, "error", "LK130", f"annex {item.number} {failed}"
            )
            raise ValidationError([problem]) from exc
        try:
            return _stamped(item, loc, styles, seed, states)
        except (LetterkitError, LimitReachedError, MemoryError, RecursionError):
            raise
        except Exception as again:  # qpdf's copy trips pypdf up too
            if nested(again):
                raise
            part = "its form fields" if "form" in _frames(again) else "its structure"
            why = f"is damaged beyond repair ({part} cannot be read); ask for a new copy"
            problem = Problem(display, None, None, "error", "LK130", f"annex {item.number} {why}")
            raise ValidationError([problem]) from again


def _frames(exc: BaseException) -> str:
    """The names of the functions *exc* passed through, joined (to tell where it failed)."""
    return " ".join(frame.name for frame in traceback.extract_tb(exc.__traceback__))
