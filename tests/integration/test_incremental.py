"""A second source adds its projects and reuses the documents already loaded."""
from graphbuild import build, queries
from graphbuild.neo4j.load import db_counts, load

from ..conftest import SAMPLE
from .conftest import wipe

HEADER = "项目支出绩效目标表"


def test_second_source_adds_projects_and_reuses_documents(neo4j_server, sample_build,
                                                          tmp_path):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if HEADER in line]
    other = tmp_path / "other-county-2024.txt"
    other.write_text("".join(lines[:starts[40]]), encoding="utf-8")
    second = build.run([other], tmp_path / "out").graph
    first = sample_build[1]
    docs = lambda g: {n for n, d in g.nodes(data=True) if d["label"] == "Document"}
    shared = docs(first) & docs(second)
    assert shared

    wipe(neo4j_server)
    with neo4j_server.connect() as driver:
        load(driver, first, neo4j_server.database)
        load(driver, second, neo4j_server.database)
        held = db_counts(driver, neo4j_server.database)
        doc = sorted(shared)[0].split(":", 1)[1]
        citations = driver.execute_query(
            "MATCH (d:Document {key: $key}) RETURN d.citations AS n", key=doc,
            database_=neo4j_server.database).records[0]["n"]
    a, b = queries.counts(first), queries.counts(second)
    assert held["Project"] == a["Project"] + b["Project"] == 447 + 40
    assert held["Document"] == len(docs(first) | docs(second))
    assert held["CITES"] == a["CITES"] + b["CITES"]
    assert citations == first.nodes[f"Document:{doc}"]["citations"] + \
        second.nodes[f"Document:{doc}"]["citations"]
