"""The benchmark script runs (tiny workload, no timing goals): it stays usable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.mark.slow  # the whole benchmark script in a process of its own: 7 s idle, more when busy
def test_benchmark_smoke_run(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--json", str(out)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    results = json.loads(out.read_text())
    for key in (
        "baseline_ms", "render_ms", "render_ratio", "bundle_ms_per_letter_jobs1",
        "bundle_ms_per_letter_jobs2", "jobs2_speedup", "peak_rss_mb", "import_ms",
        "help_process_ms", "render_process_ms", "signatories_10x_ratio",
    ):  # fmt: skip
        assert results[key] > 0, key
    assert results["bundle_equals_render"] == "True"
