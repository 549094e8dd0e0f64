"""Stage 3, Markdown → laid-out pages: the only package that imports ReportLab.

- :mod:`.fonts` registers the font families and picks a fallback per run of text;
- :mod:`.user_fonts` loads the fonts of a spec's ``fonts:`` folder (``.ttf``, ``.otf``, ``.ttc``);
- :mod:`.styles` holds the paper, the margins and the paragraph styles;
- :mod:`.compose` turns the merged Markdown into flowables and footnote texts;
- :mod:`.glyphs` checks every character the letter draws against the fonts, and
  :mod:`.font_hints` names a font for the script of one that none draws;
- :mod:`.bidi` and :mod:`.breaks` set right-to-left lines and break long URLs;
- :mod:`.notes` puts footnotes at the foot of the page that references them;
- :mod:`.columns` sets the signatories in balanced columns;
- :mod:`.story` lists what the letter says, in reading order;
- :mod:`.letterhead` sets the sender's name, address and logos at the top of page 1;
- :mod:`.pages` draws the letterhead, the running heads and the feet;
- :mod:`.reuse` splits the story into the letter's own part and the shared part;
- :mod:`.document` lays the letter out from these parts.

For the PDF stage: :mod:`.generated` makes the annexes letterkit writes itself
(and image annexes' pages), :mod:`.stamps` the annex stamps, :mod:`.sample` the
starter annex. :mod:`._rl` holds every use of a private part of ReportLab.
"""
