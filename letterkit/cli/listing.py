"""The built-in templates → a listing of each, its locales and the case fields it needs
(``letterkit templates``)."""

from __future__ import annotations

from typing import TextIO


def list_templates(out: TextIO) -> int:
    """Print every built-in template with its locales and required fields."""
    from .._resources import builtin_templates, templates_dir
    from ..input.sources import Reporter
    from ..text.templates import read_template

    for name, locales in builtin_templates().items():
        reporter = Reporter()
        tpl = (
            read_template(templates_dir() / name / f"{locales[0]}.md", reporter)
            if locales
            else None
        )
        requires = tpl.front.get("requires", []) if tpl else []
        print(f"{name}", file=out)
        print(f"  locales: {', '.join(locales)}", file=out)
        print(f"  requires: {', '.join(str(r) for r in requires) or '-'}", file=out)
    return 0
