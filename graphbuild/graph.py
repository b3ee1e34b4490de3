"""Build the networkx graph from records plus citations.

Node ids are ``<Label>:<key>``; every node carries ``label`` and ``key``, every edge
``type``. The graph is a MultiDiGraph: a project may cite one document from two fields.
"""
from __future__ import annotations

from dataclasses import asdict

import networkx as nx

from .citations import Citation
from .records import ProjectRecord
from .refs import issuers
from .refs.models import Reference


def node_id(label: str, key: str) -> str:
    return f"{label}:{key}"


def _add(g: nx.MultiDiGraph, label: str, key: str, **props) -> str:
    nid = node_id(label, key)
    clean = {k: v for k, v in props.items() if v is not None and v != ""}
    if nid in g:
        for k, v in clean.items():
            g.nodes[nid].setdefault(k, v)
    else:
        g.add_node(nid, label=label, key=key, **clean)
    return nid


def _edge(g: nx.MultiDiGraph, src: str, dst: str, type_: str, **props) -> None:
    """Add an edge once: the same (src, dst, type, props) is never added twice."""
    clean = {k: v for k, v in props.items() if v is not None and v != ""}
    for data in g.get_edge_data(src, dst, default={}).values():
        if data.get("type") == type_ and all(data.get(k) == v for k, v in clean.items()):
            return
    g.add_edge(src, dst, type=type_, **clean)


PROJECT_PROPS = ("name", "year", "dept_code", "attribute", "period_years", "funds_total",
                 "funds_annual", "source", "line", "page")
FIELD_PROPS = {"项目概况": "overview", "立项依据": "basis", "项目设立必要性": "necessity",
               "保证项目实施的制度措施": "measures", "项目实施计划": "plan",
               "实施期目标": "goal_period", "年度目标": "goal_annual"}


def build_graph(records: list[ProjectRecord], citations: list[Citation]) -> nx.MultiDiGraph:
    """Projects, departments, units, indicators, then documents and who issued them."""
    g = nx.MultiDiGraph()
    for rec in records:
        _add_project(g, rec)
    title_to_key = _numbered_titles(citations)
    funds = {rec.id: rec.funds_total or 0.0 for rec in records}
    for c in citations:
        doc = _add_document(g, c.ref, title_to_key)
        _edge(g, node_id("Project", c.project_id), doc, "CITES", field=c.field,
              snippet=c.snippet, start=c.ref.start, end=c.ref.end, source=c.source,
              line=c.line, page=c.page, surface=c.ref.surface)
        for inner in c.ref.forwards:
            inner_key = title_to_key.get(inner, inner)
            inner_id = _add(g, "Document", inner_key, **_title_props(inner_key))
            _edge(g, doc, inner_id, "FORWARDS")
    for nid, data in g.nodes(data=True):
        if data["label"] == "Document":
            citing = {s for s, _, d in g.in_edges(nid, data=True) if d["type"] == "CITES"}
            data["citations"] = len(citing)
            data["funds_cited"] = sum(funds[g.nodes[s]["key"]] for s in citing)
    return g


def _add_project(g: nx.MultiDiGraph, rec: ProjectRecord) -> None:
    props = {p: getattr(rec, p) for p in PROJECT_PROPS}
    props.update({FIELD_PROPS[k]: v for k, v in rec.fields.items() if k in FIELD_PROPS})
    props["funding"] = "; ".join(f"{f.source} {f.total:g}/{f.annual:g}" for f in rec.funding
                                 if f.total is not None and f.annual is not None)
    pid = _add(g, "Project", rec.id, **props)
    dept = _add(g, "Department", rec.dept_code, name=rec.dept_name)
    _edge(g, pid, dept, "BELONGS_TO")
    if rec.unit:
        unit = _add(g, "Unit", rec.unit)
        _edge(g, pid, unit, "IMPLEMENTED_BY")
        _edge(g, unit, dept, "PART_OF")
    for i, ind in enumerate(rec.indicators, 1):
        iid = _add(g, "Indicator", f"{rec.id}/{i}", **asdict(ind))
        _edge(g, pid, iid, "HAS_INDICATOR")


def _numbered_titles(citations: list[Citation]) -> dict[str, str]:
    """title:<normalised title> -> 文号 key, for titles also cited with their number."""
    out: dict[str, str] = {}
    for c in citations:
        r = c.ref
        if r.title and r.doc_no and r.key != f"title:{r.title}":
            out.setdefault(f"title:{r.title}", r.key)
    return out


def _title_props(key: str) -> dict:
    if not key.startswith("title:"):
        return {}
    title = key[len("title:"):]
    return {"title": title, "kind": "标题", "level": issuers.level_from_title(title)}


def _add_document(g: nx.MultiDiGraph, ref: Reference, title_to_key: dict[str, str]) -> str:
    key = title_to_key.get(ref.key, ref.key)
    level = issuers.document_level(ref)
    doc = _add(g, "Document", key, doc_no=ref.doc_no, code=ref.code, year=ref.year,
               serial=ref.serial, title=ref.title, kind=ref.kind, level=level)
    if g.nodes[doc].get("level") == "unknown" and level != "unknown":
        g.nodes[doc]["level"] = level
    for name in ref.issuers:
        auth = _add(g, "Authority", name, level=issuers.level_from_issuers([name]))
        _edge(g, doc, auth, "ISSUED_BY", source="stated in text")
    if not ref.issuers and (implied := issuers.implied_authority(ref)):
        auth = _add(g, "Authority", implied[0], level=issuers.level_from_issuers(implied[:1]))
        _edge(g, doc, auth, "ISSUED_BY", source=implied[1])
    return doc
