"""Read 项目支出绩效目标表 tables from a text dump, whatever its region's layout.

The dump is decoded (decode.py), normalised (textnorm.py) and cut into tables: at each
title line (项目支出绩效目标表, 项目绩效目标表, …), and at a second 项目名称-like label inside
one. Labels printed over several lines (项目 / 概况) are joined; each line becomes a row of
cells (split at |, tabs or runs of spaces), and the mapper reads the table by what its
labels mean (mapper.py). A table it cannot read is one problem naming the file, line and
missing field; the others still build.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..records import ProjectRecord
from . import grid
from . import labels as L
from .cells import row_of_line
from .decode import decode
from .errors import ParseError
from .mapper import declared_unit, read_table
from .textnorm import normalize

__all__ = ["ParseError", "decode", "parse_text", "read_text"]

_FOOTER = re.compile(r"^\s*-\s*\d+\s*-\s*$|^\s*第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?\s*$")
_CONTINUED = re.compile(r"[（(]\s*续\s*[）)]|续表")  # a title printed again on the next page
_LINE_END = re.compile(r"\r\n|\r|\n")

Line = tuple[int, str]  # (1-based line number, text)


def read_text(path: str | Path, problems: list[str] | None = None) -> list[ProjectRecord]:
    """Every readable table in a text dump, in order (see parse_text for `problems`)."""
    path = Path(path)
    return parse_text(decode(path.read_bytes(), str(path)), str(path), problems)


def parse_text(text: str, source: str, problems: list[str] | None = None
               ) -> list[ProjectRecord]:
    """Split a dump into tables and read each. Lines end at LF, CRLF or CR (the line
    numbers an editor shows). A table that cannot be read raises ParseError, or, when a
    `problems` list is given, adds its one-line message there and the rest are read."""
    stem = Path(source).stem
    lines = _LINE_END.split(normalize(text))
    tables = _split_tables(lines)
    if not tables:
        raise ParseError(f"{source}:1: no 项目支出绩效目标表 (no title such as 项目支出绩效目标表 "
                         f"and no 项目名称 label) found")
    first_heading, first_body = tables[0]
    preamble = tuple(lines[: (first_heading or first_body)[0][0] - 1])
    unit = declared_unit(list(preamble))
    records: list[ProjectRecord] = []
    ordinal = 1  # a table that cannot be read keeps its number: the others' ids stay put
    for heading, body in tables:
        for read in _read_one(heading, body, source, stem, ordinal, unit, preamble):
            if isinstance(read, ParseError):
                if problems is None:
                    raise read
                problems.append(str(read))
            else:
                records.append(read)
            ordinal += 1
    return records


def _read_one(heading: list[Line], body: list[Line], source: str, stem: str, ordinal: int,
              unit: str, preamble: tuple[str, ...]) -> list[ProjectRecord | ParseError]:
    """A table's lines, split labels joined, as rows of cells for the mapper: one record
    (or the error that stopped it) for a form, one per project row for a grid, the
    heading's labelled lines going with each."""
    rows = [row_of_line(no, t) for no, t in L.table().join_split(body)]
    start = (heading or body)[0][0]
    at = grid.header_at(rows)
    if at is None:
        tables = [(start, rows)]
    else:
        above = [row_of_line(no, t) for no, t in heading if L.table().scan(t)] + rows[:at]
        tables = [(p[0][1].line or start, above + p) for p in grid.project_rows(rows, at)]
    out: list[ProjectRecord | ParseError] = []
    for i, (line, table_rows) in enumerate(tables):
        try:
            out.append(read_table(table_rows, [t for _, t in heading], source, ordinal + i,
                                  stem=stem, unit=unit, line=line, preamble=preamble,
                                  where=f"{source}:{line}"))
        except ParseError as err:
            out.append(err)
    return out


def _split_tables(lines: list[str]) -> list[tuple[list[Line], list[Line]]]:
    """(heading, body) of each table: a title line starts a table (its heading runs to
    the first label), and so does a name label followed closely by a 主管部门 or 实施单位
    label in a table that has a name already (forms printed under one title)."""
    table = L.table()
    kept = [(no, piece) for no, line in enumerate(lines, 1) for piece in table.unrun(line.rstrip())]
    kept = [(no, "" if _FOOTER.match(t) or not t.strip() or _repeated_title(t) else t)
            for no, t in kept]
    scans = [table.scan(t.strip()) if t else [] for _, t in kept]
    tables: list[tuple[list[Line], list[Line]]] = []
    named = False
    for i, (no, raw) in enumerate(kept):
        line = raw.strip()  # the table keeps `raw`: its indent places -layout columns
        if not line:
            if tables and tables[-1][1]:
                tables[-1][1].append((no, ""))
            continue
        found = scans[i]
        is_name = bool(found) and found[0].start == 0 and found[0].role == L.NAME
        if L.TITLE.search(line) and len(L.compact(line)) < 40 and not found:
            tables.append(([(no, line)], []))
            named = False
        elif is_name and (not tables or named and _form_follows(scans, i)):
            tables.append(([], [(no, raw)]))
            named = True
        elif tables and not tables[-1][1] and not found:
            tables[-1][0].append((no, line))
        elif tables:
            tables[-1][1].append((no, raw))
            named = named or is_name
    return [t for t in tables if t[1]]


def _repeated_title(line: str) -> bool:
    """项目支出绩效目标表（续）: the title printed again over a table's next page."""
    return bool(_CONTINUED.search(line) and L.TITLE.search(line))


def _form_follows(scans: list[list[L.Label]], i: int, reach: int = 4) -> bool:
    """A 主管部门 or 实施单位 label on line i or on one of the next few non-empty lines."""
    ahead = [s for s in scans[i:i + 3 * reach] if s is not None][:reach]
    return any(lab.role in (L.DEPT, L.UNIT) for s in ahead for lab in s)
