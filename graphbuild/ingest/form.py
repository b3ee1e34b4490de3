"""Read one form-shaped table (label, value, label, value …) by what its labels mean.

The cells of a table are walked in reading order; every label of the layout table
(labels.py) starts a field and the text up to the next label is its value. A role is
taken once: a label word met again later (实施单位 inside 项目概况) is text. Labels in one
row with no value between them are column headers: the next rows' cells fill them one by
one (实施期目标 | 年度目标, 年度资金总额 | 其中：财政拨款). Everything from the indicator
block on is the indicators' (indicators.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import labels as L
from .cells import Cell, Row


_LOCALITY = ((("区县", "区级", "县级", "县区"), 3), (("市级",), 2), (("省级",), 1),
             (("中央",), 0))
_UNIT_ONLY = re.compile(r"^[（(]\s*(万元|元)\s*[）)]$")
_UNIT_LINE = re.compile(r"^(?:金额)?单位\s*[:：]\s*(?:万元|元)$")


@dataclass
class Value:
    """What a field holds: its cells' texts (in order) and the unit its label declared."""

    label: str
    unit: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells if c.text]


@dataclass
class Form:
    """A table's fields by role, the money unit declared by a block label, the rows of its
    indicator block, and the headers that took their values column by column."""

    values: dict[str, Value] = field(default_factory=dict)
    sources: list[Value] = field(default_factory=list)  # 其中：财政拨款 …, in order
    block_unit: str = ""
    indicator_rows: list[Row] = field(default_factory=list)
    columned: set[str] = field(default_factory=set)


def read_form(rows: list[Row]) -> Form:
    """Fields of a table by the roles of its labels."""
    table = L.table()
    form = Form()
    current: Value | None = None
    header: list[Value] = []  # labels of a header row awaiting their columns
    for r, row in enumerate(rows):
        pieces = _pieces(row, table)
        if any(isinstance(p, L.Label) and p.role == L.INDICATORS and p.role not in form.values
               for p, _ in pieces):
            form.indicator_rows = rows[r:]
            break
        fresh = [p for p, _ in pieces if isinstance(p, L.Label) and _takes(form, p)]
        texts = [p for p, _ in pieces if isinstance(p, Cell) and p.text]
        if header and not fresh and len(texts) == len(header):
            for v, cell in zip(header, texts):
                v.cells.append(cell)
                form.columned.add(_role_of(form, v))
            continue
        row_labels: list[Value] = []
        gap = False  # text between this row's labels
        for piece, cell in pieces:
            if isinstance(piece, L.Label) and _takes(form, piece):
                current = Value(piece.text, piece.unit)
                if piece.role == L.MONEY:
                    form.block_unit = form.block_unit or piece.unit
                if piece.role == L.SOURCE:
                    form.sources.append(current)
                elif piece.role not in (L.OTHER, L.MONEY):
                    form.values[piece.role] = current
                row_labels.append(current)
            elif isinstance(piece, L.Label):
                if current is not None:
                    current.cells.append(Cell(piece.text, cell.line, cell.page, cell.ocr))
            elif m := _UNIT_ONLY.match(piece.text):  # 项目资金 / （万元） with a value between
                form.block_unit = form.block_unit or m.group(1)
            elif current is not None:
                current.cells.append(piece)  # an empty one ends a paragraph
                gap = gap or bool(row_labels and piece.text)
        kept = [v for v in row_labels if v in form.values.values()]
        header = kept if len(kept) > 1 and not gap and not any(v.cells for v in kept) else []
    return form


def _takes(form: Form, label: L.Label) -> bool:
    """A label starts a field when its role has none yet (other labels, money blocks and
    funding sources always do)."""
    if label.role in (L.OTHER, L.SOURCE, L.MONEY) or label.role not in form.values:
        return True
    return label.role == L.DEPT and _dept_rank(label.text) > _dept_rank(form.values[L.DEPT].label)


def _dept_rank(label: str) -> tuple[bool, int]:
    """Which of several department labels names the disclosure's own department: one that
    says 主管 over 预算单位 or 单位名称, then the most local (区县级 over 市级 over 省级)."""
    local = next((rank for words, rank in _LOCALITY if any(w in label for w in words)), 2)
    return "主管" in label, local


def _role_of(form: Form, value: Value) -> str:
    return next(role for role, v in form.values.items() if v is value)


def _pieces(row: Row, table: L.Labels) -> list[tuple[L.Label | Cell, Cell]]:
    """A row's labels and texts in order, each with the cell it came from."""
    out: list[tuple[L.Label | Cell, Cell]] = []
    if not any(c.text for c in row):
        return [(c, c) for c in row]
    for cell in row:
        if _UNIT_LINE.match(cell.text):  # 单位：万元 declares the unit (mapper.py); no value
            continue
        at = 0
        for lab in table.scan(cell.text):
            if cell.text[at:lab.start].strip():
                out.append((Cell(cell.text[at:lab.start].strip(), cell.line, cell.page, cell.ocr),
                            cell))
            out.append((lab, cell))
            at = lab.end
        if cell.text[at:].strip():
            out.append((Cell(cell.text[at:].strip(), cell.line, cell.page, cell.ocr), cell))
    return out
