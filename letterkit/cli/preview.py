"""A letter's PDF → one PNG contact sheet of its pages (pypdfium2 + Pillow).

For reviewing a change at a glance, e.g. in a pull request: every page as a
thumbnail, in reading order, with its page label underneath.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import UsageError
from ..pipeline import write_atomically


def contact_sheet(pdf: bytes, columns: int = 4, width: int = 300) -> bytes:
    """The PNG bytes of a contact sheet of *pdf*'s pages, *width* pixels per page."""
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:
        raise UsageError("preview needs pypdfium2: pip install 'letterkit[preview]'") from exc
    from PIL import Image, ImageDraw
    from pypdf import PdfReader

    labels = list(PdfReader(io.BytesIO(pdf)).page_labels)
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        thumbs = []
        for index in range(len(doc)):
            page = doc[index]
            scale = width / page.get_width()
            thumbs.append(page.render(scale=scale).to_pil().convert("RGB"))
            page.close()
    finally:
        doc.close()
    gap, caption = 16, 18
    rows = (len(thumbs) + columns - 1) // columns
    cell_h = max(t.height for t in thumbs) + caption
    sheet = Image.new(
        "RGB", (columns * (width + gap) + gap, rows * (cell_h + gap) + gap), (228, 228, 228)
    )
    draw = ImageDraw.Draw(sheet)
    for index, thumb in enumerate(thumbs):
        x = gap + (index % columns) * (width + gap)
        y = gap + (index // columns) * (cell_h + gap)
        sheet.paste(thumb, (x, y))
        draw.rectangle((x - 1, y - 1, x + thumb.width, y + thumb.height), outline=(160, 160, 160))
        label = labels[index] if index < len(labels) else str(index + 1)
        draw.text((x, y + thumb.height + 4), label, fill=(60, 60, 60))
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()


def write_contact_sheet(pdf: bytes, target: Path, columns: int = 4) -> None:
    """Write the contact sheet of *pdf* to *target* atomically."""
    write_atomically(target, contact_sheet(pdf, columns=columns))
