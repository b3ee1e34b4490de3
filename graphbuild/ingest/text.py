"""Read 项目支出绩效目标表 tables from a text dump of the published PDF."""
from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from ..records import Indicator, ProjectRecord
from .layout import (
    LEVEL1,
    SECTION_LABELS,
    TITLE_MARK,
    join_lines,
    parse_amounts,
    parse_attribute,
    parse_funding,
    split_level2,
    split_level3,
)


class ParseError(ValueError):
    """A table that cannot be read; the message names the file and line."""


_FOOTER = re.compile(r"^\s*-\s*\d+\s*-\s*$")
_YEAR = re.compile(r"[（(]\s*(\d{4})\s*年度?\s*[）)]")
_DEPT = re.compile(r"主管部门及代码\s*(\d+)\s*[-－—]\s*(.*?)\s*实施单位\s*(.*)$")
_ATTR = re.compile(r"项目属性\s*(.*?)\s*项目期\s*(.*)$")

# A table continued on the next page prints its 绩效指标 label and header again.
_REPEATED_LABELS = {"绩", "效", "指", "标", "绩效", "绩效指标", SECTION_LABELS[-1][1]}

_LINE_END = re.compile(r"\r\n|\r|\n")

Line = tuple[int, str]  # (1-based line number, text)


@dataclass
class _Sections:
    """Lines of each labelled section, after the label machine has run."""

    parts: dict[str, list[Line]]
    first_line: dict[str, int]


# Full-width digits and Latin letters (some portals print ２０２４, ５１０，０００) read as
# ASCII, and the ideographic space as a space: one character for one, so offsets hold.
_WIDTH = str.maketrans({
    **{chr(0xFF10 + i): chr(0x30 + i) for i in range(10)},
    **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
    **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
    "\u3000": " ",
})
_UTF16 = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def read_text(path: str | Path) -> list[ProjectRecord]:
    """Every table in a text dump, in order."""
    path = Path(path)
    return parse_text(decode(path.read_bytes(), str(path)), str(path))


def decode(raw: bytes, source: str) -> str:
    """The text of a dump: UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030
    (which GBK and GB2312 dumps are part of) when that reads as a table. Anything else is
    a ParseError naming the line and byte where UTF-8 fails."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), *_UTF16):
        if raw.startswith(bom):
            return _strict(raw, len(bom), encoding, source)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8 = err
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if TITLE_MARK in text:
        return text
    line = raw[: utf8.start].count(b"\n") + 1
    raise ParseError(f"{source}:{line}: neither UTF-8 nor GB18030 text (byte {utf8.start}: "
                     f"{utf8.reason})")


def _strict(raw: bytes, skip: int, encoding: str, source: str) -> str:
    try:
        return raw[skip:].decode(encoding)
    except UnicodeDecodeError as err:
        at = skip + err.start
        newline = "\n".encode(encoding)
        line = raw[skip:at].count(newline) + 1
        raise ParseError(f"{source}:{line}: not {encoding.upper()} text after its byte-order "
                         f"mark (byte {at}: {err.reason})") from None


def parse_text(text: str, source: str) -> list[ProjectRecord]:
    """Split a dump into tables and parse each. Lines end at LF, CRLF or CR (the line
    numbers an editor shows); full-width digits and letters read as ASCII."""
    stem = Path(source).stem
    tables = _split_tables(_LINE_END.split(text.translate(_WIDTH)))
    if not tables:
        raise ParseError(f"{source}:1: no '{TITLE_MARK}' table found")
    return [_parse_table(lines, source, stem, i) for i, lines in enumerate(tables, 1)]


def _split_tables(lines: list[str]) -> list[list[Line]]:
    tables: list[list[Line]] = []
    for no, line in enumerate(lines, 1):
        if TITLE_MARK in line and len(line.strip()) < 40:
            tables.append([])
        if tables and not _FOOTER.match(line):
            tables[-1].append((no, line.strip()))
    return tables


def _find(lines: list[Line], prefix: str) -> tuple[int, Line]:
    for i, (no, text) in enumerate(lines):
        if text.startswith(prefix):
            return i, (no, text)
    raise KeyError(prefix)


def _parse_table(lines: list[Line], source: str, stem: str, ordinal: int) -> ProjectRecord:
    start = lines[0][0]
    where = f"{source}:{start}"
    try:
        _, (_, name_line) = _find(lines, "项目名称")
        _, (dept_no, dept_line) = _find(lines, "主管部门及代码")
        _, (_, attr_line) = _find(lines, "项目属性")
        funds_at, (funds_no, funds_line) = _find(lines, "实施期资金总额")
    except KeyError as missing:
        raise ParseError(f"{where}: table {ordinal} has no {missing.args[0]} line") from None
    dept = _DEPT.search(dept_line)
    if not dept:
        raise ParseError(f"{source}:{dept_no}: cannot read 主管部门及代码 in {_quote(dept_line)}")
    amounts = parse_amounts(funds_line)
    if not amounts:
        raise ParseError(f"{source}:{funds_no}: cannot read the amounts in {_quote(funds_line)}")
    year = next((int(m.group(1)) for _, t in lines[:3] if (m := _YEAR.search(t))), None)
    m = _ATTR.search(attr_line)
    attribute, period = parse_attribute(*(m.groups() if m else (attr_line, "")))

    body = lines[funds_at + 1 :]
    label_at = next(
        (i for i, (_, t) in enumerate(body) if t.replace(" ", "") in ("项目", "项目概况")
         or t.startswith("项目概况")),
        len(body),
    )
    sections = _label_sections(body[label_at:], source, start)
    fields = {k: join_lines([t for _, t in v]) for k, v in sections.parts.items()
              if k not in ("目标表头", "总体目标", "绩效指标", "指标表头")}
    fields["实施期目标"], fields["年度目标"] = _goals(sections.parts.get("总体目标", []))
    indicator_lines = sections.parts.get("绩效指标", []) + sections.parts.get("指标表头", [])
    return ProjectRecord(
        id=f"{stem}#{ordinal}",
        source=source,
        ordinal=ordinal,
        line=start,
        page=None,
        year=year,
        name=name_line[len("项目名称"):].strip(),
        dept_code=dept.group(1),
        dept_name=dept.group(2).strip(),
        unit=dept.group(3).strip(),
        attribute=attribute,
        period_years=period,
        funds_total=amounts[0],
        funds_annual=amounts[1],
        funding=[f for _, t in body[:label_at] if (f := parse_funding(t))],
        fields=fields,
        field_lines=sections.first_line,
        indicators=_indicators(indicator_lines),
    )


def _label_sections(lines: list[Line], source: str, start: int) -> _Sections:
    """Walk the lines, completing each label from its fragments; the rest is content.

    A label's characters may be spread over several lines, with lines of the previous
    field's text in between ("立项 / 依 / <概况 text> / 据"): such lines stay with the
    field before the label until the label is complete.
    """
    parts: dict[str, list[Line]] = {}
    first: dict[str, int] = {}
    k, pending, current = 0, SECTION_LABELS[0][1], None
    for no, text in lines:
        compact = text.replace(" ", "")
        if not compact:
            if current:
                parts[current].append((no, ""))
            continue
        rest = None
        if k < len(SECTION_LABELS):
            if pending.startswith(compact):
                pending = pending[len(compact):]
                rest = ""
            else:
                head, _, tail = text.partition(" ")
                if head and pending == head:
                    pending, rest = "", tail
        if rest is None:
            if current is None:
                raise ParseError(f"{source}:{no}: text before the first label of the table "
                                 f"at line {start}")
            parts[current].append((no, text))
            first.setdefault(current, no)
            continue
        if pending:
            continue
        current = SECTION_LABELS[k][0]
        parts[current] = []
        k += 1
        pending = SECTION_LABELS[k][1] if k < len(SECTION_LABELS) else ""
        if rest.strip():
            parts[current].append((no, rest.strip()))
            first.setdefault(current, no)
    if k < len(SECTION_LABELS):
        raise ParseError(f"{source}:{start}: label {SECTION_LABELS[k][0]} not found (table "
                         f"ends at line {lines[-1][0] if lines else start})")
    return _Sections(parts, first)


def _quote(text: str, limit: int = 80) -> str:
    """``text`` for a one-line message: escaped, and cut short when long."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _paragraphs(lines: list[Line]) -> list[str]:
    paras, cur = [], []
    for _, t in lines + [(0, "")]:
        if t:
            cur.append(t)
        elif cur:
            paras.append(cur)
            cur = []
    return [join_lines(p) for p in paras]


def _goals(lines: list[Line]) -> tuple[str, str]:
    """Split the 总体目标 cell into its 实施期 and 年度 halves."""
    paras = _paragraphs(lines)
    if len(paras) == 2:
        return paras[0], paras[1]
    text = " ".join(t for _, t in lines if t)
    words = text.split()
    # The cell printed twice on one run ("A B A B"): the halves meet at a word boundary.
    joined = "".join(words)
    half = len(joined) // 2
    if (len(words) > 1 and len(joined) % 2 == 0 and joined[:half] == joined[half:]
            and half in accumulate(map(len, words[:-1]))):
        return joined[:half], joined[half:]
    whole = join_lines([t for _, t in lines])
    return whole, whole if len(paras) == 1 else ""


def _indicators(lines: list[Line]) -> list[Indicator]:
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
