"""A YAML parser error → one line that names the typing mistake behind it and its fix.

PyYAML (and LibYAML) report what the parser met ("mapping values are not
allowed in this context", "did not find expected key"), which tells a person
who typed the file little. :func:`explain` looks at the lines around the
place the parser stopped and recognises the usual mistakes: a tab used for
indentation, a value holding ``": "`` without quotes, curly quotes pasted
from a word processor, a quote never closed, text after a closing quote, a
key or list item at the wrong indentation, a missing space after a colon, a
value that starts with a character YAML reserves. Anything else keeps the
parser's own words.
"""

from __future__ import annotations

import re

import yaml

Pos = tuple[int | None, int | None]

#: Quote marks a word processor puts where a straight quote was typed.
CURLY = "“”„‟‘’‚‛«»"
#: ``key: value`` on one line (the key may follow list dashes): indentation and
#: dashes, the key, the spaces before the value, and the value.
_ENTRY = re.compile(
    r"^(?P<lead>[ ]*(?:-[ ]+)*)"
    r"(?P<key>\"[^\"]*\"|'[^']*'|[^\s#'\"\[\]{},:-][^:#]*?|-[^\s:#][^:#]*?)"
    r"[ ]*:(?P<gap>[ \t]+|$)(?P<value>.*)$"
)
#: Characters a plain value cannot start with.
_RESERVED = "@`%|>!&*"
#: Longest value a suggested fix repeats in full.
_SHOWN = 60


def unreadable(text: str, exc: yaml.reader.ReaderError) -> tuple[Pos, str]:
    """Where a character YAML refuses (a control character) stands, and what to do."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    return (line, column), (
        f"not valid YAML: the file holds the control character U+{code:04X}, which YAML "
        "does not allow; delete it"
    )


def explain(text: str, exc: yaml.MarkedYAMLError) -> tuple[Pos, str]:
    """Where the mistake behind *exc* is in *text*, and a message that names it
    with its fix (``not valid YAML: ...``)."""
    lines = text.split("\n")
    problem = exc.problem_mark
    context = exc.context_mark
    found = _explain(lines, exc, problem, context)
    if found is not None:
        (line, col), message = found
        return (line + 1, col + 1), f"not valid YAML: {message}"
    pos: Pos = (problem.line + 1, problem.column + 1) if problem else (None, None)
    return pos, f"not valid YAML: {exc.problem}"


def _explain(
    lines: list[str],
    exc: yaml.MarkedYAMLError,
    problem: yaml.Mark | None,
    context: yaml.Mark | None,
) -> tuple[tuple[int, int], str] | None:
    if problem is None:
        return None
    said = f"{exc.context or ''} | {exc.problem or ''}"
    here = _line(lines, problem.line)
    tab = _indent_tab(here)
    if tab is not None:  # the parser stops on the line of the tab
        return (problem.line, tab), (
            "a tab is used for indentation on this line; YAML needs spaces: "
            "replace the tab with spaces"
        )
    scalar = context is not None and "block" not in (exc.context or "")  # a value's start
    for number in dict.fromkeys(
        (problem.line, context.line if scalar and context else problem.line)
    ):
        curly = _curly(_line(lines, number))
        if curly is not None:
            return (number, curly[0]), curly[1]
    if "quoted scalar" in said and context is not None:
        return _unclosed(lines, context)
    if "mapping values are not allowed" in said:
        return _colon(lines, problem)
    if "cannot start any token" in said:
        return _reserved(here, problem)
    if ("alias" in said or "anchor" in said) and context is not None:
        return _reserved(_line(lines, context.line), context)
    if "sequence entries are not allowed" in said:
        entry = _ENTRY.match(here)
        key = entry.group("key") if entry else "key"
        return (problem.line, problem.column), (
            f"a value that starts with '- ' is read as a list; put it in quotes "
            f"({_suggest(here, problem.column)}), or put each '- ' item on a line of its "
            f"own under '{key}:', indented"
        )
    if "expected ':'" in said and context is not None:
        key = _line(lines, context.line).strip()[:40]
        return (context.line, context.column), (
            f"'{key}' has no ': ' after it; write key: value (a line that goes on with "
            "the value above must be indented more than that value's key)"
        )
    if "document start" in said:
        first = next((n for n, text in enumerate(lines) if text.strip()[:1] not in ("", "#")), 0)
        column = len(lines[first]) - len(lines[first].lstrip(" "))
        return (problem.line, problem.column), (
            f"this line starts in column {problem.column + 1}, left of the file's first line "
            f"(line {first + 1}, column {column + 1}); start the top-level keys of the file "
            "in the same column"
        )
    if "flow" in said and context is not None:
        return _flow(lines, here, context)
    if context is not None and "block" in (exc.context or ""):
        return _quote_then_text(here, problem) or _indent(lines, problem, context)
    return None


def _line(lines: list[str], number: int) -> str:
    return lines[number].rstrip("\r") if 0 <= number < len(lines) else ""


def _indent_tab(line: str) -> int | None:
    """The column of a tab in the line's indentation (None without one)."""
    lead = re.match(r"[ \t]*", line)
    assert lead is not None
    if "\t" in lead.group():
        return lead.group().index("\t")
    return None


def _curly(line: str) -> tuple[int, str] | None:
    """A value that starts with a curly quote: its column and the message."""
    entry = _ENTRY.match(line)
    if entry is None:
        return None
    value = _without_comment(entry.group("value"))
    if not value or value[0] not in CURLY:
        return None
    inner = value[1:-1] if len(value) > 1 and value[-1] in CURLY else value[1:]
    return entry.start("value"), (
        f"the value starts with the curly quote {value[0]}, which YAML does not read as "
        f"a quote (text pasted from a word processor?); use straight quotes: "
        f"{_quoted(entry.group('key'), inner)}"
    )


def _unclosed(lines: list[str], opened: yaml.Mark) -> tuple[tuple[int, int], str]:
    line = _line(lines, opened.line)
    quote = line[opened.column] if opened.column < len(line) else '"'
    inside = (
        "an apostrophe inside single quotes is written twice: ''"
        if quote == "'"
        else 'a quote inside double quotes is written \\"'
    )
    return (opened.line, opened.column), (
        f"the quote {quote} that starts this value is never closed; end the value with "
        f"{quote} on the same line ({inside})"
    )


def _colon(lines: list[str], problem: yaml.Mark) -> tuple[tuple[int, int], str] | None:
    """``mapping values are not allowed``: a ': ' in a value, or a line read as
    the rest of the value above it."""
    here = _line(lines, problem.line)
    entry = _ENTRY.match(here)
    if entry is not None and problem.column >= entry.start("value"):
        value = _without_comment(entry.group("value"))
        holds = "holds ': '" if ": " in value else "ends with ':'"
        return (problem.line, entry.start("value")), (
            f"the value {holds}; put it in quotes: {_suggest(here, entry.start('value'))}"
        )
    above = problem.line - 1
    while above >= 0 and (
        not _line(lines, above).strip() or _line(lines, above).lstrip()[0] == "#"
    ):
        above -= 1
    previous = _line(lines, above)
    glued = re.match(r"^([ ]*(?:-[ ]+)*)([^\s:#'\"][^:#]*?):(\S.*)$", previous)
    if glued is not None and _ENTRY.match(previous) is None:
        return (above, len(glued.group(1)) + len(glued.group(2)) + 1), (
            f"a space is missing after the ':' on this line; write "
            f"{glued.group(2)}: {glued.group(3)}"
        )
    if entry is not None and above >= 0:
        column = len(entry.group("lead"))
        top = _ENTRY.match(previous)
        where = len(top.group("lead")) if top else len(previous) - len(previous.lstrip())
        return (problem.line, column), (
            f"'{entry.group('key')}' is indented more than the line above it, so it is read "
            f"as the rest of that line's value; start it in column {where + 1}, like the "
            f"line above"
        )
    return None


def _reserved(here: str, problem: yaml.Mark) -> tuple[tuple[int, int], str] | None:
    char = here[problem.column] if problem.column < len(here) else ""
    if not char or char not in _RESERVED:
        return None
    return (problem.line, problem.column), (
        f"a value cannot start with '{char}' unless it is quoted; put it in quotes: "
        f"{_suggest(here, problem.column)}"
    )


def _flow(lines: list[str], here: str, opened: yaml.Mark) -> tuple[tuple[int, int], str]:
    line = _line(lines, opened.line)
    bracket = line[opened.column] if opened.column < len(line) else "["
    close = {"[": "]", "{": "}"}.get(bracket, "]")
    return (opened.line, opened.column), (
        f"the '{bracket}' that starts this value is read as the start of a "
        f"{'list' if bracket == '[' else 'mapping'} and is not closed by '{close}'; close it, "
        f"or put the value in quotes: {_suggest(line, opened.column)}"
    )


def _quote_then_text(here: str, problem: yaml.Mark) -> tuple[tuple[int, int], str] | None:
    """Text after the closing quote of a quoted value (``'It's'``, ``"a "b""``)."""
    entry = _ENTRY.match(here)
    before = here[: problem.column].rstrip()
    if entry is None or not before or problem.column < entry.start("value"):
        return None
    raw = _without_comment(entry.group("value"))
    if not raw or raw[0] not in "'\"[{" or before[-1] not in "'\"]}":
        return None
    if raw[0] in "[{":
        return (problem.line, entry.start("value")), (
            f"a value that starts with '{raw[0]}' is read as a "
            f"{'list' if raw[0] == '[' else 'mapping'}; put it in quotes: "
            f"{_quoted(entry.group('key'), raw)}"
        )
    inner = raw[1:-1] if len(raw) > 1 and raw[-1] == raw[0] else raw
    return (problem.line, problem.column), (
        f"the value ends at its closing quote {raw[0]} and more text follows it; quote the "
        f"whole value once: {_quoted(entry.group('key'), inner)}"
    )


def _indent(
    lines: list[str], problem: yaml.Mark, context: yaml.Mark
) -> tuple[tuple[int, int], str]:
    """A key or list item whose indentation lines it up with nothing above it."""
    here = _line(lines, problem.line)
    column = len(here) - len(here.lstrip(" "))
    word = here.strip().split(":")[0][:40] or "this line"
    start = _line(lines, context.line)
    if start[context.column : context.column + 1] == "-":  # a list: the item's keys
        item = _ENTRY.match(start)
        under = len(item.group("lead")) if item else context.column + 2
        name = f" under '{item.group('key')}'" if item else ""
        return (problem.line, column), (
            f"'{word}' is in the list that starts on line {context.line + 1} but does not "
            f"start with '- ' and is not lined up with the item above; start it with '- ' "
            f"for a new item, or in column {under + 1}{name} to add it to that item"
        )
    if here.lstrip().startswith("- ") and column == context.column and _ENTRY.match(start):
        return (problem.line, column), (
            f"a list item cannot stand among the keys of the mapping that starts on line "
            f"{context.line + 1}; put the list under a key of its own: the key alone on its "
            "line (key:), then each '- ' item on a line below it, indented"
        )
    near = _nearest(lines, problem.line, column)
    like = " or ".join(f"'{w}' on line {n + 1} (column {c + 1})" for w, n, c in near)
    hint = f": like {like}" if like else ""
    return (problem.line, column), (
        f"'{word}' starts in column {column + 1}, which lines it up with no key above it; "
        f"keys of one mapping and items of one list start in the same column; indent it like "
        f"the key or item it belongs with{hint}"
    )


def _nearest(lines: list[str], number: int, column: int) -> list[tuple[str, int, int]]:
    """The nearest key or list item above line *number* that starts further right,
    and the nearest that starts further left: (its words, line, column)."""
    found: dict[bool, tuple[str, int, int]] = {}
    for above in range(number - 1, -1, -1):
        line = _line(lines, above)
        words = line.strip()
        if not words or words[0] == "#":
            continue
        start = len(line) - len(line.lstrip(" "))
        if start != column and (start > column) not in found:
            found[start > column] = (words.split(": ")[0].rstrip(":")[:40], above, start)
        if start < column:
            break
    return [found[side] for side in (True, False) if side in found]


def _without_comment(value: str) -> str:
    return re.split(r"\s+#", value, maxsplit=1)[0].rstrip()


def _suggest(line: str, start: int) -> str:
    """The line's ``key: value`` with the value from *start* on put in quotes."""
    entry = _ENTRY.match(line)
    key = entry.group("key") if entry else ""
    value = _without_comment(line[start:])
    return _quoted(key, value) if key else _quoted("", value).lstrip(": ")


def _quoted(key: str, value: str) -> str:
    """``key: "value"`` (single quotes when the value holds a double quote)."""
    if len(value) > _SHOWN:
        value = value[: _SHOWN - 1] + "…"
    single = '"' in value or "\\" in value
    text = "'" + value.replace("'", "''") + "'" if single else f'"{value}"'
    return f"{key}: {text}" if key else text
