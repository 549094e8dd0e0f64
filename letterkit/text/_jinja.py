"""Every place letterkit relies on a part of Jinja that Jinja does not document.

Each function or class below says what it relies on; all of it was checked
against Jinja 3.1, and ``tests/unit/test_jinja_contract.py`` fails, naming the
attribute and the Jinja version, when a new Jinja changes one of them. The rest
of letterkit uses only Jinja's documented API.
"""

from __future__ import annotations

import traceback
from importlib.metadata import version

import jinja2
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


def jinja_version() -> str:
    """The installed Jinja's version, for messages about a changed contract."""
    return version("jinja2")


__all__ = ["MAX_RANGE", "NamingUndefined", "compile_template", "jinja_version", "template_line"]
