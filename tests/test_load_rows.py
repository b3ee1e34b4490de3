"""graphbuild.neo4j.load streams a store's graph.db as the rows node_rows / edge_rows
(tests/neo4j_rows.py) make of its networkx graph, and refuses what it could not write before using any connection."""
import json

import networkx as nx
import pytest

from graphbuild import store
from graphbuild.export import as_rows
from graphbuild.neo4j import load

from .neo4j_rows import edge_rows, node_rows


def grouped(named) -> dict:
    """(name, row) pairs as name -> the rows as sorted JSON (the order of edges may differ)."""
    out: dict = {}
    for name, row in named:
        out.setdefault(name, []).append(json.dumps(row, sort_keys=True, ensure_ascii=False))
    return {name: sorted(rows) for name, rows in out.items()}


def test_the_store_streams_the_rows_of_its_graph(sample_store):
    path = sample_store / "graph.db"
    g = store.load(path)
    rows = as_rows(path)
    assert grouped(load.streamed_nodes(rows)) == grouped(
        (label, row) for label, rs in node_rows(g).items() for row in rs)
    assert grouped(load.streamed_edges(rows)) == grouped(
        (pattern, row) for pattern, rs in edge_rows(g).items() for row in rs)


def saved(tmp_path, nodes, edges=()):
    g = nx.MultiDiGraph()
    for nid, label, key in nodes:
        g.add_node(nid, label=label, key=key)
    for s, t, type_ in edges:
        g.add_edge(s, t, type=type_)
    return g, store.save(g, tmp_path / "graph.db")


@pytest.mark.parametrize("nodes, edges, message", [
    ([("Project:p", "Project", "p"), ("Authority:a", "Authority", "a")],
     [("Project:p", "Authority:a", "BELONGS_TO")], r"\(Project\)-\[:BELONGS_TO\]->\(Authority\)"),
    ([("Project:p", "Projekt", "p")], [], "label 'Projekt' is not in the schema"),
    ([("Project:p", "Project", "q")], [], "its id is not its label:key"),
])
def test_what_cannot_be_written_is_refused_before_any_connection(tmp_path, nodes, edges, message):
    for source in saved(tmp_path, nodes, edges):
        with pytest.raises(load.LoadError, match=message):
            load.load(None, source, "neo4j")


def test_a_batch_size_below_one_is_refused(tmp_path):
    _, path = saved(tmp_path, [("Project:p", "Project", "p")])
    with pytest.raises(load.LoadError, match="at least 1"):
        load.load(None, path, "neo4j", batch_size=0)
