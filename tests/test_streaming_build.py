"""The streaming build writes the very store the former in-memory build wrote.

The oracle below is the in-memory builder `graph.build_graph` was before the build streamed
(networkx graph of the whole corpus, then saved), kept verbatim but for names and for the
department key (the disclosure's county and the code, 襄垣县/101, since). Both stores
must hold the same nodes (id, label, key, properties) and the same edges with their
properties, as multisets. funds_cited alone is compared to 1e-12: the oracle summed it over
a set, in an order that changes with the string hash seed.
"""
from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from dataclasses import asdict

import networkx as nx

from benchmarks import synth
from graphbuild import build
from graphbuild.citations import extract, regions
from graphbuild.graph import FIELD_PROPS, PROJECT_PROPS, node_id
from graphbuild.ingest import read_text
from graphbuild.refs import issuers

from .conftest import SAMPLE


def test_sample_store_is_the_in_memory_one(tmp_path):
    assert_same_store([SAMPLE], tmp_path)


def test_multi_file_corpus_store_is_the_in_memory_one(tmp_path):
    m = synth.generate(tmp_path / "corpus", scale=4)
    assert_same_store([tmp_path / "corpus" / f for f in m.files], tmp_path)


def test_build_result_reads_the_store(tmp_path):
    result = build.run([SAMPLE], tmp_path / "out")
    assert result.tables == 447 and round(result.funds_total, 2) == 1672842013.65
    assert result.counts["Project"] == 447 and result.counts["CITES"] > 400
    assert result.graph.number_of_edges() == sum(
        n for name, n in result.counts.items() if name.isupper())  # edge types are upper case
    top = result.top_documents(3)
    assert len(top) == 3 and top[0]["projects"] >= top[-1]["projects"]
    rejected = json.loads((tmp_path / "out" / "rejected.json").read_text(encoding="utf-8"))
    assert len(rejected) == result.rejected_spans > 0


def assert_same_store(paths, tmp_path):
    streamed = build.run(paths, tmp_path / "out").store
    records = [r for p in paths for r in read_text(p)]
    cites, _ = extract(records)
    old_nodes, old_edges = rows(reference_graph(records, cites))
    new_nodes, new_edges = stored(streamed)
    assert set(new_nodes) == set(old_nodes)
    for nid, (label, key, props) in old_nodes.items():
        new_label, new_key, new_props = new_nodes[nid]
        assert (new_label, new_key) == (label, key), nid
        assert math.isclose(new_props.pop("funds_cited", 0), props.pop("funds_cited", 0),
                            rel_tol=1e-12), nid
        assert new_props == props, nid
    assert new_edges == old_edges


def rows(g: nx.MultiDiGraph):
    nodes = {n: (d["label"], d["key"], {k: v for k, v in d.items() if k not in ("label", "key")})
             for n, d in g.nodes(data=True)}
    edges = Counter((s, t, d["type"], _canon({k: v for k, v in d.items() if k != "type"}))
                    for s, t, d in g.edges(data=True))
    return nodes, edges


def stored(path):
    with sqlite3.connect(path) as db:
        nodes = {n: (label, key, json.loads(props))
                 for n, label, key, props in db.execute("SELECT * FROM nodes")}
        edges = Counter((s, t, type_, _canon(json.loads(props)))
                        for s, t, type_, props in db.execute("SELECT * FROM edges"))
    db.close()
    return nodes, edges


def _canon(props: dict) -> str:
    return json.dumps(props, ensure_ascii=False, sort_keys=True)


# --- the oracle: the in-memory builder as it was -------------------------------------------

def _add(g, label, key, **props):
    nid = node_id(label, key)
    clean = {k: v for k, v in props.items() if v is not None and v != ""}
    if nid in g:
        for k, v in clean.items():
            g.nodes[nid].setdefault(k, v)
    else:
        g.add_node(nid, label=label, key=key, **clean)
    return nid


def _edge(g, src, dst, type_, **props):
    clean = {k: v for k, v in props.items() if v is not None and v != ""}
    for data in g.get_edge_data(src, dst, default={}).values():
        if data.get("type") == type_ and all(data.get(k) == v for k, v in clean.items()):
            return
    g.add_edge(src, dst, type=type_, **clean)


def reference_graph(records, citations):
    g = nx.MultiDiGraph()
    region = regions(records)
    for rec in records:
        _add_project(g, rec, region[rec.source])
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


def _add_project(g, rec, region):
    props = {p: getattr(rec, p) for p in PROJECT_PROPS}
    props.update({FIELD_PROPS[k]: v for k, v in rec.fields.items() if k in FIELD_PROPS})
    props["funding"] = "; ".join(f"{f.source} {f.total:g}/{f.annual:g}" for f in rec.funding
                                 if f.total is not None and f.annual is not None)
    pid = _add(g, "Project", rec.id, **props)
    county = f"{region.county}{region.county_kind}/" if region.county else ""
    dept = _add(g, "Department", county + rec.dept_code, name=rec.dept_name, code=rec.dept_code)
    _edge(g, pid, dept, "BELONGS_TO")
    if rec.unit:
        unit = _add(g, "Unit", rec.unit)
        _edge(g, pid, unit, "IMPLEMENTED_BY")
        _edge(g, unit, dept, "PART_OF")
    for i, ind in enumerate(rec.indicators, 1):
        iid = _add(g, "Indicator", f"{rec.id}/{i}", **asdict(ind))
        _edge(g, pid, iid, "HAS_INDICATOR")


def _numbered_titles(citations):
    out = {}
    for c in citations:
        r = c.ref
        if r.title and r.doc_no and r.key != f"title:{r.title}":
            out.setdefault(f"title:{r.title}", r.key)
    return out


def _title_props(key):
    if not key.startswith("title:"):
        return {}
    title = key[len("title:"):]
    return {"title": title, "kind": "标题", "level": issuers.level_from_title(title)}


def _add_document(g, ref, title_to_key):
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


def test_writer_merges_nodes_first_value_wins_and_writes_equal_edges_once(tmp_path):
    from graphbuild import store

    w = store.Writer(tmp_path / "g.db")
    w.add_nodes([("P:1", "P", "1", {"a": 1, "b": "x"})])
    w.add_nodes([("P:1", "P", "1", {"a": 2, "c": 1.5})])
    w.add_edges([("P:1", "P:1", "T", {"f": 1}), ("P:1", "P:1", "T", {"f": 1}),
                 ("P:1", "P:1", "T", {"f": 2}), ("P:1", "P:2", "T", {"f": 1})])
    w.index()
    w.rename({"P:2": "P:1"})
    nodes, edges = stored(w.close())
    assert nodes == {"P:1": ("P", "1", {"a": 1, "b": "x", "c": 1.5})}
    assert sorted(edges.elements()) == [("P:1", "P:1", "T", '{"f": 1}'),
                                        ("P:1", "P:1", "T", '{"f": 2}')]
