"""Every place letterkit relies on a part of Jinja that Jinja does not document.

Each function or class below says what it relies on; all of it was checked
against Jinja 3.1, and ``tests/unit/test_jinja_contract.py`` fails, naming the
attribute and the Jinja version, when a new Jinja changes one of them. The rest
of letterkit uses only Jinja's documented API.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
import jinja2.compiler
import jinja2.sandbox
import jinja2.utils
from jinja2 import nodes

#: The longest ``range()`` the sandbox allows; longer ones raise OverflowError
#: (relies on ``jinja2.sandbox.MAX_RANGE`` and ``safe_range``).
MAX_RANGE: int = jinja2.sandbox.MAX_RANGE


class NamingUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose error message a subclass may choose (:meth:`describe`).

    Relies on ``Undefined._undefined_message`` (the property Jinja builds the
    UndefinedError message from), ``_undefined_obj`` (the object the missing
    attribute was looked up on, or ``jinja2.utils.missing`` for a missing
    variable) and ``_undefined_name`` (the missing name).
    """

    __slots__ = ()

    @classmethod
    def describe(cls, owner: object, name: str | None) -> str | None:
        """The message for *name* missing on *owner* (None: Jinja's own message)."""
        return None

    @property
    def _undefined_message(self) -> str:
        owner = self._undefined_obj
        name = self._undefined_name
        if owner is jinja2.utils.missing:
            return f"'{name}' is not defined"
        message = self.describe(owner, name)
        return message if message is not None else str(super()._undefined_message)


def compile_template(
    env: jinja2.Environment, source: str | nodes.Template, filename: str
) -> jinja2.Template:
    """*source* (text or a parsed template) compiled in *env*, its code named *filename*.

    ``Environment.from_string`` takes no file name, and tracebacks need one to
    find the template's frames. Relies on ``Template.from_code(env, code,
    globals)`` (undocumented) with ``Environment.compile`` and
    ``Environment.make_globals``.
    """
    code = env.compile(source, filename=filename)
    return env.template_class.from_code(env, code, env.make_globals(None))


def template_line(
    exc: BaseException, filename: str, template: jinja2.Template | None = None
) -> int | None:
    """The template line the error *exc* was raised on, or None.

    An Exception raised while a template renders comes back with a traceback
    Jinja rewrote so that the template's frames carry its file name and line
    numbers (``jinja2.debug.rewrite_traceback_stack``). An exception Jinja let
    through unchanged (a BaseException such as an expired time limit) has the
    frames of the generated Python code: give *template*, and their lines are
    mapped back with ``Template.get_corresponding_lineno``.
    """
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == filename:
            line = lineno
    if line is not None and template is not None:
        line = int(template.get_corresponding_lineno(line))
    return line


def namespace_values(value: object) -> Mapping[str, Any] | None:
    """The attributes a ``namespace()`` holds (None for any other value).

    Relies on ``jinja2.utils.Namespace`` keeping them in the name-mangled
    ``_Namespace__attrs`` dict, which its ``repr`` prints.
    """
    if not isinstance(value, jinja2.utils.Namespace):
        return None
    attrs = object.__getattribute__(value, "_Namespace__attrs")
    return attrs if isinstance(attrs, dict) else {}


def filter_value_index(function: Callable[..., Any]) -> int:
    """Where the filtered value is among a filter's positional arguments: 1 after
    a context, eval context or environment that ``pass_context`` and its kind ask
    for, else 0. Relies on ``jinja2.utils._PassArg.from_obj``."""
    return 0 if jinja2.utils._PassArg.from_obj(function) is None else 1


class CountingCodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, with two hooks into a template's compiled code.

    Every piece of text a template emits (into its output, or into the buffer of
    a macro, a call block, a filter block or a ``{% set %}`` block) passes through
    ``environment.lk_emitted(text)``, and every ``~`` expression is built by
    ``environment.lk_concat(join, (parts…))``, where ``join`` is the function
    Jinja would have used (``str_join`` or ``markup_join``). Relies on the
    undocumented ``CodeGenerator`` methods ``write``, ``visit``,
    ``_output_const_repr``, ``_output_child_pre``, ``_output_child_post`` and
    ``visit_Concat``, and on the names ``str_join``/``markup_join`` in the
    generated module.
    """

    def _output_const_repr(self, group: Any) -> str:
        return f"environment.lk_emitted({super()._output_const_repr(group)})"

    def _output_child_pre(self, node: nodes.Expr, frame: Any, finalize: Any) -> None:
        self.write("environment.lk_emitted(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Any, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    def visit_Concat(self, node: nodes.Concat, frame: Any) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.lk_concat({join}, (")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("))")


class BoundedFormatter(jinja2.sandbox.SandboxedFormatter):
    """The sandbox's formatter for ``str.format``, asking *check* first about every
    field it is about to format (``check(value, spec)`` raises to refuse).
    Relies on ``jinja2.sandbox.SandboxedFormatter(env)`` and on
    ``SandboxedEnvironment.wrap_str_format`` being where ``str.format`` and
    ``str.format_map`` are handed to it."""

    def __init__(self, env: jinja2.Environment, check: Callable[[Any, str], None]) -> None:
        super().__init__(env)
        self.check = check

    def format_field(self, value: Any, format_spec: str) -> Any:
        self.check(value, format_spec)
        return super().format_field(value, format_spec)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion is not None:
            self.check(value, "!" + conversion)
        return super().convert_field(value, conversion)


def jinja_version() -> str:
    """The installed Jinja's version, for messages about a changed contract."""
    from importlib.metadata import version

    return version("jinja2")


__all__ = [
    "MAX_RANGE",
    "BoundedFormatter",
    "CountingCodeGenerator",
    "NamingUndefined",
    "compile_template",
    "filter_value_index",
    "jinja_version",
    "namespace_values",
    "template_line",
]
