"""Named questions asked of the embedded graph (the same names as cypher/queries/)."""
from __future__ import annotations

import difflib
from collections import Counter

import networkx as nx

from .graph import node_id
from .refs import find_refs
from .refs.normalize import title as normalize_title


class UnknownDocument(LookupError):
    """No document matches; `suggestions` holds the nearest known keys."""

    def __init__(self, text: str, suggestions: list[str]):
        hint = f"; nearest known: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"no document {text!r} in the graph{hint}")
        self.suggestions = suggestions


def resolve_document(g: nx.MultiDiGraph, text: str) -> str:
    """The Document node id for any spelling of a 文号, or a title."""
    text = text.strip()
    candidates = [r.key for r in find_refs(text)]
    bare = text.strip("《》 ")
    candidates += [f"title:{normalize_title(bare)}"]
    for key in candidates:
        if node_id("Document", key) in g:
            return node_id("Document", key)
    wanted = normalize_title(bare)
    for nid, d in g.nodes(data=True):
        if d["label"] == "Document" and d.get("title") and normalize_title(d["title"]) == wanted:
            return nid
    keys = [d["key"] for _, d in g.nodes(data=True) if d["label"] == "Document"]
    probe = candidates[0] if candidates[:-1] else text
    raise UnknownDocument(text, difflib.get_close_matches(probe, keys, n=3, cutoff=0.4))


def cited_by(g: nx.MultiDiGraph, doc: str) -> list[dict]:
    """Projects citing a document, with department, unit, funds, field and snippet."""
    did = resolve_document(g, doc)
    rows = []
    for src, _, e in g.in_edges(did, data=True):
        if e["type"] != "CITES":
            continue
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
    return sorted(rows, key=lambda r: (r["dept_code"] or "", r["project_id"]))


def top_documents(g: nx.MultiDiGraph, limit: int = 10) -> list[dict]:
    """Documents ranked by the number of projects citing them, with their funds."""
    docs = [d for _, d in g.nodes(data=True) if d["label"] == "Document"]
    docs.sort(key=lambda d: (-d.get("citations", 0), -d.get("funds_cited", 0.0), d["key"]))
    return [{"document": d["key"], "title": d.get("title", ""), "level": d.get("level"),
             "projects": d.get("citations", 0), "funds": d.get("funds_cited", 0.0)}
            for d in docs[:limit]]


def counts(g: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per label and edges per type."""
    c = Counter(d["label"] for _, d in g.nodes(data=True))
    c.update(d["type"] for _, _, d in g.edges(data=True))
    return dict(c)


def _neighbour_name(g: nx.MultiDiGraph, nid: str, rel: str) -> str:
    for _, dst, e in g.out_edges(nid, data=True):
        if e["type"] == rel:
            return g.nodes[dst].get("name", g.nodes[dst]["key"])
    return ""
