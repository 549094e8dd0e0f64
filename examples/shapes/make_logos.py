"""Write the five made-up co-signers' logos of L18-coalition.yaml (deterministic).

    python examples/shapes/make_logos.py

Each logo is a plain mark and the initials of an organisation that does not
exist, in a shape of its own (square, wide, very wide, tall), so that the
letterhead's row shows logos of different proportions set to one height.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = HERE.parent.parent / "fonts" / "NotoSans-Bold.ttf"

#: file name → (size in pixels, mark colour, initials, the mark's shape)
LOGOS = {
    "logo-steppe.png": ((120, 120), (23, 92, 140), "SB", "circle"),
    "logo-legal.png": ((240, 120), (150, 40, 40), "LPF", "square"),
    "logo-press.png": ((300, 100), (40, 110, 60), "PFN", "stripes"),
    "logo-women.png": ((100, 140), (120, 60, 130), "WR", "triangle"),
    "logo-trials.png": ((200, 110), (200, 120, 20), "FTW", "diamond"),
}


def mark(
    draw: ImageDraw.ImageDraw,
    shape: str,
    box: tuple[int, int, int, int],
    colour: tuple[int, int, int],
) -> None:
    """The organisation's mark inside *box* (left, top, right, bottom)."""
    left, top, right, bottom = box
    middle = (left + right) // 2, (top + bottom) // 2
    if shape == "circle":
        draw.ellipse(box, fill=colour)
    elif shape == "square":
        draw.rectangle(box, fill=colour)
    elif shape == "stripes":
        step = (bottom - top) // 5
        for n in (0, 2, 4):
            draw.rectangle((left, top + n * step, right, top + (n + 1) * step), fill=colour)
    elif shape == "triangle":
        draw.polygon([(middle[0], top), (right, bottom), (left, bottom)], fill=colour)
    else:
        draw.polygon(
            [(middle[0], top), (right, middle[1]), (middle[0], bottom), (left, middle[1])],
            fill=colour,
        )


def logo(
    size: tuple[int, int], colour: tuple[int, int, int], initials: str, shape: str
) -> Image.Image:
    """One logo: the mark on the left (on top, for a tall one) and the initials
    beside it (below it; on it, for a square one)."""
    width, height = size
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    tall = height > width
    side = min(width, height) - 20
    box = (
        (10, 10, 10 + side, 10 + side)
        if not tall
        else ((width - 60) // 2, 8, (width + 60) // 2, 68)
    )
    mark(draw, shape, box, colour)
    font = ImageFont.truetype(str(FONT), 34 if not tall else 30)
    if tall:
        draw.text((width // 2, height - 12), initials, fill=colour, font=font, anchor="ms")
    elif width == height:
        draw.text((width // 2, height // 2), initials, fill="white", font=font, anchor="mm")
    else:
        draw.text((box[2] + 12, height // 2), initials, fill=colour, font=font, anchor="lm")
    # Cropped to what is drawn, with a thin margin: the row spaces the marks, not white.
    left, top, right, bottom = ImageChops.invert(image.convert("L")).getbbox() or (0, 0, *size)
    image = image.crop((max(left - 4, 0), max(top - 4, 0), right + 4, bottom + 4))
    return image.quantize(colors=16)


def main() -> None:
    for name, (size, colour, initials, shape) in LOGOS.items():
        logo(size, colour, initials, shape).save(HERE / name, optimize=True)


if __name__ == "__main__":
    main()
