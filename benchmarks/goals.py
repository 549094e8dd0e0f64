"""The results of ``run.py`` turned into one table: measure | result | goal | met.

Each row names a key of the results; a row whose key was not measured (a
part skipped, a tool not installed) is left out, or says why when the
results hold a reason (``"not available"``, ``"stopped above 2000 MB"``).
"""

from __future__ import annotations

from collections.abc import Callable

Results = dict[str, float | str]
Check = Callable[[float], bool] | None

MS = "{:,.1f} ms"
X = "{:.2f}x"


def _row(label: str, key: str, shown: str, goal: str = "–", check: Check = None
         ) -> tuple[str, str, str, str, Check]:  # fmt: skip
    return label, key, shown, goal, check


def _rows(results: Results) -> list[tuple[str, str, str, str, Check]]:
    typst = str(results.get("typst_version", "Typst"))
    # fmt: off
    rows = [
        # The goals the project set first: warm renders and bundles against the baseline.
        _row("bare-canvas baseline, one letter", "baseline_ms", MS),
        _row("`letterkit.render`, warm, new recipient each time (× baseline)", "render_ratio", X,
             "≤ 2.5x", lambda v: v <= 2.5),
        _row("bundle, `--jobs 1`, per letter", "bundle_ms_per_letter_jobs1", MS),
        _row("bundle, `--jobs 2`, per letter (× baseline)", "bundle_ratio_jobs2", X, "≤ 0.5x",
             lambda v: v <= 0.5),
        _row("`--jobs 2` speed-up over `--jobs 1`", "jobs2_speedup", X, "≥ 1.6x",
             lambda v: v >= 1.6),
        _row("bundle letters = `render --recipient`", "bundle_equals_render", "{}", "True", None),
        _row("bundle, `--jobs 2`, `--archive` (tagged, PDF/A), per letter",
             "archive_bundle_ms_per_letter_jobs2", MS),
        _row("the same bundle with `--archive` / without", "archive_bundle_ratio", X, "≤ 1.5x",
             lambda v: v <= 1.5),
        _row("peak RSS of a bundle worker", "peak_rss_mb", "{:.0f} MB", "≤ 150 MB",
             lambda v: v <= 150),
        _row("`import letterkit`", "import_ms", MS, "≤ 150 ms", lambda v: v <= 150),
        _row("`letterkit --help`, whole process", "help_process_ms", MS, "≤ 250 ms",
             lambda v: v <= 250),
        _row("10,000 signatories / 1,000, from empty tables", "signatories_10x_ratio", X, "≤ 12x",
             lambda v: v <= 12),
        _row("Typst, warm in one process (× baseline)", "typst_ratio", X),
        _row("WeasyPrint, warm, letter pages only (× baseline)", "weasyprint_ratio", X),
        # Whole processes, as a user starts them.
        _row("`python -c pass`, wall (the floor)", "python_floor_wall_ms", MS),
        _row("`python -c pass`, CPU", "python_floor_cpu_ms", MS),
        _row("Askarov example, `render`, warm cache, wall", "askarov_wall_ms", MS, "< 300 ms",
             lambda v: v < 300),
        _row("Askarov example, `render`, warm cache, CPU", "askarov_cpu_ms", MS),
        _row("Askarov example, cold cache, wall", "askarov_cold_cache_wall_ms", MS),
        _row("Askarov example, `LETTERKIT_NO_CACHE=1`, wall", "askarov_no_cache_wall_ms", MS),
        _row("benchmark letter, `render`, warm cache, wall", "bench_letter_wall_ms", MS),
        _row("benchmark letter, `render`, warm cache, CPU", "bench_letter_cpu_ms", MS),
        _row("benchmark letter, cold cache, wall", "bench_letter_cold_cache_wall_ms", MS),
        _row("benchmark letter, `LETTERKIT_NO_CACHE=1`, wall", "bench_letter_no_cache_wall_ms",
             MS),
        _row(f"{typst}, whole process, wall", "typst_process", "{}"),
        _row(f"{typst}, whole process, wall", "typst_process_wall_ms", MS),
        _row(f"{typst}, whole process, CPU", "typst_process_cpu_ms", MS),
        _row("benchmark letter / Typst, whole process, wall", "bench_letter_vs_typst_wall", X,
             "≤ 3x", lambda v: v <= 3),
        _row("benchmark letter / Typst, whole process, CPU", "bench_letter_vs_typst_cpu", X,
             "≤ 3x", lambda v: v <= 3),
        # --watch
        _row("`render --watch`", "watch", "{}", "each < 100 ms", None),
        _row("`render --watch`, edit → PDF, median", "watch_median_ms", MS),
        _row("`render --watch`, edit → PDF, max", "watch_max_ms", MS, "< 100 ms",
             lambda v: v < 100),
        _row("`render --watch`, edits not shown or unreadable", "watch_missed", "{:.0f}", "0",
             lambda v: v == 0),
        # Bytes
        _row("benchmark letter, letter pages only, bytes", "bench_letter_bytes", "{:,.0f} B"),
        _row("benchmark letter, letter pages", "bench_letter_pages", "{:.0f}"),
        _row("the same from Typst, bytes", "typst_letter_bytes", "{:,.0f} B"),
        _row("the same from Typst, pages", "typst_letter_pages", "{:.0f}"),
        _row("benchmark letter / Typst, bytes", "bench_letter_vs_typst_bytes", X, "≤ 1x",
             lambda v: v <= 1),
        _row("benchmark letter, font programs per base font", "bench_letter_font_programs", "{}"),
        _row("Typst letter, font programs per base font", "typst_letter_font_programs", "{}"),
        _row("Askarov example, font programs per base font", "askarov_font_programs", "{}"),
        _row("the same, without those its annex file carries", "askarov_own_font_programs", "{}"),
        _row("benchmark letter, most font programs of one font", "bench_letter_max_programs_per_font",
             "{:.0f}", "1", lambda v: v == 1),
        _row("Askarov example (annex file's own left out), most programs of one font",
             "askarov_own_max_programs_per_font", "{:.0f}", "1", lambda v: v == 1),
        _row("Askarov example, size", "askarov_kb", "{:,.1f} KB", "< 120 KB", lambda v: v < 120),
    ]
    # fmt: on
    counts = sorted(
        {
            int(k.split("_")[1])
            for k in results
            if k.startswith("big_") and k.split("_")[1].isdigit()
        }
    )  # fmt: skip
    for n in counts:
        for kind in ("plain", "combined"):
            rows.append(_row(f"bundle of {n:,}, 2 jobs, {kind}", f"big_{n}_{kind}", "{}"))
            rows.append(_row(f"bundle of {n:,}, 2 jobs, {kind}, per letter",
                             f"big_{n}_{kind}_ms_per_letter", MS))  # fmt: skip
        rows.append(_row(f"bundle of {n:,}, combined / plain", f"big_{n}_combined_ratio", X))
        rows.append(_row(f"bundle of {n:,}, combined, peak RSS of the process tree",
                         f"big_{n}_combined_peak_rss_mb", "{:.0f} MB"))  # fmt: skip
        rows.append(_row(f"bundle of {n:,}, combined, peak PSS of the process tree",
                         f"big_{n}_combined_peak_pss_mb", "{:.0f} MB"))  # fmt: skip
    rows += [
        _row("big bundles, peak RSS of the process tree (shared pages counted per process)",
             "big_peak_rss_mb", "{:.0f} MB", "< 300 MB", lambda v: v < 300),
        _row("big bundles, peak PSS of the process tree (the memory the run takes)",
             "big_peak_pss_mb", "{:.0f} MB", "< 300 MB", lambda v: v < 300),
        _row("big bundles, combined / plain, worst", "big_combined_ratio_max", X, "≤ 1.3x",
             lambda v: v <= 1.3),
        _row("per letter, largest / smallest bundle, plain", "big_linearity_plain", X,
             "0.8x to 1.2x", lambda v: 0.8 <= v <= 1.2),
        _row("per letter, largest / smallest bundle, combined", "big_linearity_combined", X,
             "0.8x to 1.2x", lambda v: 0.8 <= v <= 1.2),
        _row("time a letter adds, largest counts / smallest, plain", "big_marginal_plain", X),
        _row("time a letter adds, largest counts / smallest, combined", "big_marginal_combined", X),
    ]  # fmt: skip
    return rows


def table(results: Results) -> list[tuple[str, str, str, str]]:
    """(measure, result, goal, met) for each measured row; met is yes, no or empty."""
    out = []
    for label, key, shown, goal, check in _rows(results):
        if key not in results:
            continue
        value = results[key]
        if key == "bundle_equals_render":
            met = "yes" if value == "True" else "no"
        elif isinstance(value, str):
            met = "no" if goal != "–" else ""
        else:
            met = "" if check is None else ("yes" if check(value) else "no")
        out.append((label, value if isinstance(value, str) else shown.format(value), goal, met))
    return out


def markdown(rows: list[tuple[str, str, str, str]]) -> str:
    """*rows* as a Markdown table, as README.md shows it."""
    lines = ["| measure | result | goal | met |", "| --- | --- | --- | --- |"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(lines)
