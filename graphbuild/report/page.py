"""A report as one self-contained HTML page: summary, contents, the picture (vis-network
inlined, no network request), tables and the citing sentences with the reference marked.
Every text shown goes through html.escape (directly or via graphbuild.annotate)."""
from __future__ import annotations

from html import escape

import networkx as nx

from .. import viz
from ..annotate import annotate
from ..graph import node_id
from ..refs import Reference, find_refs
from .tables import HEADERS, SECTIONS, TOTALS, show, where

CSS = """body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:16px 24px;
color:#222;line-height:1.5}h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 8px;
border-bottom:2px solid #ddd}dl.gb-subject{display:grid;grid-template-columns:max-content 1fr;
gap:2px 14px;margin:0}dt{color:#666}dd{margin:0}nav.gb-toc{background:#f6f6f6;padding:6px 14px;
margin:12px 0;display:inline-block}nav.gb-toc ol{margin:4px 0;padding-left:22px}
table{border-collapse:collapse;font-size:13px;width:100%}th,td{border:1px solid #ddd;padding:3px 6px;
text-align:left;vertical-align:top}th{background:#f0f0f0}td.num{text-align:right;
white-space:nowrap;font-variant-numeric:tabular-nums}td.nowrap{white-space:nowrap}tr.gb-group td{background:#eef3fa;
font-weight:bold}tr.gb-total td{background:#e4e4e4;font-weight:bold}tr.gb-unit td:first-child{
padding-left:24px}ol.gb-evidence li{margin:0 0 10px}.gb-where{color:#666;font-size:12px}
blockquote{margin:2px 0 0;padding:4px 10px;border-left:3px solid #ccc;background:#fafafa}
mark.ref{background:#ffe28a;padding:0 1px}.gb-net{height:min(70vh,640px)}
@media print{nav.gb-toc,#gb-find,label[for],#gb-status,.gb-legend details{display:none}
body{margin:0;font-size:10pt}.gb-net{height:14cm;page-break-inside:avoid}
table{font-size:9pt}thead{display:table-header-group}tr,li{page-break-inside:avoid}
h2{page-break-after:avoid}a{color:inherit;text-decoration:none}}"""


def html_page(g: nx.MultiDiGraph, report: dict) -> str:
    """The page for a report from report.data (lineage or department)."""
    sections = report["sections"]
    parts = [("picture", "关系图", _picture(g, report))]
    parts += [(name, f"{SECTIONS[name]}（{len(rows)}）", _section(name, rows, report["kind"]))
              for name, rows in sections.items() if name != "forwards"]
    toc = "".join(f'<li><a href="#{k}">{escape(t)}</a></li>' for k, t, _ in parts)
    body = "".join(f'<section id="{k}"><h2>{escape(t)}</h2>{html}</section>'
                   for k, t, html in parts)
    return (f'<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
            f'<title>{escape(report["title"])}</title>\n{viz.assets()}<style>{CSS}</style>'
            f'</head><body>\n<h1>{escape(report["title"])}</h1>{_summary(report)}'
            f'<nav class="gb-toc"><b>目录</b><ol>{toc}</ol></nav>\n{body}</body></html>\n')


def _summary(report: dict) -> str:
    subject = report["subject"]
    items = [(HEADERS.get(k, k), show(k, v)) for k, v in subject.items()
             if not (k == "document" and v == subject.get("doc_no"))]
    items += [(TOTALS[k], show(k, v)) for k, v in report["totals"].items()]
    return '<dl class="gb-subject">' + "".join(
        f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items if v) + "</dl>"


def _picture(g: nx.MultiDiGraph, report: dict) -> str:
    if report["kind"] == "lineage":
        center = node_id("Document", report["subject"]["document"])
        keep = viz.lineage_nodes(g, center)
    else:
        center = node_id("Department", report["subject"]["dept_key"])
        keep = viz.focus_nodes(g, center, 2)
    return viz.network_html(g, keep, center)[0]


def _section(name: str, rows: list[dict], kind: str) -> str:
    if not rows:
        return "<p>（无）</p>"
    if name == "evidence":
        return _evidence(rows)
    if name == "departments":  # a unit's row names only the unit
        rows = [{**r, "department": "" if r["unit"] else r["department"]} for r in rows]
        return _table(rows, [c for c in rows[0] if c != "dept_code"], _subtotal_class)
    group = {"projects": "department", "documents": "level"}.get(name)
    hide = {group, "dept_code", "document"}  # the group is a header row; doc_no/title say it
    return _table(rows, [c for c in rows[0] if c not in hide], group=group)


def _subtotal_class(row: dict) -> str:
    if row["dept_code"] is None:
        return "gb-total"
    return "gb-group" if row["unit"] is None else "gb-unit"


def _table(rows: list[dict], cols: list[str], row_class=None, group: str | None = None) -> str:
    head = "".join(f"<th>{escape(HEADERS[c])}</th>" for c in cols)
    out, current = [], object()
    for r in rows:
        if group and r[group] != current:
            current = r[group]
            members = [x for x in rows if x[group] == current]
            count = (f"{len(members)} 份文件" if group == "level" else f"{len(members)} 项 · "
                     + show("funds", sum(x["funds_total"] or 0 for x in members)) + " 元")
            out.append(f'<tr class="gb-group"><td colspan="{len(cols)}">'
                       f"{escape(show(group, current) or '—')} · {escape(count)}</td></tr>")
        cls = f' class="{row_class(r)}"' if row_class else ""
        out.append(f"<tr{cls}>" + "".join(_td(c, r[c]) for c in cols) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(out)}</tbody></table>"


def _td(col: str, value) -> str:
    num = isinstance(value, (int, float)) and not isinstance(value, bool)
    cls = " class=num" if num else " class=nowrap" if col == "doc_no" else ""
    return f"<td{cls}>{escape(show(col, value))}</td>"


def _evidence(rows: list[dict]) -> str:
    items = []
    for r in rows:
        src = r.get("source") or ""
        items.append(
            f"<li><b>{escape(r['project'] or '')}</b> · {escape(r['department'] or '')}"
            f" · {escape(r['unit'] or '')} · 字段 {escape(r['field'] or '')} · 引用 "
            f"{escape(r['document'])}<br><span class=\"gb-where\" title=\"{escape(src)}\">"
            f"{escape(where(r))}</span><blockquote>{_marked(r)}</blockquote></li>")
    return f'<ol class="gb-evidence">{"".join(items)}</ol>'


def _marked(r: dict) -> str:
    """The sentence as escaped HTML with the cited reference in <mark>."""
    snippet, surface = r["snippet"] or "", r.get("surface")
    i = snippet.find(surface) if surface else -1
    if i >= 0:
        refs = [Reference(r["document"], "", i, i + len(surface), surface)]
    else:
        refs = [ref for ref in find_refs(snippet) if ref.key == r["document"]]
    return annotate(snippet, refs)
