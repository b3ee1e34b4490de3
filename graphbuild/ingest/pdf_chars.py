"""A PDF page's characters and ruling lines, from either of two engines, and its tables.

Both engines give the same thing, a `PageLayout`: characters as pdfplumber's dicts
(text, x0, x1, top, bottom, size; top measured down from the top of the page), ruling
edges as pdfplumber's edge dicts, and whether the page holds images. The table finder
is pdfplumber's (intersections of ruling lines into cells) whichever engine gave the edges.

* ``pdfium`` (default): PDFium through pypdfium2, characters by their loose boxes, edges from
  the straight segments of every drawn path (through form XObjects). About 15× faster than
  pdfminer on the same pages.
* ``pdfplumber``: pdfminer's layout, as graphbuild read PDFs before; kept as the check
  (tests/test_pdf_producers.py holds the two to identical records).

Every character goes through textnorm.normalize here, before lines and cells are formed:
Chromium/Skia text layers carry Kangxi radicals (⽬ U+2F6C) and CJK-supplement forms
(⻔ U+2ED4) for ordinary ideographs.

pdfminer's complaints about fonts ("Could not get FontBBox …", a hundred per Chromium PDF)
are kept out of the terminal while a page is read (`quiet_pdfminer`); under
``graphbuild --verbose`` they are shown as debug lines.
"""
from __future__ import annotations

import ctypes
import logging
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator
from unicodedata import east_asian_width

from .textnorm import normalize

ENGINES = ("pdfium", "pdfplumber")
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_FLAT = 0.5  # points: a segment this close to level (or plumb) is a ruling line
_log = logging.getLogger("graphbuild.pdf")


@dataclass
class PageLayout:
    """What a page holds for the table reader."""

    width: float
    height: float
    chars: list[dict]
    edges: list[dict]
    images: bool


@dataclass
class FoundTable:
    bbox: tuple[float, float, float, float]
    cells: list[tuple[float, float, float, float]]
    # y of the closing rules added where the page cut the table (a cell's text printed
    # across the cut may stand a little beyond it)
    cuts: tuple[float, ...] = ()


@contextmanager
def quiet_pdfminer() -> Iterator[None]:
    """pdfminer's font warnings (logging, and warnings.warn) off the terminal for the block;
    under graphbuild --verbose they go to graphbuild's debug log instead."""
    loggers = [logging.getLogger(n) for n in ("pdfminer", "pdfplumber")]
    saved = [(lg, lg.level, lg.propagate, lg.handlers[:]) for lg in loggers]
    verbose = _log.isEnabledFor(logging.DEBUG)
    forward = _Forward() if verbose else None
    for lg in loggers:
        lg.propagate = False
        lg.handlers = [forward] if forward else [logging.NullHandler()]
        lg.setLevel(logging.DEBUG if verbose else logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            if not verbose:
                warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level, propagate, handlers in saved:
            lg.setLevel(level)
            lg.propagate = propagate
            lg.handlers = handlers


class _Forward(logging.Handler):
    """pdfminer's records as graphbuild.pdf debug lines (shown by graphbuild --verbose)."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            _log.debug("%s: %s", record.name, record.getMessage())


# --- pdfplumber (pdfminer) ----------------------------------------------------------------

def plumber_layout(page) -> PageLayout:
    """A pdfplumber page's characters (normalised) and edges."""
    chars = []
    for c in page.chars:
        text = normalize(c["text"])
        if text.strip() or text == " ":
            chars.append({"text": text, "x0": c["x0"], "x1": c["x1"], "top": c["top"],
                          "bottom": c["bottom"], "size": c["size"]})
    edges = [{k: e[k] for k in ("x0", "x1", "top", "bottom", "width", "height",
                                "orientation", "object_type")} for e in page.edges]
    return PageLayout(float(page.width), float(page.height), chars, edges, bool(page.images))


# --- PDFium -------------------------------------------------------------------------------

def pdfium_layout(page) -> PageLayout:
    """A pypdfium2 page's characters (normalised, PDFium's own inserted spaces and line
    breaks left out) and the ruling edges of its drawn paths."""
    import pypdfium2.raw as R

    left, bottom, right, top = page.get_mediabox()
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        rect, matrix = R.FS_RECTF(), R.FS_MATRIX()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        chars: list[dict] = []
        unicode, generated = R.FPDFText_GetUnicode, R.FPDFText_IsGenerated
        box, origin = R.FPDFText_GetLooseCharBox, R.FPDFText_GetCharOrigin
        font_size, char_matrix = R.FPDFText_GetFontSize, R.FPDFText_GetMatrix
        for i in range(R.FPDFText_CountChars(tp)):
            u = unicode(tp, i)
            if u < 32 or 0xD800 <= u <= 0xDFFF or u in (0xFFFE, 0xFFFF):
                continue  # a line break, control, unpaired surrogate half, unmapped glyph
            if u == 32 and generated(tp, i) == 1:
                continue  # PDFium's own spaces: gaps are read as with pdfminer
            text = normalize(chr(u))
            if not (text.strip() or text == " "):
                continue
            box(tp, i, rect)
            origin(tp, i, ox, oy)
            char_matrix(tp, i, matrix)
            size = font_size(tp, i) * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
            x0 = ox.value
            # The box runs from the glyph's origin over its advance. For Type 3 glyphs (Skia)
            # PDFium's loose box is the drawn shape, narrower than the advance; a wide (CJK)
            # glyph advances one em in every CJK font.
            x1 = max(rect.right, x0 + size) if _wide(text) else max(rect.right, x0)
            chars.append({"text": text, "x0": x0 - left, "x1": x1 - left,
                          "top": top - rect.top, "bottom": top - rect.bottom,
                          "size": size or rect.top - rect.bottom})
    finally:
        textpage.close()
    edges: list[dict] = []
    images = _walk(R, page.raw, R.FPDFPage_CountObjects, R.FPDFPage_GetObject,
                   (1, 0, 0, 1, -left, -bottom), top - bottom, edges)
    return PageLayout(right - left, top - bottom, chars, edges, images)


def _wide(text: str) -> bool:
    return len(text) == 1 and east_asian_width(text) in "WF"


def _walk(R, parent, count, get, ctm, height: float, edges: list[dict]) -> bool:
    """Edges of the paths under `parent` (a page or a form XObject) into `edges`; True if
    an image is among them."""
    images = False
    matrix = R.FS_MATRIX()
    for k in range(count(parent)):
        obj = get(parent, k)
        kind = R.FPDFPageObj_GetType(obj)
        if kind == R.FPDF_PAGEOBJ_IMAGE:
            images = True
        elif kind in (R.FPDF_PAGEOBJ_PATH, R.FPDF_PAGEOBJ_FORM):
            R.FPDFPageObj_GetMatrix(obj, matrix)
            m = _times((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), ctm)
            if kind == R.FPDF_PAGEOBJ_FORM:
                images |= _walk(R, obj, R.FPDFFormObj_CountObjects, R.FPDFFormObj_GetObject,
                                m, height, edges)
            else:
                _path_edges(R, obj, m, height, edges)
    return images


def _times(m, n):
    """The matrix m then n (PDF order: a point goes through m first)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _path_edges(R, obj, m, height: float, edges: list[dict]) -> None:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    R.FPDFPath_GetDrawMode(obj, fill, stroke)
    if not fill.value and not stroke.value:
        return  # drawn neither way (a clip or a hidden path)
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    start = prev = None
    for s in range(R.FPDFPath_CountSegments(obj)):
        seg = R.FPDFPath_GetPathSegment(obj, s)
        R.FPDFPathSegment_GetPoint(seg, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = R.FPDFPathSegment_GetType(seg)
        if kind == R.FPDF_SEGMENT_MOVETO:
            start = prev = point
            continue
        if kind == R.FPDF_SEGMENT_LINETO and prev is not None:
            _edge(prev, point, height, edges)
        prev = point
        if R.FPDFPathSegment_GetClose(seg) and start is not None:
            _edge(point, start, height, edges)
            prev = start


def _edge(p, q, height: float, edges: list[dict]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) <= _FLAT and abs(x0 - x1) > _FLAT:
        lo, hi = min(x0, x1), max(x0, x1)
        top = height - (y0 + y1) / 2
        edges.append({"x0": lo, "x1": hi, "top": top, "bottom": top, "width": hi - lo,
                      "height": 0.0, "orientation": "h", "object_type": "line"})
    elif abs(x0 - x1) <= _FLAT and abs(y0 - y1) > _FLAT:
        x = (x0 + x1) / 2
        top, bottom = height - max(y0, y1), height - min(y0, y1)
        edges.append({"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0,
                      "height": bottom - top, "orientation": "v", "object_type": "line"})


# --- tables -------------------------------------------------------------------------------

class _Shim:
    """What pdfplumber's TableFinder reads of a page."""

    def __init__(self, layout: PageLayout):
        self.edges = layout.edges
        self.bbox = (0, 0, layout.width, layout.height)


def find_tables(layout: PageLayout) -> list[FoundTable]:
    """Ruled tables of the page, top to bottom (pdfplumber's lines strategy).

    A table cut by a page break may have vertical rules that end with no horizontal rule
    across them (LibreOffice Calc and Chromium draw no closing line under a cell the break
    cuts, nor over its rest on the next page): the table finder would make no cell of it.
    Where two or more vertical rules end so at one height, a closing rule is added there,
    from the first to the last of them (`cut_rules`)."""
    from pdfplumber.table import TableFinder

    if not layout.edges:
        return []
    cuts = cut_rules(layout.edges)
    edges = layout.edges + cuts
    found = TableFinder(_Shim(PageLayout(layout.width, layout.height, [], edges, False)),
                        TABLE_SETTINGS).tables
    out = []
    for t in found:
        x0, top, x1, bottom = t.bbox
        mine = tuple(e["top"] for e in cuts if top - _NEAR <= e["top"] <= bottom + _NEAR
                     and e["x0"] < x1 and e["x1"] > x0)
        out.append(FoundTable(t.bbox, t.cells, mine))
    return sorted(out, key=lambda t: t.bbox[1])


_NEAR = 3.0  # points: pdfplumber's snap and join tolerance
_STUB = 2.0  # points: a horizontal edge this short is the end of a drawn rule (a thin rect)


def cut_rules(edges: list[dict]) -> list[dict]:
    """Horizontal rules a page break left out: where two or more vertical rules (joined
    runs of vertical edges) end at the same height and one of them has no horizontal edge
    across its end, a rule there from the first of them to the last."""
    runs: list[list[float]] = []  # [x, top, bottom]
    for e in sorted((e for e in edges if e["orientation"] == "v"),
                    key=lambda e: (round(e["x0"] / _NEAR), e["top"])):
        r = runs[-1] if runs else None
        if r and abs(r[0] - e["x0"]) <= _NEAR and e["top"] <= r[2] + _NEAR:
            r[2] = max(r[2], e["bottom"])
        else:
            runs.append([e["x0"], e["top"], e["bottom"]])
    flat = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] > _STUB]

    def crossed(x: float, y: float) -> bool:
        return any(abs(h["top"] - y) <= _NEAR and h["x0"] - _NEAR <= x <= h["x1"] + _NEAR
                   for h in flat)

    out: list[dict] = []
    for end in (1, 2):  # tops, then bottoms
        open_ = sorted(((r[end], r[0]) for r in runs if not crossed(r[0], r[end])))
        groups: list[list[tuple[float, float]]] = []
        for y, x in open_:
            if groups and y - groups[-1][-1][0] <= _NEAR:
                groups[-1].append((y, x))
            else:
                groups.append([(y, x)])
        for g in groups:
            y = max(y for y, _ in g) if end == 2 else min(y for y, _ in g)
            # from the first to the last rule that ends there, crossed or not
            xs = sorted(r[0] for r in runs if abs(r[end] - y) <= _NEAR)
            if len(xs) < 2:
                continue
            out.append({"x0": xs[0], "x1": xs[-1], "top": y, "bottom": y, "width": xs[-1] - xs[0],
                        "height": 0.0, "orientation": "h", "object_type": "line"})
    return out
