"""The bounded sandbox: escaping, filters, and the limits on what a template builds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
import pytest
from jinja2.exceptions import SecurityError

import letterkit
from letterkit import limits
from letterkit.text.context import Data
from letterkit.text.sandbox import (
    MARKDOWN_ENV,
    PLAIN_ENV,
    NotPrintable,
    OutputTooLarge,
    Refused,
    compiled,
    escape_markdown,
    render_bounded,
)

CONTEXT: dict[str, Any] = {
    "letter": Data("letter", locale="ru", date=dt.date(2018, 12, 6)),
    "case": Data("case", country="KG", demands=["a", "b"], facts=Data("case.facts")),
    "value": "*Now* [KG]_",
}


def _render(source: str, env: jinja2.Environment = MARKDOWN_ENV) -> str:
    return render_bounded(compiled(env, source, "/t/unit.md"), CONTEXT)


def test_printed_values_are_escaped_and_markdown_opts_in() -> None:
    """This test ensures that data prints literally unless |markdown marks it trusted."""
    assert _render("{{ value }}") == escape_markdown("*Now* [KG]_") == r"\*Now\* \[KG\]\_"
    assert _render("{{ value|markdown }}") == "*Now* [KG]_"
    assert _render("{{ value }}", PLAIN_ENV) == "*Now* [KG]_"


def test_filters_format_in_the_letters_locale() -> None:
    assert _render("{{ letter.date|date }}", PLAIN_ENV) == "6 декабря 2018\u00a0г."
    assert _render("{{ case.country|country }}", PLAIN_ENV) == "Кыргызстан"
    assert _render("{{ case.demands|join_list }}", PLAIN_ENV) == "a и b"


def test_missing_data_names_its_dotted_path() -> None:
    with pytest.raises(jinja2.UndefinedError, match=r"'case\.facts\.city' is not in the data"):
        _render("{{ case.facts.city }}")


def test_lists_and_line_breaks_cannot_be_printed() -> None:
    with pytest.raises(NotPrintable, match="list cannot be printed"):
        _render("{{ case.demands }}")
    with pytest.raises(NotPrintable, match="line break"):
        _render("{{ 'a\\nb' }}")
    assert issubclass(NotPrintable, letterkit.LetterkitError)


def test_expressions_may_not_build_huge_values() -> None:
    with pytest.raises(SecurityError, match="1,000,000"):
        _render("{{ 'ab' * 10**6 }}")
    with pytest.raises(SecurityError, match="power"):
        _render("{{ 2 ** 65 }}")
    assert _render("{{ 'ab' * 3 }}") == "ababab"


def test_output_is_bounded_by_the_limit_in_force() -> None:
    with limits.applied(letterkit.Limits(template_output=50)):
        with pytest.raises(OutputTooLarge, match="more than 50 characters"):
            _render("{% for i in range(100) %}x{% endfor %}")
        assert _render("{% for i in range(10) %}x{% endfor %}") == "x" * 10


def test_time_is_bounded_by_the_limit_in_force() -> None:
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    with limits.applied(letterkit.Limits(template_seconds=0.2)), pytest.raises(limits.TimeLimit):
        _render(loops)


def test_a_template_may_not_name_another() -> None:
    with pytest.raises(Refused, match="cannot include") as info:
        compiled(MARKDOWN_ENV, "a\n\n{% include 'x.md' %}", "/t/include.md")
    assert info.value.lineno == 3


def test_a_template_is_compiled_once() -> None:
    assert compiled(MARKDOWN_ENV, "{{ 1 }}", "/t/once.md") is compiled(
        MARKDOWN_ENV, "{{ 1 }}", "/t/once.md"
    )
