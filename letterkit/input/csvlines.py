"""CSV text → the lines the :mod:`csv` reader asks for, rows of nothing skipped fast.

A sheet exported from a spreadsheet can end in a million rows of empty
cells, and a crafted file can be megabytes of line breaks. Handing each of
them to the csv reader costs a Python round trip per line; :class:`Lines`
skips a run of them with one regular-expression match instead, and still
counts every physical line, so problems keep their line numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")

#: Characters in one physical line: room for 200 columns of 2,000 characters,
#: quoted. A longer line would make the csv reader build a row of millions of
#: cells (a line of commas) before any limit could look at it.
MAX_LINE = 500_000


class Lines:
    """The lines of *text* with their ends (as a file read with ``newline=''``).

    Once :attr:`skip` is set, lines holding only spaces and *delimiter*s are
    left out while no quoted cell is open (they are rows without a value).
    :attr:`first` is the physical number of the first line handed out since
    it was last set to 0: the line a record starts on.
    """

    def __init__(self, text: str, delimiter: str) -> None:
        self.text = text
        # Up to 4,096 lines a match: the engine keeps state for every repetition.
        self.empty = re.compile(rf"(?:[ \t{re.escape(delimiter)}]*(?:\r\n|\r|\n)){{1,4096}}")
        self.skip = False
        self.number = 0
        self.first = 0
        #: The text of line :attr:`first`.
        self.head = ""

    def __iter__(self) -> Iterator[str]:
        text, at, quoted = self.text, 0, False
        while at < len(text):
            if self.skip and not quoted:
                empty = self.empty.match(text, at)
                if empty:
                    run = empty.group()
                    self.number += run.count("\n") + run.count("\r") - run.count("\r\n")
                    at = empty.end()
                    continue
            match = _LINE.match(text, at)
            assert match is not None  # the pattern matches at any offset
            if match.end() - at > MAX_LINE:
                self.number += 1
                self.first = self.first or self.number
                raise csv.Error(f"a line holds more than {MAX_LINE:,} characters")
            line = match.group()
            at = match.end()
            self.number += 1
            if not self.first:
                self.first, self.head = self.number, line
            quoted ^= line.count('"') % 2 == 1
            yield line
