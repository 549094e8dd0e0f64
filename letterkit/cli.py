"""The ``letterkit`` command: a thin shell over the Python API.

Exit status: 0 success (warnings allowed), 1 bad input, 2 bad usage.
Problems print one per line as ``path:line:col: error: [CODE] message``;
no traceback for bad input unless ``--debug``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import LetterkitError, Problem, UsageError, ValidationError


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--allow-outside", action="store_true", help="allow paths outside the spec's folder"
    )
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    parser = argparse.ArgumentParser(
        prog="letterkit",
        description="Joint appeal letters from data: template, typeset PDF, annexes.",
    )
    parser.add_argument("--version", action="version", version=f"letterkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    render = sub.add_parser(
        "render", parents=[common], help="render one letter to PDF, annexes included",
        description="Render a letter spec to PDF. Without -o, writes SPEC-NAME.pdf in the current folder.",
    )  # fmt: skip
    render.add_argument("spec", metavar="SPEC", help="letter spec (.yaml, .toml or .json)")
    render.add_argument("-o", "--output", metavar="OUT.pdf", help="where to write the PDF")
    check = sub.add_parser(
        "check", parents=[common], help="report every problem with a letter; writes nothing",
        description="Check a letter spec and everything it names; print every problem.",
    )  # fmt: skip
    check.add_argument("spec", metavar="SPEC")
    check.add_argument("--format", choices=["text", "json"], default="text")
    sub.add_parser(
        "templates", parents=[common], help="list the built-in templates and their locales",
        description="List the built-in templates, their locales and the case fields they need.",
    )  # fmt: skip
    return parser


def _print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    for problem in problems:
        print(problem, file=stream)


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; return the exit status."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    # pypdf logs what it repairs in annexes; problems are reported in letterkit's own format.
    logging.getLogger("pypdf").addHandler(logging.NullHandler())
    logging.getLogger("pypdf").propagate = False
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        if args.command == "render":
            return _render(args, out, err)
        if args.command == "check":
            return _check(args, out)
        if args.command == "templates":
            return _templates(out)
    except ValidationError as exc:
        if args.debug:
            traceback.print_exc(file=err)
        _print_problems(exc.problems, err)
        return 1
    except UsageError as exc:
        if args.debug:
            traceback.print_exc(file=err)
        print(f"letterkit: error: {exc}", file=err)
        return 2
    except LetterkitError as exc:
        if args.debug:
            traceback.print_exc(file=err)
        print(f"letterkit: error: {exc}", file=err)
        return 1
    except OSError as exc:
        if args.debug:
            traceback.print_exc(file=err)
        where = f" {exc.filename}" if exc.filename else ""
        print(f"letterkit: error: cannot write{where}: {exc.strerror or exc}", file=err)
        return 1
    parser.error(f"unknown command {args.command}")
    return 2


def _render(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .load import load_letter
    from .render import render

    warnings: list[Problem] = []
    letter = load_letter(args.spec, allow_outside=args.allow_outside, problems=warnings)
    _print_problems(warnings, err)
    output = Path(args.output) if args.output else Path(Path(args.spec).stem + ".pdf")
    later: list[Problem] = []
    render(letter, output, warnings=later)
    _print_problems(later, err)
    print(f"wrote {output}", file=out)
    return 0


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from .render import check

    problems = check(args.spec, allow_outside=args.allow_outside)
    if args.format == "json":
        json.dump({"problems": [p.as_dict() for p in problems]}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        _print_problems(problems, out)
        if not problems:
            print(f"{args.spec}: no problems", file=out)
    return 1 if any(p.severity == "error" for p in problems) else 0


def _templates(out: TextIO) -> int:
    from ._resources import templates_dir
    from .sources import Reporter
    from .templating import builtin_templates, read_template

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
