"""The conformance checks the tests run themselves: a PDF in, the rules it breaks out.

No external validator: the machine-checkable rules of PDF/UA-1 and PDF/A-2
that apply to letterkit's letters, read with pikepdf.

- :func:`check_pdfua` gives the failures against PDF/UA-1, each named by its
  Matterhorn Protocol 1.1 failure condition (``13-004``); the font rules, whose
  Matterhorn numbers the project has not confirmed, and the catalogue's
  /MarkInfo and /StructTreeRoot, which Matterhorn names no condition for, by
  the ISO 14289-1 clause and test number veraPDF gives them
  (``UA1:7.21.4.1-1``, ``UA1:6.2-1``); the parent tree's
  consistency by its ISO 32000-1 clause (``ISO32000-1:14.7.4.4``).
- :func:`check_pdfa2` gives the failures against PDF/A-2 (levels U and A),
  each named by veraPDF's rule ID (``6.6.2.1-1``). The document information
  dictionary's agreement with XMP has a veraPDF rule only in its PDF/A-1
  profile: those failures carry that rule's number (``6.7.3-2``).
- :func:`structure_text` walks the structure tree in order and gives each
  element's role and text (from its marked content, decoded by the fonts'
  ToUnicode maps); :func:`reading_text` the tree's text once through;
  :func:`untagged_glyphs` the text drawn neither in the tree nor as an artifact.
"""

from __future__ import annotations

from .content import Drawn, drawn_on
from .failure import Failure, rule_ids
from .pdfa import check_pdfa2
from .pdfua import check_pdfua
from .tree import reading_text, structure_text, untagged_glyphs

__all__ = [
    "Drawn",
    "Failure",
    "check_pdfa2",
    "check_pdfua",
    "drawn_on",
    "reading_text",
    "rule_ids",
    "structure_text",
    "untagged_glyphs",
]
