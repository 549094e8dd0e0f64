"""letterkit: joint appeal letters from data.

A letter spec, a case file and a signatory list go in; a typeset PDF with its
annexes comes out::

    import letterkit
    letter = letterkit.load_letter("letter.yaml")   # ValidationError (.problems) for bad input
    pdf = letterkit.render(letter)                  # the PDF's bytes
    letterkit.render(letter, "letter.pdf")          # ... also written, atomically
    result = letterkit.build(letter)                # .pdf, .pages, .letter_pages, .warnings
    problems = letterkit.check("letter.yaml")       # every problem, writing nothing
    letterkit.build_bundle("campaign.yaml", "dist", jobs=2)

Functions
    render(letter, output=None, *, allow_outside=False, limits=None) -> bytes
        A Letter or a spec path to PDF bytes; *output* is a path (written
        atomically), a binary stream, or None.
    build(letter, *, reuse=True, limits=None) -> BuildResult
        A Letter to its PDF, page counts and warnings.
    check(letter_or_path, *, allow_outside=False, limits=None) -> list[Problem]
        Every problem with a letter, a spec or a campaign; [] when it is fine.
    validate(letter) -> list[Problem]
        The rules a Letter must meet, without rendering it.
    load_letter(path, *, allow_outside=False) -> Letter
        A letter spec (YAML, TOML or JSON) and the files it names.
    letter_from_data(mapping, base_dir) -> Letter
        A letter from plain data (a web form, a database row), checked alike.
    load_campaign(path, *, allow_outside=False, limits=None) -> Campaign
        A campaign: a base letter, a recipients table, output file names.
    build_bundle(campaign, out_dir, *, jobs=None, shard=None, keep_going=False,
                 allow_outside=False, progress=None, limits=None) -> BundleResult
        One PDF per recipient, resumable, with a manifest.json.

Types
    Letter, Case, Person, Event, Signatory, SignatoryBlock, Recipient, Sender, Annex,
    Dateline, LetterPart, Typography
        The letter as data (frozen dataclasses); build them in code or load them.
    BuildResult, BundleResult
        What build and build_bundle return.
    Limits
        Bounds on the work of one call (template time and size, table sizes…),
        given as ``limits=`` to the functions above.
    Problem
        One finding about the input: path, line, column, severity, code, message.
    LetterkitError, ValidationError, UsageError, InternalError
        Every error letterkit raises derives from LetterkitError; bad input is a
        ValidationError carrying every Problem; InternalError (LK900) is a fault
        of letterkit's, to be reported.

The pipeline, one package a stage: :mod:`letterkit.input` (files → Letter),
:mod:`letterkit.text` (Letter → Markdown), :mod:`letterkit.typeset`
(Markdown → pages), :mod:`letterkit.pdf` (pages + annexes → the PDF),
:mod:`letterkit.pipeline` (one letter, stages in order),
:mod:`letterkit.bundle` (a campaign → one PDF per recipient) and
:mod:`letterkit.cli` (the ``letterkit`` command).
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

# First: in the command, Ctrl-C while the modules load is one line, not a traceback.
from . import _start as _start
from .errors import InternalError as InternalError
from .errors import LetterkitError as LetterkitError
from .errors import Problem as Problem
from .errors import UsageError as UsageError
from .errors import ValidationError as ValidationError
from .limits import Limits as Limits
from .model import Addressees as Addressees
from .model import Annex as Annex
from .model import Case as Case
from .model import Dateline as Dateline
from .model import Event as Event
from .model import Letter as Letter
from .model import LetterPart as LetterPart
from .model import Person as Person
from .model import Recipient as Recipient
from .model import Sender as Sender
from .model import Signatory as Signatory
from .model import SignatoryBlock as SignatoryBlock
from .model import Typography as Typography
from .validate import validate as validate

if TYPE_CHECKING:
    from .bundle.build import BundleResult as BundleResult
    from .bundle.build import build_bundle as build_bundle
    from .bundle.campaign import load_campaign as load_campaign
    from .bundle.check import check as check
    from .input.letter_spec import letter_from_data as letter_from_data
    from .input.letter_spec import load_letter as load_letter
    from .pipeline import BuildResult as BuildResult
    from .pipeline import build as build
    from .pipeline import render as render

#: The functions are imported on first use, so ``import letterkit`` (and the
#: ``letterkit`` command) start without loading ReportLab, pypdf and Babel.
_LAZY = {
    "BuildResult": "pipeline",
    "BundleResult": "bundle.build",
    "build": "pipeline",
    "build_bundle": "bundle.build",
    "check": "bundle.check",
    "letter_from_data": "input.letter_spec",
    "load_campaign": "bundle.campaign",
    "load_letter": "input.letter_spec",
    "render": "pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module = f"{__name__}.{_LAZY[name]}"
        try:
            value = getattr(importlib.import_module(module), name)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise  # a dependency is missing: say which
            raise AttributeError(f"module 'letterkit' has no attribute {name!r}") from exc
        globals()[name] = value
        return value
    raise AttributeError(f"module 'letterkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Addressees",
    "Annex",
    "BuildResult",
    "BundleResult",
    "Case",
    "Dateline",
    "Event",
    "InternalError",
    "Letter",
    "LetterPart",
    "LetterkitError",
    "Limits",
    "Person",
    "Problem",
    "Recipient",
    "Sender",
    "Signatory",
    "SignatoryBlock",
    "Typography",
    "UsageError",
    "ValidationError",
    "__version__",
    "build",
    "build_bundle",
    "check",
    "letter_from_data",
    "load_campaign",
    "load_letter",
    "render",
    "validate",
]
