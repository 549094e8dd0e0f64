"""Stage 7, the command line: a thin shell over the library calls.

- :mod:`.main` is the ``letterkit`` command (``render``, ``check``, ``bundle``, …);
- :mod:`.render` turns the command line's spec into a letter and its PDF;
- :mod:`.watch` renders it again on each saved change (``render --watch``);
- :mod:`.viewer` opens a PDF in the system's viewer (``--open``);
- :mod:`.preview` makes a contact sheet of a letter's pages;
- :mod:`.starter` writes the starter folder of ``letterkit init``.
"""
