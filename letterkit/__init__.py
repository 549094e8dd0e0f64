"""letterkit: joint appeal letters from data.

A letter spec, a case file and a signatory list go in; a typeset PDF with its
annexes comes out. The pipeline, one module a stage:

1. :mod:`letterkit.input.letter_spec` – spec, case and signatories → :class:`Letter` (validated)
2. :mod:`letterkit.text.merge` – Jinja2 template → Markdown text
3. :mod:`letterkit.typeset.compose` – Markdown → ReportLab flowables
4. :mod:`letterkit.typeset.document` – flowables → letter pages
5. :mod:`letterkit.pdf.assemble` – letter pages + annexes → the PDF
6. :mod:`letterkit.bundle.build` – a campaign → one PDF per recipient, with a manifest

Public names are re-exported here::

    import letterkit
    letter = letterkit.load_letter("letter.yaml")
    letterkit.render(letter, "letter.pdf")
    letterkit.build_bundle("campaign.yaml", "dist", jobs=2)
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

from .errors import LetterkitError as LetterkitError
from .errors import Problem as Problem
from .errors import UsageError as UsageError
from .errors import ValidationError as ValidationError
from .limits import Limits as Limits
from .model import Annex as Annex
from .model import Case as Case
from .model import Dateline as Dateline
from .model import Event as Event
from .model import Letter as Letter
from .model import Person as Person
from .model import Recipient as Recipient
from .model import Sender as Sender
from .model import Signatory as Signatory

if TYPE_CHECKING:
    from .bundle.build import build_bundle as build_bundle
    from .bundle.campaign import load_campaign as load_campaign
    from .input.letter_spec import load_letter as load_letter
    from .pipeline import check as check
    from .pipeline import render as render

#: The functions are imported on first use, so ``import letterkit`` (and the
#: ``letterkit`` command) start without loading ReportLab, pypdf and Babel.
_LAZY = {
    "build_bundle": "bundle.build",
    "load_campaign": "bundle.campaign",
    "load_letter": "input.letter_spec",
    "check": "pipeline",
    "render": "pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'letterkit' has no attribute {name!r}")


__all__ = [
    "Annex",
    "Case",
    "Dateline",
    "Event",
    "Letter",
    "LetterkitError",
    "Limits",
    "Person",
    "Problem",
    "Recipient",
    "Sender",
    "Signatory",
    "UsageError",
    "ValidationError",
    "__version__",
    "build_bundle",
    "check",
    "load_campaign",
    "load_letter",
    "render",
]
