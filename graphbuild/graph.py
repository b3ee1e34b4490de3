"""Build the graph from records plus citations, file by file, into a store.

Node ids are ``<Label>:<key>``; every node carries ``label`` and ``key``, every edge
``type``. A node's properties merge: the first value of a property wins, new properties
are added. An edge with the same source, target, type and properties is kept once; a
project may still cite one document from two fields.

Projects and what they own (department, unit, indicators) go to the store as each file
comes. A department is keyed by its disclosure's county and its 主管部门 code (襄垣县/101:
every county numbers its departments 001 …), so one county's years share it and two
counties never do; a file whose county is not known keys it by the bare code.

Documents wait for the end, as small per-document summaries, because three things need the
whole corpus: a document cited by title alone becomes the numbered one when some citation
gives both; a level 'unknown' is upgraded by any later citation that knows it; and a
document's `citations` and `funds_cited` count every project citing it.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import networkx as nx

from . import answers, store
from .citations import Citation, regions
from .records import ProjectRecord
from .refs import issuers
from .refs.region import Region

PROJECT_PROPS = ("name", "year", "dept_code", "attribute", "period_years", "funds_total",
                 "funds_annual", "money_unit", "source", "line", "page")
FIELD_PROPS = {"项目概况": "overview", "立项依据": "basis", "项目设立必要性": "necessity",
               "保证项目实施的制度措施": "measures", "项目实施计划": "plan",
               "实施期目标": "goal_period", "年度目标": "goal_annual"}


def node_id(label: str, key: str) -> str:
    return f"{label}:{key}"


def department_key(region: Region, code: str) -> str:
    """襄垣县/101: the county of the disclosure, then the 主管部门 code; the bare code when
    the county is not known."""
    return f"{region.county}{region.county_kind}/{code}" if region.county else code


def build_graph(records: list[ProjectRecord], citations: list[Citation]) -> nx.MultiDiGraph:
    """The whole graph in memory (for small inputs): built into a scratch store, loaded."""
    with tempfile.TemporaryDirectory() as tmp:
        builder = GraphBuilder(store.Writer(Path(tmp) / "graph.db"))
        builder.add(records, citations)
        return store.load(builder.finish())


class GraphBuilder:
    """add() each file's records and citations, in input order; finish() once."""

    def __init__(self, writer: store.Writer):
        self.writer = writer
        self.shared: dict[str, tuple[str, str, dict]] = {}  # Department, Unit, Authority
        self.docs: dict[str, _Document] = {}  # by the key its citation gave
        self.titles: dict[str, str] = {}  # title:<title> -> 文号 key, from citations with both
        self.seq = 0  # order of document mentions, for first-value-wins after merging

    def add(self, records: list[ProjectRecord], citations: list[Citation]) -> None:
        nodes: list[store.NodeRow] = []
        edges: list[store.EdgeRow] = []
        region = regions(records)
        for rec in records:
            self._project(rec, department_key(region[rec.source], rec.dept_code or rec.dept_name),
                          nodes, edges)
        for c in citations:
            self._citation(c, edges)
        self.writer.add_nodes(nodes)
        self.writer.add_edges(edges)

    def finish(self) -> Path:
        """Write shared nodes and documents, resolve titles, count citations, keep cited_by's
        rows; close."""
        w = self.writer
        w.add_nodes((n, label, key, props) for n, (label, key, props) in self.shared.items())
        w.index()
        final = {k: self.titles.get(k, k) for k in self.docs}
        w.rename({node_id("Document", k): node_id("Document", f)
                  for k, f in final.items() if f != k})
        totals = w.citing_totals()
        merged: dict[str, list[_Document]] = {}
        for k, f in final.items():
            merged.setdefault(f, []).append(self.docs[k])
        w.add_nodes(self._document_row(key, parts, totals) for key, parts in merged.items())
        answers.write(w.db)
        return w.close()

    def _project(self, rec: ProjectRecord, dept_key: str, nodes: list, edges: list) -> None:
        props = {p: getattr(rec, p) for p in PROJECT_PROPS}
        props.update({FIELD_PROPS[k]: v for k, v in rec.fields.items() if k in FIELD_PROPS})
        props["funding"] = "; ".join(f"{f.source} {f.total:g}/{f.annual:g}" for f in rec.funding
                                     if f.total is not None and f.annual is not None)
        if rec.ocr:  # read by OCR from a scanned page: values may hold misread characters
            props["ocr"] = True
        pid = node_id("Project", rec.id)
        nodes.append((pid, "Project", rec.id, _clean(props)))
        dept = None  # a table that names no 主管部门 belongs to none
        if rec.dept_code or rec.dept_name:
            dept = self._shared("Department", dept_key, name=rec.dept_name, code=rec.dept_code)
            edges.append((pid, dept, "BELONGS_TO", {}))
        if rec.unit:
            unit = self._shared("Unit", rec.unit)
            edges.append((pid, unit, "IMPLEMENTED_BY", {}))
            if dept:
                edges.append((unit, dept, "PART_OF", {}))
        for i, ind in enumerate(rec.indicators, 1):
            iid = node_id("Indicator", f"{rec.id}/{i}")
            nodes.append((iid, "Indicator", f"{rec.id}/{i}", _clean(vars(ind))))
            edges.append((pid, iid, "HAS_INDICATOR", {}))

    def _citation(self, c: Citation, edges: list) -> None:
        ref = c.ref
        if ref.title and ref.doc_no and ref.key != f"title:{ref.title}":
            self.titles.setdefault(f"title:{ref.title}", ref.key)
        level = issuers.document_level(ref)
        doc = self._document(ref.key).cited(self._next(), level, _clean(dict(
            doc_no=ref.doc_no, code=ref.code, year=ref.year, serial=ref.serial, title=ref.title,
            kind=ref.kind, level=level)))
        for name in ref.issuers:
            auth = self._shared("Authority", name, level=issuers.level_from_issuers([name]))
            edges.append((doc, auth, "ISSUED_BY", {"source": "stated in text"}))
        if not ref.issuers and (implied := issuers.implied_authority(ref)):
            auth = self._shared("Authority", implied[0],
                                level=issuers.level_from_issuers(implied[:1]))
            edges.append((doc, auth, "ISSUED_BY", {"source": implied[1]}))
        edges.append((node_id("Project", c.project_id), doc, "CITES", _clean(dict(
            field=c.field, snippet=c.snippet, start=ref.start, end=ref.end, source=c.source,
            line=c.line, page=c.page, surface=ref.surface))))
        for inner in ref.forwards:
            edges.append((doc, self._document(inner).forwarded(self._next()), "FORWARDS", {}))

    def _shared(self, label: str, key: str, **props) -> str:
        nid = node_id(label, key)
        if nid in self.shared:
            for k, v in _clean(props).items():
                self.shared[nid][2].setdefault(k, v)
        else:
            self.shared[nid] = (label, key, _clean(props))
        return nid

    def _document(self, key: str) -> _Document:
        if key not in self.docs:
            self.docs[key] = _Document(key)
        return self.docs[key]

    def _next(self) -> int:
        self.seq += 1
        return self.seq

    @staticmethod
    def _document_row(key: str, parts: list[_Document], totals: dict) -> store.NodeRow:
        """One document from the mentions of every key it was given, in mention order."""
        firsts: dict[str, tuple[int, object]] = {}
        for part in parts:
            # what forwarding notices say of a title counts only while it has no 文号
            for said in (part.props, part.as_title) if part.key == key else (part.props,):
                for k, (seq, v) in said.items():
                    if k not in firsts or seq < firsts[k][0]:
                        firsts[k] = (seq, v)
        props = {k: v for k, (_, v) in sorted(firsts.items(), key=lambda kv: kv[1][0])}
        upgrades = [p.upgrade for p in parts if p.upgrade]
        if props.get("level") == "unknown" and upgrades:
            props["level"] = min(upgrades)[1]
        nid = node_id("Document", key)
        n, funds = totals.get(nid, (0, 0))
        return nid, "Document", key, {**props, "citations": n, "funds_cited": funds}


class _Document:
    """What the mentions of one document key said, each property with its first mention."""

    __slots__ = ("key", "props", "as_title", "upgrade")

    def __init__(self, key: str):
        self.key = key
        self.props: dict[str, tuple[int, object]] = {}  # from citations of this key
        self.as_title: dict[str, tuple[int, object]] = {}  # from notices forwarding it
        self.upgrade: tuple[int, str] | None = None  # first cited level other than 'unknown'

    def cited(self, seq: int, level: str, props: dict) -> str:
        for k, v in props.items():
            self.props.setdefault(k, (seq, v))
        if level != "unknown" and self.upgrade is None:
            self.upgrade = (seq, level)
        return node_id("Document", self.key)

    def forwarded(self, seq: int) -> str:
        for k, v in _title_props(self.key).items():
            self.as_title.setdefault(k, (seq, v))
        return node_id("Document", self.key)


def _title_props(key: str) -> dict:
    if not key.startswith("title:"):
        return {}
    title = key[len("title:"):]
    return {"title": title, "kind": "标题", "level": issuers.level_from_title(title)}


def _clean(props: dict) -> dict:
    return {k: v for k, v in props.items() if v is not None and v != ""}
