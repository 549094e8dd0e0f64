"""The benchmark script runs (tiny workload, no timing goals): it stays usable,
and the parts it measures with measure what they say."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from pypdf import PdfReader

from .conftest import ROOT


@pytest.mark.slow  # the whole benchmark script in a process of its own: 25 s idle, more when busy
def test_benchmark_smoke_run(tmp_path: Path) -> None:
    """This test ensures that one smoke run measures every part and writes the
    table of measures with their goals."""
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--json", str(out)],
        check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    results = json.loads(out.read_text())
    for key in (
        "baseline_ms", "render_ms", "render_ratio", "bundle_ms_per_letter_jobs1",
        "bundle_ms_per_letter_jobs2", "jobs2_speedup", "peak_rss_mb", "import_ms",
        "archive_bundle_ms_per_letter_jobs2", "archive_bundle_ratio",
        "help_process_ms", "render_process_ms", "signatories_10x_ratio",
        "python_floor_wall_ms", "python_floor_cpu_ms", "askarov_wall_ms", "askarov_cpu_ms",
        "askarov_cold_cache_wall_ms", "askarov_no_cache_wall_ms", "bench_letter_wall_ms",
        "bench_letter_cpu_ms", "bench_letter_cold_cache_wall_ms", "bench_letter_no_cache_cpu_ms",
        "bench_letter_bytes", "askarov_kb", "big_3_plain_ms_per_letter",
        "big_6_combined_ms_per_letter", "big_6_combined_ratio", "big_peak_rss_mb",
        "big_6_combined_peak_pss_mb", "big_linearity_combined",
    ):  # fmt: skip
        assert results[key] > 0, key
    assert results["bundle_equals_render"] == "True"
    # Whole processes take at least Python's own start-up, and CPU time is counted.
    assert results["bench_letter_wall_ms"] > results["python_floor_wall_ms"]
    assert results["bench_letter_cpu_ms"] > results["python_floor_cpu_ms"]
    # The combined PDF holds every page of every letter the bundle made.
    assert results["big_6_combined_pages"] == results["big_6_combined_letter_pages"]
    assert results["big_6_combined_pages"] >= 6 * (results["bench_letter_pages"] + 12)
    assert "NotoSerif-Regular" in results["bench_letter_font_programs"]
    assert results["big_6_combined_peak_pss_mb"] <= results["big_6_combined_peak_rss_mb"]
    if "watch" in results:
        assert results["watch"] == "not available"
    else:
        assert results["watch_missed"] == 0
    if "typst_process" in results:
        assert results["typst_process"] == "not installed"
    else:
        assert results["bench_letter_vs_typst_wall"] > 0
    table = {row["measure"]: row for row in results["table"]}
    assert table["Askarov example, size"]["goal"] == "< 120 KB"
    assert table["Askarov example, size"]["met"] == ("yes" if results["askarov_kb"] < 120 else "no")
    assert table["`import letterkit`"]["met"] in ("yes", "no")
    assert "| measure | result | goal | met |" in done.stdout


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> dict[str, ModuleType]:
    """The benchmark modules, imported as ``run.py`` imports them."""
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    import big
    import goals
    import watching

    return {"big": big, "goals": goals, "watching": watching}


FAKE_WATCHER = """
import os, sys, time
from pypdf import PdfWriter
source, pdf = sys.argv[1], sys.argv[2]
def write():
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    with open(pdf + ".tmp", "wb") as handle:
        writer.write(handle)
    os.replace(pdf + ".tmp", pdf)
seen = os.stat(source).st_mtime_ns
write()
try:
    while True:
        time.sleep(0.005)
        now = os.stat(source).st_mtime_ns
        if now != seen:
            seen = now
            write()
except KeyboardInterrupt:
    sys.exit(0)
"""


def test_watch_latency_times_each_edit_to_a_readable_pdf(
    tmp_path: Path, bench: dict[str, ModuleType]
) -> None:
    """This test ensures that the watch measure sees every edit a watcher shows,
    times it from the edited file to the new PDF, and stops the watcher with SIGINT."""
    script = tmp_path / "watcher.py"
    script.write_text(FAKE_WATCHER)
    source = tmp_path / "signatories.csv"
    source.write_text("name,country\nOrganisation 1,KG\nOrganisation 2,KZ\n")
    pdf = tmp_path / "out.pdf"
    command = [sys.executable, str(script), str(source), str(pdf)]
    results = bench["watching"].watch_latency(command, tmp_path, source, pdf, edits=4, pause=0.1)
    assert results["watch_edits"] == 4
    assert results["watch_missed"] == 0
    assert 0 < results["watch_median_ms"] <= results["watch_max_ms"] < 2000
    assert results["watch_exit_after_sigint"] == 0
    assert source.read_text() == "name,country\nOrganisation 1,KG\nOrganisation 2,KZ\n"
    assert len(PdfReader(pdf).pages) == 1


def test_watch_latency_says_when_no_pdf_comes(tmp_path: Path, bench: dict[str, ModuleType]) -> None:
    """This test ensures that a watcher that never writes its PDF is reported, not waited for."""
    source = tmp_path / "signatories.csv"
    source.write_text("name\nOrganisation 1\n")
    command = [sys.executable, "-c", "import sys; print('cannot watch', file=sys.stderr)"]
    results = bench["watching"].watch_latency(
        command, tmp_path, source, tmp_path / "never.pdf", edits=2, timeout=1.0
    )
    assert results["watch"].startswith("no first PDF within 1 s")
    assert "cannot watch" in results["watch"]


def test_tree_memory_counts_children_and_a_cap_stops_the_tree(
    tmp_path: Path, bench: dict[str, ModuleType]
) -> None:
    """This test ensures that the memory sampler adds a child's memory to its
    parent's, and kills a process tree that grows past the cap."""
    big = bench["big"]
    child = "import time; block = bytearray(80 * 1024 * 1024); time.sleep(30)"
    parent = subprocess.Popen(  # a parent whose child holds 80 MB
        [sys.executable, "-c", f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"]
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        rss, pss = big.tree_rss_mb(parent.pid)
        while rss < 80 and time.monotonic() < deadline:
            time.sleep(0.05)
            rss, pss = big.tree_rss_mb(parent.pid)
        assert rss >= 80
        assert 0 < pss <= rss
        sampler = big.TreeSampler(parent, cap_mb=60)
        sampler.start()
        sampler.join(10)
        assert sampler.capped
        assert parent.wait(10) != 0
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_table_judges_each_goal(bench: dict[str, ModuleType]) -> None:
    """This test ensures that each measured row carries its goal and whether it
    is met, and that a part that could not run says why."""
    rows = bench["goals"].table(
        {"askarov_kb": 130.0, "askarov_wall_ms": 250.0, "import_ms": 40.0,
         "watch": "not available", "big_linearity_combined": 1.25, "baseline_ms": 15.0,
         "big_combined_ratio_max": "not measured (5,000 combined: stopped above 2000 MB)"}
    )  # fmt: skip
    got = {row[0]: row[1:] for row in rows}
    assert got["Askarov example, size"] == ("130.0 KB", "< 120 KB", "no")
    assert got["Askarov example, `render`, warm cache, wall"] == ("250.0 ms", "< 300 ms", "yes")
    assert got["`import letterkit`"] == ("40.0 ms", "≤ 150 ms", "yes")
    assert got["`render --watch`"] == ("not available", "each < 100 ms", "no")
    assert got["per letter, largest / smallest bundle, combined"][2] == "no"
    assert got["bare-canvas baseline, one letter"] == ("15.0 ms", "–", "")
    assert got["big bundles, combined / plain, worst"] == (
        "not measured (5,000 combined: stopped above 2000 MB)",
        "≤ 1.3x",
        "no",
    )
    assert len(rows) == 7  # rows not measured are left out
    markdown = bench["goals"].markdown(rows)
    assert markdown.splitlines()[0] == "| measure | result | goal | met |"
    assert "| Askarov example, size | 130.0 KB | < 120 KB | no |" in markdown


def test_big_bundle_shape_separates_start_up_from_growth(bench: dict[str, ModuleType]) -> None:
    """This test ensures that a bundle time of a fixed start-up plus a constant
    time per letter reads as not linear per letter but linear at the margin, and
    that a stopped bundle leaves its goals unmeasured with the reason."""
    counts = [500, 2000, 5000]
    per_letter = {(n, kind): (1000 + cost * n) / n for n in counts
                  for kind, cost in (("plain", 6.0), ("combined", 7.2))}  # fmt: skip
    shape = bench["big"].shape({}, per_letter, counts)
    assert shape["big_linearity_plain"] == pytest.approx((0.2 + 6) / (2 + 6))
    assert shape["big_marginal_plain"] == pytest.approx(1.0)
    assert shape["big_marginal_combined"] == pytest.approx(1.0)
    assert shape["big_combined_ratio_max"] == pytest.approx((0.2 + 7.2) / (0.2 + 6))  # at 5,000
    del per_letter[5000, "combined"]
    stopped = bench["big"].shape({"big_5000_combined": "stopped above 2000 MB"}, per_letter, counts)
    assert stopped["big_combined_ratio_max"] == (
        "not measured (5,000 combined: stopped above 2000 MB)"
    )
    assert stopped["big_linearity_combined"] == stopped["big_combined_ratio_max"]
    assert "big_marginal_combined" not in stopped
    assert stopped["big_marginal_plain"] == pytest.approx(1.0)
