"""Read 项目支出绩效目标表 tables from PDF disclosures, cell by cell, with page numbers.

Each table is found by its title; its cells come from the ruling lines (pdfplumber's table
finder), so merged label cells, vertical labels (绩效指标) and the side-by-side 实施期 / 年度
indicator blocks read by position, not by the order the text happens to be drawn in. A
table that runs onto the next page continues there (the page repeats 绩效指标; a split
一级指标 cell may be empty, or hold the text the page before lacks; a rule the break left out
is added, pdf_chars.cut_rules). A table printed without ruling lines is read from its text
(`_unruled_cells`: blocks of wrapped lines, rows by aligned middles, the indicator block
placed by its header's columns, `_placed`). Values are read with the same rules as the text
path (layout.py).

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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

from ..records import Indicator, ProjectRecord
from .text import ParseError  # the class the text path raises
from .layout import LEVEL1, TITLE_MARK, join_lines, parse_funding
from . import labels as L
from .cells import Cell as TextCell, Row
from .mapper import declared_unit, read_table
from .pdf_chars import ENGINES, PageLayout, find_tables, quiet_pdfminer

PDF_MAGIC = b"%PDF-"
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值")
_TOL = 2.0  # points: same row, same column
# A gap wider than this share of the font size between two glyphs is a space (glyphs of
# a word abut; a space glyph is 0.22-0.3 em; Chromium's text layer may carry none).
_GAP = 0.15
ENGINE = os.environ.get("GRAPHBUILD_PDF_ENGINE", "pdfium")
_COLUMN_GAP = 0.6  # ems: a gap this wide between two glyphs of a line parts two cells
PAGES_PER_WORKER = 8  # below twice this a file is read in one process
_CUT_SLACK = 4.0  # points beyond a page break's cut that a cut cell's text may stand


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
    # a block of text lines of a table printed without ruling lines: its box is its text's
    # (an indicator block's cells are placed at `_record`, by the header's columns)
    loose: bool = False

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
    heading: list[str]  # text lines above the table: title, （2024年度）, 单位：万元
    cells: list[Cell] = field(default_factory=list)
    # (page, line) of text between the heading and the cells that holds labels (预算单位：…)
    before: list[tuple[int, str]] = field(default_factory=list)
    at: int = 0  # text lines of the file above it (a covering notice, for the first)


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
             engine: str | None = None, workers: int | None = None,
             problems: list[str] | None = None) -> list[ProjectRecord]:
    """Every table in a PDF, in order; `on_page(page_no)` after each page is read.

    `engine` is "pdfium" (default, or $GRAPHBUILD_PDF_ENGINE) or "pdfplumber"; `workers`
    the processes that read pages (default: every core for a file of 16 pages or more).
    A table that cannot be read raises ParseError, or, with a `problems` list, adds its
    one-line message (file, page, what is missing) there and the others are read; a file
    that cannot be read at all always raises.
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
    tables, preamble = _assemble(per_page, source)
    if not tables:
        raise ParseError(f"{source}:page 1: no '{TITLE_MARK}' table found (no title such as "
                         f"{TITLE_MARK} and no 项目名称 label in a table)")
    stem = path.stem
    unit = declared_unit(preamble)
    records = []
    for i, t in enumerate(tables, 1):
        try:
            records.append(_record(t, source, stem, i, unit=unit, preamble=tuple(preamble)))
        except ParseError as err:
            if problems is None:
                raise
            problems.append(str(err))
    return records


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
            # a cell at a rule the page break left out: the text of the cut cell is centred
            # on the cut and may stand half a line beyond it
            up = _CUT_SLACK if any(abs(top - y) <= _TOL for y in table.cuts) else 0.0
            down = _CUT_SLACK if any(abs(bottom - y) <= _TOL for y in table.cuts) else 0.0
            lo, hi = bisect_left(centres, top - up), bisect_right(centres, bottom + down)
            mine = [i for i in range(lo, hi) if x0 <= (chars[i]["x0"] + chars[i]["x1"]) / 2 <= x1]
            inside.update(mine)
            cells.append(Cell(no, x0, top, x1, bottom, _lines([chars[i] for i in mine])))
        cells.sort(key=lambda c: (round(c.top), c.x0))
        events.append((table.bbox[1], "cells", cells))
    loose = [c for i, c in enumerate(chars) if i not in inside]
    lines = _line_groups(loose)
    start = len(lines) if events else _unruled_start(lines)
    if not events and start == len(lines) and _tabular(lines):
        # no label, no title, lines in columns: the rest of an unruled table (its indicators)
        # when the page before ends one, else text (_assemble decides)
        texts = [_line_text(line) for line in lines]
        blocks = _blocks([c for line in lines for c in line], no)
        return [("more", (blocks, texts))]
    for line in lines[:start]:
        events.append((line[0]["top"], "text", _line_text(line)))
    if start < len(lines):
        events.append((lines[start][0]["top"], "cells",
                       _unruled_cells([c for line in lines[start:] for c in line], no)))
    return [(kind, payload) for _, kind, payload in sorted(events, key=lambda e: e[0])]


def _segments(line: list[dict]) -> list[list[dict]]:
    """A line's characters cut where the gap between two is an em or more (a column gap)."""
    out = [[line[0]]]
    for prev, c in zip(line, line[1:]):
        if c["x0"] - prev["x1"] >= _COLUMN_GAP * max(c["size"], prev["size"]):
            out.append([c])
        else:
            out[-1].append(c)
    return out


def _starts_with_label(line: list[dict]) -> bool:
    text = _line_text(_segments(line)[0])
    found = L.table().scan(text)
    return bool(found) and found[0].start == 0


def _unruled_start(lines: list[list[dict]]) -> int:
    """Where a table with no ruling lines begins on a page that has none: the first line
    whose first column starts with a label, when another such line follows (a form);
    len(lines) when there is none."""
    at = [i for i, line in enumerate(lines) if _starts_with_label(line)]
    return at[0] if len(at) >= 2 else len(lines)


def _tabular(lines: list[list[dict]]) -> bool:
    """The page's first lines stand in three or more columns, and none is a title."""
    head = lines[:3]
    return bool(head) and not any(L.TITLE.search(_line_text(line)) for line in head) and \
        any(len(_segments(line)) >= 3 for line in head)


_ALIGN = 0.35  # ems: two text blocks whose middles are this close stand in one row
_PITCH = 1.45  # ems, top to top: lines this close in one column are one cell's wrapped text


def _fragments(chars: list[dict]) -> list[list[dict]]:
    """The characters in pieces of one line and one column: grouped by their vertical middle
    (glyphs of different fonts on one line differ in height), cut at column gaps."""
    out: list[list[dict]] = []
    line: list[dict] = []
    for c in sorted(chars, key=lambda c: c["top"] + c["bottom"]):
        middle = (c["top"] + c["bottom"]) / 2
        if line and middle - (line[0]["top"] + line[0]["bottom"]) / 2 > _ALIGN * c["size"]:
            out += _segments(sorted(line, key=lambda c: c["x0"]))
            line = []
        line.append(c)
    if line:
        out += _segments(sorted(line, key=lambda c: c["x0"]))
    return sorted(out, key=lambda f: (min(c["top"] for c in f), f[0]["x0"]))


def _unruled_cells(chars: list[dict], no: int) -> list[Cell]:
    """Cells of a table printed without ruling lines, from its text alone.

    Pieces of lines cut at column gaps stack into blocks: a piece under another, overlapping
    it and a line's pitch below, is the same cell's wrapped text (a narrow label column's
    项目概况 over two lines, a narrative's lines). Blocks whose middles align are a row (a
    producer centres a cell's text in its height: a label beside its narrative), and so are
    blocks whose tops align (text at the top of its cell). A label alone whose block
    crosses the rows of others, or centred on rows around its own that have no label,
    spans them (项目资金 over the amounts and the funding lines, 总体目标): it becomes a row
    of its own before the first of them, as in a ruled table. The indicator block, from its header row (一级指标 二级指标 …) down, is
    left as blocks: `_record` places them by the header's columns. Every cell is `loose`."""
    return _rows_unruled(_blocks(chars, no), max((c["size"] for c in chars), default=10.0))


def _blocks(chars: list[dict], no: int) -> list[Cell]:
    """Pieces of lines stacked into blocks of one cell's text (see _unruled_cells)."""
    blocks: list[list[list[dict]]] = []  # blocks of fragments
    for f in _fragments(chars):
        top, size = min(c["top"] for c in f), max(c["size"] for c in f)
        x0, x1 = f[0]["x0"], f[-1]["x1"]
        best = None
        for b in blocks:
            last = b[-1]
            pitch = top - min(c["top"] for c in last)
            bx0, bx1 = min(g[0]["x0"] for g in b), max(g[-1]["x1"] for g in b)
            if 0.5 * size < pitch <= _PITCH * size and x0 < bx1 and bx0 < x1 and (
                    best is None or pitch < best[0]):
                best = (pitch, b)
        if best:
            best[1].append(f)
        else:
            blocks.append([f])
    return [Cell(no, min(g[0]["x0"] for g in b), min(c["top"] for g in b for c in g),
                 max(g[-1]["x1"] for g in b), max(c["bottom"] for g in b for c in g),
                 [t for g in b if (t := _line_text(g))], loose=True) for b in blocks]


def _rows_unruled(cells: list[Cell], size: float) -> list[Cell]:
    """Blocks into rows, as _unruled_cells says."""
    # a row: blocks whose middles align (text centred in the cell) or whose tops do (text
    # at the cell's top)
    cells.sort(key=lambda c: (c.top, c.x0))
    groups: list[list[Cell]] = []
    for c in cells:
        home = next((g for g in reversed(groups) if any(
            abs(c.middle - o.middle) <= _ALIGN * size for o in g)), None) or next(
            (g for g in reversed(groups) if any(abs(c.top - o.top) <= _ALIGN * size
                                                for o in g)), None)
        if home is None:
            groups.append([c])
        else:
            home.append(c)
    groups.sort(key=lambda g: min(c.middle for c in g))
    head = next((i for i, g in enumerate(groups)
                 if {"一级指标", "二级指标", "三级指标"} <= {c.compact for c in g}), None)
    tail: list[Cell] = []
    if head is not None:
        at = min(c.top for c in groups[head])
        tail = [c for g in groups[head:] for c in g] + \
            [c for g in groups[:head] for c in g if c.middle >= at]
        groups = [kept for g in groups[:head] if (kept := [c for c in g if c.middle < at])]
    table = L.table()
    rows = [g for g in groups if len(g) > 1 or not _spans(g[0], groups, table)]
    spanning = [g[0] for g in groups if len(g) == 1 and _spans(g[0], groups, table)]
    for row in rows:  # a row's cells share its top: the mapper groups rows by it
        top = min(c.top for c in row)
        for c in row:
            c.top = top
    rows.sort(key=lambda r: r[0].top)
    starts = [(label, _spanned(label, rows, size)) for label in spanning]
    for k, row in enumerate(rows):  # a label in a row of its own centred on rows around
        first = min(row, key=lambda c: c.x0)
        if len(row) > 1 and table.lookup(first.text) and (i := _wider(first, rows, k, size)) \
                is not None:
            row.remove(first)
            starts.append((first, rows[i]))
    for label, first in starts:
        label.top = first[0].top - 2 * _TOL if first else label.top
        rows.append([label])
    left = min((c.x0 for r in rows for c in r), default=0.0)
    right = max((c.x1 for r in rows for c in r), default=0.0)
    for row in rows:  # each cell out to the middle of the gaps beside it
        row.sort(key=lambda c: c.x0)
        edges = [left] + [(a.x1 + b.x0) / 2 for a, b in zip(row, row[1:])] + [right]
        for c, lo, hi in zip(row, edges, edges[1:]):
            c.x0, c.x1 = min(c.x0, lo), max(c.x1, hi)
    return [c for r in rows for c in r] + tail


def _spans(cell: Cell, groups: list[list[Cell]], table: L.Labels) -> bool:
    """A block alone in its row that is a label and crosses another row's blocks."""
    if table.lookup(cell.text) is None:
        return False
    return any(len(g) > 1 and min(c.top for c in g) < cell.bottom and cell.top < max(
        c.bottom for c in g) for g in groups)


def _wider(label: Cell, rows: list[list[Cell]], k: int, size: float) -> int | None:
    """The first row of the rows above and below row k, with no label of their own, that
    its label is centred on as well (项目资金 beside the middle one of three money lines)."""
    def free(r: list[Cell]) -> bool:
        return not any(c.x0 < label.x1 for c in r)  # no cell in the label's column

    i = j = k
    while i > 0 and j + 1 < len(rows) and free(rows[i - 1]) and free(rows[j + 1]):
        i, j = i - 1, j + 1
        top, bottom = rows[i][0].top, max(c.bottom for c in rows[j])
        if abs((top + bottom) / 2 - label.middle) <= _ALIGN * size:
            return i
    return None


def _spanned(label: Cell, rows: list[list[Cell]], size: float) -> list[Cell]:
    """The first row a label spans: of the runs of rows with nothing in the label's column
    (no label of their own) around its middle, the first it is centred on (else the run it
    is nearest centred on)."""
    free = [not any(c is not label and c.x0 < label.x1 for c in r) for r in rows]
    best = None
    for i in range(len(rows)):
        for j in range(i, len(rows)):
            if not free[j]:
                break
            top, bottom = rows[i][0].top, max(c.bottom for c in rows[j])
            if top <= label.middle <= bottom:
                err = abs((top + bottom) / 2 - label.middle)
                if err <= _ALIGN * size:
                    return rows[i]
                if best is None or err < best[0]:
                    best = (err, i)
    return rows[best[1]] if best else []


def _assemble(pages: list[list[Event]], source: str) -> tuple[list[_Table], list[str]]:
    """Tables from the pages' events, in order, and the text above the first (a covering
    notice). A title line (labels.TITLE: …绩效目标表, …申报表, …审批表) starts a table: the
    lines under it are its heading, up to the first that holds a label (预算单位：…), which
    with the lines after it goes before the table's cells. Cells with no title above them
    start a table when there is none yet or when they hold a 项目名称-role label and the
    table before has one; other cells continue the last table (it ran onto this page)."""
    table = L.table()
    tables: list[_Table] = []
    seen: list[str] = []  # every text line outside tables, in order
    loose: list[str] = []  # text since the last cells, for a table with no title
    for no, events in enumerate(pages, 1):
        for kind, payload in _continued(events, tables):
            if kind == "text":
                line = payload
                found = table.scan(line)
                if L.TITLE.search(line) and len(L.compact(line)) < 40 and not found:
                    tables.append(_Table(no, [line], at=len(seen)))
                elif tables and not tables[-1].cells and not tables[-1].before and not found:
                    tables[-1].heading.append(line)
                elif tables and not tables[-1].cells:
                    tables[-1].before.append((no, line))
                else:
                    loose.append(line)
                seen.append(line)
                continue
            cells: list[Cell] = payload
            named = any(_is_name(c, table) for c in cells)
            if not tables or (tables[-1].cells and named
                              and any(_is_name(c, table) for c in tables[-1].cells)):
                tables.append(_Table(no, loose if tables else [], at=len(seen)))
            tables[-1].cells += cells
            loose = []
    tables = [t for t in tables if t.cells]  # a title with no table under it is text
    return tables, seen[:tables[0].at] if tables else []


def _continued(events: list[Event], tables: list[_Table]) -> list[Event]:
    """A page of lines in columns ("more": blocks and text lines) continues the table
    before when that was printed without ruling lines and it has not ended in text; else
    it is text."""
    out: list[Event] = []
    for kind, payload in events:
        if kind != "more":
            out.append((kind, payload))
        elif tables and tables[-1].cells and tables[-1].cells[-1].loose:
            out.append(("cells", payload[0]))
        else:
            out += [("text", line) for line in payload[1]]
    return out


def _is_name(cell: Cell, table: L.Labels) -> bool:
    """The cell is a label that names the project (项目名称, 资金名称 …)."""
    found = table.lookup(cell.text)
    return found is not None and found[0] == L.NAME


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


def _record(t: _Table, source: str, stem: str, ordinal: int, *, unit: str = "",
            preamble: tuple[str, ...] = ()) -> ProjectRecord:
    """A table's record: its rows of cells read by label meaning (mapper.read_table), as
    the text path reads a dump; a national form's side-by-side 实施期 / 年度 indicator
    blocks are read here, by position."""
    where = f"{source}:page {t.page}"
    rows: list[Row] = [[TextCell(line, page=no)] for no, line in t.before]
    rows += _mapper_rows(table_rows(t))
    head = next((c for c in t.cells if c.compact == "一级指标"), None)
    indicators = None
    if head is not None and _header(t.cells, head) == INDICATOR_HEADER:
        cells = t.cells
        if head.loose:
            cells, head = _placed(t.cells, head)
        indicators = _indicators(cells, head, where)
    return read_table(rows, t.heading, source, ordinal, stem=stem, unit=unit, where=where,
                      preamble=preamble, indicators=indicators)


def _placed(cells: list[Cell], head: Cell) -> tuple[list[Cell], Cell]:
    """The indicator block of a table without ruling lines as a ruled one would give it:
    each text block in the header's column its middle falls in (left of the 一级指标 column:
    绩效指标, left out), spanning the header's width; on each page, rows from the blocks of
    the 三级指标 and 指标值 columns aligned by their middles (and 二级指标 blocks beside none
    of them: a group with no indicators); a 一级指标 or 二级指标 block spans the rows, from
    the first its column has not yet given, that it is centred on."""
    header = sorted((c for c in cells if c.page == head.page and abs(c.top - head.top) < _TOL
                     and c.x0 >= head.x0 - _TOL), key=lambda c: c.x0)
    centres = [(c.x0 + c.x1) / 2 for c in header]
    bounds = [centres[0] - (centres[1] - centres[0]) / 2] + \
        [(a + b) / 2 for a, b in zip(centres, centres[1:])] + \
        [centres[-1] + (centres[-1] - centres[-2]) / 2]
    lines = sorted(c.bottom - c.top for c in cells if len(c.lines) == 1) or [10.0]
    align = _ALIGN * lines[len(lines) // 2]  # of a line's height, about an em

    def column(c: Cell) -> int | None:
        x = (c.x0 + c.x1) / 2
        return next((k for k in range(len(header)) if bounds[k] <= x < bounds[k + 1]), None)

    def at(c: Cell, k: int, top: float, bottom: float) -> Cell:
        return Cell(c.page, bounds[k], top, bounds[k + 1], bottom, c.lines, c.ocr, True)

    out = [at(c, k, c.top, c.bottom) for k, c in enumerate(header)]
    for page, cols in _pages_of_columns(cells, header, head, column):
        leaves = sorted((c for k in (2, 3, 5, 6) for c in cols.get(k, [])), key=lambda c: c.middle)
        rows: list[list[Cell]] = []
        for c in leaves:
            if rows and c.middle - rows[-1][0].middle <= align:
                rows[-1].append(c)
            else:
                rows.append([c])
        bands = [[min(c.top for c in r), max(c.bottom for c in r)] for r in rows]
        for c in cols.get(1, []) + cols.get(4, []):  # a group with no indicators: a row
            if not any(c.top < b and a < c.bottom for a, b in bands):
                bands.append([c.top, c.bottom])
        bands.sort()
        for k in (2, 3, 5, 6):
            for c in cols.get(k, []):
                a, b = next((band for band in bands if band[0] - _TOL <= c.middle <= band[1] + _TOL),
                            (c.top, c.bottom))
                out.append(at(c, k, a, b))
        for k in (0, 1, 4):
            free = 0
            for c in sorted(cols.get(k, []), key=lambda c: c.top):
                best = None
                for i in range(free, len(bands)):
                    for j in range(i, len(bands)):
                        if not bands[i][0] - align <= c.middle <= bands[j][1] + align:
                            continue
                        err = abs((bands[i][0] + bands[j][1]) / 2 - c.middle)
                        if best is None or err < best[0] - align:
                            best = (err, i, j)
                if best is None:
                    out.append(at(c, k, c.top, c.bottom))
                    continue
                _, i, j = best
                out.append(at(c, k, bands[i][0], bands[j][1]))
                free = j + 1
    return out, out[0]


def _mapper_rows(rows: list[list[Cell]]) -> list[Row]:
    """A ruled table's rows as the mapper reads them, what the cells' places say kept:

    * a label cell at a row's left that spans the rows below (项目资金, 总体目标, 绩效指标)
      is a row of its own;
    * a row of labels only (实施期目标 | 年度目标) over a row of values gives each label the
      values under it, an empty one included (a row per label);
    * an in-cell label with nothing after its colon (年度资金总额：) beside one with a value
      is left out: its value is empty, the rows below are not its;
    * a row of two amounts beside the money block (市县（区）财政资金 510,000 | 市县（区）
      财政资金 510,000) is one funding line.
    """
    table = L.table()
    split: list[list[Cell]] = []
    for row in rows:
        first = row[0]
        if len(row) > 1 and first.bottom > max(c.bottom for c in row[1:]) + _TOL \
                and table.lookup(first.text):
            split.append([first])
            row = row[1:]
        split.append(row)
    out: list[Row] = []
    i = 0
    while i < len(split):
        row = split[i]
        under = split[i + 1] if i + 1 < len(split) else []
        roles = [table.lookup(c.text) for c in row]
        if len(row) > 1 and all(roles) and L.INDICATORS not in {r[0] for r in roles} \
                and under and not any(table.lookup(c.text) for c in under):
            columns = [[v for v in under if h.x0 - _TOL <= (v.x0 + v.x1) / 2 <= h.x1 + _TOL]
                       for h in row]
            if sum(map(len, columns)) == len(under):
                out += [[_text_cell(h), *map(_text_cell, col)] for h, col in zip(row, columns)]
                i += 2
                continue
        out.append(_row_cells(row, table))
        i += 1
    return out


def _text_cell(c: Cell) -> TextCell:
    return TextCell(c.text, page=c.page, ocr=c.ocr)


def _row_cells(row: list[Cell], table: L.Labels) -> Row:
    cells = [_text_cell(c) for c in row]
    if len(cells) > 1 and any(m and m[0].start == 0 and c.text[m[0].end:].strip()
                              for c in cells for m in [table.scan(c.text)]):
        cells = [c for c in cells if not _bare_label(c.text, table)] or cells[:1]
    texts = [c.text for c in cells]
    if len(cells) == 2 and not any(table.scan(t) for t in texts) and all(
            _FUNDING_CELL.match(t) for t in texts) and parse_funding(" ".join(texts)):
        cells = [TextCell(" ".join(texts), page=cells[0].page, ocr=cells[0].ocr)]
    return cells


def _bare_label(text: str, table: L.Labels) -> bool:
    """A cell that holds one label and its colon and nothing else (年度资金总额：): in a ruled
    table its value is the rest of the cell, empty; the rows below are not its."""
    found = table.scan(text)
    return len(found) == 1 and found[0].start == 0 and text.rstrip()[-1:] in "：:" \
        and not text[found[0].end:].strip()


_FUNDING_CELL = re.compile(r"^\D+?\s*\d[\d,，.\s]*$")


def _header(cells: list[Cell], head: Cell) -> tuple[str, ...]:
    """The texts of the indicator header row, from its 一级指标 cell on."""
    row = next(r for r in _rows(cells) if head in r)
    return tuple(c.compact for c in row if c.x0 >= head.x0 - _TOL)


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
    pending: list[int] = []  # indicators whose 一级指标 the next page may give
    # The block is the table's last: every cell under the header, page by page. A page it
    # continues on may repeat 绩效指标 or not (a spreadsheet or browser splits the merged
    # label); a 二级指标 or 三级指标 row cut by the page break goes on at the next page's top.
    for page, cols in _pages_of_columns(cells, header, head, column):
        last = {p: i for i, ind in enumerate(out) for p in (ind.period,)}  # before this page
        groups = sorted(cols.get(1, []), key=lambda c: c.top)
        waiting: list[int] = []  # read on this page under a 一级指标 cell with no text
        for n, group in enumerate(groups):
            l1 = next((c for c in cols.get(0, []) if c.beside(group)), None)
            if l1 is not None and l1.compact:
                level1 = LEVEL1.get(l1.compact, l1.compact)
                if n == 0:  # the text of a 一级指标 cell the break cut on the page before
                    for i in pending:
                        out[i] = replace(out[i], level1=level1)
                waiting = []
            # a group beside no 一级指标 text that begins on this page (or with none before)
            textless = (l1 is None or not l1.compact) and (
                not level1 or l1 is None or l1.top > groups[0].top + _TOL)
            first = len(out)
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
            if textless:
                waiting += range(first, len(out))
        # Groups at the page's end beside a 一级指标 cell with no text (the break cut it and
        # its text is printed on the next page) or beside none: they take the 一级指标 of the
        # next page's first group, when that has one.
        pending = waiting
    return out


def _pages_of_columns(cells: list[Cell], header: list[Cell], head: Cell, column
                      ) -> Iterator[tuple[int, dict[int, list[Cell]]]]:
    """Page by page, the cells under an indicator header by the header column they fall in."""
    below = [c for c in cells if c not in header and (c.page, c.top) > (head.page, head.top + _TOL)]
    for page in sorted({c.page for c in below}):
        cols: dict[int, list[Cell]] = {}
        for c in below:
            if c.page == page and (k := column(c)) is not None:
                cols.setdefault(k, []).append(c)
        yield page, cols
