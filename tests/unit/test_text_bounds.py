"""The sandbox's value bounds: huge results refused before they are built, and
ordinary templates rendered exactly as Jinja renders them."""

from __future__ import annotations

import time
import tracemalloc
from typing import Any

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment

import letterkit
from letterkit import limits
from letterkit.text.bounded import format_spec_size, printf_size
from letterkit.text.budget import INT_DIGITS, ValueTooLarge, size_of
from letterkit.text.sandbox import (
    FILENAME_ENV,
    PLAIN_ENV,
    OutputTooLarge,
    compiled,
    render_bounded,
)

BLOW_UPS = [
    "{{ 'x'.center(999999999) }}",
    "{{ 'x'.ljust(999999999) }}",
    "{{ 'x'.rjust(999999999, '-') }}",
    "{{ '1'.zfill(999999999) }}",
    "{{ ('\t' * 99).expandtabs(99999999) }}",
    "{{ ('x' * 999999).replace('x', 'yy') }}",
    "{{ ('x' * 999).translate({120: 'y' * 999999}) }}",
    "{{ ('y' * 999).join(['a'] * 9999) }}",
    "{{ ('x' * 999999).upper() }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '%*s' % (999999999, 'x') }}",
    "{{ '%.999999999f' % 1.5 }}",
    "{{ ('%s' * 999) % (('x' * 9999,) * 999) }}",
    "{{ '{:999999999}'.format(1) }}",
    "{{ '{:{}}'.format(1, 999999999) }}",
    "{{ '{a:>999999999}'.format_map({'a': 1}) }}",
    "{{ 'x' * 999999 ~ 'y' * 999999 }}",
    "{{ 'x' * 999999 + 'y' * 999999 }}",
    "{{ [1] * 600000 + [2] * 600000 }}",
    "{{ 'x' * 10**9 }}",
    "{{ (10 ** 60) ** 64 * 10 ** 3000 }}",
    "{{ 2 ** 65 }}",
    "{{ 'x'|center(999999999) }}",
    "{{ 'x'|indent(999999999) }}",
    "{{ 'x'|indent('y' * 999999) ~ ('x\n' * 999)|indent('y' * 9999) }}",
    "{{ ('x' * 999999)|wordwrap(1) }}",
    "{{ ('x' * 999)|truncate(5, end='y' * 999999) }}",
    "{{ ('x' * 999999)|replace('x', 'yy') }}",
    "{{ '%0999999999d'|format(1) }}",
    "{{ (['x' * 999] * 9999)|join }}",
    "{{ ['x', 'x']|join('y' * 999999 ~ 'z') }}",
    "{{ ['x']|batch(999999999, 'y')|list }}",
    "{{ [1]|slice(999999999)|list }}",
    "{{ ([[1] * 999] * 9999)|sum(start=[]) }}",
    "{{ (['x' * 999] * 9999)|string }}",
    "{{ ('x' * 999999)|tojson(indent=99) }}",
    "{{ (['x' * 99] * 9999)|pprint }}",
    "{{ ('x' * 999999)|e }}",
    "{{ lipsum(n=999999) }}",
    "{% set l = ['x' * 999] %}{{ '%s' % ([l] * 9999,) }}",
    "{% set l = ['x' * 999] %}{{ '{}'.format([l] * 9999) }}",
    "{% set l = ['x' * 999] %}{{ namespace(a=[l] * 9999) }}",
]


def _render(source: str, env: SandboxedEnvironment = PLAIN_ENV, **context: Any) -> str:
    return render_bounded(compiled(env, source, "/t/bounds.md"), context)


@pytest.mark.parametrize("source", BLOW_UPS)
def test_a_blow_up_is_refused_before_it_is_built(source: str) -> None:
    """This test ensures that each form of blow-up is refused in well under a second
    and without allocating its result (20 MB at most, the operands included)."""
    tracemalloc.start()
    start = time.monotonic()
    try:
        roomy = letterkit.Limits(template_output=50_000_000)  # the per-value check alone
        with limits.applied(roomy), pytest.raises(ValueTooLarge, match="the limit is"):
            _render(source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - start < 5
    assert peak < 20_000_000, f"{peak:,} bytes"


@pytest.mark.parametrize("env", [PLAIN_ENV, FILENAME_ENV], ids=["letter", "filename"])
def test_a_loop_that_grows_a_value_stops(env: SandboxedEnvironment) -> None:
    doubling = "{% set s = namespace(v='x') %}{% for i in range(40) %}{% set s.v = s.v ~ s.v %}{% endfor %}"
    with pytest.raises(ValueTooLarge, match="'~'"):
        _render(doubling, env)
    appending = (
        "{% set l = [] %}{% for i in range(99999) %}{% set _ = l.append('x' * 99) %}{% endfor %}"
    )
    with pytest.raises(OutputTooLarge, match="5,000,000"):
        _render(appending, env)
    squaring = (
        "{% set n = namespace(v=3) %}{% for i in range(40) %}{% set n.v = n.v * n.v %}{% endfor %}"
    )
    with pytest.raises(ValueTooLarge, match=f"{INT_DIGITS:,}"):
        _render(squaring, env)


def test_text_built_inside_macros_and_blocks_counts_as_output() -> None:
    with limits.applied(letterkit.Limits(template_output=1000)):
        for source in (
            "{% set s %}{% for i in range(999) %}xx{% endfor %}{% endset %}",
            "{% macro m() %}{% for i in range(999) %}{{ i }}{% endfor %}{% endmacro %}{% set _ = m() %}",
            "{% filter length %}{% for i in range(999) %}xx{% endfor %}{% endfilter %}",
        ):
            with pytest.raises(OutputTooLarge, match="1,000"):
                _render(source)
        assert (
            _render("{% set s %}{% for i in range(99) %}x{% endfor %}{% endset %}{{ s|length }}")
            == "99"
        )


def test_the_value_limit_in_force_applies() -> None:
    with limits.applied(letterkit.Limits(template_value=10)):
        with pytest.raises(ValueTooLarge, match="the limit is 10"):
            _render("{{ 'a'.center(11) }}")
        assert _render("{{ 'a'.center(10) }}") == "    a     "


ORDINARY = [
    "{{ 'ab' * 3 }} {{ 'a' ~ 1 ~ none }} {{ [1, 2] + [3] }}|{{ 7 % 3 }} {{ 2 ** 10 }}",
    "{{ '%05.1f|%-4s|%(x)s' % (3.14159, 'ab') if false else '%05.1f|%-4s|' % (3.14159, 'ab') }}",
    "{{ '%(a)s-%(b)03d' % {'a': 'x', 'b': 7} }} {{ '%c%%' % 65 }} {{ '%r' % 'q' }}",
    "{{ '{:>6}|{:<4}|{:^7.2f}|{!r}|{a}'.format('x', 'yy', 2.5, 'z', a=[1]) }}",
    "{{ '{x[0]}'.format_map({'x': [5]}) }} {{ '{:,}'.format(1234567) }}",
    "{{ 'x'.center(9, '*') }} {{ 'a b'.replace(' ', '--') }} {{ '-'.join(['a', 'b']) }}",
    "{{ 'a\tb'.expandtabs(4) }} {{ '7'.zfill(3) }} {{ 'Ab'.upper() }} {{ 'ß'.upper() }}",
    "{{ 'abc'|center(9) }}|{{ 'a\nb'|indent(2, first=true) }}|{{ 'x y z'|wordwrap(3) }}",
    "{{ 'hello world'|truncate(9) }} {{ 'aXa'|replace('a', 'bb') }} {{ '%s=%d'|format('n', 3) }}",
    "{{ [1, 2, 3]|join(', ') }} {{ [{'n': 'a'}, {'n': 'b'}]|join('/', attribute='n') }}",
    "{{ 'abc'|list }} {{ [1, 2, 3, 4, 5]|batch(2, 0)|list }} {{ [1, 2, 3]|slice(2)|list }}",
    "{{ [1, 2.5, 3]|sum }} {{ [[1], [2]]|sum(start=[]) }} {{ [{'v': 2}, {'v': 3}]|sum(attribute='v') }}",
    "{{ [1, 'a']|string }} {{ {'a': 1}|tojson }} {{ [1]|pprint }} {{ 'x&y'|e }} {{ range(3)|list }}",
    "{% set l = [1] %}{% set _ = l.append(2) %}{% set _ = l.extend(range(3, 5)) %}{% set _ = l.insert(0, 0) %}{{ l }}",
    "{% set d = {} %}{% set _ = d.update({'a': 1}, b=2) %}{% set _ = d.setdefault('c', 3) %}{{ d|dictsort }}",
    "{% set ns = namespace(v='') %}{% for i in range(5) %}{% set ns.v = ns.v ~ i %}{% endfor %}{{ ns.v }}",
    "{{ lipsum(1, false, 5, 6)|wordcount }} {{ 'https://example.org'|urlize }} {{ {'a': 'b'}|xmlattr }}",
]


@pytest.mark.parametrize("source", ORDINARY)
def test_ordinary_templates_render_as_jinja_renders_them(source: str) -> None:
    """This test ensures that the bounds change no result within the limits."""
    plain = SandboxedEnvironment(keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    plain.filters.update(PLAIN_ENV.filters)
    for name in ("center", "join", "sum", "format", "replace", "list", "string", "tojson"):
        plain.filters[name] = jinja2.Environment().filters[name]
    if "lipsum" in source:
        import random

        random.seed(1)
        ours = _render(source.replace("lipsum", "l"), l=plain.globals["lipsum"])
        random.seed(1)
        assert ours == plain.from_string(source.replace("lipsum", "l")).render(
            l=plain.globals["lipsum"]
        )
        return
    assert _render(source, FILENAME_ENV) == plain.from_string(source).render()


PRINTF = [
    ("%s", "x" * 50),
    ("%5d|%-8.3f|%+e", (42, 3.5, -1e300)),
    ("%*.*f", (12, 30, 1e308)),
    ("%(a)s%(a)r%(b)10x", {"a": "q'\n\x00é", "b": 2**200}),
    ("%c%c%%%o", (65, "z", 8**40)),
    ("%r", (["a\n" * 10, {"k": (1.5, None)}],)),
    ("%(a(b))s", {"a(b)": "v" * 30}),
    ("%.3s|%.0s|%.s", ("abcdef", "x", "y")),
    ("%a", ("\U0001f600" * 20,)),
]


@pytest.mark.parametrize(("fmt", "args"), PRINTF)
def test_printf_size_is_an_upper_bound(fmt: str, args: Any) -> None:
    assert printf_size(fmt, args) >= len(fmt % args)


@pytest.mark.parametrize(
    ("value", "spec"),
    [
        (1234567, ",d"),
        (2**300, "_b"),
        (1e308, ",.20f"),
        (-0.5, "+020.3%"),
        ("abc", "*^40"),
        ("abcdef", ".2"),
        ([1, "a\n"], "!r"),
        ("é\n", "!a"),
        (12, "0=+30"),
    ],
)
def test_format_spec_size_is_an_upper_bound(value: Any, spec: str) -> None:
    if spec.startswith("!"):
        actual = len(repr(value)) if spec == "!r" else len(ascii(value))
    else:
        actual = len(format(value, spec))
    assert format_spec_size(value, spec) >= actual


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "quote ' and \" and \\ and \n\t\x00 é \U0001f600",
        [1, 2.5, None, True, "a", ("t",), {"k": ["v", {"n": -(10**50)}]}],
        {"a": {"b": {"c": []}}},
        b"\x00\xff bytes",
        {1, 2},
        {}.keys(),
    ],
)
def test_size_of_is_an_upper_bound(value: object) -> None:
    assert size_of(value) >= len(str(value))
    assert size_of(value, quoted=True) >= len(repr(value))


def test_a_value_that_holds_itself_is_measured() -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    assert size_of(loop) >= len(str(loop))
    assert size_of([loop] * 1000, stop=100) > 100
