"""Build the example's annexes, chronology.pdf and chronology.ru.pdf, from case.yaml.

The PDFs are committed so the example renders as it is; run this script again
after editing the events in case.yaml:

    python make_chronology.py
"""

from __future__ import annotations

from pathlib import Path

import yaml
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from letterkit.l10n import format_date, localize
from letterkit.typeset.compose import xml
from letterkit.typeset.fonts import SANS, SERIF, register

HERE = Path(__file__).parent
TITLES = {
    "en-GB": ("Chronology of the case of Azimjon Askarov, 2010–2018", "Date", "Event"),
    "ru": ("Хронология дела Азимжана Аскарова, 2010–2018 гг.", "Дата", "Событие"),
}


def build(loc: str, output: str) -> None:
    case = yaml.safe_load((HERE / "case.yaml").read_text(encoding="utf-8"))
    title, date_head, event_head = TITLES[loc]
    register()
    heading = ParagraphStyle("h", fontName=SANS + "-Bold", fontSize=13, leading=17)
    cell = ParagraphStyle("c", fontName=SERIF, fontSize=9.5, leading=12.5)
    head = ParagraphStyle("th", parent=cell, fontName=SANS + "-Bold")
    rows = [[Paragraph(date_head, head), Paragraph(event_head, head)]]
    for event in case["events"]:
        rows.append(
            [
                Paragraph(xml(format_date(event["date"], loc)), cell),
                Paragraph(xml(localize(event["text"], loc)), cell),
            ]
        )
    table = Table(rows, colWidths=[38 * mm, None], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), SERIF),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, "#444444"),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, "#BBBBBB"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    doc = SimpleDocTemplate(
        str(HERE / output),
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        invariant=1,
        initialFontName=SERIF,
        title=title,
        lang=loc,
    )
    doc.build([Paragraph(xml(title), heading), Spacer(1, 6 * mm), table])
    print(f"wrote {output}")


if __name__ == "__main__":
    build("en-GB", "chronology.pdf")
    build("ru", "chronology.ru.pdf")
