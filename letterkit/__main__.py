"""``python -m letterkit`` and the ``letterkit`` command: :func:`run`."""

import gc
import sys

# The command's modules (most of what a short process makes) load without
# sweeps of the cyclic collector: they live to the end, and run() freezes them.
_COLLECTING = gc.isenabled()
gc.disable()
try:
    from .cli.main import main
finally:
    if _COLLECTING:
        gc.enable()


def run() -> None:
    """Run the command line as a process of its own; exit with its status.

    The process tunes Python's cyclic garbage collector for a short life (the
    library itself leaves it alone): most of what a command makes lives to the
    end (modules, font and collation tables), and sweeping it again every 700
    new objects, then once more at exit, costs about a tenth of a cold render.
    The modules loaded before the command starts are frozen (never swept: they
    were loaded without sweeps too); collections run after 50,000 new objects
    instead (cycles are still freed, so a bundle's workers, forked from here,
    stay bounded), and what is alive at the end is frozen, so the interpreter's
    last sweep passes it by. Ctrl-C before the command handles it (while the
    modules load: :mod:`letterkit._start`) says ``letterkit: interrupted`` and
    exits 130, as it does later.
    """
    gc.freeze()
    gc.set_threshold(50_000, 10, 10)
    try:
        status = main()
    except KeyboardInterrupt:  # before the command's own handling: one line, as after
        sys.stderr.write("letterkit: interrupted\n")
        status = 130
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    run()
