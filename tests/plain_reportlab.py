"""A program that uses ReportLab as letterkit's hosts do, for ``tests/test_host.py``.

    python tests/plain_reportlab.py plain   # never imports letterkit
    python tests/plain_reportlab.py host    # builds beside letterkit

Both print JSON on stdout. ``plain``: the SHA-256 of each plain ReportLab
document. ``host``: the same documents built before letterkit is imported,
in a second thread while letterkit renders 20 letters, and after; which
globals of ReportLab's modules a render left changed; and whether a render
in a worker thread gives the bytes of one in the main thread.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import sys
import threading
import types
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "fonts" / "NotoSerif-Regular.ttf"
IMAGE = ROOT / "examples" / "shapes" / "logo.png"
#: A font name of the host's own.
HOST_FONT = "HostSerif"
URL = (
    "https://records.example.org/archive/central_asia/2019/annual_report_on_the_situation"
    "/human_rights_defenders/full_text_with_annexes_and_tables.pdf"
)
#: Letters that bring all of letterkit's layout: every language of the
#: example (Arabic too), a letterhead with a logo, footnotes, columns.
LETTERS = [
    *sorted((ROOT / "examples" / "askarov-eu-2018").glob("appeal.*.yaml")),
    *sorted((ROOT / "examples" / "shapes").glob("L*.yaml")),
]
#: ReportLab modules whose globals a render must leave as they were.
MODULES = ("reportlab.pdfbase.pdfdoc", "reportlab.platypus.paragraph", "reportlab.rl_config")


def platypus_document() -> bytes:
    """A Platypus story whose paragraphs hold a long URL with slashes and underscores."""
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = getSampleStyleSheet()["BodyText"]
    url_style = ParagraphStyle("url", parent=body, uriWasteReduce=0.3, embeddedHyphenation=1)
    story = []
    for n in range(12):
        text = f"Item {n}: the report is at {URL} and a title High Representative/Vice-President."
        story.append(Paragraph(text, url_style if n % 2 else body))
        story.append(Paragraph(f'See <a href="{URL}">{URL}</a> for the rest.', url_style))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, invariant=1, title="Plain").build(story)
    return buffer.getvalue()


def canvas_document() -> bytes:
    """A canvas with a TrueType font of the host's own embedded and a PNG image."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    if HOST_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(HOST_FONT, str(FONT)))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    for page in range(3):
        canvas.setFont(HOST_FONT, 11)
        canvas.drawString(72, 760, f"Invoice page {page + 1}: Zürich, Ελλάδα, 1 234,50 €")
        for line in range(40):
            canvas.drawString(72, 730 - line * 15, f"Line {line} width {line * 2.5:.2f}")
        canvas.drawImage(str(IMAGE), 400, 700, 120, 60)
        canvas.drawImage(ImageReader(str(IMAGE)), 400, 600, 60, 30, mask="auto")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def plain_documents() -> dict[str, str]:
    """The SHA-256 of each plain document."""
    return {
        "platypus": hashlib.sha256(platypus_document()).hexdigest(),
        "canvas": hashlib.sha256(canvas_document()).hexdigest(),
    }


def snapshot() -> dict[str, Any]:
    """The globals of :data:`MODULES`, and the attributes of the classes and
    objects they hold (so that a method replaced on one shows)."""
    found: dict[str, Any] = {}
    for name in MODULES:
        module = importlib.import_module(name)
        for key, value in vars(module).items():
            found[f"{name}.{key}"] = value
            inner = getattr(value, "__dict__", None)
            if inner is not None and not isinstance(value, types.ModuleType):
                for attr, item in dict(inner).items():
                    found[f"{name}.{key}.{attr}"] = item
    return found


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names added, removed or bound to another object (or another value)."""
    out = sorted(set(before) ^ set(after))
    for name in sorted(set(before) & set(after)):
        old, new = before[name], after[name]
        if old is not new and not (type(old) is type(new) and _plain(old) and old == new):
            out.append(name)
    return out


def _plain(value: Any) -> bool:
    return isinstance(value, (int, float, str, bytes, tuple, frozenset, type(None)))


def host() -> dict[str, Any]:
    """Plain documents before, during and after letterkit, and what it changed."""
    before = plain_documents()
    modules_before = snapshot()

    import letterkit

    rendering = threading.Event()
    done = threading.Event()
    during: list[dict[str, str]] = []

    def beside() -> None:
        rendering.wait()
        while not done.is_set():
            during.append(plain_documents())

    thread = threading.Thread(target=beside)
    thread.start()
    rendering.set()
    rendered = [letterkit.render(LETTERS[n % len(LETTERS)]) for n in range(20)]
    done.set()
    thread.join()
    modules_after = snapshot()
    after = plain_documents()
    with ThreadPoolExecutor(max_workers=1) as pool:
        worker = pool.submit(letterkit.render, LETTERS[0]).result()
    return {
        "before": before,
        "during": during,
        "after": after,
        "letters": len(rendered),
        "changed": changed(modules_before, modules_after),
        "worker_equals_main": worker == rendered[0],
        "first_letter": hashlib.sha256(rendered[0]).hexdigest(),
    }


def main() -> int:
    mode = sys.argv[1]
    result = plain_documents() if mode == "plain" else host()
    if mode == "plain" and "letterkit" in sys.modules:
        raise SystemExit("letterkit was imported")
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
