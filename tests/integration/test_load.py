"""`graphbuild load` into a real Neo4j: the same graph as networkx, and loading is idempotent."""
import json

import pytest

from graphbuild import queries
from graphbuild.neo4j.load import db_counts, edge_id

from .conftest import checksum, graphbuild, neo4j_graph


def test_counts_equal_the_networkx_graph(loaded, sample_build):
    with loaded.connect() as driver:
        assert db_counts(driver, loaded.database) == queries.counts(sample_build[1])


def test_properties_equal_the_networkx_graph(loaded, sample_build):
    g = sample_build[1]
    nodes, rels = neo4j_graph(loaded)
    assert set(nodes) == set(g.nodes)
    for nid, data in g.nodes(data=True):
        want = {k: v for k, v in data.items() if k != "label"}
        got = dict(nodes[nid])
        if data["label"] == "Document":
            assert got.pop("funds_cited") == pytest.approx(want.pop("funds_cited"), abs=0.01)
        assert got == want, nid
    expected = []
    for s, t, d in g.edges(data=True):
        props = {k: v for k, v in d.items() if k != "type"}
        identity = {"CITES": ("field", "start"), "ISSUED_BY": ("source",)}.get(d["type"], ())
        props["id"] = edge_id(s, d["type"], t, [props.get(k) for k in identity])
        expected.append(json.dumps({"start": s, "type": d["type"], "end": t, "props": props},
                                   sort_keys=True, ensure_ascii=False))
    assert rels == sorted(expected)


def test_loading_twice_changes_nothing(loaded, sample_build):
    before = checksum(loaded)
    with loaded.connect() as driver:
        counts = db_counts(driver, loaded.database)
    proc = graphbuild("load", "--store", str(sample_build[0]), env=loaded.env())
    assert proc.returncode == 0, proc.stderr
    assert "it now holds" in proc.stdout
    if loaded.password:
        assert loaded.password not in proc.stdout + proc.stderr
    with loaded.connect() as driver:
        assert db_counts(driver, loaded.database) == counts
    assert checksum(loaded) == before


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_bolt_and_routing_uris(loaded, sample_build, scheme):
    uri = loaded.uri.replace("bolt://", f"{scheme}://", 1)
    proc = graphbuild("query", "top_documents", "-p", "limit=1", "--backend", "neo4j", "--json",
                      env=loaded.env(NEO4J_URI=uri))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == queries.top_documents(sample_build[1], 1)[0]
