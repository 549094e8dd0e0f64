"""Draw ``chart.png``, the made-up bar chart that ``L19-table-image.md`` shows.

Run ``python examples/shapes/make_chart.py`` to draw it again; the numbers are
invented. The PNG is written with Pillow and no metadata, so the same numbers
give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

#: Made-up counts of defenders in detention at the end of each year.
COUNTS = {"2019": 14, "2020": 19, "2021": 23, "2022": 31, "2023": 28, "2024": 36}
WIDTH, HEIGHT = 900, 420
LEFT, BOTTOM, TOP = 70, 60, 30


def draw(path: Path) -> None:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    pen = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=20)
    base = HEIGHT - BOTTOM
    most = 40
    pen.line([(LEFT, TOP), (LEFT, base), (WIDTH - 20, base)], fill=(60, 60, 60), width=2)
    for tick in range(0, most + 1, 10):
        y = base - (base - TOP) * tick / most
        pen.line([(LEFT - 6, y), (WIDTH - 20, y)], fill=(215, 215, 215), width=1)
        pen.text((LEFT - 12, y), str(tick), fill=(60, 60, 60), font=font, anchor="rm")
    step = (WIDTH - LEFT - 40) / len(COUNTS)
    for index, (year, count) in enumerate(COUNTS.items()):
        x = LEFT + 20 + index * step
        y = base - (base - TOP) * count / most
        pen.rectangle([x, y, x + step * 0.6, base], fill=(40, 80, 140))
        pen.text((x + step * 0.3, base + 12), year, fill=(60, 60, 60), font=font, anchor="mt")
        pen.text((x + step * 0.3, y - 6), str(count), fill=(40, 40, 40), font=font, anchor="mb")
    image.save(path, format="PNG", optimize=True)


if __name__ == "__main__":
    draw(Path(__file__).with_name("chart.png"))
