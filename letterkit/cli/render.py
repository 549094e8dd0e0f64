"""``letterkit render`` (and ``preview``'s letter): the spec or campaign named on
the command line → a :class:`Target` (the letter, its default file name, how to
build it, the files it was read from) → a PDF written atomically.

The output is named either as a positional ``OUT.pdf`` (as WeasyPrint and
Typst take it) or with ``-o OUT.pdf``; never both.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import unquote

from ..errors import Problem, UsageError, in_order
from ..validate.hygiene import silenced
from .hints import no_recipient

if TYPE_CHECKING:  # the pipeline loads the whole typesetter: only a render needs it
    from ..model import Letter
    from ..pipeline import BuildResult

#: File endings of the specs letterkit reads: a positional output with one of
#: them is a second spec, not an output.
SPEC_SUFFIXES = (".yaml", ".yml", ".toml", ".json")


@dataclass(frozen=True)
class Target:
    """The letter named on the command line, its default file name, how to build
    it, and every file it was read from (what ``--watch`` watches)."""

    letter: Letter
    name: str
    build: Callable[[], BuildResult]
    inputs: frozenset[Path]


def add_render_parser(sub: Any, common: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The ``render`` command's arguments, under the subcommands *sub* (what
    ``ArgumentParser.add_subparsers`` returned)."""
    render: argparse.ArgumentParser = sub.add_parser(
        "render", parents=[common], help="render one letter to PDF, annexes included",
        description="Render a letter spec to PDF: to OUT.pdf (or -o OUT.pdf), else to "
        "SPEC-NAME.pdf in the current folder. --watch renders again on each saved change.",
    )  # fmt: skip
    render.add_argument(
        "spec", metavar="SPEC", help="letter spec or campaign (.yaml, .toml, .json)"
    )
    render.add_argument("out", metavar="OUT.pdf", nargs="?", help="where to write the PDF")
    render.add_argument(
        "-o", "--output", metavar="OUT.pdf", help="where to write the PDF (the same)"
    )
    render.add_argument(
        "--recipient", metavar="ID", help="with a campaign: the recipient whose letter to render"
    )
    render.add_argument(
        "--watch", action="store_true",
        help="stay running and render again whenever a file of the letter is saved (Ctrl-C stops)",
    )  # fmt: skip
    render.add_argument(
        "--open", action="store_true", help="open the PDF in the system's viewer once written"
    )
    return render


def archive_choice(args: argparse.Namespace) -> Any:
    """What ``--archive`` / ``--no-archive`` asks: ``"pdfa"``, ``"plain"``, or
    None (neither given: as the spec says)."""
    flag = getattr(args, "archive", None)
    return None if flag is None else ("pdfa" if flag else "plain")


def print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    """One line per problem, in the order of their files and lines."""
    for problem in in_order(problems):
        print(problem, file=stream)


def load_target(args: argparse.Namespace, err: TextIO) -> Target:
    """The letter named on the command line (a spec, or a campaign's recipient),
    its default file name, and how to build it (a recipient's letter as the
    bundle builds it: its problems at the row's cells). Loading warnings are
    printed to *err*; bad input raises :class:`ValidationError`."""
    from ..input.campaign import is_campaign
    from ..input.letter_spec import archived, load_letter
    from ..limits import applied
    from ..pipeline import build, reported

    warnings: list[Problem] = []
    recipient = getattr(args, "recipient", None)
    if is_campaign(args.spec):
        from ..bundle.build import campaign_inputs
        from ..bundle.campaign import build_row, letter_for, load_campaign

        campaign = load_campaign(
            args.spec, allow_outside=args.allow_outside, problems=warnings, limits=args.limits,
            archive=archive_choice(args),
        )  # fmt: skip
        print_problems(silenced(warnings, args.no_warn), err)
        if not recipient:
            raise UsageError("this is a campaign: name the letter with --recipient ID")
        try:
            letter, name = letter_for(campaign, recipient), campaign.filenames[recipient]
        except KeyError:
            raise no_recipient([r.id for r in campaign.recipients], recipient) from None
        inputs = frozenset(campaign_inputs(campaign) | _letter_inputs(campaign.letter))
        return Target(letter, name, lambda: build_row(campaign, recipient, args.limits), inputs)
    if recipient:
        raise UsageError("--recipient applies to a campaign, and this is a single letter")
    with applied(args.limits), reported(Path(args.spec)):
        letter = load_letter(args.spec, allow_outside=args.allow_outside, problems=warnings)
    letter = archived(letter, archive_choice(args))
    print_problems(silenced(warnings, args.no_warn), err)
    return Target(
        letter,
        Path(args.spec).stem + ".pdf",
        lambda: build(letter, limits=args.limits),
        frozenset(_letter_inputs(letter)),
    )


def _letter_inputs(letter: Letter) -> set[Path]:
    """The files a letter was read from, with its fonts folder and the fonts in
    it, and the images its Markdown templates draw."""
    paths = set(letter.inputs)
    if letter.fonts is not None:
        paths.add(letter.fonts)
        if letter.fonts.is_dir():
            paths.update(p for p in letter.fonts.iterdir() if p.is_file())
    for template in [p for p in paths if p.suffix.lower() == ".md"]:
        paths.update(_body_images(template, letter.base_dir))
    return {p.resolve() for p in paths}


#: An image in Markdown, ``![text](chart.png)``: its link target.
_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)")


def _body_images(template: Path, base: Path) -> list[Path]:
    """The image files a Markdown template names as written (a target made by
    the template's code is not known before it runs), found as the body
    finds them: from the spec's folder. Not the letter's inputs, but what it
    draws; a URL is never a file."""
    try:
        text = template.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    targets = [t for t in _IMAGE.findall(text) if ":" not in t and "{" not in t]
    return [base / unquote(t) for t in targets[:_MAX_IMAGES]]


#: Images watched per template, at most.
_MAX_IMAGES = 64


def output_argument(args: argparse.Namespace) -> Path | None:
    """The output named on the command line (``OUT.pdf`` or ``-o OUT.pdf``), or
    None for the default name; :class:`UsageError` for both, or for a
    positional that is not a PDF's name."""
    positional = getattr(args, "out", None)
    if positional is not None and args.output is not None:
        raise UsageError(
            f"the output is named twice ({positional} and -o {args.output}); give one of them"
        )
    if positional is None:
        return Path(args.output) if args.output else None
    named = Path(positional)
    if named.suffix.lower() in SPEC_SUFFIXES:
        first = "" if Path(args.spec).suffix.lower() in SPEC_SUFFIXES else "; the spec comes first"
        raise UsageError(
            f"{positional} looks like a spec, and render takes one: "
            f"letterkit render SPEC [OUT.pdf]{first} (a campaign's letters: letterkit bundle)"
        )
    if named.suffix.lower() != ".pdf":
        raise UsageError(f"the output {positional} should end in .pdf")
    return named


def write_target(target: Target, output: Path | None) -> tuple[Path, BuildResult]:
    """Build *target* and write its PDF atomically to *output* (its default
    name when None); return the path as given and the build. An output that
    does not end in .pdf, is one of the letter's inputs, or a folder, is a
    :class:`UsageError`; nothing is written when the build fails."""
    from ..pipeline import output_path, write_atomically

    shown = output if output is not None else Path(target.name)
    resolved = {p.resolve() for p in target.letter.inputs}
    if shown.suffix.lower() != ".pdf" and Path(os.path.realpath(shown)) not in resolved:
        raise UsageError(f"the output {shown} should end in .pdf")
    path = output_path(target.letter, shown)
    built = target.build()
    write_atomically(path, built.pdf)
    return shown, built
