"""Stage 4, laid-out pages + annexes → the final PDF: pypdf (and pikepdf) only.

- :mod:`.annexes` opens the annex files, with their selected pages;
- :mod:`.active` removes from each annex's copy whatever would run, open or
  send files, or play media, and drops its embedded files or carries them
  (:mod:`.attached`) as the annex says;
- :mod:`.stamp` stamps each annex page ("Annex 1 – page 2 of 12");
- :mod:`.assemble` appends the annexes and writes the outline, page labels and
  metadata, then joins the letter's parts with :mod:`.splice`, which reads them
  with :mod:`.parts` and :mod:`.syntax` and names their font subsets with
  :mod:`.subsets`;
- :mod:`.combine` joins a bundle's letters into one PDF, one letter after the
  other, each object they share written once (:mod:`.reuse`).

:mod:`._pypdf` holds every use of pypdf beyond its documented API.
"""
