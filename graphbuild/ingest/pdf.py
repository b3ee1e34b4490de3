"""Read 项目支出绩效目标表 tables from PDF disclosures, cell by cell, with page numbers.

Each table is found by its title; its cells come from the ruling lines (pdfplumber), so
merged label cells, vertical labels (绩效指标) and the side-by-side 实施期 / 年度 indicator
blocks read by position, not by the order the text happens to be drawn in. A table that
runs onto the next page continues there (the page repeats 绩效指标; a split 一级指标 cell
may be empty). Values are read with the same rules as the text path (layout.py).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..records import Indicator, ProjectRecord
from .layout import (
    LEVEL1,
    SECTION_LABELS,
    TITLE_MARK,
    join_lines,
    parse_amounts,
    parse_attribute,
    parse_funding,
)
from .text import ParseError

PDF_MAGIC = b"%PDF-"
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值")
_TABLES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_YEAR = re.compile(r"（\s*(\d{4})\s*年度?\s*）")
_DEPT = re.compile(r"^(\d+)\s*[-－—]\s*(.*)$")
_TOL = 2.0  # points: same row, same column
_GAP = 0.3  # a gap wider than this share of the font size between two glyphs is a space


@dataclass
class Cell:
    """One table cell on one page, with its text lines."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    lines: list[str]

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def compact(self) -> str:
        return self.text.replace(" ", "")

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    def beside(self, other: Cell) -> bool:
        """`other` lies within this cell's rows, on the same page."""
        return other.page == self.page and self.top - _TOL <= other.middle <= self.bottom + _TOL


@dataclass
class _Table:
    page: int
    heading: list[str]  # text lines above the table: title, （2024年度）
    cells: list[Cell] = field(default_factory=list)


def is_pdf(path: str | Path) -> bool:
    """True when the file starts like a PDF (%PDF- in its first 1 KiB), whatever its name."""
    with open(path, "rb") as f:
        return PDF_MAGIC in f.read(1024)


def page_count(path: str | Path) -> int:
    """Pages in a PDF, for progress bars."""
    import pdfplumber  # imported when a PDF is read: text-only builds start faster

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def read_pdf(path: str | Path, on_page: Callable[[int], None] = lambda _n: None
             ) -> list[ProjectRecord]:
    """Every table in a PDF, in order; `on_page(page_no)` after each page is read."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    path = Path(path)
    source = str(path)
    _check_file(path)
    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as err:
        cause = err.args[0] if err.args else err
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise ParseError(f"{source}:page 1: encrypted, cannot be read without its password"
                             ) from None
        raise ParseError(f"{source}:byte 0: not a readable PDF ({cause})") from None
    tables: list[_Table] = []
    with pdf:
        for no, page in enumerate(pdf.pages, 1):
            try:
                _read_page(page, no, tables)
            except ParseError as err:
                raise ParseError(f"{source}:page {no}: {err}") from None
            except Exception as err:  # pdfminer's errors on damaged content
                raise ParseError(f"{source}:page {no}: cannot read the page "
                                 f"({type(err).__name__}: {err})") from None
            finally:
                page.close()
            on_page(no)
    if not tables:
        raise ParseError(f"{source}:page 1: no '{TITLE_MARK}' table found")
    stem = path.stem
    return [_record(t, source, stem, i) for i, t in enumerate(tables, 1)]


def _check_file(path: Path) -> None:
    with open(path, "rb") as f:
        head = f.read(1024)
        size = f.seek(0, 2)
        f.seek(max(0, size - 1024))
        tail = f.read()
    if PDF_MAGIC not in head:
        kind = ("a JPEG image" if head.startswith(b"\xff\xd8\xff") else
                "a PNG image" if head.startswith(b"\x89PNG") else f"starts with {head[:8]!r}")
        raise ParseError(f"{path}:byte 0: not a PDF ({kind})")
    if b"%%EOF" not in tail:
        raise ParseError(f"{path}:byte {size}: truncated PDF (no %%EOF at the end)")


def _read_page(page, no: int, tables: list[_Table]) -> None:
    """Add the page's titles and cells to `tables` (cells before any title continue the
    last table)."""
    chars = sorted((c for c in page.chars if c["text"].strip() or c["text"] == " "),
                   key=lambda c: c["top"] + c["bottom"])
    if not any(c["text"].strip() for c in chars):
        if page.images:
            raise ParseError("no text layer (a scanned image?)")
        return
    found = sorted(page.find_tables(_TABLES), key=lambda t: t.bbox[1])
    centres = [(c["top"] + c["bottom"]) / 2 for c in chars]
    events: list[tuple[float, str, object]] = []
    inside: set[int] = set()
    for table in found:
        cells = []
        for x0, top, x1, bottom in table.cells:
            lo, hi = bisect_left(centres, top), bisect_right(centres, bottom)
            mine = [i for i in range(lo, hi) if x0 <= (chars[i]["x0"] + chars[i]["x1"]) / 2 <= x1]
            inside.update(mine)
            cells.append(Cell(no, x0, top, x1, bottom, _lines([chars[i] for i in mine])))
        cells.sort(key=lambda c: (round(c.top), c.x0))
        events.append((table.bbox[1], "cells", cells))
    loose = [c for i, c in enumerate(chars) if i not in inside]
    for line in _line_groups(loose):
        events.append((line[0]["top"], "text", _line_text(line)))
    for _, kind, payload in sorted(events, key=lambda e: e[0]):
        if kind == "text" and TITLE_MARK in payload:
            tables.append(_Table(no, [payload]))
        elif kind == "text":
            if tables and not tables[-1].cells:
                tables[-1].heading.append(payload)
        elif tables:
            tables[-1].cells += payload
        else:
            raise ParseError(f"a table with no '{TITLE_MARK}' title above it")


def _line_groups(chars: list[dict]) -> list[list[dict]]:
    """Chars in lines, top to bottom, each line left to right."""
    lines: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and c["top"] - lines[-1][0]["top"] < c["size"] * 0.5:
            lines[-1].append(c)
        else:
            lines.append([c])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _line_text(line: list[dict]) -> str:
    out, prev = "", None
    for c in line:
        if prev and c["x0"] - prev["x1"] > _GAP * c["size"] and c["text"] != " " \
                and not out.endswith(" "):
            out += " "
        out += c["text"]
        prev = c
    return out.strip()


def _lines(chars: list[dict]) -> list[str]:
    return [t for line in _line_groups(chars) if (t := _line_text(line))]


def _record(t: _Table, source: str, stem: str, ordinal: int) -> ProjectRecord:
    where = f"{source}:page {t.page}"
    cells = t.cells

    def label(name: str) -> Cell:
        found = next((c for c in cells if c.compact == name), None)
        if found is None:
            raise ParseError(f"{where}: table {ordinal} has no {name} cell")
        return found

    def right(of: Cell, stop: Cell | None = None) -> list[Cell]:
        return [c for c in cells if of.beside(c) and c.x0 >= of.x1 - _TOL
                and (stop is None or c.x1 <= stop.x0 + _TOL)]

    def value(of: Cell, stop: Cell | None = None) -> str:
        return join_lines([line for c in right(of, stop) for line in c.lines])

    dept_label, unit_label = label("主管部门及代码"), label("实施单位")
    dept = _DEPT.match(value(dept_label, unit_label))
    if not dept:
        raise ParseError(f"{source}:page {dept_label.page}: cannot read 主管部门及代码 in "
                         f"{value(dept_label, unit_label)!r}")
    attr_label, period_label = label("项目属性"), label("项目期")
    attribute, period = parse_attribute(value(attr_label, period_label), value(period_label))
    money = _rows(right(label("项目资金（元）")))
    amounts = parse_amounts(" ".join(c.text for c in money[0])) if money else None
    if not amounts:
        raise ParseError(f"{where}: table {ordinal}: cannot read 实施期资金总额 / 年度资金总额")
    fields, pages = {}, {}
    for key, printed in SECTION_LABELS[:5]:
        cell = label(printed)
        fields[key], pages[key] = value(cell), cell.page
    goal = label("总体目标")
    goals = [r for r in _rows(right(goal)) if [c.compact for c in r] != ["实施期目标", "年度目标"]]
    first = goals[0] if goals else []
    fields["实施期目标"] = first[0].text if first else ""
    fields["年度目标"] = first[-1].text if len(first) > 1 else ""
    pages["实施期目标"] = pages["年度目标"] = goal.page
    year = next((int(m.group(1)) for line in t.heading if (m := _YEAR.search(line))), None)
    return ProjectRecord(
        id=f"{stem}#{ordinal}",
        source=source,
        ordinal=ordinal,
        line=0,
        page=t.page,
        year=year,
        name=value(label("项目名称")),
        dept_code=dept.group(1),
        dept_name=dept.group(2).strip(),
        unit=value(unit_label),
        attribute=attribute,
        period_years=period,
        funds_total=amounts[0],
        funds_annual=amounts[1],
        funding=[f for row in money[1:] if (f := parse_funding(" ".join(c.text for c in row)))],
        fields=fields,
        field_pages=pages,
        indicators=_indicators(cells, label("一级指标"), where),
    )


def _rows(cells: list[Cell]) -> list[list[Cell]]:
    """Cells grouped into rows by their top, each row left to right."""
    rows: list[list[Cell]] = []
    for c in sorted(cells, key=lambda c: (c.page, c.top, c.x0)):
        if rows and rows[-1][0].page == c.page and abs(rows[-1][0].top - c.top) < _TOL:
            rows[-1].append(c)
        else:
            rows.append([c])
    return rows


def _indicators(cells: list[Cell], head: Cell, where: str) -> list[Indicator]:
    """The indicator block: per 二级指标 row, its 实施期 indicators, then its 年度 ones."""
    header = [c for c in next(r for r in _rows(cells) if head in r) if c.x0 >= head.x0 - _TOL]
    if tuple(c.compact for c in header) != INDICATOR_HEADER:
        raise ParseError(f"{where}: unexpected indicator header {[c.text for c in header]}")
    starts = [c.x0 for c in header]

    def column(c: Cell) -> int | None:
        return next((j for j, x in enumerate(starts) if abs(c.x0 - x) < _TOL), None)

    out: list[Indicator] = []
    level1 = ""
    for zone in (c for c in cells if c.compact == "绩效指标"):
        cols: dict[int, list[Cell]] = {}
        for c in cells:
            if zone.beside(c) and c not in header and (j := column(c)) is not None:
                cols.setdefault(j, []).append(c)
        for group in cols.get(1, []):
            l1 = next((c for c in cols.get(0, []) if c.beside(group)), None)
            if l1 is not None and l1.compact:
                level1 = LEVEL1.get(l1.compact, l1.compact)
            annual = next((c for c in cols.get(4, []) if group.beside(c)), group)
            for period, l2, c3 in (("实施期", group, 2), ("年度", annual, 5)):
                for l3 in (c for c in cols.get(c3, []) if group.beside(c)):
                    v = next((c.text for c in cols.get(c3 + 1, []) if l3.beside(c)), "")
                    if l3.text or v:
                        out.append(Indicator(period, level1, l2.compact, l3.text, v))
    return out
