"""Where the bundled templates and fonts are, and whether a letter names a built-in template.

In a wheel they sit inside the package (``letterkit/templates``,
``letterkit/fonts``); in a source checkout (an editable install, or running
from the repository) they are the top-level folders beside the package.
"""

from __future__ import annotations

import functools
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def resource_dir(name: str) -> Path:
    """The folder of bundled *name* (``templates`` or ``fonts``)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"letterkit's bundled '{name}' folder is missing (looked in {_PACKAGE / name} "
        f"and {_PACKAGE.parent / name}); reinstall letterkit"
    )


def templates_dir() -> Path:
    """The folder of built-in templates, one subfolder per template."""
    return resource_dir("templates")


def fonts_dir() -> Path:
    """The folder of bundled fonts."""
    return resource_dir("fonts")


def names_a_file(template: str) -> bool:
    """Whether a letter's *template* is a path to a Markdown file (it holds a
    slash or ends in ``.md``) rather than the name of a built-in template."""
    return "/" in template or "\\" in template or template.endswith(".md")


def builtin_templates() -> dict[str, list[str]]:
    """Built-in template names → their locales (``{"appeal-release": ["en", "ru", …]}``)."""
    out: dict[str, list[str]] = {}
    for folder in sorted(templates_dir().iterdir()):
        if folder.is_dir():
            out[folder.name] = sorted(p.stem for p in folder.glob("*.md"))
    return out
