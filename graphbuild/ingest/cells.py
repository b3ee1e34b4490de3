"""The shape every reader hands on: a table as rows of cells, each with its place."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A cell break: a | or ｜ with white space on one side at least (元|人 is text), a tab, or a run
# of two or more spaces.
_CELL_BREAK = re.compile(r"\s+[|｜]\s*|[|｜]\s+|\s*\t\s*| {2,}")


@dataclass
class Cell:
    """One cell's text and where it was read: a dump's line, a PDF's page, by OCR or not."""

    text: str
    line: int | None = None
    page: int | None = None
    ocr: bool = False


Row = list[Cell]


def row_of_line(no: int, text: str) -> Row:
    """A dump line as cells: split at | and tabs (pipe tables), or at runs of two or more
    spaces (`pdftotext -layout`); a line with neither is one cell."""
    parts = [p for p in _CELL_BREAK.split(text.strip().strip("|｜")) if p.strip()]
    return [Cell(p.strip(), line=no) for p in parts] or [Cell("", line=no)]
