"""The shape every reader hands on: a table as rows of cells, each with its place."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A cell break: a | or ｜ with white space on one side at least (元|人 is text), a tab, or a run
# of two or more spaces.
_PIPE_ROW = re.compile(r"^\s*[|｜].*[|｜]\s*$")  # | a | b |
_PIPE = re.compile(r"\s*[|｜]\s*")
_CELL_BREAK = re.compile(r"\s+[|｜]\s*|[|｜]\s+|\s*\t\s*| {2,}")


@dataclass
class Cell:
    """One cell's text and where it was read: a dump's line, a PDF's page, by OCR or not."""

    text: str
    line: int | None = None
    page: int | None = None
    ocr: bool = False
    x: float | None = None  # where it starts across: a dump's character column, a PDF's x0


Row = list[Cell]


def row_of_line(no: int, text: str) -> Row:
    """A dump line as cells: split at | and tabs (pipe tables, where an empty cell stays a
    cell), or at runs of two or more spaces (`pdftotext -layout`); a line with neither is
    one cell."""
    if _PIPE_ROW.match(text):
        parts = _PIPE.split(text.strip().strip("|｜"))
        return [Cell(p.strip(), line=no) for p in parts]
    body = text.rstrip().rstrip("|｜")
    cells, at = [], 0
    for m in [*_CELL_BREAK.finditer(body), None]:
        end = m.start() if m else len(body)
        piece = body[at:end]
        if piece.strip().strip("|｜").strip():
            lead = len(piece) - len(piece.lstrip(" |｜\t"))
            cells.append(Cell(piece.strip().strip("|｜").strip(), line=no, x=at + lead))
        at = m.end() if m else at
    return cells or [Cell("", line=no)]
