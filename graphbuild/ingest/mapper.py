"""Turn a table's rows of cells into a ProjectRecord, by what its labels mean.

Readers of every shape (dump lines, pipe tables, PDF cells, OCR) hand rows of cells here;
form.py finds the fields by the layout table. Money is always in 元 on the record, with the
unit it was printed in kept (``money_unit``): the value's own unit (`250万`), else its
label's (年度资金总额（万元）), else the money block's (项目资金（万元）), else the one the
page declares (单位：万元), else 元. A field that is not there stays empty; a table without a
name is a ParseError naming the place and the missing field.
"""
from __future__ import annotations

import re
from typing import Callable

from ..records import Funding, Indicator, ProjectRecord
from . import indicators as _indicators
from . import labels as L
from .cells import Cell, Row
from .errors import ParseError
from .form import Form, Value, read_form
from .layout import join_lines, parse_attribute, parse_funding, split_goals

_AMOUNT = re.compile(r"(\d(?:\d|[,，]\s*(?=\d))*(?:\.\d+)?)\s*(亿元|亿|万元|万|元)?")
_UNIT_NAMES = {"万": "万元", "亿": "亿元"}
_FACTOR = {"元": 1, "万元": 10_000, "万": 10_000, "亿元": 100_000_000, "亿": 100_000_000}
_DECLARED_UNIT = re.compile(r"单位\s*[:：]\s*(万元|元)")
_YEAR_MARKED = re.compile(r"[（(]\s*(\d{4})\s*年度?\s*[）)]")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CODE_FIRST = re.compile(r"^[\[［【(（]?\s*(\d[\d.]*\d|\d)\s*[\]］】)）]?\s*[-－—_、:：.\s]?\s*(\D.*)$")
_BRACKETED_CODE = re.compile(r"^\s*[\[［【]\s*\d+\s*[\]］】]\s*")
_CODE_LAST = re.compile(r"^(.*?\D)\s*[\[［【(（]?\s*(\d{3,})\s*[\]］】)）]?$")


def declared_unit(lines: list[str]) -> str:
    """The unit of money a page declares above its tables (单位：万元), or ''."""
    return next((m.group(1) for t in lines if (m := _DECLARED_UNIT.search(t))), "")


def read_table(rows: list[Row], heading: list[str], source: str, ordinal: int, *,
               stem: str, unit: str = "", where: str = "", line: int = 0,
               preamble: tuple[str, ...] = (),
               indicators: list[Indicator] | None = None) -> ProjectRecord:
    """The record of one table. `heading` holds the lines above it (title, year, 单位：万元);
    `unit` the unit its page or file declares; `where` the place named in errors; `line`
    where the table starts (its title), when that is above its rows; `preamble` the text
    above the file's first table (a covering notice), where a year may be stated;
    `indicators` the table's indicators when its reader read them itself (a PDF's
    side-by-side 实施期 / 年度 blocks, by position)."""
    form = read_form(rows)
    first = next((c for r in rows for c in r), Cell(""))
    where = where or f"{source}:{first.line or 0}"
    name = _text(form, L.NAME)
    if not name:
        raise ParseError(f"{where}: table {ordinal} has no 项目名称 (read as: "
                         f"{' | '.join(sorted(form.values)) or 'no known label'})")
    unit = declared_unit(heading) or declared_unit([c.text for r in rows for c in r]) or unit
    def evidence() -> str:
        return " ".join([*preamble, *(c.text for r in rows for c in r)])

    total, total_unit = _money(form, L.TOTAL, unit, evidence)
    annual, annual_unit = _money(form, L.ANNUAL, unit, evidence)
    money_unit = total_unit or annual_unit or form.block_unit or unit or "元"
    code, dept = _department(_text(form, L.DEPT))
    code = code or re.sub(r"\s", "", _text(form, L.DEPT_CODE))
    attribute, period = parse_attribute(_text(form, L.ATTRIBUTE), _text(form, L.PERIOD))
    fields = {role: _text(form, role) for role in L.NARRATIVE}
    if not fields["实施期目标"] and not fields["年度目标"] and L.GOALS in form.values:
        cells = form.values[L.GOALS].cells
        fields["实施期目标"], fields["年度目标"] = split_goals([(c.line or 0, c.text) for c in cells])
    cells = [c for v in form.values.values() for c in v.cells]
    return ProjectRecord(
        id=f"{stem}#{ordinal}",
        source=source,
        ordinal=ordinal,
        line=line or first.line or 0,
        page=first.page,
        year=_year(heading) or _year(list(preamble)) or _year([name]),
        name=name,
        dept_code=code,
        dept_name=dept,
        unit=_BRACKETED_CODE.sub("", _text(form, L.UNIT)),  # [610001]某公司: its own code
        attribute=attribute,
        period_years=period,
        funds_total=total,
        funds_annual=annual,
        money_unit=money_unit if total is not None or annual is not None else "",
        funding=_funding(form, _FACTOR[money_unit]),
        fields={k: v for k, v in fields.items() if v or k in form.values},  # printed, if empty
        field_lines=_places(form, "line"),
        field_pages=_places(form, "page"),
        indicators=indicators if indicators is not None else
        _indicators.from_rows(form.indicator_rows[1:]) if form.indicator_rows else [],
        ocr=any(c.ocr for c in cells),
        labels={role: value.label for role, value in form.values.items()},
    )


def _places(form: Form, attr: str) -> dict[str, int]:
    """Line (or page) of each narrative field's first text."""
    out = {}
    for role, value in form.values.items():
        where = next((getattr(c, attr) for c in value.cells if c.text), None)
        if role in L.NARRATIVE and where:
            out[role] = where
    return out


def _text(form: Form, role: str) -> str:
    value: Value | None = form.values.get(role)
    return join_lines(value.texts) if value else ""


def _money(form: Form, role: str, page_unit: str, evidence: Callable[[], str]
           ) -> tuple[float | None, str]:
    """(amount in 元, unit as printed) of a money field; (None, '') when it holds none.

    A money label printed with no amount beside it (资金总额 over a column of sources) is the
    sum of the 资金来源 amounts after it. An amount whose unit nothing declares takes the
    unit the same table or its covering notice gives that amount (5.00 … 预算安排5万元):
    `evidence()` is that text, joined only when needed."""
    value = form.values.get(role)
    text = " ".join(value.texts) if value else ""
    m = _AMOUNT.search(text)
    if m and not m.group(2) and text[m.end():].lstrip().startswith("年"):  # 1年: a period
        m = None
    if m:
        digits, printed = _number(m), m.group(2)
    elif value is not None and not text and any(
            sources := [_AMOUNT.search(" ".join(v.texts)) for v in form.sources]):
        digits, printed = sum(_number(p) for p in sources if p), ""
    else:
        return None, ""
    unit = printed or value.unit or form.block_unit or page_unit or \
        _unit_elsewhere(digits, evidence()) or "元"
    unit = _UNIT_NAMES.get(unit, unit)
    return round(digits * _FACTOR[unit], 2), unit


def _number(m: re.Match[str]) -> float:
    return float(re.sub(r"[,，\s]", "", m.group(1)))


def _unit_elsewhere(amount: float, evidence: str) -> str:
    """'万元' when the text gives this amount with 万 (5万元 for 5.00), '元' with 元, else ''."""
    for m in _AMOUNT.finditer(evidence):
        if m.group(2) and _number(m) == amount:
            return _UNIT_NAMES.get(m.group(2), m.group(2))
    return ""


def _funding(form: Form, factor: float) -> list[Funding]:
    """Funding-source lines under the amounts (市县（区）财政资金 510,000 市县（区）财政资金
    510,000), amounts in 元."""
    value = form.values.get(L.ANNUAL) or form.values.get(L.TOTAL)
    out = []
    for cell in value.cells[1:] if value else []:
        if f := parse_funding(cell.text):
            out.append(Funding(f.source, f.total * factor if f.total is not None else None,
                               f.annual * factor if f.annual is not None else None))
    return out


def _department(text: str) -> tuple[str, str]:
    """(code, name) of a 主管部门 value: 001-襄垣县教育局, [015001]上海市…局, 教育局（155）, 教育局."""
    text = text.strip()
    if m := _CODE_FIRST.match(text):
        return m.group(1), m.group(2).strip()
    if m := _CODE_LAST.match(text):
        return m.group(2), m.group(1).strip()
    return "", text


def _year(heading: list[str]) -> int | None:
    for pattern in (_YEAR_MARKED, _YEAR):
        for line in heading:
            if m := pattern.search(line):
                return int(m.group(1))
    return None
