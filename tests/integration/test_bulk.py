"""`graphbuild export --format neo4j-admin`, imported by the real neo4j-admin and opened by
Neo4j: the same graph as networkx and as `graphbuild load` writes, with the schema on top."""
import pytest

from graphbuild import queries
from graphbuild.neo4j import bulk, pack
from graphbuild.neo4j.load import db_counts, schema_statements

from .conftest import (admin_import, checksum, expected_graph, graphbuild, launcher,
                       neo4j_graph)

HOSTILE = ['a "quoted", name\nwith a newline\r\nand CRLF', 'tab\there, back\\slash \\" end\\',
           "全角，逗号“引号”《书名》、顿号\u3000空格", "  padded  ", "", '"', "\r", ",,,",
           "line1\n\nline3\n"]


@pytest.fixture(scope="module")
def imported(sample_build, tmp_path_factory):
    """The sample exported by the CLI, imported by neo4j-admin, served by the launcher:
    (server, the export's folder)."""
    out = tmp_path_factory.mktemp("export")
    proc = graphbuild("export", "--format", "neo4j-admin", "--store", str(sample_build[0]),
                      "--to", str(out / "csv"), env=None)
    assert proc.returncode == 0, proc.stderr
    assert (out / "csv" / "import.sh").read_text(encoding="utf-8") in proc.stdout
    home = out / "home"
    report = admin_import(out / "csv" / "import.sh", home)
    assert "IMPORT DONE" in report
    with launcher(home, out, "-Xmx1g") as server:
        yield server, out / "csv"


def test_counts_equal_the_networkx_graph(imported, sample_build):
    with imported[0].connect() as driver:
        assert db_counts(driver, imported[0].database) == queries.counts(sample_build[1])


def test_properties_equal_the_networkx_graph(imported, sample_build):
    assert neo4j_graph(imported[0]) == expected_graph(sample_build[1])


def test_after_import_it_is_the_store_graphbuild_load_writes(imported, loaded, sample_build):
    """after-import.cypher: the schema (every constraint and index online) and the documents'
    totals as the loader counts them; then the store equals a `graphbuild load` one and the
    pack answers as the embedded queries do."""
    (server, folder), g = imported, sample_build[1]
    statements = schema_statements(folder / bulk.AFTER)
    assert statements[:-1] == schema_statements()
    with server.connect() as driver:
        with driver.session(database=server.database) as s:
            for statement in statements:
                s.run(statement).consume()
            s.run("CALL db.awaitIndexes(300)").consume()
            constraints = s.run("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n").single()["n"]
            assert s.run("SHOW INDEXES YIELD state WHERE state <> 'ONLINE' "
                         "RETURN count(*) AS n").single()["n"] == 0
        assert constraints == sum(x.startswith("CREATE CONSTRAINT") for x in statements)
        for name, params in [("cited_by", {"doc": "晋财教[2023]81号"}),
                             ("top_documents", {"limit": 20}),
                             ("search", {"q": "义务教育", "limit": 50}),
                             ("lineage", {"doc": "财税（2017）20号"})]:
            assert pack.run(driver, server.database, name, params) == \
                queries.run(g, name, params), name
    assert checksum(server) == checksum(loaded)


def test_quotes_newlines_delimiters_and_types_survive(tmp_path):
    """Values that break naive CSV, and a property that is an int in one row and a float in
    another (two files, each typed), come back exactly."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for i, text in enumerate(HOSTILE):
        key = f"{i},{text}" if text.strip() else f"{i}"
        g.add_node(f"Department:{key}", label="Department", key=key, name=text)
    projects = [("p,1", {"funds_total": 1234567.89, "year": 2024, "line": 2**53 + 1,
                         "basis": HOSTILE[0], "name": None}),
                ('p"2\n', {"funds_total": 5, "year": -1, "period_years": 0, "name": "乙"})]
    for key, props in projects:
        g.add_node(f"Project:{key}", label="Project", key=key, **props)
        g.add_edge(f"Project:{key}", "Department:0,a \"quoted\", name\nwith a newline\r\nand CRLF",
                   type="BELONGS_TO")
    g.add_node("Document:晋财教〔2023〕81号", label="Document", key="晋财教〔2023〕81号",
               doc_no="晋财教〔2023〕81号", citations=2, funds_cited=-0.1)
    for key, _ in projects:
        g.add_edge(f"Project:{key}", "Document:晋财教〔2023〕81号", type="CITES", field="立项依据",
                   start=0, line=3, snippet=HOSTILE[1] + HOSTILE[0], source="a,b.txt")
    result = bulk.export(g, tmp_path / "csv")
    assert [label for label, _ in result.nodes].count("Project") == 2  # funds_total int / float
    assert result.multiline
    admin_import(tmp_path / "csv" / "import.sh", tmp_path / "home")
    with launcher(tmp_path / "home", tmp_path, "-Xmx512m") as server:
        assert neo4j_graph(server) == expected_graph(g)


def test_other_formats_are_refused(sample_build, tmp_path):
    proc = graphbuild("export", "--format", "graphml", "--store", str(sample_build[0]),
                      "--to", str(tmp_path / "csv"), env=None)
    assert proc.returncode == 1
    assert "--format must be neo4j-admin, not 'graphml'" in proc.stderr
    assert not (tmp_path / "csv").exists()
