"""A damaged PDF → the same document rebuilt by qpdf, written to a file.

Run by :mod:`letterkit.pdf.repair` as a script in a process of its own
(``python -I _qpdf_child.py SOURCE TARGET MEMORY SECONDS SIZE``, the password
on standard input): it lowers its own address space, processor time and
file size limits before pikepdf is imported, so a file that makes qpdf
allocate or loop without end ends this process, not the render. It imports
nothing from letterkit. Its one line of output says how it ended:
``ok``, ``password``, ``limit REASON`` or ``damaged REASON``.
"""

from __future__ import annotations

import decimal
import logging
import re
import sys
from typing import Any

try:
    import resource
except ImportError:  # not a POSIX system: the parent's wall-clock limit still holds
    resource = None  # type: ignore[assignment]

#: The most one Flate stream may inflate to while qpdf reads or rewrites it,
#: where the installed pikepdf lets it be set: pypdf's own limit.
FLATE_MAX = 75_000_000


def _limit(memory: int, seconds: int, size: int) -> None:
    """Lower this process's limits; processor time past *seconds* ends it."""
    if resource is None:
        return
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _qpdf_limits() -> None:
    from pikepdf import settings

    set_limits = getattr(settings, "set_qpdf_limits", None)
    if set_limits is not None:
        set_limits(flate_max_memory=FLATE_MAX)


def _limits_hit() -> int:
    from pikepdf import settings

    count = getattr(settings, "qpdf_limit_errors", None)
    return int(count()) if count is not None else 0


def _peak_near(memory: int) -> bool:
    """Whether this process's address space came near *memory*: qpdf gives up
    on an object it cannot allocate and reports the damage that follows, not
    the allocation (Linux only; elsewhere it says no)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024 >= memory * 0.85
    except (OSError, ValueError):
        pass
    return False


#: Digits in a row past which a number is longer than PDF readers take
#: (pypdf stops at 64 characters); such a run in the file starts the walk below.
_LONG_NUMBER = re.compile(rb"[0-9]{48}")
#: How deep the walk goes into objects written inside others.
_DEPTH = 64


def _shorten_numbers(pdf: Any, source: str) -> None:
    """Round to 6 decimal places every real number of *pdf*'s objects written
    with more digits than a reader takes (``/Pi 3.14159…`` to 100,000 digits),
    so the copy can be read; content streams are left as they are."""
    with open(source, "rb") as handle:
        if _LONG_NUMBER.search(handle.read()) is None:
            return
    import pikepdf

    def walk(obj: Any, depth: int) -> None:
        if depth > _DEPTH:
            return
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            for key in list(obj.keys()):
                value = obj.get(key)
                if isinstance(value, decimal.Decimal) and len(str(value)) > 48:
                    obj[key] = round(value, 6)
                elif (
                    isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect
                ):
                    walk(value, depth + 1)
        elif isinstance(obj, pikepdf.Array):
            for i, value in enumerate(list(obj)):
                if isinstance(value, decimal.Decimal) and len(str(value)) > 48:
                    obj[i] = round(value, 6)
                elif (
                    isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect
                ):
                    walk(value, depth + 1)

    for obj in pdf.objects:
        walk(obj, 0)


def main(argv: list[str]) -> str:
    """Rebuild ``argv[0]`` into ``argv[1]``; the line that says how it went."""
    source, target, memory, seconds, size = argv
    _limit(int(memory), int(seconds), int(size))
    logging.disable(logging.CRITICAL)  # qpdf's warnings: the parent reports the outcome
    password = sys.stdin.buffer.read().decode("utf-8")
    try:
        import pikepdf

        _qpdf_limits()
    except MemoryError:
        return "limit memory"
    except ImportError as exc:
        return f"damaged qpdf is not available here ({exc})"
    try:
        with pikepdf.open(source, password=password) as pdf:
            _shorten_numbers(pdf, source)
            # fix_metadata_version would rewrite the XMP metadata, and fails on damaged XMP
            pdf.save(target, deterministic_id=True, fix_metadata_version=False)
    except MemoryError:
        return "limit memory"
    except pikepdf.PasswordError:
        return "password"
    except Exception as exc:  # every failure is reported as a line
        reason = str(exc).replace(source + ": ", "").replace(source, "the file")
        reason = " ".join(reason.split())[:160] or exc.__class__.__name__
        if _peak_near(int(memory)):
            return "limit memory"
        if _limits_hit():
            return f"limit {reason}"
        return f"damaged {reason}"
    return "ok"


if __name__ == "__main__":
    sys.stdout.write(main(sys.argv[1:]) + "\n")
