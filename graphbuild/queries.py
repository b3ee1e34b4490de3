"""Named questions asked of the embedded graph (the same names as cypher/queries/)."""
from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx

from .graph import node_id
from .refs import find_refs
from .refs.normalize import title as normalize_title


class UnknownDocument(LookupError):
    """No single document matches; `suggestions` holds the nearest or the competing keys."""

    def __init__(self, text: str, suggestions: list[str], why: str = "no document"):
        hint = f"; nearest known: {', '.join(suggestions)}" if why == "no document" else (
            f": {', '.join(suggestions)}")
        super().__init__(f"{why} {text!r}{' in the graph' if why == 'no document' else ''}"
                         + (hint if suggestions else ""))
        self.suggestions = suggestions


@dataclass(frozen=True)
class DocQuery:
    """What a person typed for a document: candidate keys, 文号s and a normalised title."""

    text: str
    keys: list[str]
    doc_nos: list[str]
    title: str


def doc_query(text: str) -> DocQuery:
    """Read any spelling of a 文号, a title or a key."""
    text = text.strip()
    refs = find_refs(text)
    title = normalize_title(text.strip("《》 "))
    return DocQuery(text, [text] + [r.key for r in refs] + [f"title:{title}"],
                    [r.doc_no for r in refs if r.doc_no], title)


def pick_document(q: DocQuery, found: list[tuple[str, str | None, str | None]]) -> str:
    """The key among `found` (key, doc_no, title) that `q` names: an exact key, else the one
    document carrying the 文号 (issuer-keyed documents such as 室字), else the title."""
    keys = {k for k, _, _ in found}
    for key in q.keys:
        if key in keys:
            return key
    by_no = sorted(k for k, no, _ in found if no and no in q.doc_nos)
    if len(by_no) > 1:
        raise UnknownDocument(q.text, by_no, "several documents carry")
    by_title = sorted(k for k, _, t in found if t and normalize_title(t) == q.title)
    if by_no or by_title:
        return (by_no or by_title)[0]
    probe = q.keys[1] if q.keys[1:-1] else q.text
    raise UnknownDocument(q.text, difflib.get_close_matches(probe, sorted(keys), n=3, cutoff=0.4))


def resolve_document(g: nx.MultiDiGraph, text: str) -> str:
    """The Document node id for any spelling of a 文号, or a title."""
    found = [(d["key"], d.get("doc_no"), d.get("title")) for _, d in g.nodes(data=True)
             if d["label"] == "Document"]
    return node_id("Document", pick_document(doc_query(text), found))


def cited_by(g: nx.MultiDiGraph, doc: str) -> list[dict]:
    """Projects citing a document, with department, unit, funds, field and snippet."""
    did = resolve_document(g, doc)
    rows = []
    edges = [(src, e) for src, _, e in g.in_edges(did, data=True) if e["type"] == "CITES"]
    edges.sort(key=lambda se: (g.nodes[se[0]].get("dept_code") or "", g.nodes[se[0]]["key"],
                               se[1]["field"], se[1].get("start", 0)))
    for src, e in edges:
        p = g.nodes[src]
        rows.append({
            "document": g.nodes[did]["key"],
            "project_id": p["key"],
            "project": p["name"],
            "department": _neighbour_name(g, src, "BELONGS_TO"),
            "dept_code": p.get("dept_code"),
            "unit": _neighbour_name(g, src, "IMPLEMENTED_BY"),
            "funds_total": p.get("funds_total"),
            "field": e["field"],
            "snippet": e["snippet"],
            "source": e.get("source"),
            "line": e.get("line"),
        })
    return rows


def top_documents(g: nx.MultiDiGraph, limit: int = 10) -> list[dict]:
    """Documents ranked by the number of projects citing them, with their funds."""
    rows = [{"document": d["key"], "title": d.get("title", ""), "level": d.get("level"),
             "projects": d.get("citations", 0), "funds": round(d.get("funds_cited", 0.0), 2)}
            for _, d in g.nodes(data=True) if d["label"] == "Document"]
    rows.sort(key=lambda r: (-r["projects"], -r["funds"], r["document"]))
    return rows[:limit]


def department_basis(g: nx.MultiDiGraph, dept: str) -> list[dict]:
    """Per document level: how many documents a department's projects cite, how many of its
    projects cite them, and those projects' funds. `dept` is a code or an exact name."""
    rows = []
    for did, dep in g.nodes(data=True):
        if dep["label"] != "Department" or dept not in (dep["key"], dep.get("name")):
            continue
        docs: dict[str, set] = defaultdict(set)
        projects: dict[str, set] = defaultdict(set)
        for pid in _sources(g, did, "BELONGS_TO"):
            for _, doc, e in g.out_edges(pid, data=True):
                if e["type"] == "CITES":
                    level = g.nodes[doc].get("level") or "unknown"
                    docs[level].add(doc)
                    projects[level].add(pid)
        rows += [{"dept_code": dep["key"], "department": dep.get("name"), "level": level,
                  "documents": len(docs[level]), "projects": len(pids),
                  "funds": _funds(g, pids)} for level, pids in projects.items()]
    rows.sort(key=lambda r: (r["dept_code"], -r["projects"], -r["documents"], r["level"]))
    return rows


def lineage(g: nx.MultiDiGraph, doc: str) -> list[dict]:
    """A document, what it forwards (depth -1, -2 …), what forwards it (1, 2 …; shortest
    distance), and the projects citing any of them: one row per (document, citing project)."""
    did = resolve_document(g, doc)
    forwards = nx.DiGraph((s, t) for s, t, e in g.edges(data=True) if e["type"] == "FORWARDS")
    chain = [(did, 0)]
    if did in forwards:
        for graph, sign in ((forwards, -1), (forwards.reverse(copy=False), 1)):
            hops = nx.single_source_shortest_path_length(graph, did)
            chain += [(nid, sign * n) for nid, n in hops.items() if nid != did]
    rows = []
    for nid, depth in chain:
        d = g.nodes[nid]
        base = {"document": d["key"], "title": d.get("title"), "level": d.get("level"),
                "depth": depth}
        citing = sorted(set(_sources(g, nid, "CITES")))
        rows += [{**base, "project_id": None, "project": None, "department": None,
                  "funds_total": None}] if not citing else [
            {**base, "project_id": g.nodes[p]["key"], "project": g.nodes[p].get("name"),
             "department": _neighbour_name(g, p, "BELONGS_TO") or None,
             "funds_total": g.nodes[p].get("funds_total")} for p in citing]
    rows.sort(key=lambda r: (r["depth"], r["document"], r["project_id"] is None,
                             r["project_id"] or ""))
    return rows


def co_citation(g: nx.MultiDiGraph, doc: str, limit: int = 10) -> list[dict]:
    """Documents cited together with `doc`, by how many of the projects citing it."""
    did = resolve_document(g, doc)
    together: dict[str, set] = defaultdict(set)
    for pid in set(_sources(g, did, "CITES")):
        for _, other, e in g.out_edges(pid, data=True):
            if e["type"] == "CITES" and other != did:
                together[other].add(pid)
    rows = [{"document": g.nodes[o]["key"], "title": g.nodes[o].get("title"),
             "level": g.nodes[o].get("level"), "projects": len(pids)}
            for o, pids in together.items()]
    rows.sort(key=lambda r: (-r["projects"], r["document"]))
    return rows[:limit]


def counts(g: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per label and edges per type."""
    c = Counter(d["label"] for _, d in g.nodes(data=True))
    c.update(d["type"] for _, _, d in g.edges(data=True))
    return dict(c)


def _sources(g: nx.MultiDiGraph, nid: str, rel: str) -> list[str]:
    return [src for src, _, e in g.in_edges(nid, data=True) if e["type"] == rel]


def _funds(g: nx.MultiDiGraph, project_ids: set[str]) -> float:
    return round(sum(g.nodes[p].get("funds_total") or 0.0 for p in sorted(project_ids)), 2)


def _neighbour_name(g: nx.MultiDiGraph, nid: str, rel: str) -> str:
    for _, dst, e in g.out_edges(nid, data=True):
        if e["type"] == rel:
            return g.nodes[dst].get("name", g.nodes[dst]["key"])
    return ""


# The Cypher pack's names (cypher/queries/<name>.cypher), answered from the embedded graph.
PACK = {"cited_by": cited_by, "top_documents": top_documents,
        "department_basis": department_basis, "lineage": lineage, "co_citation": co_citation}
