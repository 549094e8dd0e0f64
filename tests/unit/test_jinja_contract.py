"""The parts of Jinja that letterkit relies on without Jinja documenting them.

They are all used in ``letterkit/text/_jinja.py``. When a new Jinja changes one,
the test for it fails with the attribute's name and the Jinja version, and that
module is the one place to adapt.
"""

from __future__ import annotations

import jinja2
import jinja2.sandbox
import jinja2.utils
import pytest

from letterkit.text import _jinja

VERSION = _jinja.jinja_version()


def _changed(attribute: str, how: str) -> str:
    return (
        f"Jinja {VERSION} changed {attribute}: {how}; "
        "adapt letterkit/text/_jinja.py (the one module that relies on it)"
    )


def test_undefined_keeps_its_private_fields() -> None:
    """This test ensures that Undefined still has the fields NamingUndefined reads."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    value: dict[str, str] = {}
    undefined = env.undefined(obj=value, name="y")
    for attribute in ("_undefined_obj", "_undefined_name", "_undefined_message"):
        assert hasattr(undefined, attribute), _changed(f"Undefined.{attribute}", "it is gone")
    assert undefined._undefined_obj is value, _changed("Undefined._undefined_obj", "not the owner")
    assert undefined._undefined_name == "y", _changed("Undefined._undefined_name", "not the name")
    assert isinstance(vars(jinja2.Undefined).get("_undefined_message"), property), _changed(
        "Undefined._undefined_message", "no longer a property"
    )


def test_a_missing_variable_has_the_missing_sentinel() -> None:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    undefined = env.undefined(name="nope")
    assert hasattr(jinja2.utils, "missing"), _changed("jinja2.utils.missing", "it is gone")
    assert undefined._undefined_obj is jinja2.utils.missing, _changed(
        "Undefined._undefined_obj", "a missing variable no longer has jinja2.utils.missing"
    )


class _Named(_jinja.NamingUndefined):
    __slots__ = ()

    @classmethod
    def describe(cls, owner: object, name: str | None) -> str | None:
        return f"'{name}' is missing from the mapping" if isinstance(owner, dict) else None


@pytest.mark.parametrize(
    ("source", "context", "message"),
    [
        ("{{ data.city }}", {"data": {}}, "'city' is missing from the mapping"),
        ("{{ nope }}", {}, "'nope' is not defined"),
        ("{{ n.real.x }}", {"n": 1}, "'int object' has no attribute 'x'"),
    ],
)
def test_naming_undefined_chooses_the_message(
    source: str, context: dict[str, object], message: str
) -> None:
    """This test ensures that overriding _undefined_message still changes Jinja's error."""
    env = jinja2.sandbox.SandboxedEnvironment(undefined=_Named)
    with pytest.raises(jinja2.UndefinedError) as info:
        env.from_string(source).render(context)
    assert info.value.message == message, _changed(
        "Undefined._undefined_message", f"the error says {info.value.message!r}"
    )


def test_template_from_code_builds_a_template_with_a_file_name() -> None:
    """This test ensures that Template.from_code, Environment.compile and make_globals
    still work together, and the code carries the file name."""
    for attribute in ("from_code", "get_corresponding_lineno"):
        assert hasattr(jinja2.Template, attribute), _changed(f"Template.{attribute}", "it is gone")
    env = jinja2.sandbox.SandboxedEnvironment()
    template = _jinja.compile_template(env, "a\n{{ 1 + x }}\n", "/letters/t.md")
    assert template.render(x=1) == "a\n2", _changed("Template.from_code", "renders differently")
    assert template.root_render_func.__code__.co_filename == "/letters/t.md", _changed(
        "Environment.compile(filename=)", "the code is not named after the file"
    )
    parsed = _jinja.compile_template(env, env.parse("{{ 2 }}"), "/letters/p.md")
    assert parsed.render() == "2", _changed("Environment.compile", "refuses a parsed template")


def test_template_lines_are_found_in_tracebacks() -> None:
    """This test ensures that both kinds of traceback still lead to the template line:
    the one Jinja rewrites for an Exception, and the raw one of a BaseException."""
    env = jinja2.sandbox.SandboxedEnvironment()
    name = "/letters/lines.md"
    template = _jinja.compile_template(env, "one\ntwo\n{{ fail() }}\n", name)

    def fail() -> None:
        raise ValueError("x")

    with pytest.raises(ValueError, match="x") as info:
        template.render(fail=fail)
    assert _jinja.template_line(info.value, name) == 3, _changed(
        "debug.rewrite_traceback_stack", "template frames no longer carry template lines"
    )

    class Stop(BaseException):
        pass

    def stop() -> None:
        raise Stop

    with pytest.raises(Stop) as raw:
        template.render(fail=stop)
    assert _jinja.template_line(raw.value, name, template) == 3, _changed(
        "Template.get_corresponding_lineno", "generated lines no longer map to template lines"
    )


def test_the_sandbox_still_refuses_huge_ranges_with_overflow_error() -> None:
    """This test ensures that range() is still capped at MAX_RANGE with OverflowError,
    which the text stage reports as a size limit (LK114)."""
    assert hasattr(jinja2.sandbox, "MAX_RANGE"), _changed("sandbox.MAX_RANGE", "it is gone")
    env = jinja2.sandbox.SandboxedEnvironment()
    with pytest.raises(OverflowError, match=r"(?i)range"):
        env.from_string("{{ range(10**8)|length }}").render()
    assert env.from_string(f"{{{{ range({_jinja.MAX_RANGE})|length }}}}").render() == str(
        _jinja.MAX_RANGE
    )


def test_the_sandbox_still_routes_operators_through_call_binop() -> None:
    """This test ensures that intercepted_binops still sends ``*`` to call_binop,
    which bounds the values an expression builds."""
    seen: list[str] = []

    class Watching(jinja2.sandbox.SandboxedEnvironment):
        intercepted_binops = frozenset({"*"})

        def call_binop(
            self, context: jinja2.runtime.Context, operator: str, left: object, right: object
        ) -> object:
            seen.append(operator)
            return super().call_binop(context, operator, left, right)

    assert Watching().from_string("{{ 'ab' * 2 }}").render() == "abab"
    assert seen == ["*"], _changed("SandboxedEnvironment.intercepted_binops", "not honoured")


def test_the_code_generator_hooks_still_reach_the_compiled_code() -> None:
    """This test ensures that CountingCodeGenerator still sees every emitted piece of
    text (constant or computed, at the top or in a buffer) and every ``~``."""
    emitted: list[str] = []
    joined: list[tuple[object, ...]] = []

    class Counting(jinja2.sandbox.SandboxedEnvironment):
        code_generator_class = _jinja.CountingCodeGenerator

        def lk_emitted(self, text: str) -> str:
            emitted.append(text)
            return text

        def lk_concat(self, join: object, parts: tuple[object, ...]) -> str:
            joined.append(parts)
            return "".join(map(str, parts))

    source = "a{{ x }}{% set s %}b{{ x ~ 1 }}{% endset %}{% macro m() %}c{% endmacro %}{{ m() }}"
    template = _jinja.compile_template(Counting(optimized=False), source, "/letters/c.md")
    assert template.render(x="X") == "aXc", _changed("CodeGenerator", "renders differently")
    assert emitted == ["a", "X", "b", "X1", "c", "c"], _changed(
        "CodeGenerator._output_const_repr/_output_child_pre/_post", f"emitted {emitted}"
    )
    assert joined == [("X", 1)], _changed("CodeGenerator.visit_Concat", f"joined {joined}")


def test_str_format_still_goes_through_wrap_str_format() -> None:
    """This test ensures that str.format and format_map reach the sandbox's
    wrap_str_format, and that SandboxedFormatter still formats field by field."""
    fields: list[tuple[object, str]] = []

    class Checking(jinja2.sandbox.SandboxedEnvironment):
        def wrap_str_format(self, value: object) -> object:
            if getattr(value, "__name__", "") not in ("format", "format_map"):
                return None
            owner = value.__self__  # type: ignore[attr-defined]

            def format(*args: object, **kwargs: object) -> str:
                formatter = _jinja.BoundedFormatter(self, lambda v, s: fields.append((v, s)))
                return str(formatter.vformat(owner, args, kwargs))

            return format

    env = Checking()
    assert env.from_string("{{ '{:>3}{!r}'.format(1, 'a') }}").render() == "  1'a'"
    assert fields == [(1, ">3"), ("a", "!r"), ("'a'", "")], _changed(
        "SandboxedEnvironment.wrap_str_format / SandboxedFormatter", f"fields {fields}"
    )


def test_namespace_and_filter_arguments_are_found() -> None:
    """This test ensures that a namespace's values and a filter's pass_context
    marker are where _jinja looks for them."""
    namespace = jinja2.utils.Namespace(a=1)
    assert _jinja.namespace_values(namespace) == {"a": 1}, _changed(
        "Namespace._Namespace__attrs", "not the namespace's values"
    )
    assert _jinja.namespace_values({"a": 1}) is None
    filters = jinja2.Environment().filters
    assert _jinja.filter_value_index(filters["center"]) == 0
    assert _jinja.filter_value_index(filters["join"]) == 1, _changed(
        "utils._PassArg.from_obj", "pass_eval_context is no longer seen"
    )
