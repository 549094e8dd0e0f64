"""Whatever a template raises becomes one problem line, never a traceback.

Each case goes through ``letterkit.check`` and through the command line (exit
status 1, one line on stderr naming the template file and line).
"""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import letterkit
from letterkit.cli.main import main

from .conftest import EXAMPLE

#: (name, template, code, line, words in the message)
CASES = [
    ("huge range", "Text.\n{% for i in range(10**8) %}x{% endfor %}\n", "LK114", 2, "range()"),
    ("division by zero", "{{ 1 / 0 }}\n", "LK113", 1, "division by zero"),
    ("modulo by zero", "{{ 1 % 0 }}\n", "LK113", 1, "modulo by zero"),
    ("bad format string", "{{ '%s %s' % 1 }}\n", "LK113", 1, "format string"),
    ("bad filter argument", "{{ 'x'|wordwrap(0) }}\n", "LK113", 1, "width"),
    ("missing list item", "A\n\n{{ case.demands[99] }}\n", "LK112", 3, "no element 99"),
    ("missing variable", "{{ nope }}\n", "LK112", 1, "'nope' is not defined"),
    ("missing data", "{{ case.facts.nope }}\n", "LK112", 1, "case.facts.nope"),
    ("include", "A\n{% include 'other.md' %}\n", "LK113", 2, "cannot include"),
    ("extends", "{% extends 'other.md' %}\n", "LK113", 1, "cannot include"),
    ("import", "{% import 'other.md' as o %}\n", "LK113", 1, "cannot include"),
    ("self-calling macro", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}\n", "LK114", 1,
     "calls itself"),
    ("deep brackets", "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}\n", "LK111", None,
     "nested too deeply"),
    ("30 nested loops", "{% for a in [1] %}" * 30 + "{% endfor %}" * 30 + "\n", "LK111", None,
     "nested too deeply"),
    ("syntax error", "A\n{% if %}\n", "LK111", 2, "syntax error"),
    ("python internals", "{{ ''.__class__ }}\n", "LK113", 1, "not allowed"),
    ("huge string", "{{ 'a' * 10**9 }}\n", "LK113", 1, "1,000,000"),
    ("list printed", "{{ case.demands }}\n", "LK113", 1, "cannot be printed"),
    ("unknown country", "{{ 'QQ'|country }}\n", "LK113", 1, "unknown country code"),
]  # fmt: skip


def _letter(tmp_path: Path, body: str) -> letterkit.Letter:
    template = tmp_path / "t.md"
    template.write_text(body, encoding="utf-8")
    base = letterkit.load_letter(EXAMPLE / "letter.yaml")
    return replace(base, template=str(template), base_dir=tmp_path, annexes=())


@pytest.mark.parametrize(
    ("body", "code", "line", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_check_reports_one_problem(
    tmp_path: Path, body: str, code: str, line: int | None, words: str
) -> None:
    """This test ensures that every way a template can fail is one coded problem at its line."""
    problems = letterkit.check(_letter(tmp_path, body))
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, problems
    problem = errors[0]
    assert (problem.code, problem.line) == (code, line), problem
    assert problem.path.endswith("t.md")
    assert words in problem.message
    assert "\n" not in str(problem)


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(args), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("{% for i in range(10**8) %}x{% endfor %}\n", "LK114"),
        ("{{ 1 / 0 }}\n", "LK113"),
        ("{% include 'letter.yaml' %}\n", "LK113"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}\n", "LK114"),
        ("{% for a in [1] %}" * 30 + "{% endfor %}" * 30 + "\n", "LK111"),
    ],
    ids=["range", "zero", "include", "recursion", "nesting"],
)
def test_command_line_prints_one_line(tmp_path: Path, body: str, code: str) -> None:
    """This test ensures that the command line shows a failing template as one line, exit 1."""
    folder = tmp_path / "letter"
    shutil.copytree(EXAMPLE, folder)
    (folder / "evil.md").write_text(body, encoding="utf-8")
    spec = folder / "letter.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("template: eu-partners.en.md", "template: evil.md"), "utf-8")
    for command in ("render", "check"):
        args = [command, str(spec)] + (
            ["-o", str(folder / "out.pdf")] if command == "render" else []
        )
        status, out, err = _run(*args)
        assert status == 1, (out, err)
        assert "Traceback" not in err + out
        lines = (out + err).strip().splitlines()  # check: stdout; render: stderr
        if command == "check":  # after the problems, what was read
            assert lines.pop() == "1 letter, 45 signatories (1 withheld), 1 annex"
        assert len(lines) == 1, (out, err)
        assert f"[{code}]" in lines[0]
        assert lines[0].split(":")[0].endswith("evil.md")
        assert not (folder / "out.pdf").exists()
