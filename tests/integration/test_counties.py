"""Two counties' departments of one code, in Neo4j: the department queries give the rows
the embedded store gives, by bare code (every county's), key, name or * (tests/test_counties.py
checks the rows themselves)."""
import pytest

from graphbuild import queries, store
from graphbuild.neo4j import pack
from graphbuild.neo4j.load import load

from .conftest import wipe


@pytest.fixture(scope="module")
def loaded_counties(neo4j_server, counties):
    g = store.load(counties[1] / "graph.db")
    wipe(neo4j_server)  # the next module needing the sample loads it again
    with neo4j_server.connect() as driver:
        load(driver, g, neo4j_server.database)
    return neo4j_server, g


def test_department_queries_match_the_embedded_store(loaded_counties):
    server, g = loaded_counties
    deps = sorted((d["key"], d["name"], d["code"]) for _, d in g.nodes(data=True)
                  if d["label"] == "Department")
    depts = ["101", "004", "*"] + [x for dep in deps[::20] for x in dep]
    cases = [("department_basis", {"dept": d}) for d in depts]
    cases += [("unfounded_projects", {"dept": d}) for d in depts]
    cases += [("funds_by_level", {"dept": d, "field": f}) for d in depts for f in ("*", "立项依据")]
    with server.connect() as driver:
        for name, params in cases:
            rows = pack.run(driver, server.database, name, params)
            assert rows == queries.run(g, name, params), (name, params)
    assert len({r["dept_key"] for r in queries.department_basis(g, "101")}) == 2
