"""The canonical report data: plain JSON-ready dicts that every format renders.

A report is ``{"kind", "title", "subject", "totals", "sections": {name: [row, …]}}``;
each section is a list of flat rows with the same keys, numbers as numbers.
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .. import queries
from ..graph import node_id

RELATION = {-1: "上游（本文转发或印发）", 0: "本文", 1: "下游（转发本文）"}


def document_report(g: nx.MultiDiGraph, doc: str) -> dict:
    """A document's lineage: its FORWARDS chain, the projects citing any document on it
    (by department and unit, with subtotals) and every citing sentence."""
    did = queries.resolve_document(g, doc)
    depth = {node_id("Document", r["document"]): r["depth"] for r in queries.lineage(g, doc)}
    chain = sorted(depth, key=lambda n: (depth[n], g.nodes[n]["key"]))
    cites = _citations(g, chain, depth)
    projects = _projects(g, cites)
    subject = _document(g, did)
    return {
        "kind": "lineage",
        "title": f"政策文件溯源：{subject['doc_no'] or subject['title'] or subject['key']}",
        "subject": subject,
        "totals": {"documents": len(chain), "projects": len(projects),
                   "departments": len({(p["dept_code"], p["department"]) for p in projects}),
                   "citations": len(cites), "funds": _sum(p["funds_total"] for p in projects)},
        "sections": {
            "chain": [{"depth": depth[n], "relation": RELATION[max(-1, min(1, depth[n]))],
                       **_document(g, n), **_cited(g, n)} for n in chain],
            "forwards": [{"from": g.nodes[u]["key"], "to": g.nodes[v]["key"]}
                         for u in chain for _, v, t in g.out_edges(u, data="type")
                         if t == "FORWARDS" and v in depth],
            "departments": _subtotals(projects),
            "projects": projects,
            "evidence": cites,
        },
    }


def department_report(g: nx.MultiDiGraph, dept: str) -> dict:
    """Every document a department's projects cite, by level (queries.department_basis),
    with the projects and the citing sentences. `dept` names one department: its key, name
    or code (queries.is_department); a code that several counties use is refused, with
    their keys."""
    nid = _department(g, dept)
    dep = g.nodes[nid]
    pids = sorted((s for s, _, t in g.in_edges(nid, data="type") if t == "BELONGS_TO"),
                  key=lambda p: g.nodes[p]["key"])
    cited = {v for p in pids for _, v, t in g.out_edges(p, data="type") if t == "CITES"}
    mine = {g.nodes[p]["key"] for p in pids}
    cites = [c for c in _citations(g, sorted(cited, key=_doc_order(g)), {})
             if c["project_id"] in mine]
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for c in cites:
        by_doc[c["document"]].append(c)
    documents = [{**_document(g, n), **_summary(by_doc[g.nodes[n]["key"]])}
                 for n in sorted(cited, key=_doc_order(g))]
    projects = _projects(g, cites)
    return {
        "kind": "department",
        "title": f"部门立项依据：{dep.get('name', dep['key'])}（{dep.get('code')}）",
        "subject": {"dept_code": dep.get("code"), "department": dep.get("name"),
                    "dept_key": dep["key"], "projects": len(pids),
                    "funds": _sum(g.nodes[p].get("funds_total") for p in pids)},
        "totals": {"documents": len(documents), "projects": len(projects),
                   "citations": len(cites), "funds": _sum(p["funds_total"] for p in projects)},
        "sections": {
            "levels": [{k: r[k] for k in ("level", "documents", "projects", "funds")}
                       for r in sorted(queries.department_basis(g, dep["key"]),
                                       key=lambda r: queries.LEVELS.index(r["level"])
                                       if r["level"] in queries.LEVELS else 99)
                       if r["dept_key"] == dep["key"]],  # not a county's code equal to it
            "documents": documents,
            "projects": projects,
            "evidence": cites,
        },
    }


def _department(g: nx.MultiDiGraph, dept: str) -> str:
    """The node id of the one department `dept` names; a key wins."""
    if node_id("Department", dept) in g:
        return node_id("Department", dept)
    found = sorted(n for n, d in g.nodes(data=True) if queries.is_department(d, dept))
    if not found:
        raise LookupError(f"no department {dept!r} in the graph")
    if len(found) > 1:
        keys = ", ".join(g.nodes[n]["key"] for n in found[:5]) + (" …" if found[5:] else "")
        raise LookupError(f"{len(found)} departments match {dept!r} ({keys}); give a key "
                          "or a name")
    return found[0]


def _doc_order(g: nx.MultiDiGraph):
    def key(n: str) -> tuple:
        level = g.nodes[n].get("level")
        rank = queries.LEVELS.index(level) if level in queries.LEVELS else len(queries.LEVELS)
        return rank, g.nodes[n]["key"]
    return key


def _document(g: nx.MultiDiGraph, n: str) -> dict:
    d = g.nodes[n]
    return {"document": d["key"], "doc_no": d.get("doc_no"), "title": d.get("title"),
            "issuers": "、".join(sorted({g.nodes[v]["key"] for _, v, t in
                                       g.out_edges(n, data="type") if t == "ISSUED_BY"})),
            "level": d.get("level") or "unknown", "year": d.get("year"), "kind": d.get("kind")}


def _cited(g: nx.MultiDiGraph, n: str) -> dict:
    pids = {s for s, _, t in g.in_edges(n, data="type") if t == "CITES"}
    return {"projects": len(pids), "funds": _sum(g.nodes[p].get("funds_total") for p in pids)}


def _summary(cites: list[dict]) -> dict:
    funds = {c["project_id"]: c["funds_total"] for c in cites}
    return {"projects": len(funds), "funds": _sum(funds.values()),
            "fields": "、".join(sorted({c["field"] for c in cites}))}


def _citations(g: nx.MultiDiGraph, docs: list[str], depth: dict[str, int]) -> list[dict]:
    """One row per CITES edge into `docs`, with the project's department and unit."""
    rows = []
    for n in docs:
        for src, _, e in g.in_edges(n, data=True):
            if e["type"] != "CITES":
                continue
            p = g.nodes[src]
            rows.append({
                "depth": depth.get(n), "document": g.nodes[n]["key"],
                "level": g.nodes[n].get("level") or "unknown",
                "dept_code": p.get("dept_code"), "department": _out(g, src, "BELONGS_TO"),
                "unit": _out(g, src, "IMPLEMENTED_BY"), "project_id": p["key"],
                "project": p.get("name"), "funds_total": p.get("funds_total"),
                "field": e.get("field"), "snippet": e.get("snippet"),
                "surface": e.get("surface"), "source": e.get("source"),
                "line": e.get("line"), "page": e.get("page")})
    rows.sort(key=lambda r: (r["dept_code"] or "", r["department"] or "", r["unit"] or "",
                             r["project_id"], r["depth"] or 0, r["document"], r["field"] or "",
                             r["line"] or 0))
    if not depth:
        for r in rows:
            del r["depth"]
    return rows


def _projects(g: nx.MultiDiGraph, cites: list[dict]) -> list[dict]:
    """One row per citing project, ordered by department, unit and project."""
    rows: dict[str, dict] = {}
    for c in cites:
        p = g.nodes[node_id("Project", c["project_id"])]
        row = rows.setdefault(c["project_id"], {
            "dept_code": c["dept_code"], "department": c["department"], "unit": c["unit"],
            "project_id": c["project_id"], "project": c["project"],
            "funds_total": c["funds_total"], "funds_annual": p.get("funds_annual"),
            "documents": [], "fields": [], "citations": 0})
        row["citations"] += 1
        for k, v in (("documents", c["document"]), ("fields", c["field"])):
            if v not in row[k]:
                row[k].append(v)
    out = sorted(rows.values(), key=lambda r: (r["dept_code"] or "", r["department"] or "",
                                               r["unit"] or "", r["project_id"]))
    for r in out:
        r["documents"], r["fields"] = "；".join(r["documents"]), "、".join(sorted(r["fields"]))
    return out


def _subtotals(projects: list[dict]) -> list[dict]:
    """A row per department (unit empty), then one per unit under it, then the total."""
    rows: list[dict] = []
    by_dept: dict[tuple, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for p in projects:
        by_dept[(p["dept_code"], p["department"])][p["unit"]].append(p)
    for (code, name), units in by_dept.items():
        members = [p for ps in units.values() for p in ps]
        rows.append(_subtotal(code, name, None, members))
        rows += [_subtotal(code, name, unit, ps) for unit, ps in units.items()]
    rows.append(_subtotal(None, "合计", None, projects))
    return rows


def _subtotal(code, name, unit, projects: list[dict]) -> dict:
    return {"dept_code": code, "department": name, "unit": unit, "projects": len(projects),
            "funds": _sum(p["funds_total"] for p in projects)}


def _out(g: nx.MultiDiGraph, n: str, rel: str) -> str | None:
    for _, v, t in g.out_edges(n, data="type"):
        if t == rel:
            return g.nodes[v].get("name", g.nodes[v]["key"])
    return None


def _sum(values) -> float:
    return round(sum(v or 0.0 for v in values), 2)
