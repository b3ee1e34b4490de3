"""Grids: one table holding several projects, one a row, under a header row of labels.

    单位：万元
    序号 | 项目名称 | 主管部门 | 实施单位 | 年度资金总额 | 立项依据
    1    | 甲项目   | 某局     | 某中心   | 100          | 根据…〔2023〕1号
    合计 |          |          |          | 300          |

A header row is a row of three or more cells, all labels but one at most (序号), one of them
a 项目名称.
Each data row becomes the rows (label, value) the mapper reads a form from; a cell is put
under the header cell it starts beneath (so a wrapped line of a `pdftotext -layout` grid
continues its column), or by position when the row has as many cells as the header. A row
filling half the columns or more starts a project; a shorter one continues the last. Rows
whose first or second text is 合计 / 小计 / 总计 are a total, not a project.
"""
from __future__ import annotations

import re

from . import labels as L
from .cells import Cell, Row

_TOTAL = re.compile(r"^(?:合\s*计|小\s*计|总\s*计|共\s*计)$")


def header_at(rows: list[Row]) -> int | None:
    """Index of a grid's header row, or None when the table is a form."""
    table = L.table()
    for i, row in enumerate(rows):
        if len(row) < 3:
            continue
        roles = [found[0] for c in row if (found := table.lookup(c.text))]
        if L.NAME in roles and len(roles) >= max(2, len(row) - 1):
            return i
    return None


def project_rows(rows: list[Row], at: int) -> list[list[Row]]:
    """For each project row under the header at `at`: its (label, value) rows."""
    header = rows[at]
    projects: list[list[list[Cell]]] = []  # per project, per column, its cells
    for row in rows[at + 1:]:
        texts = [c for c in row if c.text]
        if not texts:
            continue
        if any(_TOTAL.match(c.text) for c in texts[:2]):
            projects.append([])  # a total ends the rows above; what follows is new
            continue
        columns = _columns(header, row if len(row) == len(header) else texts)
        if not projects or not projects[-1] or len(row) == len(header) \
                or 2 * len(columns) >= len(header):
            projects.append([[] for _ in header])
        for j, cells in columns.items():
            projects[-1][j].extend(cells)
    table = L.table()
    return [[[Cell(h.text, h.line, h.page, h.ocr), *cells]
             for h, cells in zip(header, p) if cells and table.lookup(h.text)]
            for p in projects if p]


def _columns(header: Row, cells: Row) -> dict[int, list[Cell]]:
    """The header column each cell falls under: by position when the counts agree, else
    under the last header cell starting at or before it (two characters' slack)."""
    if len(cells) == len(header):
        return {j: [c] for j, c in enumerate(cells) if c.text}
    out: dict[int, list[Cell]] = {}
    for c in cells:
        if c.x is None:
            continue
        j = max((j for j, h in enumerate(header) if h.x is not None and h.x <= c.x + 2),
                default=0)
        out.setdefault(j, []).append(c)
    return out
