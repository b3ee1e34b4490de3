"""Reports as tables: CSV (the evidence, UTF-8 with BOM), XLSX (a sheet per section) and
Markdown. Headers are the Chinese labels of HEADERS; values come from the JSON unchanged."""
from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

HEADERS = {
    "depth": "链上位置", "relation": "关系", "document": "文件", "doc_no": "文号", "title": "标题",
    "issuers": "发文机关", "level": "层级", "year": "年份", "kind": "类别", "projects": "项目数",
    "funds": "资金（元）", "from": "转发文件", "to": "被转发文件", "dept_code": "部门代码",
    "department": "部门", "dept_key": "部门标识", "unit": "实施单位", "project_id": "项目编号",
    "project": "项目", "funds_total": "实施期资金（元）", "funds_annual": "年度资金（元）", "documents": "引用文件",
    "fields": "引用字段", "citations": "引用次数", "field": "字段", "snippet": "原文",
    "surface": "引用文字", "source": "来源文件", "line": "行", "page": "页",
}
SECTIONS = {"chain": "文件链", "forwards": "转发关系", "departments": "部门与单位",
            "projects": "项目", "evidence": "引用原文", "levels": "按层级", "documents": "文件"}
TOTALS = {"documents": "文件数", "projects": "项目数", "departments": "部门数",
          "citations": "引用次数", "funds": "涉及资金（元）"}
MONEY = {"funds", "funds_total", "funds_annual"}


def columns(rows: list[dict]) -> list[str]:
    return list(rows[0]) if rows else []


def csv_text(report: dict) -> str:
    """The evidence section: one row per citing sentence, joined with its document,
    project, department and unit (write it as utf-8-sig, so Excel shows the Chinese)."""
    rows = report["sections"]["evidence"]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([HEADERS[c] for c in columns(rows)])
    w.writerows([_cell(r[c]) for c in columns(rows)] for r in rows)
    return buf.getvalue()


def write_xlsx(report: dict, path: Path) -> None:
    """An overview sheet, then one sheet per section; numbers stay numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "概况"
    ws.append([report["title"]])
    ws["A1"].font = Font(bold=True, size=14)
    for labels, part in ((HEADERS, report["subject"]), (TOTALS, report["totals"])):
        for k, v in part.items():
            ws.append([labels.get(k, k), v])
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 16, 60
    for name, rows in report["sections"].items():
        ws = wb.create_sheet(SECTIONS[name])
        cols = columns(rows)
        ws.append([HEADERS[c] for c in cols])
        for r in rows:
            ws.append([r[c] for c in cols])
        for i, c in enumerate(cols, 1):
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = 60 if c in ("title", "snippet") else 16
            ws.cell(1, i).font = Font(bold=True)
            if c in MONEY:
                for cell in ws[letter][1:]:
                    cell.number_format = "#,##0.00"
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = ws.dimensions
    wb.save(path)


def markdown(report: dict) -> str:
    """The whole report as Markdown: every value escaped, the reference in bold."""
    out = [f"# {_md(report['title'])}", ""]
    for labels, part in ((HEADERS, report["subject"]), (TOTALS, report["totals"])):
        out += [f"- **{_md(labels.get(k, k))}**: {_md(show(k, v))}" for k, v in part.items()
                if v not in (None, "")]
    for name, rows in report["sections"].items():
        out += ["", f"## {SECTIONS[name]}（{len(rows)}）", ""]
        if name == "evidence":
            out += [f"{i}. {_md(r['project'])}（{_md(r['department'])}）· {_md(r['field'])} · "
                    f"{_md(where(r))}  \n   {_md_mark(r['snippet'] or '', r['surface'])}"
                    for i, r in enumerate(rows, 1)]
            continue
        cols = columns(rows)
        out += ["| " + " | ".join(HEADERS[c] for c in cols) + " |",
                "|" + "|".join("---:" if c in MONEY or c in ("projects", "depth") else "---"
                               for c in cols) + "|"]
        out += ["| " + " | ".join(_md(show(c, r[c])) for c in cols) + " |" for r in rows]
    return "\n".join(out) + "\n"


def where(r: dict) -> str:
    name = Path(r["source"]).name if r.get("source") else "?"
    return f"{name} 第{r['page']}页" if r.get("page") else f"{name}:{r.get('line')}"


def show(key: str, v) -> str:
    if v is None:
        return ""
    if key in MONEY and isinstance(v, (int, float)):
        return f"{v:,.2f}"
    return str(v)


def _cell(v):
    return "" if v is None else v


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def _md(text) -> str:
    """Text safe in Markdown: HTML-escaped, Markdown punctuation backslashed, one line."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text))).replace("\n", " ")


def _md_mark(snippet: str, surface: str | None) -> str:
    i = snippet.find(surface) if surface else -1
    if i < 0:
        return _md(snippet)
    j = i + len(surface)
    return f"{_md(snippet[:i])}**{_md(surface)}**{_md(snippet[j:])}"
