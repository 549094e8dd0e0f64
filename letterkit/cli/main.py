"""The ``letterkit`` command: a thin shell over the Python API.

Exit status: 0 success (warnings allowed), 1 bad input or an internal error
(LK900), 2 bad usage, 130 interrupted (Ctrl-C; 0 for ``render --watch``,
which Ctrl-C ends), 141 (quietly) when the reader
of its output stops reading (``letterkit check ... | head``). Problems print one per line
as ``path:line:col: error: [CODE] message``; no traceback unless ``--debug``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .. import __version__
from ..errors import (
    MAX_SHOWN,
    InternalError,
    LetterkitError,
    UsageError,
    ValidationError,
    in_order,
    printable,
)
from ..validate.hygiene import codes, silenced
from .hints import stopped_by_failure
from .pipes import closed_pipe
from .render import add_render_parser, archive_choice, print_problems
from .stops import again, how, stops_as_interrupts

#: What an interrupted bundle says to do.
_AGAIN = "run the same command again to finish"


def _parser() -> argparse.ArgumentParser:
    debug = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's --debug sets the flag, and its absence leaves the
    # one given before the subcommand (letterkit --debug render ...).
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")  # fmt: skip
    common = argparse.ArgumentParser(add_help=False, parents=[debug])
    common.add_argument(
        "--allow-outside", action="store_true", help="allow paths outside the spec's folder"
    )
    common.add_argument(
        "--template-seconds", type=float, metavar="S",
        help="time a template may take to render (default 10; for templates you trust)",
    )  # fmt: skip
    parser = argparse.ArgumentParser(
        prog="letterkit",
        description="Joint appeal letters from data: template, typeset PDF, annexes.",
    )
    parser.add_argument("--version", action="version", version=f"letterkit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks (also after the command)")  # fmt: skip
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    render = add_render_parser(sub, common)
    check = sub.add_parser(
        "check", parents=[common], help="report every problem with a letter; writes nothing",
        description="Check a letter spec and everything it names; print every problem.",
    )  # fmt: skip
    check.add_argument("spec", metavar="SPEC|CAMPAIGN")
    check.add_argument(
        "--format", choices=["text", "json", "github"], default="text",
        help="github: each problem also as a GitHub Actions annotation, then the plain lines",
    )  # fmt: skip
    bundle = sub.add_parser(
        "bundle", parents=[common], help="one PDF per recipient of a campaign, with manifest.json",
        description="Build every letter of a campaign into a folder; a rerun rebuilds only what changed.",
    )  # fmt: skip
    bundle.add_argument("campaign", metavar="CAMPAIGN")
    bundle.add_argument("-o", "--output", metavar="DIR", required=True, help="output folder")
    bundle.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPUs)")
    bundle.add_argument("--shard", metavar="K/N", help="build the K-th of N slices (for CI)")
    bundle.add_argument(
        "--keep-going", action="store_true", help="build the others when a recipient fails"
    )
    bundle.add_argument("--quiet", action="store_true", help="print nothing but problems")
    manifest = sub.add_parser(
        "manifest", parents=[debug], help="work with bundle manifests (merge shards)"
    )
    manifest_sub = manifest.add_subparsers(dest="manifest_command", required=True)
    merge = manifest_sub.add_parser(
        "merge", parents=[debug], help="join the manifests of all shards of a bundle"
    )
    merge.add_argument("dirs", nargs="+", metavar="DIR")
    merge.add_argument("-o", "--output", metavar="DIR", required=True)
    preview = sub.add_parser(
        "preview", parents=[common], help="a PNG contact sheet of a letter's pages",
        description="Render a letter and write a contact sheet of its pages (needs letterkit[preview]).",
    )  # fmt: skip
    preview.add_argument("spec", metavar="SPEC")
    preview.add_argument("-o", "--output", metavar="SHEET.png", required=True)
    preview.add_argument("--recipient", metavar="ID", help="with a campaign: whose letter")
    for command in (render, check, bundle):
        command.add_argument(
            "--archive", action=argparse.BooleanOptionalAction, default=None,
            help="a tagged PDF/A (--no-archive: a plain PDF), whatever the spec's 'archive' says",
        )  # fmt: skip
    for command in (render, check, bundle):
        command.add_argument(
            "--no-warn", action="append", default=[], metavar="CODE",
            help="do not report warnings with this code (repeatable), e.g. --no-warn LK123",
        )  # fmt: skip
    init = sub.add_parser("init", parents=[common], help="create a starter letter folder that renders as is")  # fmt: skip
    init.add_argument("folder", metavar="DIR")
    sub.add_parser(
        "templates", parents=[common], help="list the built-in templates and their locales",
        description="List the built-in templates, their locales and the case fields they need.",
    )  # fmt: skip
    return parser


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
        args, extra = parser.parse_known_args(argv)
        known = not any(arg.startswith("-") for arg in extra)
        if extra and known and args.command == "render" and args.out is None:
            # argparse takes positionals in one run: OUT.pdf after an option
            # (``render SPEC --watch OUT.pdf``) comes back unrecognised
            args.out, *extra = extra
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as exc:
        return int(exc.code or 0)
    from ..limits import Limits

    args.limits = None
    if getattr(args, "template_seconds", None):
        args.limits = Limits(template_seconds=args.template_seconds)
    try:
        return _run(parser, args, out, err)
    except KeyboardInterrupt as exc:
        if args.debug:
            traceback.print_exc(file=err)
        said, status = how(exc)
        if args.command == "bundle":  # _bundle says how many letters it wrote, if any
            said = str(exc.args[0]) if exc.args else f"{said}; {_AGAIN}"
        if err.isatty():
            print(file=err)  # off the progress bar's line
        print(f"letterkit: {said}", file=err)
        return status


def _run(
    parser: argparse.ArgumentParser, args: argparse.Namespace, out: TextIO, err: TextIO
) -> int:
    """One command, with bad input, bad usage and faults turned into one-line
    messages and exit codes (the traceback too with ``--debug``)."""
    try:
        status = _command(parser, args, out, err)
        out.flush()  # a closed pipe is found here, not in Python's flush at exit
        return status
    except ValidationError as exc:
        _debug(args, err)
        print_problems(exc.problems, err)
        return 1
    except InternalError as exc:
        _debug(args, err)
        print(exc.problem, file=err)
        return 1
    except UsageError as exc:
        _debug(args, err)
        print(f"letterkit: error: {printable(str(exc), MAX_SHOWN)}", file=err)
        return 2
    except LetterkitError as exc:
        _debug(args, err)
        print(f"letterkit: error: {printable(str(exc), MAX_SHOWN)}", file=err)
        return 1
    except BrokenPipeError:  # the reader stopped reading (`| head`): quiet, as Unix tools are
        return closed_pipe(out)
    except OSError as exc:
        _debug(args, err)
        where = f" {exc.filename}" if exc.filename else ""
        print(printable(f"letterkit: error: cannot write{where}: {exc.strerror or exc}"), file=err)
        return 1
    except Exception as exc:  # a fault outside the pipeline's own boundary
        _debug(args, err)
        named = getattr(args, "spec", None) or getattr(args, "campaign", None) or "letterkit"
        print(InternalError.from_exception(str(named), exc).problem, file=err)
        return 1


def _debug(args: argparse.Namespace, err: TextIO) -> None:
    if args.debug:
        traceback.print_exc(file=err)


def _command(
    parser: argparse.ArgumentParser, args: argparse.Namespace, out: TextIO, err: TextIO
) -> int:
    args.no_warn = codes(getattr(args, "no_warn", None) or ())
    if args.command == "render":
        return _render(args, out, err)
    if args.command == "check":
        return _check(args, out)
    if args.command == "templates":
        from .listing import list_templates

        return list_templates(out)
    if args.command == "bundle":
        return _bundle(args, out, err)
    if args.command == "manifest":
        return _merge(args, out)
    if args.command == "preview":
        return _preview(args, out, err)
    if args.command == "init":
        return _init(args, out)
    parser.error(f"unknown command {args.command}")
    return 2


def _render(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """One letter, written once, or again on each change of its inputs with
    ``--watch``; ``--open`` shows it in the system viewer."""
    from .render import load_target, output_argument, write_target

    output = output_argument(args)
    if args.watch:
        from .watch import watch

        return watch(args, output, out, err)
    shown, built = write_target(load_target(args, err), output)
    print_problems(silenced(built.warnings, args.no_warn), err)
    print(f"wrote {shown}", file=out)
    if args.open:
        from .viewer import open_pdf

        open_pdf(shown, err)
    return 0


def _bundle(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..bundle.build import build_bundle
    from ..bundle.manifest import parse_shard
    from ..bundle.shards import shown
    from ..input.campaign import is_campaign

    if Path(args.campaign).is_file() and not is_campaign(args.campaign):
        raise UsageError(
            f"{args.campaign} is a letter spec, not a campaign; render it with "
            "'letterkit render', or name it as 'letter:' in a campaign file"
        )

    shard = parse_shard(args.shard) if args.shard else None
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    started = time.monotonic()
    tty = err.isatty() and not args.quiet
    written = [0, 0]  # letters recorded of the run, letters in the run

    def progress(event: str, rid: str, done: int, total: int) -> None:
        written[:] = [written[0] + (event != "failed"), total]
        if args.quiet and event != "failed":
            return
        if tty:
            elapsed = time.monotonic() - started
            eta = elapsed / done * (total - done) if done else 0.0
            bar = "#" * (30 * done // max(total, 1))
            print(f"\r[{bar:<30}] {done}/{total}  ETA {eta:4.0f} s ", end="", file=err, flush=True)
            if done == total:
                print(file=err)
        else:
            word = "unchanged" if event == "skipped" else event
            print(f"{word} {rid} ({done}/{total})", file=out, flush=True)

    try:
        with stops_as_interrupts():  # SIGTERM, SIGHUP: record what is written, as Ctrl-C does
            result = build_bundle(
                args.campaign,
                args.output,
                jobs=args.jobs,
                shard=shard,
                keep_going=args.keep_going,
                allow_outside=args.allow_outside,
                progress=progress,
                limits=args.limits,
                report=lambda line: print(f"letterkit: {printable(line)}", file=err, flush=True),
                no_warn=args.no_warn,
                archive=archive_choice(args),
            )
    except KeyboardInterrupt as exc:
        if not written[1]:  # else every letter told to progress is in the state file by now
            raise
        said = f"{how(exc)[0]}: {written[0]} of {written[1]} letters written; {_AGAIN}"
        raise again(exc, said) from None
    except ValidationError as exc:
        if not written[1]:  # the campaign itself
            raise
        print_problems(exc.problems, err)
        print(stopped_by_failure(written[0], written[1]), file=err)
        return 1
    print_problems(result.warnings, err)
    for rid, problems in result.failed.items():
        for p in in_order(problems):
            print(f"{p} (recipient {printable(rid, 200)})", file=err)
    if not args.quiet:
        removed = f", {len(result.removed)} removed" if result.removed else ""
        where = shown(result.manifest) if result.manifest else "none"
        print(
            f"{len(result.built)} built, {len(result.skipped)} unchanged, "
            f"{len(result.failed)} failed{removed}; manifest {where}"
            f"{_combined(result.manifest)}",
            file=out,
        )
    return 1 if result.failed else 0


def _combined(manifest: Path | None) -> str:
    """``; combined dist/all.pdf (1,200 pages, 1.5 MB)``: the combined PDF the
    manifest records, for a summary line ("" when it records none)."""
    from ..bundle.shards import shown
    from ..files import size_text

    try:
        entry = json.loads(manifest.read_text(encoding="utf-8"))["combined"] if manifest else None
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        return ""
    assert manifest is not None
    pages, size = entry.get("pages"), entry.get("bytes")
    if not isinstance(pages, int) or not isinstance(size, int):
        return f"; combined {shown(manifest.parent / entry['file'])}"
    many = f"{pages:,} page{'s' if pages != 1 else ''}, {size_text(size)}"
    return f"; combined {shown(manifest.parent / entry['file'])} ({many})"


def _merge(args: argparse.Namespace, out: TextIO) -> int:
    from ..bundle.merge import merge_manifests
    from ..bundle.shards import shown

    path = merge_manifests(args.dirs, args.output)
    print(f"wrote {shown(path)}{_combined(path)}", file=out)
    return 0


def _preview(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .preview import write_contact_sheet

    if Path(args.output).suffix.lower() != ".png":
        raise UsageError(f"the contact sheet {args.output} is a PNG image: end its name in .png")
    from .render import load_target

    write_contact_sheet(load_target(args, err).build().pdf, Path(args.output))
    print(f"wrote {args.output}", file=out)
    return 0


def _init(args: argparse.Namespace, out: TextIO) -> int:
    from .starter import create

    for path in create(Path(args.folder)):
        print(f"created {path}", file=out)
    print(f"next: cd {args.folder} && letterkit render letter.yaml -o letter.pdf", file=out)
    return 0


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from ..bundle.check import checked

    result = checked(
        args.spec, allow_outside=args.allow_outside, limits=args.limits, no_warn=args.no_warn,
        archive=archive_choice(args),
    )  # fmt: skip
    problems = result.problems
    if args.format == "json":
        found = {"problems": [p.as_dict() for p in problems], "summary": result.as_dict()}
        print(json.dumps(found, ensure_ascii=False, indent=2), file=out)
    else:
        if args.format == "github":
            from .formats import github_commands

            for command in github_commands(problems, args.spec):
                print(command, file=out)
        print_problems(problems, out)
        if not problems:
            print(f"{args.spec}: no problems", file=out)
        if Path(args.spec).is_file():  # else nothing was read, and there is nothing to count
            print(result.summary, file=out)
    return 1 if any(p.severity == "error" for p in problems) else 0
