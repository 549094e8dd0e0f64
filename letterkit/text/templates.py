"""Letter → template file: find the letter's template and split it into front matter and body.

A template is a Markdown file with optional YAML front matter (``subject``,
``salutation``, ``closing``, ``requires``). It is named by the letter: a
built-in template (a folder of ``<locale>.md`` files) or a path next to the spec.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .. import files, l10n
from .._resources import builtin_templates, names_a_file, templates_dir
from ..input.sources import Reporter, display_path
from ..model import Letter

FRONT_MATTER_KEYS = ("subject", "salutation", "closing", "requires")


@dataclass(frozen=True)
class TemplateSource:
    """A template file: its path, the front matter and the Jinja body."""

    path: Path
    display: str
    front: Mapping[str, Any]
    body: str
    text: str


def locate_template(letter: Letter, reporter: Reporter, spec: str) -> Path | None:
    """The template file for the letter's locale, or None (reported)."""
    name: object = letter.template
    if isinstance(name, Mapping):
        try:
            name = l10n.localize(name, letter.locale)
        except l10n.LocalizationError as exc:
            reporter.error((spec, (None, None)), "LK110", f"'template' has {exc}")
            return None
    name = str(name)
    folder: Path
    if names_a_file(name):
        path = letter.base_dir / name
        try:
            files.regular_file(path, "template")
        except files.Refused as exc:
            if exc.code == "LK101":
                reporter.error(
                    (spec, (None, None)), "LK110",
                    f"template file '{name}' not found next to the spec",
                )  # fmt: skip
            else:
                reporter.error((spec, (None, None)), exc.code, f"template '{name}' {exc.reason}")
            return None
        return files.real_path(path)
    folder = templates_dir() / name
    known = builtin_templates()
    if name not in known:
        names = ", ".join(known) or "none"
        reporter.error(
            (spec, (None, None)),
            "LK110",
            f"unknown template '{name}'; built-in templates: {names}; or give a path to a .md file",
        )
        return None
    for key in l10n.locale_chain(letter.locale)[:-1]:
        candidate = folder / f"{key}.md"
        if candidate.is_file():
            return candidate
    if l10n.parse_locale(letter.locale).language == "en" and (folder / "en-GB.md").is_file():
        return folder / "en-GB.md"
    reporter.error(
        (spec, (None, None)),
        "LK110",
        f"template '{name}' has no '{letter.locale}' version (has: {', '.join(known[name])}); "
        "choose one of those locales or write your own template",
    )
    return None


def read_template(path: Path, reporter: Reporter) -> TemplateSource | None:
    """Split a template file into front matter and body (line numbers kept)."""
    display = display_path(path)
    try:
        text = files.read_bounded(path, "template").decode("utf-8-sig")
    except files.Refused as exc:
        reporter.error((display, (None, None)), exc.code, f"the template {exc.reason}")
        return None
    except UnicodeDecodeError as exc:
        reporter.error((display, (None, None)), "LK102", f"cannot read the template: {exc}")
        return None
    front: Mapping[str, Any] = {}
    body = text
    match = re.match(r"---[ \t]*\n(.*?\n)---[ \t]*(\n|$)", text, re.S)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1)) or {}
        except RecursionError:
            reporter.error((display, (1, None)), "LK111", "front matter is nested too deeply")
            return None
        except yaml.MarkedYAMLError as exc:
            from ..input.yaml_hints import explain  # read only for broken front matter

            (line, col), message = explain(match.group(1), exc)
            pos = (line + 1 if line is not None else 1, col)
            reporter.error((display, pos), "LK111", f"front matter is {message}")
            return None
        except yaml.YAMLError:
            reporter.error((display, (1, None)), "LK111", "front matter is not valid YAML")
            return None
        if not isinstance(loaded, dict):
            reporter.error(
                (display, (1, 1)), "LK111", "front matter must be a mapping (subject:, closing:, …)"
            )
            return None
        for key in loaded:
            if key not in FRONT_MATTER_KEYS:
                reporter.error(
                    (display, (line_of(text, str(key)), 1)),
                    "LK103",
                    f"unknown front matter key '{key}'; known: {', '.join(FRONT_MATTER_KEYS)}",
                )
        front = loaded
        # Blank lines in place of the front matter keep Jinja's line numbers = file lines.
        body = "\n" * match.group(0).count("\n") + text[match.end() :]
    return TemplateSource(path, display, front, body, text)


def line_of(text: str, key: str) -> int | None:
    """The line of *text* where the front matter key *key* starts, or None."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None


__all__ = [
    "FRONT_MATTER_KEYS",
    "TemplateSource",
    "line_of",
    "locate_template",
    "read_template",
]
