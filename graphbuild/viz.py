"""pyvis pages of the graph: self-contained HTML that fetches nothing from the network.

pyvis' own template always loads Bootstrap from a CDN, so the page shell is ours; pyvis
supplies the node/edge model and the vis-network files it bundles, which are inlined.
Canvas labels are plain text; tooltips are HTML built only from html.escape()d text;
the data blob escapes < > & so no text can close its <script>.
"""
from __future__ import annotations

import html
import json
import math
import zlib
from collections import Counter
from pathlib import Path
from string import Template

import networkx as nx
import pyvis
from pyvis.network import Network

from . import queries
from .graph import node_id

LEVEL_COLORS = {"中央": "#d62728", "省": "#ff7f0e", "市": "#1f77b4", "县": "#2ca02c",
                "乡镇": "#98df8a", "unknown": "#9e9e9e"}
DEPT_PALETTE = ("#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#6b6ecf", "#8c6d31",
                "#e7ba52", "#a55194", "#5254a3", "#c49c94", "#637939", "#ce6dbd", "#7b4173",
                "#9edae5", "#dbdb8d")
DRAWN_LABELS = ("Project", "Department", "Document")
DRAWN_EDGES = ("CITES", "BELONGS_TO", "FORWARDS")
LABEL_NAMES = {"Project": "项目", "Department": "部门", "Document": "文件", "Unit": "实施单位",
               "Indicator": "绩效指标", "Authority": "发文机关"}
OPTIONS = {
    "physics": {"solver": "forceAtlas2Based",
                "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 90,
                                     "avoidOverlap": 0.5},
                "stabilization": {"iterations": 600, "updateInterval": 20}},
    "layout": {"randomSeed": 7, "improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 120},
    "nodes": {"borderWidth": 1, "scaling": {"label": {"drawThreshold": 6}}},
    "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}}},
}
_LIB = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
STYLE = """.gb-caption{color:#555;font-size:13px;margin:4px 0}.gb-legend{font-size:13px;margin:6px 0}
.gb-legend span{margin-right:14px;white-space:nowrap}.gb-legend b{font-size:16px}
.gb-net{width:100%;height:78vh;min-height:420px;border:1px solid #ccc}
.vis-tooltip{max-width:480px;white-space:normal!important}"""
PAGE = Template("""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>$title</title>
$assets<style>body{font-family:sans-serif;margin:8px 16px}h1{font-size:20px;margin:4px 0}</style>
</head><body>
<h1>$heading</h1><p class="gb-caption">$caption</p>
$network</body></html>
""")
# The picture: legend, a find box (a datalist, no external menu library), the canvas.
# `data` is parsed from JSON in which < > & are \u-escaped; tooltips are DOM nodes built
# from our escaped HTML. body[data-stable] is set once the layout has settled.
NETWORK = Template("""<div class="gb-legend">$legend</div>
<label>查找 <input id="gb-find" list="gb-names" size="48"></label>
<datalist id="gb-names"></datalist> <span id="gb-status"></span>
<div id="gb-net" class="gb-net"></div>
<script>
var data = $data;
function tip(h) { var d = document.createElement("div"); d.innerHTML = h; return d; }
data.nodes.concat(data.edges).forEach(function (x) { if (x.title) x.title = tip(x.title); });
var network = new vis.Network(document.getElementById("gb-net"),
  {nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}, data.options);
var status = document.getElementById("gb-status"), ids = {};
network.on("stabilizationProgress", function (p) {
  status.textContent = "布局计算 " + Math.round(100 * p.iterations / p.total) + "%"; });
network.once("stabilizationIterationsDone", function () {
  network.setOptions({physics: false}); status.textContent = "";
  network.fit(); document.body.setAttribute("data-stable", "1"); });
data.nodes.forEach(function (n) {
  var o = document.createElement("option"); o.value = n.search; ids[n.search] = n.id;
  document.getElementById("gb-names").appendChild(o); });
document.getElementById("gb-find").addEventListener("change", function () {
  var id = ids[this.value];
  if (id === undefined) return;
  network.selectNodes([id]); network.focus(id, {scale: 1.5, animation: true});
});
</script>
""")


def assets() -> str:
    """vis-network's CSS and JS (bundled with pyvis) and our styles, inline."""
    css = (_LIB / "vis-network.css").read_text(encoding="utf-8")
    js = (_LIB / "vis-network.min.js").read_text(encoding="utf-8")
    return f"<style>{css}</style>\n<style>{STYLE}</style>\n<script>{js}</script>\n"


def write_overview(g: nx.MultiDiGraph, path: str | Path, *, max_documents: int = 200,
                   title: str = "政策文件引用图", totals: dict[str, int] | None = None) -> dict:
    """Departments, the projects citing the top cited documents, and those documents.

    `g` may be a part of the graph (store.load_top_cited); `totals`, nodes per label of
    the whole graph, then lets the caption say what is left off."""
    cited = sorted((n for n, d in g.nodes(data=True)
                    if d["label"] == "Document" and d.get("citations", 0) > 0),
                   key=lambda n: (-g.nodes[n]["citations"], -g.nodes[n].get("funds_cited", 0), n))
    docs = set(cited[:max_documents])
    docs |= {v for u in docs for _, v, t in g.out_edges(u, data="type") if t == "FORWARDS"}
    projects = {u for v in docs for u, _, t in g.in_edges(v, data="type") if t == "CITES"}
    depts = {v for u in projects for _, v, t in g.out_edges(u, data="type") if t == "BELONGS_TO"}
    note = (f"文件：被引用最多的 {min(len(cited), max_documents)} 份及其转发的文件；"
            "项目：引用其中至少一份的项目；部门：这些项目所属部门。")
    return _write(g, docs | projects | depts, path, title, note, totals=totals)


def write_focus(g: nx.MultiDiGraph, center_node_id: str, path: str | Path,
                depth: int = 2) -> dict:
    """Everything within `depth` steps of one node (indicators and units left out)."""
    keep = focus_nodes(g, center_node_id, depth)
    name = _name(g.nodes[center_node_id])
    return _write(g, keep, path, f"{name} 周围 {depth} 步",
                  f"以「{name}」为中心，{depth} 步以内的节点。", center=center_node_id)


def focus_nodes(g: nx.MultiDiGraph, center_node_id: str, depth: int) -> set[str]:
    """Departments, projects and documents within `depth` steps of a node (either way)."""
    if center_node_id not in g:
        raise KeyError(f"no node {center_node_id!r} in the graph")
    view = g.subgraph(n for n, lab in g.nodes(data="label")
                      if lab in DRAWN_LABELS or n == center_node_id)
    return set(nx.ego_graph(view.to_undirected(as_view=True), center_node_id, radius=depth))


def focus_node(g: nx.MultiDiGraph, text: str) -> str:
    """The node `text` names: a department (key, name or code, as queries.is_department),
    a project (key or its one name), a unit, else a document (any spelling of a 文号, or a
    title). A code that several counties use names several nodes, which is refused."""
    for label in ("Department", "Project", "Unit"):
        if node_id(label, text) in g:
            return node_id(label, text)
    named = sorted(n for n, d in g.nodes(data=True) if queries.is_department(d, text)
                   or d["label"] == "Project" and d.get("name") == text)
    if len(named) > 1:
        raise LookupError(f"several nodes are named {text!r}: {', '.join(named[:5])}")
    return named[0] if named else queries.resolve_document(g, text)


def write_lineage(g: nx.MultiDiGraph, doc_node_id: str, path: str | Path) -> dict:
    """A document's FORWARDS chain, the projects citing it and their departments."""
    name = _name(g.nodes[doc_node_id])
    return _write(g, lineage_nodes(g, doc_node_id), path, f"{name} 的转发链与引用项目",
                  f"「{name}」、它转发和转发它的文件、引用其中任一份的项目及所属部门。",
                  center=doc_node_id)


def lineage_nodes(g: nx.MultiDiGraph, doc_node_id: str) -> set[str]:
    """The documents on a document's FORWARDS chain (both ways), their citing projects and
    those projects' departments."""
    docs = {node_id("Document", r["document"])
            for r in queries.lineage(g, g.nodes[doc_node_id]["key"])}
    projects = {u for d in docs for u, _, t in g.in_edges(d, data="type") if t == "CITES"}
    depts = {v for p in projects for _, v, t in g.out_edges(p, data="type") if t == "BELONGS_TO"}
    return docs | projects | depts


def network_html(g: nx.MultiDiGraph, keep: set, center: str | None = None) -> tuple[str, dict]:
    """The picture of `keep` as an HTML fragment (needs assets() in the page) and its
    counts: {"nodes", "edges"}."""
    net = Network(directed=True)
    max_funds = max((g.nodes[n].get("funds_total") or 0 for n in keep), default=0) or 1
    max_cites = max((g.nodes[n].get("citations") or 0 for n in keep), default=0) or 1
    for n in sorted(keep):
        net.add_node(n, **_node_style(g.nodes[n], max_funds, max_cites, len(keep)),
                     borderWidth=5 if n == center else 1)
    merged: dict[tuple, list[dict]] = {}
    for u, v, d in g.subgraph(keep).edges(data=True):
        if d["type"] in DRAWN_EDGES or center in (u, v):
            merged.setdefault((u, v, d["type"]), []).append(d)
    for (u, v, type_), ds in sorted(merged.items()):
        net.add_edge(u, v, **_edge_style(g, u, type_, ds))
    data = {"nodes": net.nodes, "edges": net.edges, "options": OPTIONS}
    blob = (json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("&", "\\u0026"))
    return (NETWORK.substitute(legend=_legend(g, keep), data=blob),
            {"nodes": len(net.nodes), "edges": len(net.edges)})


def _write(g: nx.MultiDiGraph, keep: set, path: str | Path, title: str, note: str,
           center: str | None = None, totals: dict[str, int] | None = None) -> dict:
    fragment, stats = network_html(g, keep, center)
    shown = Counter(g.nodes[n]["label"] for n in keep)
    hidden = (Counter({lab: totals.get(lab, 0) for lab in LABEL_NAMES}) - shown if totals
              else Counter(lab for n, lab in g.nodes(data="label") if n not in keep))
    heading = f"{title}：" + " · ".join(f"{LABEL_NAMES.get(lab, lab)} {c}" for lab, c in
                                       sorted(shown.items())) + f" · 连线 {stats['edges']}"
    left = [f"{LABEL_NAMES.get(lab, lab)} {c}" for lab, c in sorted(hidden.items())]
    caption = note + ("未显示：" + "，".join(left) + "。" if left else "")
    Path(path).write_text(PAGE.substitute(
        title=html.escape(title), heading=html.escape(heading), caption=html.escape(caption),
        assets=assets(), network=fragment), encoding="utf-8")
    return stats


def dept_color(code: str) -> str:
    """The colour of a department code, the same on every page: its departments (one a
    county) and their projects share it."""
    return DEPT_PALETTE[zlib.crc32(str(code).encode()) % len(DEPT_PALETTE)]


def _name(d: dict) -> str:
    return str(d.get("name") or d.get("doc_no") or d.get("title") or d["key"])


def _level(level: str) -> str:
    return "未知层级" if level == "unknown" else level


def _money(x) -> str:
    return f"{x / 10000:,.2f} 万元" if isinstance(x, (int, float)) else "—"


def _tip(*lines: tuple[str, object]) -> str:
    """Tooltip HTML: every value escaped, only our own <b>/<br> tags."""
    return "<br>".join(f"<b>{html.escape(k)}</b> {html.escape(str(v))}" for k, v in lines
                       if v not in (None, ""))


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def _node_style(d: dict, max_funds: float, max_cites: float, shown: int) -> dict:
    label, name = d["label"], _name(d)
    if label == "Project":
        funds = d.get("funds_total") or 0
        return dict(label=_short(name, 14), shape="dot", color=dept_color(d.get("dept_code")),
                    size=6 + 24 * math.sqrt(funds / max_funds), font={"size": 10},
                    search=f"项目 {name}", title=_tip(("项目", name), ("资金", _money(funds)),
                                                     ("部门代码", d.get("dept_code")),
                                                     ("年度", d.get("year")), ("编号", d["key"])))
    if label == "Department":
        big = 44 if shown > 150 else 18  # large enough to read on a zoomed-out overview
        return dict(label=name, shape="box", color=dept_color(d.get("code")),
                    font={"size": big, "color": "#ffffff"},
                    search=f"部门 {name}", title=_tip(("部门", name), ("代码", d.get("code"))))
    if label == "Document":
        level = d.get("level") or "unknown"
        cites = d.get("citations") or 0
        return dict(label=_short(name, 18), shape="diamond", size=8 + 22 * math.sqrt(
                        cites / max_cites), color=LEVEL_COLORS.get(level, LEVEL_COLORS["unknown"]),
                    font={"size": 12}, search=f"文件 {name}",
                    title=_tip(("文号", d.get("doc_no")), ("标题", d.get("title")),
                               ("层级", _level(level)), ("类别", d.get("kind")), ("引用项目", cites),
                               ("涉及资金", _money(d.get("funds_cited")))))
    return dict(label=_short(name, 18), shape="dot", color="#9e9e9e", size=12,
                search=f"{LABEL_NAMES.get(label, label)} {name}",
                title=_tip((LABEL_NAMES.get(label, label), name)))


def _edge_style(g: nx.MultiDiGraph, u: str, type_: str, ds: list[dict]) -> dict:
    if type_ == "CITES":
        fields = "、".join(sorted({d.get("field") or "" for d in ds} - {""}))
        return dict(color={"color": "#9e9e9e", "opacity": 0.5}, width=1,
                    title=_tip(("引用", fields), ("原文", ds[0].get("snippet"))))
    if type_ == "BELONGS_TO":
        return dict(color={"color": dept_color(g.nodes[u].get("dept_code")), "opacity": 0.35},
                    width=1, title=_tip(("关系", "属于部门")))
    if type_ == "FORWARDS":
        return dict(color={"color": "#8b0000"}, width=2.5, dashes=True,
                    title=_tip(("关系", "转发／印发")))
    return dict(color={"color": "#bbbbbb"}, width=1, title=_tip(("关系", type_)))


def _legend(g: nx.MultiDiGraph, keep: set) -> str:
    """Shapes, document levels and department colours; every text escaped."""
    def swatch(color: str, mark: str, text: str) -> str:
        return f'<span><b style="color:{color}">{mark}</b> {html.escape(text)}</span>'
    parts = [swatch("#555", "■", "部门"), swatch("#555", "●", "项目（颜色=部门，大小=资金）"),
             swatch("#555", "◆", "文件（颜色=层级，大小=引用项目数）"),
             swatch("#8b0000", "┅", "转发／印发")]
    parts += [swatch(c, "◆", _level(lvl)) for lvl, c in LEVEL_COLORS.items()]
    depts = sorted((n for n in keep if g.nodes[n]["label"] == "Department"),
                   key=lambda n: g.nodes[n]["key"])
    items = "".join(swatch(dept_color(g.nodes[n].get("code")), "●", _name(g.nodes[n]))
                    for n in depts)
    return "".join(parts) + (f"<details><summary>部门颜色</summary>{items}</details>"
                             if depts else "")
