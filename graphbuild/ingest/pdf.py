"""Read 项目支出绩效目标表 tables from PDF disclosures, cell by cell, with page numbers.

Each table is found by its title; its cells come from the ruling lines (pdfplumber's table
finder), so merged label cells, vertical labels (绩效指标) and the side-by-side 实施期 / 年度
indicator blocks read by position, not by the order the text happens to be drawn in. A
table that runs onto the next page continues there (the page repeats 绩效指标; a split
一级指标 cell may be empty). Values are read with the same rules as the text path (layout.py).

Reading goes in three steps:

1. a page's characters and ruling lines (pdf_chars: PDFium by default, pdfminer as the
   check), every character through textnorm.normalize, so PDFs from Chromium, LibreOffice,
   Word/WPS or reportlab read the same;
2. the page's events (`_read_page`): text lines outside tables and table cells, top to
   bottom; pages are read in worker processes for a long file, and the events joined in
   page order into tables (`_assemble`); `table_rows` gives a table's cells as rows in
   reading order, each left to right (what a label mapper reads);
3. a table's cells into a ProjectRecord (`_record`).
"""
from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..records import Indicator, ProjectRecord
from .text import ParseError  # the class the text path raises
from .layout import (
    LEVEL1,
    SECTION_LABELS,
    TITLE_MARK,
    join_lines,
    parse_amounts,
    parse_attribute,
    parse_funding,
)
from .pdf_chars import ENGINES, PageLayout, find_tables, quiet_pdfminer

PDF_MAGIC = b"%PDF-"
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值")
_YEAR = re.compile(r"（\s*(\d{4})\s*年度?\s*）")
_DEPT = re.compile(r"^(\d+)\s*[-－—]\s*(.*)$")
_TOL = 2.0  # points: same row, same column
# A gap wider than this share of the font size between two glyphs is a space (glyphs of
# a word abut; a space glyph is 0.22-0.3 em; Chromium's text layer may carry none).
_GAP = 0.15
ENGINE = os.environ.get("GRAPHBUILD_PDF_ENGINE", "pdfium")
PAGES_PER_WORKER = 8  # below twice this a file is read in one process


@dataclass
class Cell:
    """One table cell on one page, with its text lines."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    lines: list[str]
    ocr: bool = False  # read by OCR from a scanned page (ocr.py)

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


# A page's events, top to bottom: ("text", line) outside tables, ("cells", [Cell]) per table.
Event = tuple[str, object]


def is_pdf(path: str | Path) -> bool:
    """True when the file starts like a PDF (%PDF- in its first 1 KiB), whatever its name."""
    with open(path, "rb") as f:
        return PDF_MAGIC in f.read(1024)


def page_count(path: str | Path) -> int:
    """Pages in a PDF, for progress bars."""
    import pypdfium2 as pdfium  # imported when a PDF is read: text-only builds start faster

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def read_pdf(path: str | Path, on_page: Callable[[int], None] = lambda _n: None,
             engine: str | None = None, workers: int | None = None) -> list[ProjectRecord]:
    """Every table in a PDF, in order; `on_page(page_no)` after each page is read.

    `engine` is "pdfium" (default, or $GRAPHBUILD_PDF_ENGINE) or "pdfplumber"; `workers`
    the processes that read pages (default: every core for a file of 16 pages or more).
    """
    path = Path(path)
    source = str(path)
    engine = engine or ENGINE
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r} (one of {', '.join(ENGINES)})")
    _check_file(path)
    pages = _open_count(path, engine)
    workers = workers or (os.cpu_count() or 1)
    workers = max(1, min(workers, pages // PAGES_PER_WORKER))
    per_page: list[list[Event]] = []
    if workers == 1:
        for no, events in _read_range(path, engine, 1, pages, on_page):
            per_page.append(events)
    else:
        step = max(2, min(PAGES_PER_WORKER, -(-pages // workers)))
        ranges = [(a, min(a + step - 1, pages)) for a in range(1, pages + 1, step)]
        with ProcessPoolExecutor(workers) as pool:
            for done in pool.map(_read_range_list, [(path, engine, a, b) for a, b in ranges]):
                for no, events in done:
                    per_page.append(events)
                    on_page(no)
    tables = _assemble(per_page, source)
    if not tables:
        raise ParseError(f"{source}:page 1: no '{TITLE_MARK}' table found")
    stem = path.stem
    return [_record(t, source, stem, i) for i, t in enumerate(tables, 1)]


def _open_count(path: Path, engine: str) -> int:
    """Pages of the file, or the one-line error of a file that cannot be opened."""
    source = str(path)
    if engine == "pdfium":
        import pypdfium2 as pdfium

        try:
            doc = pdfium.PdfDocument(source)
        except pdfium.PdfiumError as err:
            if getattr(err, "err_code", None) == 4:  # FPDF_ERR_PASSWORD
                raise ParseError(f"{source}:page 1: encrypted, cannot be read without its "
                                 "password") from None
            raise ParseError(f"{source}:byte 0: not a readable PDF ({err})") from None
        try:
            return len(doc)
        finally:
            doc.close()
    with _plumber(path) as pdf:
        return len(pdf.pages)


def _plumber(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with quiet_pdfminer():
            return pdfplumber.open(path)
    except PdfminerException as err:
        cause = err.args[0] if err.args else err
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise ParseError(f"{path}:page 1: encrypted, cannot be read without its password"
                             ) from None
        raise ParseError(f"{path}:byte 0: not a readable PDF ({cause})") from None


def _read_range_list(job: tuple[Path, str, int, int]) -> list[tuple[int, list[Event]]]:
    """In a worker process: the events of pages a..b (1-based, inclusive)."""
    path, engine, a, b = job
    return list(_read_range(path, engine, a, b))


def _read_range(path: Path, engine: str, a: int, b: int,
                on_page: Callable[[int], None] = lambda _n: None):
    """(page_no, events) of pages a..b, each page read and closed in turn."""
    from .pdf_chars import pdfium_layout, plumber_layout

    source = str(path)
    if engine == "pdfium":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(source)
        get, layout, close = (lambda i: doc[i]), pdfium_layout, doc.close
    else:
        pdf = _plumber(path)
        get, layout, close = (lambda i: pdf.pages[i]), plumber_layout, pdf.close
    try:
        for no in range(a, b + 1):
            page = get(no - 1)
            try:
                with quiet_pdfminer():
                    events = _read_page(layout(page), no, path)
            except ParseError as err:
                raise ParseError(f"{source}:page {no}: {err}") from None
            except Exception as err:  # errors of the PDF library on damaged content
                raise ParseError(f"{source}:page {no}: cannot read the page "
                                 f"({type(err).__name__}: {err})") from None
            finally:
                page.close()
            yield no, events
            on_page(no)
    finally:
        close()


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


def _read_page(page: PageLayout, no: int, path: Path | None = None) -> list[Event]:
    """The page's text lines outside tables and its tables' cells, top to bottom; a page
    with no text layer but an image (a scan) is read by OCR from the file at `path`."""
    chars = sorted((c for c in page.chars if c["text"].strip() or c["text"] == " "),
                   key=lambda c: c["top"] + c["bottom"])
    if not any(c["text"].strip() for c in chars):
        if page.images:
            if path is None:
                raise ParseError("no text layer (a scanned image?)")
            from .ocr import scan_events

            return [(kind, payload) for _, kind, payload in
                    scan_events(path, no, lambda *a: Cell(*a, ocr=True))]
        return []
    centres = [(c["top"] + c["bottom"]) / 2 for c in chars]
    events: list[tuple[float, str, object]] = []
    inside: set[int] = set()
    for table in find_tables(page):
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
    return [(kind, payload) for _, kind, payload in sorted(events, key=lambda e: e[0])]


def _assemble(pages: list[list[Event]], source: str) -> list[_Table]:
    """Tables from the pages' events, in order: a title line starts a table, the lines
    under it are its heading, cells before any title continue the last table."""
    tables: list[_Table] = []
    for no, events in enumerate(pages, 1):
        for kind, payload in events:
            if kind == "text" and TITLE_MARK in payload.replace(" ", ""):
                tables.append(_Table(no, [payload]))
            elif kind == "text":
                if tables and not tables[-1].cells:
                    tables[-1].heading.append(payload)
            elif tables:
                tables[-1].cells += payload
            else:
                raise ParseError(f"{source}:page {no}: a table with no '{TITLE_MARK}' title "
                                 "above it")
    return tables


def table_rows(t: _Table) -> list[list[Cell]]:
    """The table's cells as rows in reading order (page, then top), each left to right."""
    return _rows(t.cells)


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
        ocr=any(c.ocr for c in cells),
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
    level1 = level2 = ""
    # The block is the table's last: every cell under the header, page by page. A page it
    # continues on may repeat 绩效指标 or not (a spreadsheet or browser splits the merged
    # label); a 二级指标 or 三级指标 row cut by the page break goes on at the next page's top.
    below = [c for c in cells if c not in header and (c.page, c.top) > (head.page, head.top + _TOL)]
    for page in sorted({c.page for c in below}):
        cols: dict[int, list[Cell]] = {}
        for c in below:
            if c.page == page and (j := column(c)) is not None:
                cols.setdefault(j, []).append(c)
        last = {p: i for i, ind in enumerate(out) for p in (ind.period,)}  # before this page
        for n, group in enumerate(sorted(cols.get(1, []), key=lambda c: c.top)):
            l1 = next((c for c in cols.get(0, []) if c.beside(group)), None)
            if l1 is not None and l1.compact:
                level1 = LEVEL1.get(l1.compact, l1.compact)
            if group.compact:
                level2 = group.compact
            annual = next((c for c in cols.get(4, []) if group.beside(c)), group)
            for period, l2, c3 in (("实施期", group, 2), ("年度", annual, 5)):
                for k, l3 in enumerate(sorted((c for c in cols.get(c3, []) if group.beside(c)),
                                              key=lambda c: c.top)):
                    v = next((c.text for c in cols.get(c3 + 1, []) if l3.beside(c)), "")
                    if n == 0 and k == 0 and not group.compact and period in last and (
                            not v or not out[last[period]].value):
                        prev = out[last[period]]  # the rest of a row cut by the page break
                        out[last[period]] = Indicator(
                            period, prev.level1, prev.level2, join_lines([prev.level3, l3.text]),
                            join_lines([prev.value, v]))
                    elif l3.text or v:
                        out.append(Indicator(period, level1, l2.compact or level2, l3.text, v))
    return out

