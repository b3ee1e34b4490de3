"""Read a scanned page (an image, no text layer) by OCR, cell by cell inside its ruling lines.

The page is rendered at its scan's resolution (150–300 dpi) with pypdfium2, cleaned (3×3
median), deskewed (the angle at which the row profile of dark pixels is sharpest: ruling
lines and text lines then lie flat) and its ruling lines found as long runs of dark pixels
(numpy). The lines' positions make a grid; neighbouring grid boxes with no line between them
merge, so merged cells (项目资金（元）, 绩效指标, 一级指标) come out whole, and only boxes
closed on all four sides are cells. The ink of each cell, and each strip of text outside the
tables (the title and （2024年度） above a table), is cut out; the pieces are read by one of
two engines:

- rapidocr (the default when rapidocr_onnxruntime imports): PP-OCRv4's Chinese text-line
  recognizer, an ONNX model shipped inside the rapidocr-onnxruntime 1.4.4 wheel (nothing is
  downloaded), run by onnxruntime. Each piece is cut into text lines by its row profile and
  every line, taken from the deskewed greyscale page, is recognised on its own (lines up to
  ~25 characters at the model's 48 px height, longer ones at 32 px). It reads 襄 and 晋,
  which chi_sim does not; 虒 is not among its characters, so a known name read without it
  gets it back (亭镇人民政府 → 虒亭镇人民政府).
- tesseract (chi_sim, --psm 6): the pieces stacked into one image per worker (one process
  per half page, not one per cell), and the words, read back with their boxes (TSV), return
  to their piece; known names one character off are put right.

$GRAPHBUILD_OCR_ENGINE (rapidocr or tesseract) chooses; unset, rapidocr if it imports,
else tesseract.

The result is what pdf.py builds from a text layer: events (top, "cells", [Cell]) and
(top, "text", line) in PDF points, every Cell flagged ``ocr``. Text is normalised
(textnorm.normalize), spaces between Chinese characters dropped, ASCII punctuation next to
Chinese made full-width, and a cell that is one of the form's labels misread by a character
or so (绩效指忻) reads as that label.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from bisect import bisect_right
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import ParseError
from .layout import LEVEL1, LEVEL2, SECTION_LABELS, TITLE_MARK
from .textnorm import normalize

LANG = "chi_sim"
MAX_DPI, MIN_DPI, DEFAULT_DPI = 300, 200, 300
WORKERS = 2  # tesseract processes per page (1 inside pdf.py's page-reading processes)
LINE_H_PT = 18.0  # a horizontal ruling line: a dark run at least this long (points)
LINE_V_PT = 10.0  # a vertical one (the shortest cell is one 8 pt line plus padding)
COVER = 0.6  # share of a grid box's side that must be ruled for the side to count
INSTALL = "install tesseract-ocr and tesseract-ocr-chi-sim"

LABELS = tuple(dict.fromkeys([
    "项目名称", "主管部门及代码", "实施单位", "项目属性", "项目期", "项目资金（元）",
    *(printed for _, printed in SECTION_LABELS[:5]), "总体目标", "实施期目标", "年度目标",
    "绩效指标", "一级指标", "二级指标", "三级指标", "指标值", *LEVEL1.values(), *LEVEL2]))
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}（）《》〔〕，。：；、“”])\s+|\s+(?=[{_CJK}（）《》〔〕，。：；、“”])")
_FULL = {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_HALF_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[(),:;?!]|[(),:;?!](?=[{_CJK}])")
_YEAR_LINE = re.compile(r"^[(（]?(\d{4})\s*年度?[)）]?$")


class OcrError(ParseError):
    """OCR cannot run (no tesseract, no chi_sim), failed, or found nothing on a page; pdf.py
    names the file and page."""


@dataclass
class _Piece:
    """A cut-out to read: a cell's ink or a strip of loose text, with its place (pixels)."""

    image: object  # numpy uint8, 0 ink / 255 paper
    left: int
    top: int
    cell: tuple[float, float, float, float] | None  # x0, top, x1, bottom in points; None: loose
    lines: list[tuple[float, str]] | None = None  # (top in points, text) once read


def scan_events(path: str | Path, no: int, make_cell) -> list[tuple[float, str, object]]:
    """The cells and loose text lines of page `no` (1-based) of the PDF at `path`, read by
    OCR, as pdf.py's events; ``make_cell(page, x0, top, x1, bottom, lines)`` makes a Cell."""
    import numpy as np

    engine = _engine()
    grey, dpi = _render(path, no)
    grey = _deskew(grey)
    dark = grey < _threshold(grey)
    pt = dpi / 72.0
    ys, xs, h_mask, v_mask = _rulings(dark, pt)
    boxes = _cells(ys, xs, h_mask, v_mask)
    paper = np.where(dark, 0, 255).astype(np.uint8)
    pieces: list[_Piece] = []
    covered = np.zeros(dark.shape[0], dtype=bool)
    for (y0, y1, x0, x1), (ty, by, lx, rx) in boxes:
        covered[max(int(ty) - 8, 0):int(by) + 9] = True
        cut = _ink(dark, y0, y1, x0, x1)
        cell = (lx / pt, ty / pt, rx / pt, by / pt)
        if cut is None:
            pieces.append(_Piece(None, 0, 0, cell, []))
        else:
            t, b, l, r = cut
            pieces.append(_Piece(paper[t:b, l:r], l, t, cell))
    for t, b in _strips(~covered, dark):
        cols = np.nonzero(dark[t:b].sum(axis=0) >= 2)[0]
        if len(cols):
            l, r = max(int(cols[0]) - 4, 0), min(int(cols[-1]) + 5, dark.shape[1])
            pieces.append(_Piece(paper[t:b, l:r], l, t, None))
    todo = [p for p in pieces if p.lines is None]
    if engine == "rapidocr":
        _read_rapid(todo, grey, dpi)
    else:
        _read(todo, dpi)
    events: list[tuple[float, str, object]] = []
    tables: list[list] = []
    for p in pieces:
        if p.cell is None:
            events += [(top, "text", snap_title(text)) for top, text in p.lines]
            continue
        x0, top, x1, bottom = p.cell
        cell = make_cell(no, x0, top, x1, bottom, _snap([t for _, t in p.lines]))
        if tables and top <= max(c.bottom for c in tables[-1]) + 2:
            tables[-1].append(cell)
        else:
            tables.append([cell])
    for cells in tables:
        cells.sort(key=lambda c: (round(c.top), c.x0))
        events.append((cells[0].top, "cells", cells))
    if not events:
        raise OcrError("no text layer (a scanned image?), and OCR found no ruling lines or "
                       "text on it")
    return sorted(events, key=lambda e: e[0])


# --- engine --------------------------------------------------------------------------

ENGINES = ("rapidocr", "tesseract")
INSTALL_RAPID = "pip install rapidocr-onnxruntime==1.4.4"
REC_BATCH = 1  # lines per recognizer run: a batch pads its lines to its widest (slower, and
# grey padding after a short line makes 转移支付--村级 read as 转移支付-村级)
SHORT_LINE = 1200  # a line at most this wide at 48 px high (≈ 25 characters) is read at 48
LONG_HEIGHT = 32  # longer lines (narrative text) at 32 px: a third faster, 文号 read as well


def _engine() -> str:
    """The engine that reads: $GRAPHBUILD_OCR_ENGINE (rapidocr or tesseract), else rapidocr
    when it imports, else tesseract; checked to be there."""
    want = os.environ.get("GRAPHBUILD_OCR_ENGINE", "").strip().lower()
    if want and want not in ENGINES:
        raise OcrError(f"GRAPHBUILD_OCR_ENGINE={want!r}: not one of {', '.join(ENGINES)}")
    if want == "rapidocr" or not want and _rapid_error() is None:
        if _rapid_error() is not None:
            raise OcrError(f"no text layer (a scanned image?) and rapidocr does not import "
                           f"({_rapid_error()}): {INSTALL_RAPID}")
        return "rapidocr"
    _check_tesseract()
    return "tesseract"


@lru_cache(maxsize=1)
def _rapid_error() -> str | None:
    """Why rapidocr_onnxruntime cannot be used (not installed, opencv without libGL), or None."""
    try:
        from rapidocr_onnxruntime.ch_ppocr_rec import TextRecognizer  # noqa: F401
    except Exception as exc:  # ImportError, or OSError from a missing shared library
        return " ".join(f"{type(exc).__name__}: {exc}".split())
    return None


@lru_cache(maxsize=None)
def _recognizer(threads: int):
    """PP-OCRv4's Chinese text-line recognizer (ONNX, shipped inside the wheel; nothing is
    downloaded), with `threads` onnxruntime threads."""
    from rapidocr_onnxruntime.ch_ppocr_rec import TextRecognizer
    from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH, root_dir
    from rapidocr_onnxruntime.utils import read_yaml

    config = dict(read_yaml(str(DEFAULT_CFG_PATH))["Rec"])
    config.update(model_path=str(root_dir / config["model_path"]), rec_batch_num=REC_BATCH,
                  intra_op_num_threads=threads, inter_op_num_threads=1,
                  rec_img_shape=[3, 48, 48])
    rec = TextRecognizer(config)
    # rapidocr turns onnxruntime's memory arena off: batches of lines then spend as long in
    # the kernel (allocating) as in the model; the same model with the arena on.
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.intra_op_num_threads, opts.inter_op_num_threads = threads, 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")  # 2 cores, shared
    rec.session.session = ort.InferenceSession(config["model_path"], sess_options=opts,
                                               providers=["CPUExecutionProvider"])
    return rec


def text_lines(ink, least: int = 1) -> list[tuple[int, int]]:
    """Text lines of a cut-out by its row profile: (top, bottom) rows, bottom exclusive.
    Bands of inked rows split at blank rows; a band much lower than the others (a stroke
    cut off, 一 or 二 alone, a dot of noise) joins the nearer neighbour."""
    import numpy as np

    rows = ink.sum(axis=1) >= least
    bands: list[list[int]] = []
    for y in np.nonzero(rows)[0].tolist():
        if bands and y == bands[-1][1]:
            bands[-1][1] = y + 1
        else:
            bands.append([y, y + 1])
    if len(bands) < 2:
        return [tuple(b) for b in bands]
    tall = max(b[1] - b[0] for b in bands)
    changed = True
    while changed and len(bands) > 1:
        changed = False
        heights = [b[1] - b[0] for b in bands]
        i = min(range(len(bands)), key=heights.__getitem__)
        if heights[i] >= 0.6 * tall:
            break
        gaps = [bands[i][0] - bands[i - 1][1] if i else 1 << 30,
                bands[i + 1][0] - bands[i][1] if i + 1 < len(bands) else 1 << 30]
        j = i - 1 if gaps[0] <= gaps[1] else i + 1
        lo, hi = min(i, j), max(i, j)
        merged = [bands[lo][0], bands[hi][1]]
        if merged[1] - merged[0] > 1.6 * tall and heights[i] >= 0.25 * tall:
            break  # joining would make two lines of one: keep it a line of its own
        bands[lo:hi + 1] = [merged]
        changed = True
    return [tuple(b) for b in bands]


@lru_cache(maxsize=1)
def _restorable() -> tuple[tuple[str, str], ...]:
    """Known names holding a character the recognizer cannot write (虒 of 虒亭镇 is not among
    PP-OCRv4's 6,623): (the name as read without it, the name), longest first."""
    charset = set(_recognizer(1).postprocess_op.character)
    out = {}
    for names in _names().values():
        for name in names:
            read = "".join(ch for ch in name if ch in charset)
            if read != name and len(read) >= 4:
                out[read] = name
    return tuple(sorted(out.items(), key=lambda kv: -len(kv[0])))


def _unspellable(text: str) -> str:
    """A known name read without its characters the recognizer cannot write gets them back
    (襄垣县亭镇人民政府 → 襄垣县虒亭镇人民政府)."""
    for read, name in _restorable():
        if read in text and name not in text:
            text = text.replace(read, name)
    return text


def _read_rapid(pieces: list[_Piece], grey, dpi: int) -> None:
    """Fill each piece's lines: cut into text lines by its row profile, every line of the
    page read by PP-OCRv4's recognizer (batched), from the deskewed greyscale page."""
    import multiprocessing

    import numpy as np

    crops, owners = [], []
    pad = max(2, int(dpi * 0.02))
    for k, p in enumerate(pieces):
        h, w = p.image.shape
        ink = p.image < 128
        p.lines = []
        for t, b in text_lines(ink):
            if b - t < 4:
                continue
            cols = np.nonzero(ink[t:b].any(axis=0))[0]
            l, r = int(cols[0]), int(cols[-1]) + 1
            y0, y1 = max(p.top + t - pad, 0), min(p.top + b + pad, grey.shape[0])
            x0, x1 = max(p.left + l - pad, 0), min(p.left + r + pad, grey.shape[1])
            crop = grey[y0:y1, x0:x1]
            crops.append(np.ascontiguousarray(np.repeat(crop[:, :, None], 3, axis=2)))
            owners.append((k, (p.top + t) * 72.0 / dpi))
    if not crops:
        return
    threads = 1 if multiprocessing.parent_process() else WORKERS
    rec = _recognizer(threads)
    results: list = [None] * len(crops)
    short = [i for i, c in enumerate(crops) if c.shape[1] * 48 <= SHORT_LINE * c.shape[0]]
    long = sorted(set(range(len(crops))) - set(short))
    for height, group in ((48, short), (LONG_HEIGHT, long)):
        if group:
            rec.rec_image_shape = [3, height, height]  # no line padded to 320 px (below)
            for i, r in zip(group, rec([crops[i] for i in group])[0]):
                results[i] = r
    for (k, top), (text, _score) in zip(owners, results):
        text = _unspellable(clean(text, names=False))
        if text:
            pieces[k].lines.append((top, text))


# --- tesseract -----------------------------------------------------------------------

def _binary() -> str:
    return os.environ.get("GRAPHBUILD_TESSERACT", "tesseract")


def _check_tesseract() -> None:
    langs = _languages(_binary())
    if langs is None:
        raise OcrError(f"no text layer (a scanned image?) and no tesseract to read it: {INSTALL}")
    if LANG not in langs:
        raise OcrError(f"no text layer (a scanned image?) and tesseract has no {LANG} "
                       f"language: {INSTALL}")


@lru_cache(maxsize=None)
def _languages(binary: str) -> frozenset[str] | None:
    if not shutil.which(binary):
        return None
    try:
        run = subprocess.run([binary, "--list-langs"], capture_output=True, text=True,
                             timeout=60)
    except OSError:
        return None
    return frozenset(line.strip() for line in (run.stdout + run.stderr).splitlines()[1:])


def _tesseract(image, dpi: int) -> list[list[str]]:
    """TSV rows of the words tesseract reads in `image` (numpy, greyscale)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(image).save(buf, "PNG")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    run = subprocess.run([_binary(), "stdin", "stdout", "-l", LANG, "--psm", "6",
                          "--dpi", str(dpi), "-c", "tessedit_do_invert=0", "tsv"], input=buf.getvalue(),
                         capture_output=True, env=env, timeout=600)
    if run.returncode:
        raise OcrError(f"tesseract failed: {run.stderr.decode('utf-8', 'replace').strip()}")
    rows = [r.split("\t") for r in run.stdout.decode("utf-8", "replace").splitlines()[1:]]
    return [r for r in rows if len(r) == 12 and r[0] == "5" and r[11].strip()]


def _read(pieces: list[_Piece], dpi: int) -> None:
    """Fill each piece's lines: the pieces stacked into WORKERS images, read in parallel."""
    import numpy as np

    if not pieces:
        return
    import multiprocessing

    workers = 1 if multiprocessing.parent_process() else WORKERS
    total = sum(p.image.shape[0] for p in pieces)
    parts: list[list[_Piece]] = [[]]
    done = 0
    for p in pieces:
        if parts[-1] and done >= total * len(parts) / workers:
            parts.append([])
        parts[-1].append(p)
        done += p.image.shape[0]
    gap, pad = int(dpi * 0.12), int(dpi * 0.05)

    def one(group: list[_Piece]) -> None:
        width = max(p.image.shape[1] for p in group) + 2 * pad
        starts, y = [], pad
        for p in group:
            starts.append(y)
            y += p.image.shape[0] + gap
        sheet = np.full((y - gap + pad, width), 255, dtype=np.uint8)
        for p, s in zip(group, starts):
            h, w = p.image.shape
            sheet[s:s + h, pad:pad + w] = p.image
        words: list[list[tuple]] = [[] for _ in group]
        for r in _tesseract(sheet, dpi):
            left, top, w, h = map(int, r[6:10])
            k = max(bisect_right(starts, top + h / 2) - 1, 0)
            words[k].append(((r[2], r[3], r[4]), top - starts[k], left, r[11].strip()))
        for p, mine in zip(group, words):
            lines: dict[tuple, list] = {}
            for key, top, left, text in mine:
                lines.setdefault(key, []).append((top, left, text))
            p.lines = []
            for ws in sorted(lines.values(), key=lambda ws: min(w[0] for w in ws)):
                text = clean(_join(t for _, _, t in sorted(ws, key=lambda w: w[1])))
                if text:
                    p.lines.append(((p.top + min(w[0] for w in ws)) * 72.0 / dpi, text))

    with ThreadPoolExecutor(len(parts)) as pool:
        list(pool.map(one, parts))


def _join(words) -> str:
    out = ""
    for w in words:
        if out and out[-1].isascii() and out[-1].isalnum() and w[0].isascii() and w[0].isalnum():
            out += " "
        out += w
    return out


def clean(text: str, names: bool = True) -> str:
    """OCR text as a reader means it: normalised; no spaces between Chinese characters;
    ASCII punctuation beside Chinese, and brackets around Chinese, full-width; ≥ and ≤ (not
    in chi_sim) for >= and <=; a bracketed year before a number and 号 as 〔yyyy〕N号; the
    form's fixed words (年度资金总额) and known place and authority names (襄垣县, from
    data/issuers.tsv) misread by a character put right; 759.300 in a money line as 759,300."""
    text = normalize(text).strip()
    text = _CJK_SPACE.sub("", text)
    text = _PAREN.sub(r"（\1）", text)
    text = _HALF_NEAR_CJK.sub(lambda m: _FULL[m.group()], text)
    text = text.replace(">=", "≥").replace("<=", "≤")
    text = _DOC_NO.sub(lambda m: f"〔{m.group(1) or m.group(2)}〕{m.group(3)}号", text)
    text = _QUOTE.sub(_quote, text)
    text = _lexicon(text, names)
    if "资金" in text:
        text = _AMOUNT.sub(_amount, text)
    return re.sub(r"\s{2,}", " ", text)


_PAREN = re.compile(rf"[(（]([^()（）]*[{_CJK}][^()（）]*)[)）]")
_OPEN = r"[\[(（【〔{［“\"'「『<《]"
_CLOSE = r"[\])）】〕}］”\"'」』>》;；:：|]"
_DOC_NO = re.compile(rf"(?<=[{_CJK}])\s*(?:{_OPEN}\s*((?:19|20)\d{{2}})\s*{_CLOSE}?|"
                     rf"((?:19|20)\d{{2}})\s*{_CLOSE})\s*(\d{{1,4}})\s*号")
_AMOUNT = re.compile(r"\d[\d.,，\s]*\d$")
_QUOTE = re.compile(rf"(?<=[{_CJK}])\"|\"(?=[{_CJK}])|[“”](?=[{_CJK}])|(?<=[{_CJK}])[“”]")


def _quote(m: re.Match) -> str:
    """A double quote beside Chinese (" or a curly one turned the wrong way): the opening
    one after an even number of quotes before it in the text, else the closing one."""
    before = m.string[:m.start()]
    return "“" if sum(before.count(q) for q in '"“”') % 2 == 0 else "”"


def _amount(m: re.Match) -> str:
    """An amount in a money line with its separators misread (1,.676,296, 759.300, 700.0 00):
    the last separator is a decimal point only before one or two digits at the end, every
    other separator groups thousands."""
    s = m.group()
    cents = re.search(r"\.(\d{1,2})$", s)
    whole = re.sub(r"[.,，\s]", "", s[:cents.start()] if cents else s)
    return f"{int(whole):,}" + (f".{cents.group(1)}" if cents else "")
_SAME = {"具": "县"}  # confusions read as no difference when matching a known name
PHRASES = ("实施期资金总额", "年度资金总额")


@lru_cache(maxsize=1)
def _names() -> dict[int, list[str]]:
    """Known names of three or more characters (regions and authorities of issuers.tsv,
    the form's fixed phrases), by length."""
    from importlib import resources

    names = set(PHRASES)
    text = resources.files("graphbuild.data").joinpath("issuers.tsv").read_text("utf-8")
    for line in text.splitlines():
        cols = line.split("\t")
        if line.startswith("#") or len(cols) < 4:
            continue
        names.update(n for n in (cols[1], cols[3]) if len(n) >= 3)
    out: dict[int, list[str]] = {}
    for n in sorted(names):
        out.setdefault(len(n), []).append(n)
    return out


def _lexicon(text: str, names: bool = True) -> str:
    """Each span one character away from a known name becomes that name (囊垣县 → 襄垣县,
    年度资金总预 → 年度资金总额); in a name (not a phrase) the differing character may not
    be the last: 财政资 is no 财政部, 农业农村局 no 农业农村部."""
    known = _names() if names else {len(p): [p] for p in PHRASES}
    chars = list(text)
    for size, group in known.items():
        i = 0
        while i + size <= len(chars):
            span = "".join(chars[i:i + size])
            fixed = None
            for name in group:
                diff = sum(1 for a, b in zip(span, name) if a != b and _SAME.get(a) != b)
                if diff == 0 and span != name or diff == 1 and (
                        name in PHRASES or _SAME.get(span[-1], span[-1]) == name[-1]):
                    fixed = name if fixed is None else ""
            if fixed:
                chars[i:i + size] = list(fixed)
                i += size
            else:
                i += 1
    return "".join(chars)


def _snap(lines: list[str]) -> list[str]:
    """A cell that reads as one of the form's labels but for a character or so is that label."""
    compact = "".join(lines).replace(" ", "")
    if not compact or compact in LABELS:
        return lines
    best = sorted((_distance(compact, label), label) for label in LABELS
                  if abs(len(label) - len(compact)) <= 1)
    if best and best[0][0] <= max(1, len(best[0][1]) // 4) and (
            len(best) == 1 or best[1][0] > best[0][0]):
        return [best[0][1]]
    return lines


def snap_title(line: str) -> str:
    """A heading line that holds TITLE_MARK but for two characters holds it."""
    n = len(TITLE_MARK)
    if TITLE_MARK in line or len(line) < n - 2:
        return line
    best = min(((_distance(line[i:i + n], TITLE_MARK), i) for i in range(max(len(line) - n, 0) + 1)))
    if best[0] <= 2:
        return line[:best[1]] + TITLE_MARK + line[best[1] + n:]
    return line


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


# --- image ---------------------------------------------------------------------------

def _render(path: str | Path, no: int):
    """Page `no` as a greyscale numpy image at the scan's resolution, and that dpi."""
    import numpy as np
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    from PIL import ImageFilter

    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[no - 1]
        dpi = DEFAULT_DPI
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
            left, _, right, _ = obj.get_bounds()
            px = obj.get_px_size()[0]
            if right - left > page.get_width() / 2 and px:
                dpi = round(px / ((right - left) / 72.0))
                break
        dpi = min(max(dpi, MIN_DPI), MAX_DPI)
        image = page.render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L")
        page.close()
    finally:
        doc.close()
    image = image.filter(ImageFilter.MedianFilter(3))
    return np.asarray(image), dpi


def _otsu(grey) -> int:
    import numpy as np

    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (m0[-1] * w0 / total - m0) ** 2 / (w0 * w1)
    between = np.nan_to_num(between[:-1], nan=-1.0)
    return int(between.argmax()) + 1 if between.max() > 0 else 0  # one grey level: no ink


def _threshold(grey) -> int:
    """Ink is darker than Otsu's threshold and than mid-grey (a blank, noisy page has none)."""
    return min(_otsu(grey), 170)


def skew_angle(dark) -> float:
    """Degrees the page is turned (counter-clockwise as seen): the angle at which the rows
    of dark pixels are sharpest."""
    import numpy as np

    ys, xs = np.nonzero(dark[::2, ::2])
    if len(ys) < 100:
        return 0.0
    ys, xs = ys.astype(np.float64), xs.astype(np.float64)

    def score(deg: float) -> float:
        rows = np.rint(ys + xs * np.tan(np.radians(deg))).astype(np.int64)
        hist = np.bincount(rows - rows.min())
        return float((hist.astype(np.float64) ** 2).sum())

    best = max(np.arange(-3.0, 3.01, 0.1), key=score)
    return float(max(np.arange(best - 0.1, best + 0.101, 0.01), key=score))


def _deskew(grey):
    import numpy as np
    from PIL import Image

    angle = skew_angle(grey < _threshold(grey))
    if abs(angle) < 0.02:
        return grey
    turned = Image.fromarray(grey).rotate(-angle, resample=Image.BICUBIC, fillcolor=255)
    return np.asarray(turned)


def _long_runs(mask, length: int):
    """Pixels of `mask` on a run of at least `length` along axis 1 (gaps of 1 px bridged)."""
    import numpy as np

    h, w = mask.shape
    if w < length:
        return np.zeros_like(mask)
    c = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=c[:, 1:])
    full = (c[:, length:] - c[:, :-length]) >= length - max(1, length // 40)
    f = np.zeros((h, w - length + 2), dtype=np.int32)
    np.cumsum(full, axis=1, out=f[:, 1:])
    x = np.arange(w)
    lo = np.clip(x - length + 1, 0, w - length + 1)
    hi = np.clip(x + 1, 0, w - length + 1)
    return (f[:, hi] - f[:, lo] > 0) & mask


def _bands(profile, least: float) -> list[tuple[int, int]]:
    """Runs of indices where `profile` >= least (gaps of up to 2 bridged): (first, last)."""
    import numpy as np

    idx = np.nonzero(profile >= least)[0]
    out: list[tuple[int, int]] = []
    for i in idx.tolist():
        if out and i - out[-1][1] <= 3:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def _rulings(dark, pt: float):
    """Horizontal and vertical ruling lines: their bands (first, last pixel) and masks."""
    import numpy as np

    lh, lv = int(LINE_H_PT * pt), int(LINE_V_PT * pt)
    h_mask = _long_runs(dark, lh)
    ys = _bands(h_mask.sum(axis=1), lh)
    v_mask = np.zeros_like(dark)
    if len(ys) >= 2:
        top, bottom = ys[0][0], ys[-1][1] + 1
        v_mask[top:bottom] = _long_runs(dark[top:bottom].T, lv).T
    xs = _bands(v_mask.sum(axis=0), lv)
    return ys, xs, h_mask, v_mask


def _cells(ys, xs, h_mask, v_mask):
    """Closed boxes of the grid: ((interior y0, y1, x0, x1), (line centres top, bottom,
    left, right)), in pixels."""
    rows, cols = len(ys) - 1, len(xs) - 1
    if rows < 1 or cols < 1:
        return []

    def vertical(j: int, i: int) -> bool:  # line at xs[j] beside grid row i
        a, b = ys[i][1] + 1, ys[i + 1][0]
        seg = v_mask[a:b, max(xs[j][0] - 1, 0):xs[j][1] + 2]
        return b > a and seg.any(axis=1).mean() >= COVER

    def horizontal(i: int, j: int) -> bool:  # line at ys[i] over grid column j
        a, b = xs[j][1] + 1, xs[j + 1][0]
        seg = h_mask[max(ys[i][0] - 1, 0):ys[i][1] + 2, a:b]
        return b > a and seg.any(axis=0).mean() >= COVER

    parent = list(range(rows * cols))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i in range(rows):
        for j in range(cols):
            if j + 1 < cols and not vertical(j + 1, i):
                parent[find(i * cols + j)] = find(i * cols + j + 1)
            if i + 1 < rows and not horizontal(i + 1, j):
                parent[find(i * cols + j)] = find((i + 1) * cols + j)
    groups: dict[int, list[tuple[int, int]]] = {}
    for i in range(rows):
        for j in range(cols):
            groups.setdefault(find(i * cols + j), []).append((i, j))
    out = []
    for members in groups.values():
        i0, i1 = min(m[0] for m in members), max(m[0] for m in members)
        j0, j1 = min(m[1] for m in members), max(m[1] for m in members)
        if len(members) != (i1 - i0 + 1) * (j1 - j0 + 1):
            continue
        closed = all(horizontal(i0, j) and horizontal(i1 + 1, j) for j in range(j0, j1 + 1)) \
            and all(vertical(j0, i) and vertical(j1 + 1, i) for i in range(i0, i1 + 1))
        if not closed:
            continue
        inner = (ys[i0][1] + 1, ys[i1 + 1][0], xs[j0][1] + 1, xs[j1 + 1][0])
        centres = tuple((a + b) / 2 for a, b in (ys[i0], ys[i1 + 1], xs[j0], xs[j1 + 1]))
        out.append((inner, centres))
    return sorted(out, key=lambda c: (c[1][0], c[1][2]))


def _ink(dark, y0: int, y1: int, x0: int, x1: int):
    """The box (top, bottom, left, right) around the ink inside a cell, a few pixels of
    paper around it; None for an empty cell."""
    import numpy as np

    inset = 3
    a, b, c, d = y0 + inset, y1 - inset, x0 + inset, x1 - inset
    if b - a < 4 or d - c < 4:
        return None
    area = dark[a:b, c:d]
    rows = np.nonzero(area.sum(axis=1) >= 2)[0]
    cols = np.nonzero(area.sum(axis=0) >= 2)[0]
    if len(rows) < 3 or len(cols) < 3 or area.sum() < 20:
        return None
    return (max(a + int(rows[0]) - 3, y0), min(a + int(rows[-1]) + 4, y1),
            max(c + int(cols[0]) - 3, x0), min(c + int(cols[-1]) + 4, x1))


def _strips(free, dark) -> list[tuple[int, int]]:
    """Bands of rows outside every table that hold ink: (top, bottom) in pixels."""
    import numpy as np

    inked = free & (dark.sum(axis=1) >= 3)
    out: list[tuple[int, int]] = []
    for y in np.nonzero(inked)[0].tolist():
        if out and y - out[-1][1] <= 12 and free[out[-1][1]:y].all():
            out[-1] = (out[-1][0], y)
        else:
            out.append((y, y))
    return [(max(t - 3, 0), b + 4) for t, b in out if b - t >= 4]
