"""A letter in several languages: its ``parts`` and ``signatories_in``, and each
part held to the rules of a letter of its own.

Each part becomes the letter it prints (:func:`~letterkit.model.part_letter`)
and is checked like any letter; what the part adds to the letter's own
problems (a template that is not there, a locale Babel does not know, a
place without a translation into the part's language) is reported once: at
the part's key when the part gives that field, else at the letter's field,
saying which part lacks it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..model import Dateline, Letter, LetterPart, SignatoriesIn, part_letter
from ._check import Check, Finding, literal

#: The most language versions one letter may have.
MAX_PARTS = 12


def parts(letter: Letter, check: Check, findings: Callable[[Letter], list[Finding]]) -> None:
    """``parts`` is a list of :class:`LetterPart` (at most :data:`MAX_PARTS`),
    ``signatories_in`` one of its words, and every part a letter that passes
    *findings* (the rules of one letter)."""
    check.choice("letter.signatories_in", letter.signatories_in, literal(SignatoriesIn))
    items = letter.parts
    if not isinstance(items, tuple | list):
        shown = "None" if items is None else f"a {type(items).__name__}"
        check.error("letter.parts", "LK105", f"'parts' must be a tuple or list, not {shown}")
        return
    if not items:
        return
    if len(items) > MAX_PARTS:
        check.error(
            "letter.parts", "LK105",
            f"'parts' has {len(items)} parts; a letter may have at most {MAX_PARTS}",
        )  # fmt: skip
        return
    if len(items) == 1:  # the spec's own version left out by mistake, most likely
        check.error(
            "letter.parts", "LK105",
            "'parts' has one part, so the letter would print that version alone; list "
            "every version, starting with {} for the spec as it stands "
            "(parts: [{}, {locale: tr, template: letter.tr.md}]), or remove 'parts'",
        )  # fmt: skip
        return
    shaped = True
    for index, part in enumerate(items):
        shaped = _shape(part, f"letter.parts[{index}]", check) and shaped
    if not shaped or not isinstance(letter.variables, Mapping):
        return
    # A field every part gives is never printed as the spec has it (a template
    # given only per part): its problems are the parts'.
    everywhere = set.intersection(*(_given(part) for part in items)) - {"variables"}
    check.found[:] = [f for f in check.found if _name(f.field) not in everywhere]
    own = {_key(f) for f in check.found}  # the letter's own, found by the rules before
    for index in range(len(items)):
        _part(letter, index, own, check, findings)


def _shape(part: object, path: str, check: Check) -> bool:
    """A part is a :class:`LetterPart` whose dateline and variables are what they say."""
    if not isinstance(part, LetterPart):
        check.error(path, "LK105", f"a part must be a LetterPart, not a {type(part).__name__}")
        return False
    ok = True
    if part.dateline is not None and not isinstance(part.dateline, Dateline):
        check.error(f"{path}.dateline", "LK105", "a part's 'dateline' must be a Dateline")
        ok = False
    if part.variables is not None and not isinstance(part.variables, Mapping):
        check.error(f"{path}.variables", "LK105", "a part's 'variables' must be a mapping")
        ok = False
    return ok


def _given(part: LetterPart) -> set[str]:
    """The letter's fields that *part* gives."""
    return {name for name in vars(part) if getattr(part, name) is not None}


def _name(field: str) -> str:
    """``letter.dateline.format`` → ``dateline``: the letter's field a path is in."""
    return field.removeprefix("letter.").split(".")[0].split("[")[0]


def _key(finding: Finding) -> tuple[str, str, str, str]:
    p = finding.problem
    return (finding.field, p.path, p.code, p.message)


def _part(
    letter: Letter,
    index: int,
    own: set[tuple[str, str, str, str]],
    check: Check,
    findings: Callable[[Letter], list[Finding]],
) -> None:
    """The problems part *index* has beyond the letter's own."""
    part = letter.parts[index]
    version = part_letter(letter, index)
    given = _given(part)
    locale = version.locale if isinstance(version.locale, str) else "?"
    for finding in findings(version):
        if _key(finding) in own:
            continue
        problem = finding.problem
        field = finding.field
        name = _name(field)
        placed = problem.path != field  # a problem placed by the value (a signatory's row)
        if name in given and field.startswith("letter."):
            field = f"letter.parts[{index}]" + field.removeprefix("letter")
            message = problem.message
        else:
            message = f"in part {index + 1} ({locale}): {problem.message}"
        at = (problem.path, problem.line, problem.col) if placed else None
        check.add(field, problem.code, message, problem.severity, at)
