"""Hostile templates: each blow-up is refused before it allocates, each error is a problem.

Every case runs ``letterkit`` in its own bounded process (see ``harness``) with
a 4 s template limit, and must end with exit 1 and the problem naming the
template (or the campaign, for ``output.filename``), under 60 s and 300 MB,
with nothing outside the output touched.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ..conftest import EXAMPLE
from .harness import assert_clean_end, letterkit, tree_digest

NESTED = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"

#: (case, template body, code expected)
TEMPLATES: list[tuple[str, str, str]] = [
    ("~ doubles a string in a loop", "{% set s = namespace(v='x') %}{% for i in range(40) %}{% set s.v = s.v ~ s.v %}{% endfor %}{{ s.v|length }}", "LK113"),
    ("+ doubles a string in a loop", "{% set s = namespace(v='x') %}{% for i in range(40) %}{% set s.v = s.v + s.v %}{% endfor %}{{ s.v|length }}", "LK113"),
    ("+ doubles a list in a loop", "{% set s = namespace(v=[1]) %}{% for i in range(40) %}{% set s.v = s.v + s.v %}{% endfor %}{{ s.v|length }}", "LK114"),
    ("append in a loop", "{% set l = [] %}" + NESTED.replace("{% endfor %}{% endfor %}", "{% set _ = l.append('x' * 999) %}{% endfor %}{% endfor %}") + "{{ l|length }}", "LK114"),
    ("extend doubles a list", "{% set l = ['x' * 999] %}{% for i in range(40) %}{% set _ = l.extend(l) %}{% endfor %}{{ l|length }}", "LK11"),
    ("printf width", "{{ ('%0999999999d' % 1)|length }}", "LK113"),
    ("printf star width", "{{ ('%*d' % (999999999, 1))|length }}", "LK113"),
    ("printf repeats one huge key", "{{ (('%(a)s' * 999) % {'a': 'x' * 999999})|length }}", "LK113"),
    ("center", "{{ 'a'.center(999999999)|length }}", "LK113"),
    ("expandtabs", "{{ ('\t' * 999).expandtabs(999999)|length }}", "LK113"),
    ("zfill", "{{ '1'.zfill(999999999)|length }}", "LK113"),
    ("format width", "{{ '{:999999999}'.format(1)|length }}", "LK113"),
    ("format repeats a field", "{{ ('{0}' * 999).format('x' * 999999)|length }}", "LK113"),
    ("replace would run long in C", "{{ ('x' * 900000).replace('x', 'y' * 999)|length }}", "LK113"),
    ("|replace would run long in C", "{{ ('x' * 900000)|replace('x', 'y' * 999)|length }}", "LK113"),
    ("join of a range", "{{ ('y' * 999).join(range(99999)|map('string'))|length }}", "LK113"),
    ("|join of a repeated list", "{{ (['a'] * 99999)|join('y' * 999)|length }}", "LK113"),
    ("|center", "{{ 'a'|center(999999999)|length }}", "LK113"),
    ("|indent", "{{ 'a'|indent(999999999)|length }}", "LK113"),
    ("|wordwrap", "{{ ('x' * 900000)|wordwrap(1, wrapstring='y' * 999)|length }}", "LK113"),
    ("|format", "{{ '%0999999999d'|format(1)|length }}", "LK113"),
    ("|batch fills a billion", "{{ ['x']|batch(999999999, 'y')|list|length }}", "LK113"),
    ("|sum of lists", "{{ ([[1] * 999] * 99999)|sum(start=[])|length }}", "LK113"),
    ("|string of a shared list", "{% set l = ['x' * 999] %}{{ ([l] * 99999)|string|length }}", "LK113"),
    ("|tojson indents", "{{ ('x' * 999999)|tojson(indent=999999)|length }}", "LK113"),
    ("a number squared in a loop", "{% set n = namespace(v=2) %}{% for i in range(40) %}{% set n.v = n.v * n.v %}{% endfor %}{{ n.v > 1 }}", "LK113"),
    ("lipsum", "{{ lipsum(n=999999999)|length }}", "LK113"),
    ("a set block fills from loops", "{% set s %}" + NESTED.replace("{% endfor %}{% endfor %}", "x" * 99 + "{% endfor %}{% endfor %}") + "{% endset %}{{ s|length }}", "LK114"),
    ("a macro fills from a loop", "{% macro m() %}{% for i in range(99999) %}{{ 'x' * 999 }}{% endfor %}{% endmacro %}{{ m()|length }}", "LK114"),
    ("division by zero", "Text.\n\n{{ 1 / 0 }}", "LK113"),
    ("a macro calls itself", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", "LK114"),
    ("a huge integer literal", "{{ " + "1" * 5000 + " }}", "LK11"),
]  # fmt: skip


def _template(folder: Path, body: str) -> None:
    (folder / "evil.md").write_text(body + "\n", encoding="utf-8")
    spec = folder / "letter.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "template: eu-partners.en.md" in text
    spec.write_text(text.replace("template: eu-partners.en.md", "template: evil.md"), "utf-8")


@pytest.mark.slow  # a process per case, about 1 s each
@pytest.mark.parametrize(
    ("body", "code"), [c[1:] for c in TEMPLATES], ids=[c[0] for c in TEMPLATES]
)
def test_hostile_template_ends_cleanly(folder: Path, body: str, code: str) -> None:
    _template(folder, body)
    before = tree_digest(folder.parent, skip=("letter/out.pdf",))
    result = letterkit(
        ["render", "letter.yaml", "-o", "out.pdf", "--template-seconds", "4"], folder
    )
    assert_clean_end(result, code, "evil.md", output=folder / "out.pdf")
    assert tree_digest(folder.parent, skip=("letter/out.pdf",)) == before
    assert "LK900" not in result.err


#: (case, output.filename template, code expected)
FILENAMES: list[tuple[str, str, str]] = [
    ("a nested loop", NESTED + "{{ recipient.id }}.pdf", "LK114"),
    ("a billion characters", "{{ 'a' * 2000000000 }}.pdf", "LK160"),
    ("center", "{{ recipient.id|center(999999999) }}.pdf", "LK160"),
    ("a string doubled in a loop", "{% set s = namespace(v='x') %}{% for i in range(40) %}{% set s.v = s.v ~ s.v %}{% endfor %}{{ s.v }}.pdf", "LK160"),
    ("division by zero", "{{ 1 / 0 }}.pdf", "LK160"),
    ("a macro calls itself", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}.pdf", "LK114"),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "code"), [c[1:] for c in FILENAMES], ids=[c[0] for c in FILENAMES]
)
def test_hostile_filename_template_ends_cleanly(tmp_path: Path, name: str, code: str) -> None:
    folder = tmp_path / "c"
    shutil.copytree(EXAMPLE, folder)
    campaign = folder / "campaign.yaml"
    text = campaign.read_text(encoding="utf-8")
    default = '"{{ recipient.id }}-{{ recipient.organization | slug }}.pdf"'
    assert default in text
    campaign.write_text(text.replace(default, json.dumps(name)), encoding="utf-8")
    before = tree_digest(tmp_path, skip=("c/dist",))
    result = letterkit(["bundle", "campaign.yaml", "-o", "dist", "--template-seconds", "4"], folder)
    assert_clean_end(result, code, "campaign.yaml")
    assert "output.filename" in result.problem_lines(code)[0]
    assert tree_digest(tmp_path, skip=("c/dist",)) == before
    assert not list(folder.glob("dist/*.pdf"))
