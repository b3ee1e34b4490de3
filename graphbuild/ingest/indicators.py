"""The indicator block (一级 / 二级 / 三级指标, 指标值) of a table, from dump lines or cells."""
from __future__ import annotations

from collections import Counter

from ..records import Indicator
from .cells import Row
from .layout import LEVEL1, LEVEL2, split_level2, split_level3

Line = tuple[int, str]  # (1-based line number, text)

# A table continued on the next page prints its 绩效指标 label and header again.
_REPEATED_LABELS = {"绩", "效", "指", "标", "绩效", "绩效指标",
                    "一级指标二级指标三级指标指标值二级指标三级指标指标值"}
_HEADER_WORDS = ("一级指标", "二级指标", "三级指标", "指标值", "指标内容", "绩效指标", "指标名称")
_LEVEL1_NAMES = {"产出指标", "效益指标", "满意度指标", "成本指标", "投入指标", "过程指标"}


def from_rows(rows: list[Row]) -> list[Indicator]:
    """Indicators of a block whose rows are cells (pipe tables, ruled PDFs, OCR): per row an
    optional 一级 and 二级指标 cell, then 三级指标 and 指标值; a row of one cell reads as a
    dump line."""
    filled = [r for r in rows if any(c.text for c in r)]
    if sum(len(r) > 1 for r in filled) * 2 < len(filled):  # mostly one cell a line: a dump
        return from_lines([(r[0].line or 0, " ".join(c.text for c in r)) for r in rows])
    out: list[Indicator] = []
    level1 = level2 = ""
    for row in rows:
        texts = [c.text.strip() for c in row if c.text.strip()]
        if not texts or any(t.replace(" ", "") in _HEADER_WORDS for t in texts):
            continue
        rest = []
        for t in texts:
            c = t.replace(" ", "")
            if not rest and (c in _LEVEL1_NAMES or c in LEVEL1):
                level1 = LEVEL1.get(c, c)
            elif not rest and (c in LEVEL2 or (c.endswith("指标") and len(c) <= 10)):
                level2 = c
            else:
                rest.append(t)
        if rest:
            out.append(Indicator("年度", level1, level2, rest[0], " ".join(rest[1:2])))
    return out


def from_lines(lines: list[Line]) -> list[Indicator]:
    """Indicators of a dump's indicator block (one cell a line, blocks side by side)."""
    groups: list[tuple[str, list[str]]] = []
    level1 = ""
    skip_next_zhibiao = False
    for _, t in lines:
        c = t.replace(" ", "")
        if not c or c in _REPEATED_LABELS:
            continue
        if c in LEVEL1:  # "满意度" / "指标": the 一级指标 label, split over two lines
            level1 = LEVEL1[c]
            skip_next_zhibiao = True
            groups.append((level1, []))
            continue
        if skip_next_zhibiao and c == "指标":
            skip_next_zhibiao = False
            continue
        skip_next_zhibiao = False
        if groups:
            groups[-1][1].append(t)
    out: list[Indicator] = []
    for level1, texts in groups:
        pieces = [p for p in split_level2(" ".join(texts)) if p[0]]
        i = 0
        while i < len(pieces):
            l2, a = pieces[i]
            if i + 1 < len(pieces) and pieces[i + 1][0] == l2:
                b = pieces[i + 1][1]
                i += 2
            else:
                b = ""
                i += 1
            out.extend(_cells(level1, l2, a, b))
    return out


def _twice_each(text: str) -> list[tuple[str, str]]:
    """Rows of a cell whose lines came out of order: "A 1 B 2 B 2 A 1" -> [(A 1, A 1), (B 2, B 2)]."""
    words = text.split()
    items = [" ".join(words[i:i + 2]) for i in range(0, len(words), 2)]
    if len(words) % 2 or any(n != 2 for n in Counter(items).values()):
        return []
    return [(x, x) for x in dict.fromkeys(items)]


def _cells(level1: str, level2: str, left: str, right: str) -> list[Indicator]:
    """Indicators of one 二级指标 row; extra rows of a cell follow as "X X" repeats."""
    rows: list[tuple[str, str]] = []  # (实施期 text, 年度 text)
    if left and not right.startswith(left) and (pairs := _twice_each(f"{left} {right}")):
        rows = pairs
        left = right = ""
    extra = right[len(left):].split() if left and right.startswith(left) else []
    if left or right:
        rows.append((left, right[: len(right) - len(" ".join(extra))].strip() if extra else right))
    at = 0  # rows "X X" from extra[at:]; an index, not a copy per row
    while at < len(extra):
        k = next((k for k in range(1, (len(extra) - at) // 2 + 1) if extra[at + k] == extra[at]
                  and extra[at:at + k] == extra[at + k:at + 2 * k]), 0)
        if not k:
            rows.append(("", " ".join(extra[at:])))
            break
        rows.append((" ".join(extra[at:at + k]),) * 2)
        at += 2 * k
    out = []
    for period, texts in (("实施期", [r[0] for r in rows]), ("年度", [r[1] for r in rows])):
        for t in texts:
            if t:
                level3, value = split_level3(t)
                out.append(Indicator(period, level1, level2, level3, value))
    return out
