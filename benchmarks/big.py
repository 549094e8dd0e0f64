"""Large campaigns: bundles of thousands of letters, with and without ``output.combined``.

:func:`measure` turns the benchmark campaign at a few sizes into the wall
time per letter of a whole ``letterkit bundle`` process (2 jobs) and the peak
RSS of its process tree: ``VmRSS`` of the bundle process and of every
descendant, read from ``/proc`` every 50 ms and summed; the peak is the
largest sum. Forked workers share pages with their parent, which that sum
counts once per process; the same sum of ``Pss`` (each shared page divided
between its processes) is reported beside it. A tree that grows past a cap is stopped, so that a run cannot
take a shared machine's memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

Results = dict[str, float | str]

#: Writes the workload of ``run.py`` (``make_workload``): folder, recipients → campaign file.
MakeWorkload = Callable[[Path, int], Path]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):  # the task ended meanwhile
            found += [int(child) for child in task.read_text().split()]
    return found


def _kb(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:  # the process ended meanwhile
        pass
    return 0


def _tree(pid: int) -> list[int]:
    """*pid* and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += _children(current)
    return found


def tree_rss_mb(pid: int) -> tuple[float, float]:
    """The summed resident memory of *pid* and all its descendants, in MB:
    (VmRSS, which counts a page shared by forked workers once per process;
    Pss, which shares it out between them)."""
    tree = _tree(pid)
    rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in tree)
    pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in tree)
    return rss / 1024, pss / 1024


class TreeSampler(threading.Thread):
    """Samples :func:`tree_rss_mb` of one process every *every* seconds and
    kills the process when the sum passes *cap_mb*."""

    def __init__(self, proc: subprocess.Popen[bytes], cap_mb: float, every: float = 0.05):
        super().__init__(daemon=True)
        self.proc, self.cap_mb, self.every = proc, cap_mb, every
        self.peak_mb, self.peak_pss_mb, self.capped = 0.0, 0.0, False

    def run(self) -> None:
        while self.proc.poll() is None:
            rss, pss = tree_rss_mb(self.proc.pid)
            self.peak_mb, self.peak_pss_mb = max(self.peak_mb, rss), max(self.peak_pss_mb, pss)
            if rss > self.cap_mb:
                self.capped = True
                for pid in _tree(self.proc.pid):  # the bundle this sampler started, and its workers
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                return
            time.sleep(self.every)


def bundle_tree(
    campaign: Path, out: Path, jobs: int, cap_mb: float
) -> tuple[float, TreeSampler, str]:
    """(wall seconds, the memory sampler, "" or why it failed) of one fresh bundle process."""
    shutil.rmtree(out, ignore_errors=True)
    args = [sys.executable, "-m", "letterkit", "bundle", str(campaign), "-o", str(out),
            "--jobs", str(jobs), "--quiet"]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(  # in the campaign's folder, like every process the script times
        args, cwd=campaign.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    sampler = TreeSampler(proc, cap_mb)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    if sampler.capped:
        return wall, sampler, f"stopped above {cap_mb:.0f} MB"
    if proc.returncode != 0:
        return wall, sampler, f"exit {proc.returncode}: {err.decode()[-300:].strip()}"
    return wall, sampler, ""


def _combined_pages(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as opened:
        return len(opened.pages)


def measure(make: MakeWorkload, base: Path, counts: list[int], cap_mb: float) -> Results:
    """Bundles of each count in *counts*, 2 jobs, plain and combined (see the module docstring)."""
    results: Results = {}
    peak, peak_pss, per_letter = 0.0, 0.0, {}
    for count in counts:
        folder = base / f"big-{count}"
        campaign = make(folder, count)
        both = folder / "campaign-combined.yaml"
        both.write_text(campaign.read_text() + "output:\n  combined: all-letters.pdf\n")
        for kind, spec in (("plain", campaign), ("combined", both)):
            out = folder / f"dist-{kind}"
            wall, memory, failed = bundle_tree(spec, out, 2, cap_mb)
            peak = max(peak, memory.peak_mb)
            peak_pss = max(peak_pss, memory.peak_pss_mb)
            results[f"big_{count}_{kind}_peak_rss_mb"] = memory.peak_mb
            results[f"big_{count}_{kind}_peak_pss_mb"] = memory.peak_pss_mb
            if failed:
                results[f"big_{count}_{kind}"] = failed
                continue
            letters = json.loads((out / "manifest.json").read_text())["letters"]
            if len(letters) != count:
                results[f"big_{count}_{kind}"] = f"{len(letters)} letters made, not {count}"
                continue
            results[f"big_{count}_{kind}_letter_pages"] = float(sum(e["pages"] for e in letters))
            per_letter[count, kind] = wall * 1000 / count
            results[f"big_{count}_{kind}_ms_per_letter"] = per_letter[count, kind]
            if kind == "combined":
                pdf = out / "all-letters.pdf"
                results[f"big_{count}_combined_mb"] = pdf.stat().st_size / 1024 / 1024
                results[f"big_{count}_combined_pages"] = float(_combined_pages(pdf))
            shutil.rmtree(out, ignore_errors=True)  # thousands of letters: free the disk
        if (count, "plain") in per_letter and (count, "combined") in per_letter:
            ratio = per_letter[count, "combined"] / per_letter[count, "plain"]
            results[f"big_{count}_combined_ratio"] = ratio
        shutil.rmtree(folder, ignore_errors=True)
    results["big_peak_rss_mb"] = peak
    results["big_peak_pss_mb"] = peak_pss
    results.update(shape(results, per_letter, counts))
    return results


def shape(results: Results, per_letter: dict[tuple[int, str], float], counts: list[int]) -> Results:
    """The combined / plain ratio at its worst, and how linear the time is.

    ``big_linearity_KIND`` is the per-letter time at the largest count over
    that at the smallest: the bundle's fixed start-up weighs on it.
    ``big_marginal_KIND`` (three counts or more) is the time each letter adds
    between the two largest counts over that between the two smallest: 1.0
    when the time is a straight line, whatever the start-up.
    """
    found: Results = {}
    missing = [f"{n:,} {kind}: {results[f'big_{n}_{kind}']}"
               for n in counts for kind in ("plain", "combined") if (n, kind) not in per_letter]  # fmt: skip
    why = f"not measured ({'; '.join(missing)})"
    ratios = [per_letter[n, "combined"] / per_letter[n, "plain"] for n in counts
              if (n, "combined") in per_letter and (n, "plain") in per_letter]  # fmt: skip
    found["big_combined_ratio_max"] = max(ratios) if len(ratios) == len(counts) else why
    counts = sorted(counts)
    for kind in ("plain", "combined"):
        if any((n, kind) not in per_letter for n in counts):
            found[f"big_linearity_{kind}"] = why
            continue
        found[f"big_linearity_{kind}"] = per_letter[counts[-1], kind] / per_letter[counts[0], kind]
        if len(counts) >= 3:
            total = {n: per_letter[n, kind] * n for n in counts}
            first = (total[counts[1]] - total[counts[0]]) / (counts[1] - counts[0])
            last = (total[counts[-1]] - total[counts[-2]]) / (counts[-1] - counts[-2])
            found[f"big_marginal_{kind}"] = last / first
    return found
