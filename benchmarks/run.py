"""The reference workload of letterkit, timed against a bare ReportLab baseline.

    python benchmarks/run.py            # the full run (about half an hour)
    python benchmarks/run.py --no-big   # without the bundles of 500 to 5,000 letters
    python benchmarks/run.py --smoke    # a tiny workload, to check the script runs

The workload (made deterministically in a temporary folder): a letter of 8
body paragraphs of about 120 words with bold, italics and a link, 6
footnotes, 300 signatories (some Cyrillic) in 2 columns, "Page X of Y", a
12-page annex; and a campaign of 720 recipients of it. The baseline draws the
same text on a bare ReportLab canvas with simple line breaking, measured in
the same run, so the ratios hold from machine to machine.

Then whole processes as a user starts them, against Typst (``felt.py``),
the ``render --watch`` latency (``watching.py``), bytes per letter, and
bundles of 500 to 5,000 letters with and without a combined PDF (``big.py``);
at the end one table of every measure with its goal (``goals.py``).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import big
import felt
import goals
import watching
from others import typst_ms, weasyprint_ms

WORDS = [
    "the",
    "government",
    "authorities",
    "defender",
    "release",
    "detention",
    "court",
    "appeal",
    "international",
    "obligations",
    "committee",
    "decision",
    "rights",
    "human",
    "independent",
    "lawyers",
    "family",
    "health",
    "prison",
    "conditions",
    "partners",
    "agreement",
    "negotiations",
    "demand",
    "immediate",
    "unconditional",
]


def paragraph(n: int, words: int = 120) -> str:
    body = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(words)]
    body[5] = f"**{body[5]}**"
    body[17] = f"*{body[17]}*"
    body[40] = f"[{body[40]}](https://example.org/report/{n})"
    return " ".join(body).capitalize() + "."


def make_workload(folder: Path, signatories: int = 300, recipients: int = 720) -> Path:
    """Write the reference letter and campaign; return the campaign file."""
    from reportlab.pdfgen.canvas import Canvas

    folder.mkdir(parents=True, exist_ok=True)
    body = []
    for n in range(8):
        text = paragraph(n)
        if n < 6:
            text += f"[^{n + 1}]"
        body.append(text)
    notes = [f"[^{n + 1}]: Source {n + 1}, <https://example.org/sources/{n + 1}/report.pdf>."
             for n in range(6)]  # fmt: skip
    (folder / "letter.md").write_text("\n\n".join(body + notes) + "\n", encoding="utf-8")
    (folder / "case.yaml").write_text("person: {name: Temir Sample}\ncountry: KG\n")
    with (folder / "signatories.csv").open("w", encoding="utf-8") as handle:
        handle.write("name,country\n")
        for n in range(signatories):
            name = (
                f"Правозащитный центр № {n}" if n % 10 == 3 else f"Organisation {n:05d} for Rights"
            )
            handle.write(f"{name},Country {n % 40}\n")
    canvas = Canvas(str(folder / "annex.pdf"), invariant=1)
    for n in range(12):
        canvas.drawString(72, 760, f"Annex document, page {n + 1}")
        canvas.showPage()
    canvas.save()
    (folder / "letter.yaml").write_text(
        "template: letter.md\nlocale: en-GB\ndate: 2018-12-06\nsubject: Reference letter\n"
        "case: case.yaml\nsignatories: signatories.csv\nsignatory_columns: 2\n"
        "annexes: [{path: annex.pdf, title: Supporting document}]\n",
        encoding="utf-8",
    )
    with (folder / "recipients.csv").open("w", encoding="utf-8") as handle:
        handle.write("id,honorific,name,title,address\n")
        for n in range(recipients):
            handle.write(f"M{n:04d},Ms,Member {n} Example,Member of the European Parliament,"
                         f"Rue Wiertz 60 | 1047 Brussels\n")  # fmt: skip
    (folder / "campaign.yaml").write_text("letter: letter.yaml\nrecipients: recipients.csv\n")
    single = folder / "single.yaml"
    single.write_text(
        (folder / "letter.yaml").read_text()
        + "recipient: {honorific: Ms, name: Member Example, address: [Brussels]}\n"
    )
    return folder / "campaign.yaml"


def baseline(folder: Path) -> bytes:
    """The same letter drawn on a bare canvas: simple line breaking, two columns.

    Only ReportLab is used, with the fonts registered here: run it in a process
    that has not imported letterkit's layout (see :func:`baseline_ms`).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from letterkit._resources import fonts_dir

    serif, sans = "BaselineSerif", "BaselineSans"
    if serif not in pdfmetrics.getRegisteredFontNames():  # once, like letterkit's fonts
        pdfmetrics.registerFont(TTFont(serif, str(fonts_dir() / "NotoSerif-Regular.ttf")))
        pdfmetrics.registerFont(TTFont(sans, str(fonts_dir() / "NotoSans-Regular.ttf")))
    text = (folder / "letter.md").read_text(encoding="utf-8").split("\n\n")
    names = [line.split(",")[0] for line in
             (folder / "signatories.csv").read_text(encoding="utf-8").splitlines()[1:]]  # fmt: skip
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=serif)
    width, height = A4
    left, top, bottom, measure = 71, height - 57, 57, width - 142
    pages: list[int] = []
    y = top

    def new_page() -> None:
        nonlocal y
        pages.append(1)
        canvas.setFont(sans, 8)
        canvas.drawCentredString(width / 2, 35, f"Page {len(pages)}")
        canvas.showPage()
        y = top

    for para in text:
        canvas.setFont(serif, 10.5)
        for line in simpleSplit(para, serif, 10.5, measure):
            if y < bottom:
                new_page()
                canvas.setFont(serif, 10.5)
            canvas.drawString(left, y, line)
            y -= 14
        y -= 6
    column = 0
    for name in names:
        if y < bottom:
            if column == 0:
                column, y = 1, top
            else:
                new_page()
                column = 0
        canvas.setFont(serif, 8.5)
        canvas.drawString(left + column * (measure / 2 + 7), y, name)
        y -= 11
    new_page()
    canvas.save()
    return buffer.getvalue()


def baseline_ms(folder: Path, repeat: int) -> float:
    """Median ms of :func:`baseline`, measured in a fresh process (so that no
    setting letterkit gives ReportLab can speed it up or slow it down)."""
    done = subprocess.run(
        [sys.executable, __file__, "--baseline", str(folder), "--repeat", str(repeat)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return float(done.stdout.strip())


def timed(function, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Median wall time of *function* in milliseconds (after one warm-up call)."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def process_ms(args: list[str], cwd: Path, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, cwd=cwd, check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def bundle_run(campaign: Path, out: Path, jobs: int, *extra: str) -> tuple[float, float]:
    """(wall seconds, peak RSS MB of any worker) of one fresh bundle run, with
    the command's *extra* options."""
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "letterkit", "bundle", str(campaign), "-o", str(out),
         "--jobs", str(jobs), "--quiet", *extra],
        check=True,
    )  # fmt: skip
    wall = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return wall, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny workload, no timing goals")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--baseline", metavar="FOLDER", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=15, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, help="processes per whole-process median (default 7)")
    parser.add_argument(
        "--typst-python",
        metavar="PYTHON",
        help="an interpreter that can import typst (default: this one)",
    )
    parser.add_argument("--no-watch", action="store_true", help="skip the render --watch latency")
    parser.add_argument("--no-big", action="store_true", help="skip the bundles of 500 to 5,000")
    parser.add_argument(
        "--big-counts",
        default="500,2000,5000",
        metavar="N,N,...",
        help="campaign sizes of the big bundles (default 500,2000,5000)",
    )
    parser.add_argument(
        "--rss-cap",
        type=float,
        default=2000,
        metavar="MB",
        help="stop a big bundle whose process tree passes this (default 2000)",
    )
    args = parser.parse_args()
    if args.baseline:  # the baseline's own process
        print(timed(lambda: baseline(Path(args.baseline)), args.repeat))
        return 0
    smoke = args.smoke
    recipients = 6 if smoke else 720
    repeat = 2 if smoke else 15
    results: dict[str, float | str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "work"
        campaign = make_workload(folder, signatories=30 if smoke else 300, recipients=recipients)

        import letterkit
        from letterkit.bundle.campaign import letter_for, load_campaign

        loaded = load_campaign(campaign)
        ids = [r.id for r in loaded.recipients]
        counter = iter(range(10**9))

        def render_next() -> None:
            letterkit.render(letter_for(loaded, ids[next(counter) % len(ids)]))

        base_ms = baseline_ms(folder, repeat)
        render_ms = timed(render_next, repeat)
        results["baseline_ms"] = base_ms
        results["render_ms"] = render_ms
        results["render_ratio"] = render_ms / base_ms
        wall1, _ = bundle_run(campaign, Path(tmp) / "dist1", 1)
        wall2, peak = bundle_run(campaign, Path(tmp) / "dist2", 2)
        results["bundle_ms_per_letter_jobs1"] = wall1 * 1000 / recipients
        results["bundle_ms_per_letter_jobs2"] = wall2 * 1000 / recipients
        results["bundle_ratio_jobs2"] = results["bundle_ms_per_letter_jobs2"] / base_ms
        results["jobs2_speedup"] = wall1 / wall2
        results["peak_rss_mb"] = peak
        archived, _ = bundle_run(campaign, Path(tmp) / "dist3", 2, "--archive")
        results["archive_bundle_ms_per_letter_jobs2"] = archived * 1000 / recipients
        results["archive_bundle_ratio"] = archived / wall2
        manifest = json.loads((Path(tmp) / "dist2" / "manifest.json").read_text())
        letters = manifest["letters"]
        same = True
        # The first, a middle and the last letter, each rendered alone by a new process.
        for index in sorted({0, len(letters) // 2, len(letters) - 1}):
            sample = letters[index]
            single = Path(tmp) / "single.pdf"
            subprocess.run(
                [sys.executable, "-m", "letterkit", "render", str(campaign), "--recipient",
                 sample["id"], "-o", str(single)],
                check=True, capture_output=True,
            )  # fmt: skip
            same = same and hashlib.sha256(single.read_bytes()).hexdigest() == sample["sha256"]
        results["bundle_equals_render"] = str(same)
        python = sys.executable
        bare = process_ms([python, "-c", "pass"], folder)
        results["import_ms"] = process_ms([python, "-c", "import letterkit"], folder) - bare
        results["help_process_ms"] = process_ms([python, "-m", "letterkit", "--help"], folder)
        results["render_process_ms"] = process_ms(
            [python, "-m", "letterkit", "render", "single.yaml", "-o", "x.pdf"], folder, 2
        )
        small = make_workload(Path(tmp) / "s1k", signatories=100 if smoke else 1000, recipients=1)
        large = make_workload(
            Path(tmp) / "s10k", signatories=1000 if smoke else 10000, recipients=1
        )
        from letterkit import cache, memo

        def from_nothing(spec: Path):  # type: ignore[no-untyped-def]
            # Scaling is about the work a list makes, not about what is reused:
            # every timed render starts with letterkit's tables empty, and reads
            # nothing of its list from the cache (its sort keys are made again).
            def render() -> None:
                memo.forget()
                before = os.environ.get(cache.NO_CACHE_ENV)
                os.environ[cache.NO_CACHE_ENV] = "1"
                try:
                    letterkit.render(spec)
                finally:
                    if before is None:
                        del os.environ[cache.NO_CACHE_ENV]
                    else:
                        os.environ[cache.NO_CACHE_ENV] = before

            return render

        t_small = timed(from_nothing(small.parent / "single.yaml"), 2 if smoke else 3)
        t_large = timed(from_nothing(large.parent / "single.yaml"), 1 if smoke else 2)
        results["signatories_10x_ratio"] = t_large / t_small
        for tool, measure in (("weasyprint", weasyprint_ms), ("typst", typst_ms)):
            ms = measure(folder, lambda render: timed(render, 2 if smoke else repeat))
            if ms is None:
                results[tool] = "not installed"
            else:
                results[f"{tool}_ms"] = ms
                results[f"{tool}_ratio"] = ms / base_ms
        runs = args.runs or (1 if smoke else 7)
        typst_python = felt.typst_python(args.typst_python)
        results.update(felt.cold_start(folder, runs, typst_python))
        results.update(felt.sizes(folder, typst_python))
        if not args.no_watch:
            results.update(watching.measure(folder, 3 if smoke else 20))
        if not args.no_big:
            counts = [3, 6] if smoke else [int(n) for n in args.big_counts.split(",")]
            signatories = 30 if smoke else 300

            def make(where: Path, count: int) -> Path:
                return make_workload(where, signatories=signatories, recipients=count)

            results.update(big.measure(make, Path(tmp), counts, args.rss_cap))
    results["machine"] = (
        f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    width = max(len(k) for k in results)
    for key, value in results.items():
        shown = f"{value:.2f}" if isinstance(value, float) else value
        print(f"{key:<{width}}  {shown}")
    table = goals.table(results)
    print()
    print(goals.markdown(table))
    if args.json:
        data = {**results, "table": [dict(zip(("measure", "result", "goal", "met"), row, strict=True))
                                     for row in table]}  # fmt: skip
        Path(args.json).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
