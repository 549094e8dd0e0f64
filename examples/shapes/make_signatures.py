"""Draw the made-up handwritten signatures of the letter shapes (deterministic).

    python examples/shapes/make_signatures.py

Each signature is a smooth pen stroke drawn with Pillow from a seed: loops
that run left to right, rising and falling like handwriting, on a transparent
background. None is anyone's signature. ``signature(seed, path)`` is also used
by the tests to make images of any number.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent
#: The signers of ``L16b-signed.yaml`` whose images are drawn (file stem → seed).
SIGNERS = {
    "sig-vermeulen": 11,
    "sig-lindqvist": 23,
    "sig-moreau": 37,
    "sig-kowalczyk": 41,
    "sig-esposito": 53,
    "sig-oconnell": 67,
    "sig-brandstaetter": 79,
}
WIDTH, HEIGHT = 360, 120
INK = (24, 38, 110, 255)


def _stroke(rng: random.Random) -> list[tuple[float, float]]:
    """The points of one pen stroke: a run of loops of varying size and slant."""
    points: list[tuple[float, float]] = []
    loops = rng.randint(5, 8)
    x, t = 18.0, 0.0
    step = (WIDTH - 60) / loops
    for _ in range(loops):
        size = rng.uniform(14, 36)
        lean = rng.uniform(0.2, 0.6)
        for _ in range(24):
            t += 2 * math.pi / 24
            x += step / 24
            y = HEIGHT * 0.55 - size * math.sin(t) - 6 * math.sin(t / 3)
            points.append((x + size * lean * math.cos(t), y))
    # A flourish under the name, back to the left.
    end_x, end_y = points[-1]
    for i in range(1, 30):
        f = i / 30
        points.append((end_x - f * (WIDTH - 80), end_y + 18 * math.sin(f * math.pi) + 8 * f))
    return points


def signature(seed: int, path: Path) -> Path:
    """Draw the signature of *seed* into *path* (a PNG with a transparent background)."""
    rng = random.Random(seed)
    image = Image.new("RGBA", (WIDTH, HEIGHT), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line(_stroke(rng), fill=INK, width=3, joint="curve")
    image.save(path, optimize=True)
    return path


def main() -> None:
    for stem, seed in SIGNERS.items():
        signature(seed, HERE / f"{stem}.png")


if __name__ == "__main__":
    main()
