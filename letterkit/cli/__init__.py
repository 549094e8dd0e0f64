"""Stage 7, the command line: a thin shell over the library calls.

- :mod:`.main` is the ``letterkit`` command (``render``, ``check``, ``bundle``, …);
- :mod:`.preview` makes a contact sheet of a letter's pages;
- :mod:`.starter` writes the starter folder of ``letterkit init``.
"""
