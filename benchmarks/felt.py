"""What a user feels: whole-process time and bytes, measured against Typst.

:func:`cold_start` turns the workload folder of ``run.py`` and the Askarov
example into whole-process wall and CPU times of ``letterkit render`` (median
of a few runs each), with a warm user cache, a cold one and no cache; the
same letter compiled by Typst in a process of its own; and Python's own
start-up, the floor under both. :func:`sizes` turns the same inputs into
bytes per letter (letter pages only, against Typst) and the number of font
programs each PDF embeds per base font.

CPU time is the child's own user + system time, read with ``os.wait4`` (it
includes the processes that child waited for, such as bundle workers).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from others import typst_letter

from letterkit._resources import fonts_dir

ROOT = Path(__file__).resolve().parent.parent
ASKAROV = ROOT / "examples" / "askarov-eu-2018" / "letter.yaml"

#: A whole Typst process: ``python -c TYPST_RUN INPUT.typ OUTPUT.pdf FONTS ROOT``.
TYPST_RUN = (
    "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], root=sys.argv[4], "
    "font_paths=[sys.argv[3]], ignore_system_fonts=True)"
)

Results = dict[str, float | str]


def run_process(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """(wall ms, CPU ms) of one whole process; raise with its stderr when it fails."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = (time.perf_counter() - start) * 1000
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            message = err.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(args)} exited with {proc.returncode}:\n{message}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def median_process(
    args: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None, warm_up: bool = True
) -> tuple[float, float]:
    """Median (wall ms, CPU ms) of *runs* processes, after one untimed run when *warm_up*."""
    if warm_up:
        run_process(args, cwd, env)
    times = [run_process(args, cwd, env) for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def typst_python(choice: str | None) -> str | None:
    """The interpreter that can import ``typst``: *choice*, else this one; None when neither can."""
    python = choice or sys.executable
    found = subprocess.run([python, "-c", "import typst"], capture_output=True, check=False)
    return python if found.returncode == 0 else None


def typst_version(python: str) -> str:
    done = subprocess.run(
        [python, "-c", "import importlib.metadata as m; print(m.version('typst'))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return f"typst {done.stdout.strip()} (PyPI package, Python bindings)"


def _letterkit_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTERKIT_")}
    env.update(extra)
    return env


def _render_variants(spec: Path, out: Path, cache: Path, runs: int, key: str) -> Results:
    """The whole-process render of *spec* with a warm cache, a cold one and none."""
    args = [sys.executable, "-m", "letterkit", "render", str(spec), "-o", str(out)]
    results: Results = {}
    warm = _letterkit_env(LETTERKIT_CACHE_DIR=str(cache / f"{key}-warm"))
    wall, cpu = median_process(args, spec.parent, runs, warm)  # its warm-up run fills the cache
    results[f"{key}_wall_ms"], results[f"{key}_cpu_ms"] = wall, cpu
    cold = []
    for n in range(runs):
        env = _letterkit_env(LETTERKIT_CACHE_DIR=str(cache / f"{key}-cold-{n}"))
        cold.append(run_process(args, spec.parent, env))
    results[f"{key}_cold_cache_wall_ms"] = statistics.median(t[0] for t in cold)
    results[f"{key}_cold_cache_cpu_ms"] = statistics.median(t[1] for t in cold)
    none = _letterkit_env(LETTERKIT_NO_CACHE="1")
    wall, cpu = median_process(args, spec.parent, runs, none, warm_up=False)
    results[f"{key}_no_cache_wall_ms"], results[f"{key}_no_cache_cpu_ms"] = wall, cpu
    return results


def cold_start(folder: Path, runs: int, python_for_typst: str | None) -> Results:
    """Whole-process times of letterkit, Typst and bare Python (see the module docstring).

    *folder* is the workload of ``run.py``; its ``single.yaml`` is the
    benchmark letter (6 pages, 300 signatories, the 12-page annex).
    """
    results: Results = {}
    wall, cpu = median_process([sys.executable, "-c", "pass"], folder, runs)
    results["python_floor_wall_ms"], results["python_floor_cpu_ms"] = wall, cpu
    cache = folder.parent / "felt-cache"
    results.update(_render_variants(ASKAROV, folder / "askarov.pdf", cache, runs, "askarov"))
    results.update(_render_variants(folder / "single.yaml", folder / "bench.pdf", cache, runs,
                                    "bench_letter"))  # fmt: skip
    if python_for_typst is None:
        results["typst_process"] = "not installed"
        return results
    results["typst_version"] = typst_version(python_for_typst)
    if python_for_typst != sys.executable:
        wall, cpu = median_process([python_for_typst, "-c", "pass"], folder, runs)
        results["typst_python_floor_wall_ms"], results["typst_python_floor_cpu_ms"] = wall, cpu
    typ = folder / "bench.typ"
    typ.write_text(typst_letter(folder, "Ms Member Example"), encoding="utf-8")
    args = [python_for_typst, "-c", TYPST_RUN, str(typ), str(folder / "bench-typst.pdf"),
            str(fonts_dir()), str(folder)]  # fmt: skip
    wall, cpu = median_process(args, folder, runs)
    results["typst_process_wall_ms"], results["typst_process_cpu_ms"] = wall, cpu
    for kind in ("wall", "cpu"):
        ours = results[f"bench_letter_{kind}_ms"]
        theirs = results[f"typst_process_{kind}_ms"]
        assert isinstance(ours, float)
        assert isinstance(theirs, float)
        results[f"bench_letter_vs_typst_{kind}"] = ours / theirs
    return results


def _program_data(pdf_path: Path) -> list[tuple[str, tuple[int, int], bytes]]:
    """(base font, object id, decoded bytes) of each embedded font program."""
    import pikepdf

    found = []
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
                continue
            base = str(obj.get("/FontName", "/?"))[1:].split("+", 1)[-1]
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in obj:
                    found.append((base, obj[key].objgen, obj[key].read_bytes()))
    return found


def font_programs(pdf_path: Path, annexes: tuple[Path, ...] = ()) -> dict[str, int]:
    """How many embedded font programs each base font has in *pdf_path*
    (a subset's ``ABCDEF+`` tag left out, so two subsets of one font count 2),
    leaving out the programs the annex files given carry themselves: those
    come with an annex's pages, and letterkit does not rewrite an annex."""
    theirs = {data for annex in annexes for _base, _id, data in _program_data(annex)}
    programs: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for base, objgen, data in _program_data(pdf_path):
        if data not in theirs:
            programs[base].add(objgen)
    return {base: len(found) for base, found in sorted(programs.items())}


def _programs_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{base} {n}" for base, n in counts.items()) or "none"


def sizes(folder: Path, python_for_typst: str | None) -> Results:
    """Bytes of the benchmark letter's pages (no annex) against Typst's, the
    Askarov example's bytes, and font programs per base font.

    Run after :func:`cold_start`, whose renders it reads (``askarov.pdf``,
    ``bench.pdf``).
    """
    from pypdf import PdfReader

    results: Results = {}
    spec = folder / "letter-only.yaml"
    spec.write_text(
        "".join(line for line in (folder / "single.yaml").read_text().splitlines(keepends=True)
                if not line.startswith("annexes:")),
    )  # fmt: skip
    ours = folder / "letter-only.pdf"
    run_process([sys.executable, "-m", "letterkit", "render", str(spec), "-o", str(ours)], folder)
    results["bench_letter_pages"] = float(len(PdfReader(ours).pages))
    results["bench_letter_bytes"] = float(ours.stat().st_size)
    results["bench_letter_kb_per_page"] = ours.stat().st_size / 1024 / len(PdfReader(ours).pages)
    askarov = folder / "askarov.pdf"
    results["askarov_kb"] = askarov.stat().st_size / 1024
    for name, path in (("bench_letter", ours), ("bench_letter_annex", folder / "bench.pdf"),
                       ("askarov", askarov)):  # fmt: skip
        counts = font_programs(path)
        results[f"{name}_font_programs"] = _programs_text(counts)
        results[f"{name}_max_programs_per_font"] = float(max(counts.values(), default=0))
    chronology = ASKAROV.parent / "chronology.pdf"
    own = font_programs(askarov, (chronology,))
    results["askarov_own_font_programs"] = _programs_text(own)
    results["askarov_own_max_programs_per_font"] = float(max(own.values(), default=0))
    if python_for_typst is None:
        return results
    typ = folder / "letter-only.typ"
    typ.write_text(typst_letter(folder, "Ms Member Example", annex=False), encoding="utf-8")
    theirs = folder / "letter-only-typst.pdf"
    run_process([python_for_typst, "-c", TYPST_RUN, str(typ), str(theirs), str(fonts_dir()),
                 str(folder)], folder)  # fmt: skip
    results["typst_letter_pages"] = float(len(PdfReader(theirs).pages))
    results["typst_letter_bytes"] = float(theirs.stat().st_size)
    results["bench_letter_vs_typst_bytes"] = ours.stat().st_size / theirs.stat().st_size
    results["typst_letter_font_programs"] = _programs_text(font_programs(theirs))
    return results
