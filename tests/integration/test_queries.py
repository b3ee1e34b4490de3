"""Every query of the Cypher pack gives the embedded implementation's rows on the sample."""
import json

import pytest
from neo4j.exceptions import ClientError

from graphbuild import queries
from graphbuild.neo4j import pack

from .conftest import graphbuild


def cases(g):
    """(query, parameters) pairs covering the sample."""
    docs = [r["document"] for r in queries.top_documents(g, 25)]
    forwarding = sorted({g.nodes[n]["key"] for s, t, e in g.edges(data=True)
                         if e["type"] == "FORWARDS" for n in (s, t)})
    depts = sorted(d["key"] for _, d in g.nodes(data=True) if d["label"] == "Department")
    yield "top_documents", {"limit": 50}
    yield from (("cited_by", {"doc": d}) for d in docs)
    yield from (("co_citation", {"doc": d, "limit": 10}) for d in docs)
    yield from (("lineage", {"doc": d}) for d in forwarding)
    yield from (("department_basis", {"dept": d}) for d in depts)


def test_the_pack_is_the_embedded_queries():
    assert pack.names() == sorted(queries.PACK)


def test_every_query_matches_the_embedded_graph(loaded, sample_build):
    g = sample_build[1]
    with loaded.connect() as driver:
        for name, params in cases(g):
            assert pack.run(driver, loaded.database, name, params) == \
                queries.PACK[name](g, **params), (name, params)


def test_cited_by_any_spelling(loaded, sample_build):
    with loaded.connect() as driver:
        rows = pack.run(driver, loaded.database, "cited_by", {"doc": "晋财教 [2023] 81 号"})
    assert len(rows) == 15 and {r["document"] for r in rows} == {"晋财教〔2023〕81号"}
    assert rows == queries.cited_by(sample_build[1], "晋财教〔2023〕81号")


def test_lineage_goes_up_and_down(loaded, sample_build):
    g = sample_build[1]
    depths = {name: {r["depth"] for r in queries.lineage(g, name)} for _, p in cases(g)
              if _ == "lineage" for name in [p["doc"]]}
    assert any(min(d) < 0 < max(d) or max(d) > 1 or min(d) < -1 for d in depths.values())


def test_cli_cypher(loaded):
    proc = graphbuild("cypher", "cited_by", "--param", "doc=晋财教[2023]81号", "--json",
                      env=loaded.env())
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 15
    assert all(json.loads(line)["document"] == "晋财教〔2023〕81号"
               for line in proc.stdout.splitlines())


def test_cli_cypher_bad_parameter_is_one_line(loaded):
    proc = graphbuild("cypher", "top_documents", "-p", "limit=many", env=loaded.env())
    assert proc.returncode == 1
    assert proc.stderr.strip() == "error: top_documents: limit must be a whole number, not 'many'"


def test_pack_runs_read_only(loaded, tmp_path, monkeypatch):
    (tmp_path / "sneaky.cypher").write_text("// sneaky: writes\nCREATE (:Project {key: 'x'})",
                                            encoding="utf-8")
    monkeypatch.setattr(pack, "PACK", tmp_path)
    with loaded.connect() as driver:
        with pytest.raises(ClientError, match="read access mode"):
            pack.run(driver, loaded.database, "sneaky", {})
        found = driver.execute_query("MATCH (p:Project {key: 'x'}) RETURN count(p) AS n",
                                     database_=loaded.database).records[0]["n"]
    assert found == 0
