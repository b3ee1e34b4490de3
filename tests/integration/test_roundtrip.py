"""Text with quotes, backslashes, //, }, backticks and Cypher keywords goes through `load` and
every query unchanged: values travel as parameters, never inside Cypher text."""
import json

import networkx as nx
import pytest

from graphbuild import queries, store
from graphbuild.graph import node_id
from graphbuild.neo4j import pack
from graphbuild.neo4j.load import LoadError, load

from ..neo4j_rows import node_rows
from .conftest import graphbuild, neo4j_graph, wipe

NASTY_NO = "晋财教〔2023〕81号' OR 1=1 //"
NASTY_TITLE = 'a "quoted" \'title\' \\ back\\slash // } ) MATCH (n) DETACH DELETE n RETURN `x`'
DEPT = "县'/9'9"  # a department key: county and code
NASTY_NAME = "项目 \"MERGE (x) SET x.a = 1\" \\n ${doc} $q {key: 'k'}} /* c */ ;"


def nasty_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    docs = [(NASTY_NO, {"doc_no": NASTY_NO, "title": NASTY_TITLE, "level": "省"}),
            (f"title:{NASTY_TITLE}", {"title": NASTY_TITLE, "level": "unknown"}),
            ("} // \\", {"doc_no": "} // \\", "level": "中央"})]
    for key, props in docs:
        g.add_node(node_id("Document", key), label="Document", key=key, kind="文号", **props,
                   citations=1, funds_cited=12.5)
    g.add_node(node_id("Department", DEPT), label="Department", key=DEPT, name='部门 "}" \\',
               code="9'9")
    g.add_node(node_id("Project", "x#1"), label="Project", key="x#1", name=NASTY_NAME,
               dept_code="9'9", funds_total=12.5, basis=NASTY_TITLE)
    g.add_edge(node_id("Project", "x#1"), node_id("Department", DEPT), type="BELONGS_TO")
    for i, (key, _) in enumerate(docs):
        g.add_edge(node_id("Project", "x#1"), node_id("Document", key), type="CITES",
                   field="立项依据", start=i, end=i + 1, snippet=f"{key} \\ '\" }}", line=1)
    g.add_edge(node_id("Document", "} // \\"), node_id("Document", NASTY_NO), type="FORWARDS")
    return g


@pytest.fixture(scope="module")
def nasty(neo4j_server, tmp_path_factory):
    g = nasty_graph()
    out = tmp_path_factory.mktemp("nasty")
    store.save(g, out / "graph.db")
    wipe(neo4j_server)
    proc = graphbuild("load", "--store", str(out), env=neo4j_server.env())
    assert proc.returncode == 0, proc.stderr
    return neo4j_server, g, out


def test_properties_round_trip(nasty):
    server, g, _ = nasty
    nodes, rels = neo4j_graph(server)
    assert nodes == {nid: {k: v for k, v in d.items() if k != "label"}
                     for nid, d in g.nodes(data=True)}
    assert len(rels) == g.number_of_edges()
    assert any(NASTY_TITLE.replace("\\", "\\\\").replace('"', '\\"') in r for r in rels)


@pytest.mark.parametrize("name, params", [
    ("cited_by", {"doc": NASTY_NO}),
    ("cited_by", {"doc": "} // \\"}),
    ("cited_by", {"doc": f"title:{NASTY_TITLE}"}),
    ("lineage", {"doc": NASTY_NO}),
    ("co_citation", {"doc": "} // \\", "limit": 10}),
    ("department_basis", {"dept": "9'9"}),
    ("department_basis", {"dept": DEPT}),
    ("department_basis", {"dept": '部门 "}" \\'}),
    ("funds_by_level", {"dept": "9'9", "field": "立项依据"}),
    ("top_documents", {"limit": 10}),
    ("search", {"q": "' OR 1=1 //", "limit": 10}),
    ("search", {"q": '"quoted"', "limit": 10}),
    ("search", {"q": "\\ back\\slash", "limit": 10}),
    ("search", {"q": "DETACH DELETE n RETURN `x`", "limit": 10}),
    ("search", {"q": "${doc} $q {key: 'k'}}", "limit": 10}),
    ("search", {"q": "} // \\", "limit": 10}),
])
def test_queries_answer_with_the_text_unchanged(nasty, name, params):
    server, g, _ = nasty
    with server.connect() as driver:
        rows = pack.run(driver, server.database, name, params)
    assert rows and rows == queries.run(g, name, params)
    with server.connect() as driver:
        assert driver.execute_query("MATCH (n) RETURN count(n) AS n",
                                    database_=server.database).records[0]["n"] == 5


def test_nasty_text_in_rows(nasty):
    server, g, _ = nasty
    with server.connect() as driver:
        (row,) = pack.run(driver, server.database, "cited_by", {"doc": NASTY_NO})
        hits = pack.run(driver, server.database, "search", {"q": NASTY_NAME, "limit": 5})
    assert (row["document"], row["project"], row["snippet"]) == (
        NASTY_NO, NASTY_NAME, f"{NASTY_NO} \\ '\" }}")
    assert [(h["key"], h["name"], h["rank"]) for h in hits] == [("x#1", NASTY_NAME, 0)]


def test_cli_cypher_parameter_round_trips(nasty):
    server, _, _ = nasty
    proc = graphbuild("cypher", "MATCH (d:Document {key: $k}) RETURN d.title AS title",
                      "-p", f"k={NASTY_NO}", "--json", env=server.env())
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"title": NASTY_TITLE}


def test_labels_outside_the_schema_never_reach_cypher():
    g = nx.MultiDiGraph()
    g.add_node("x", label="Project`) DETACH DELETE (n", key="k")
    with pytest.raises(LoadError, match="not in the schema"):
        node_rows(g)
    with pytest.raises(LoadError):
        load(None, g, "neo4j")  # refused before any connection is used
