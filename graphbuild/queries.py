"""Named questions asked of the embedded graph (the same names as cypher/queries/): a
networkx graph (store.load) or a StoreView reading graph.db in place, with the same rows."""
from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx

from . import answers
from .graph import node_id
from .refs import find_refs
from .refs.normalize import title as normalize_title
from .store_view import StoreView


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
    q = doc_query(text)
    for key in q.keys:  # an exact key wins (pick_document's first rule): no scan needed
        nid = node_id("Document", key)
        if g.nodes.get(nid, {}).get("label") == "Document":
            return nid
    return node_id("Document", pick_document(q, _documents(g, q)))


def _documents(g, q: DocQuery) -> list[tuple[str, str | None, str | None]]:
    """(key, doc_no, title) of the documents pick_document chooses from: on a StoreView,
    those carrying q's 文号 or title (an index lookup), else every document."""
    if isinstance(g, StoreView):
        return g.documents(q.doc_nos, q.title) or g.documents()
    return [(d["key"], d.get("doc_no"), d.get("title")) for _, d in g.nodes(data=True)
            if d["label"] == "Document"]


def cited_by(g: nx.MultiDiGraph, doc: str, limit: int = 0, skip: int = 0) -> list[dict]:
    """Projects citing a document, with department, unit, funds, field and snippet: from
    row `skip` on, at most `limit` rows (0: all). A StoreView reads them from graph.db's
    table of answers (graphbuild.answers) when the store has one."""
    did = resolve_document(g, doc)
    if isinstance(g, StoreView) and g.answers:
        return answers.rows(g.db, did, g.nodes[did]["key"], limit, skip)
    rows = []
    edges = [(src, e) for src, _, e in g.in_edges(did, data=True) if e["type"] == "CITES"]
    edges.sort(key=lambda se: (g.nodes[se[0]].get("dept_code") or "", g.nodes[se[0]]["key"],
                               se[1]["field"], se[1].get("start", 0)))
    for src, e in edges[skip:skip + limit if limit else None]:
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
    """Per department `dept` names (is_department) and document level: how many documents
    its projects cite, how many of its projects cite them, and those projects' funds."""
    rows = []
    for did, dep in g.nodes(data=True):
        if not is_department(dep, dept):
            continue
        docs: dict[str, set] = defaultdict(set)
        projects: dict[str, set] = defaultdict(set)
        for pid in _sources(g, did, "BELONGS_TO"):
            for doc in _targets(g, pid, "CITES"):
                level = g.nodes[doc].get("level") or "unknown"
                docs[level].add(doc)
                projects[level].add(pid)
        rows += [{**_department_columns(dep), "level": level, "documents": len(docs[level]),
                  "projects": len(pids), "funds": _funds(g, pids)}
                 for level, pids in projects.items()]
    rows.sort(key=lambda r: (r["dept_code"], r["dept_key"], -r["projects"], -r["documents"],
                             r["level"]))
    return rows


def is_department(d, dept: str) -> bool:
    """Whether node data `d` is a Department that `dept` names: by its key (襄垣县/101), its
    exact name, or its bare code (101 names department 101 of every county)."""
    return d["label"] == "Department" and dept in (d["key"], d.get("name"), d.get("code"))


def lineage(g: nx.MultiDiGraph, doc: str) -> list[dict]:
    """A document, what it forwards (depth -1, -2 …), what forwards it (1, 2 …; shortest
    distance), and the projects citing any of them: one row per (document, citing project)."""
    did = resolve_document(g, doc)
    chain = [(did, 0)]
    for linked, sign in ((_targets, -1), (_sources, 1)):
        chain += [(nid, sign * n) for nid, n in _forwarding_hops(g, linked, did).items()]
    rows = []
    for nid, depth in chain:
        d = g.nodes[nid]
        base = {"document": d["key"], "title": d.get("title"), "level": d.get("level"),
                "depth": depth}
        citing = _citing_projects(g, nid)
        rows += [{**base, "project_id": None, "project": None, "department": None,
                  "funds_total": None}] if not citing else [{**base, **p} for p in citing]
    rows.sort(key=lambda r: (r["depth"], r["document"], r["project_id"] is None,
                             r["project_id"] or ""))
    return rows


def _citing_projects(g: nx.MultiDiGraph, did: str) -> list[dict]:
    """The projects citing document `did`, once each, with their name, department and funds
    (from the table of answers when a StoreView has one)."""
    if isinstance(g, StoreView) and g.answers:
        return answers.projects(g.db, did)
    return [{"project_id": g.nodes[p]["key"], "project": g.nodes[p].get("name"),
             "department": _neighbour_name(g, p, "BELONGS_TO") or None,
             "funds_total": g.nodes[p].get("funds_total")}
            for p in set(_sources(g, did, "CITES"))]


def _forwarding_hops(g, linked, start: str) -> dict[str, int]:
    """Shortest FORWARDS distance from `start` to every document it reaches (breadth
    first over `linked`: _targets for what it forwards, _sources for what forwards it);
    walks only the chain, not the whole graph."""
    hops, frontier, n = {start: 0}, [start], 0
    while frontier:
        n += 1
        nxt = []
        for nid in frontier:
            for other in linked(g, nid, "FORWARDS"):
                if other not in hops:
                    hops[other] = n
                    nxt.append(other)
        frontier = nxt
    del hops[start]
    return hops


def co_citation(g: nx.MultiDiGraph, doc: str, limit: int = 10) -> list[dict]:
    """Documents cited together with `doc`, by how many of the projects citing it."""
    did = resolve_document(g, doc)
    together: dict[str, set] = defaultdict(set)
    for pid in set(_sources(g, did, "CITES")):
        for other in _targets(g, pid, "CITES"):
            if other != did:
                together[other].add(pid)
    rows = [{"document": g.nodes[o]["key"], "title": g.nodes[o].get("title"),
             "level": g.nodes[o].get("level"), "projects": len(pids)}
            for o, pids in together.items()]
    rows.sort(key=lambda r: (-r["projects"], r["document"]))
    return rows[:limit]


BASIS_FIELD = "立项依据"
# Document levels, highest first; a level outside this list counts as 'unknown'.
LEVELS = ("中央", "省", "市", "县", "乡镇", "unknown")
SEARCH_PROPERTIES = ("name", "title", "doc_no")  # those the full-text index `search` covers


def unfounded_projects(g: nx.MultiDiGraph, dept: str = "*") -> list[dict]:
    """Projects whose 立项依据 cites no document, most money first, with how many citations
    their other fields make. `dept` names departments as in is_department, or * for all."""
    rows = []
    for pid, p in g.nodes(data=True):
        if p["label"] != "Project" or not _in_department(g, pid, dept):
            continue
        cites = [e for _, _, e in g.out_edges(pid, data=True) if e["type"] == "CITES"]
        if any(e["field"] == BASIS_FIELD for e in cites):
            continue
        rows.append({
            "project_id": p["key"], "project": p.get("name"), "dept_code": p.get("dept_code"),
            "department": _neighbour_name(g, pid, "BELONGS_TO"),
            "unit": _neighbour_name(g, pid, "IMPLEMENTED_BY"),
            "funds_total": p.get("funds_total"), "funds_annual": p.get("funds_annual"),
            "basis": p.get("basis"), "other_citations": len(cites),
        })
    rows.sort(key=lambda r: (-(r["funds_total"] or 0.0), r["project_id"]))
    return rows


def funds_by_level(g: nx.MultiDiGraph, dept: str = "*", field: str = "*") -> list[dict]:
    """Per department: its projects' funds (实施期资金总额), each project counted once under
    the highest level among the documents it cites (中央 > 省 > 市 > 县 > 乡镇 > unknown),
    or under 'none' when it cites nothing. `field` keeps only citations from that field
    (e.g. 立项依据); * takes them all. `dept` names departments as in is_department, or *
    for all."""
    rows = []
    for did, dep in g.nodes(data=True):
        if dep["label"] != "Department" or not (dept == "*" or is_department(dep, dept)):
            continue
        pids = sorted(set(_sources(g, did, "BELONGS_TO")), key=lambda p: g.nodes[p]["key"])
        if not pids:
            continue
        split = {level: 0.0 for level in (*LEVELS, "none")}
        for pid in pids:
            ranks = [_level_rank(g.nodes[doc].get("level"))
                     for _, doc, e in g.out_edges(pid, data=True)
                     if e["type"] == "CITES" and field in ("*", e["field"])]
            level = LEVELS[min(ranks)] if ranks else "none"
            split[level] += g.nodes[pid].get("funds_total") or 0.0
        rows.append({**_department_columns(dep), "projects": len(pids),
                     "funds": _funds(g, set(pids)),
                     **{level: round(v, 2) for level, v in split.items()}})
    rows.sort(key=lambda r: (-r["funds"], r["dept_code"], r["dept_key"]))
    return rows


def search_term(q: str) -> str:
    """What `search` looks for: the text as typed (trimmed), or — when the whole text is one
    文号 in any spelling, e.g. 晋财教[2023]81号 — its canonical form 晋财教〔2023〕81号."""
    q = q.strip()
    refs = [r for r in find_refs(q) if r.doc_no]
    if len(refs) == 1 and refs[0].start == 0 and refs[0].end == len(q):
        return refs[0].doc_no
    return q


def search(g: nx.MultiDiGraph, q: str, limit: int = 25) -> list[dict]:
    """Projects and documents whose name, title or 文号 contains `q` (case-sensitive
    substring). rank 0: a property equals it, 1: one starts with it, 2: contains it. Ordered
    by rank, then Document before Project, most citations, most funds, key."""
    term = search_term(q)
    rows = []
    for _, d in g.nodes(data=True):
        if d["label"] not in ("Project", "Document"):
            continue
        values = [v for v in (d.get(k) for k in SEARCH_PROPERTIES) if isinstance(v, str)]
        if not any(term in v for v in values):
            continue
        project = d["label"] == "Project"
        rows.append({
            "kind": d["label"], "key": d["key"],
            "name": d.get("name") if d.get("name") is not None else d.get("title"),
            "doc_no": d.get("doc_no"), "level": d.get("level"),
            "citations": None if project else d.get("citations", 0),
            "funds": round((d.get("funds_total") if project else d.get("funds_cited")) or 0.0, 2),
            "rank": 0 if term in values else 1 if any(v.startswith(term) for v in values) else 2,
        })
    rows.sort(key=lambda r: (r["rank"], r["kind"], -(r["citations"] or 0), -r["funds"], r["key"]))
    return rows[:limit]


def counts(g: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per label and edges per type."""
    c = Counter(d["label"] for _, d in g.nodes(data=True))
    c.update(d["type"] for _, _, d in g.edges(data=True))
    return dict(c)


def _level_rank(level: str | None) -> int:
    return LEVELS.index(level) if level in LEVELS else LEVELS.index("unknown")


def _in_department(g: nx.MultiDiGraph, pid: str, dept: str) -> bool:
    return dept == "*" or any(is_department(g.nodes[d], dept)
                              for d in _targets(g, pid, "BELONGS_TO"))


def _department_columns(dep) -> dict:
    """A department's columns in a row: its bare code, name and key (which tells apart
    two counties' departments of one code)."""
    return {"dept_code": dep.get("code"), "department": dep.get("name"), "dept_key": dep["key"]}


def _sources(g: nx.MultiDiGraph, nid: str, rel: str) -> list[str]:
    """The nodes with a `rel` edge into `nid`, one per edge, in networkx's edge order."""
    if isinstance(g, StoreView):
        return g.linked(nid, rel, incoming=True)
    return [src for src, _, t in g.in_edges(nid, data="type") if t == rel]


def _targets(g: nx.MultiDiGraph, nid: str, rel: str) -> list[str]:
    """The nodes `nid` has a `rel` edge to, one per edge, in networkx's edge order."""
    if isinstance(g, StoreView):
        return g.linked(nid, rel, incoming=False)
    return [dst for _, dst, t in g.out_edges(nid, data="type") if t == rel]


def _funds(g: nx.MultiDiGraph, project_ids: set[str]) -> float:
    return round(sum(g.nodes[p].get("funds_total") or 0.0 for p in sorted(project_ids)), 2)


def _neighbour_name(g: nx.MultiDiGraph, nid: str, rel: str) -> str:
    found = _targets(g, nid, rel)
    return g.nodes[found[0]].get("name", g.nodes[found[0]]["key"]) if found else ""


# The Cypher pack's names (cypher/queries/<name>.cypher), answered from the embedded graph.
PACK = {"cited_by": cited_by, "top_documents": top_documents,
        "department_basis": department_basis, "lineage": lineage, "co_citation": co_citation,
        "unfounded_projects": unfounded_projects, "funds_by_level": funds_by_level,
        "search": search}


def run(g: nx.MultiDiGraph, name: str, params: dict) -> list[dict]:
    """Rows of the named query on the embedded graph (parameters as the Cypher file's)."""
    return PACK[name](g, **params)
