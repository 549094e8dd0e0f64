"""Stage 1: files (or plain data) → the model; no ReportLab, no Jinja.

:mod:`~letterkit.input.sources` (YAML/TOML/JSON that remember positions),
:mod:`~letterkit.input.tables` (CSV/XLSX/list rows),
:mod:`~letterkit.input.yaml_hints` and :mod:`~letterkit.input.csvtable` (a file
that does not parse → the typing mistake and its fix),
:mod:`~letterkit.input.fields` (typed field readers, the path policy),
:mod:`~letterkit.input.case`, :mod:`~letterkit.input.signatories`,
:mod:`~letterkit.input.parts` (template, sender, recipients, dateline,
annexes), :mod:`~letterkit.input.letter_spec` (the spec → a validated
letter) and :mod:`~letterkit.input.campaign` (a campaign file and its
recipients table → a campaign).
"""
