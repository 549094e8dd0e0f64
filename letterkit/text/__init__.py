"""Stage 2, letter → Markdown text: the letter's template merged with its data.

- :mod:`.templates` finds the letter's template and splits off its front matter;
- :mod:`.context` builds what the template sees;
- :mod:`.sandbox` renders it in a bounded Jinja sandbox with locale-aware filters;
- :mod:`.salutation` makes the greeting from the addressees;
- :mod:`.merge` runs these in order and turns every template error into a problem;
- :mod:`.filenames` renders a campaign's file name for each recipient.

:mod:`._jinja` holds every use of a part of Jinja that Jinja does not document.
"""
