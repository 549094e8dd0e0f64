"""Render the Askarov letter with the Python API, in English and Russian.

    python examples/askarov_eu_letter.py [OUTPUT-FOLDER]

Shows the three steps: load (validates everything, raising ValidationError
with every problem), adjust the letter in code if needed, render.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import letterkit

HERE = Path(__file__).parent / "askarov-eu-2018"


def main(output: Path) -> int:
    output.mkdir(parents=True, exist_ok=True)
    for spec, name in (("letter.yaml", "askarov-en.pdf"), ("letter.ru.yaml", "askarov-ru.pdf")):
        try:
            letter = letterkit.load_letter(HERE / spec)
        except letterkit.ValidationError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            return 1
        # Letters are frozen dataclasses: change a copy, e.g. print on US Letter paper.
        letter = replace(letter, paper="A4")
        pdf = letterkit.render(letter, output / name)
        print(f"wrote {output / name} ({len(pdf):,} bytes, {len(letter.signatories)} signatories)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()))
