"""One error tree: every exception class letterkit defines derives from LetterkitError."""

from __future__ import annotations

import importlib
import inspect
import pickle
from pathlib import Path

import letterkit
from letterkit.errors import CODES, InternalError, LetterkitError, Problem, ValidationError

PACKAGE = Path(letterkit.__file__).resolve().parent

#: Signals that never leave letterkit: the time limit's interrupt is a
#: BaseException so that no ``except Exception`` on the way can swallow it, and
#: it always becomes a TimeLimit (a LetterkitError) before the call returns.
NEVER_RAISED = {
    "letterkit.limits._Expired",
    # SIGTERM or SIGHUP ending a `bundle` command as Ctrl-C does: an interrupt the
    # command line raises and catches itself, never an error of the library's.
    "letterkit.cli.stops.Stopped",
}


def _module_names() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__main__":
            continue  # running it is the command line
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(("letterkit", *parts)))
    return names


def test_every_exception_class_derives_from_letterkit_error() -> None:
    """This test ensures that a caller who catches LetterkitError catches
    everything letterkit raises, private classes included."""
    outside = []
    for name in _module_names():
        module = importlib.import_module(name)
        for value in list(vars(module).values()):
            if not inspect.isclass(value) or value.__module__ != name:
                continue
            if not issubclass(value, BaseException):
                continue
            if (
                not issubclass(value, LetterkitError)
                and f"{name}.{value.__qualname__}" not in NEVER_RAISED
            ):
                outside.append(f"{name}.{value.__qualname__}")
    assert not outside, f"not under LetterkitError: {outside}"


def test_internal_error_is_one_coded_line() -> None:
    """This test ensures that a fault is reported as LK900, on one line, with the
    hint to report it and to run with --debug."""
    assert "LK900" in CODES
    try:
        raise KeyError("first line\nsecond line")
    except KeyError as exc:
        error = InternalError.from_exception("letter.yaml", exc)
    problem = error.problem
    assert (problem.path, problem.code, problem.severity) == ("letter.yaml", "LK900", "error")
    assert "\n" not in str(problem)
    assert "KeyError" in problem.message
    assert "report" in problem.message
    assert "--debug" in problem.message


def test_errors_survive_a_worker_process() -> None:
    """This test ensures that errors come back whole from a bundle's worker
    processes (they cross as pickles)."""
    found = Problem("a.csv", 3, 1, "error", "LK120", "a signatory has no name")
    again = pickle.loads(pickle.dumps(ValidationError([found])))
    assert again.problems == [found]
    internal = InternalError(Problem("x", None, None, "error", "LK900", "internal error"))
    assert pickle.loads(pickle.dumps(internal)).problem == internal.problem
