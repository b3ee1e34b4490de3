"""graphbuild.neo4j.bulk streams graph.db twice and writes what the networkx rows of
tests/neo4j_rows.py hold: the same files, headers and lines (their order may differ)."""
from collections import Counter

import networkx as nx
import pytest

from graphbuild import store
from graphbuild.neo4j import bulk, load

from .neo4j_rows import edge_rows, node_rows

KINDS = {bool: "boolean", int: "long", float: "double", str: "string"}


def expected(g: nx.MultiDiGraph) -> dict[str, tuple[str, Counter]]:
    """file name -> (header, lines), from node_rows / edge_rows (tests/neo4j_rows.py), for a graph whose every
    property keeps one type within a label or relationship type (one file each)."""
    files = {f"{label}.csv": _file([f"key:ID({label})"], [([r["key"]], r["props"]) for r in rows])
             for label, rows in node_rows(g).items()}
    for (a, type_, b), rows in edge_rows(g).items():
        files[f"{type_}.csv"] = _file([f":START_ID({a})", f":END_ID({b})"],
                                      [([r["start"], r["end"]], {**r["props"], "id": r["id"]})
                                       for r in rows])
    return files


def _file(id_columns: list[str], rows: list[tuple[list, dict]]) -> tuple[str, Counter]:
    types = {}
    for _, props in rows:
        for k, v in props.items():
            if v is not None:
                assert types.setdefault(k, KINDS[type(v)]) == KINDS[type(v)], k
    keys = sorted(types)
    header = ",".join(id_columns + [f"{k}:{types[k]}" for k in keys])
    lines = Counter()
    for ids, props in rows:
        lines.update((",".join(map(_cell, [*ids, *map(props.get, keys)])) + "\n").splitlines())
    return header, lines


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return '"' + value.replace('"', '""') + '"' if isinstance(value, str) else repr(value)


def written(folder) -> dict[str, tuple[str, Counter]]:
    out = {}
    for path in folder.glob("*.csv"):
        header, *lines = path.read_text(encoding="utf-8").splitlines()
        out[path.name] = header, Counter(lines)
    return out


def test_the_sample_store_streams_to_what_the_networkx_rows_hold(sample_store, tmp_path):
    db = sample_store / "graph.db"
    result = bulk.export(db, tmp_path / "csv")
    files = expected(store.load(db))
    assert written(tmp_path / "csv") == files
    assert result.node_rows + result.relationship_rows == sum(
        len(lines) for _, lines in files.values())
    assert (tmp_path / "csv" / "import.sh").read_text(encoding="utf-8") == result.script()


def test_a_graph_is_exported_as_its_store(sample_store, tmp_path):
    g = store.load(sample_store / "graph.db")
    bulk.export(g, tmp_path / "graph")
    bulk.export(sample_store / "graph.db", tmp_path / "store")
    assert written(tmp_path / "graph") == written(tmp_path / "store")


def test_two_types_make_two_files_and_one_id_one_row(tmp_path):
    """A property that is an int in one row and a float in another splits the label's file;
    edges sharing an id merge into one row, also when other rows were stored between them."""
    w = store.Writer(tmp_path / "graph.db")
    w.add_nodes([("Department:d", "Department", "d", {})])
    for key, funds in [("a", 5), ("b", 1.5), ("c", None), ("e", 7)]:
        w.add_nodes([(f"Project:{key}", "Project", key, {"funds_total": funds})])
        w.add_edges([(f"Project:{key}", "Department:d", "BELONGS_TO", {"note": key})])
    w.add_edges([("Project:a", "Department:d", "BELONGS_TO", {"note": "again"})])
    w.index()
    result = bulk.export(w.close(), tmp_path / "csv")
    files = written(tmp_path / "csv")
    assert [path.name for _, path in result.nodes] == ["Department.csv", "Project.csv",
                                                       "Project-2.csv"]
    assert files["Project.csv"] == ("key:ID(Project),funds_total:long",
                                    Counter(['"a",5', '"c",', '"e",7']))
    assert files["Project-2.csv"] == ("key:ID(Project),funds_total:double", Counter(['"b",1.5']))
    assert result.relationship_rows == 4 == sum(files["BELONGS_TO.csv"][1].values())
    assert sorted(line.split(",")[0] for line in files["BELONGS_TO.csv"][1]) == [
        '"a"', '"b"', '"c"', '"e"']


def test_a_pattern_outside_the_schema_stops_the_export(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("Project:p", label="Project", key="p")
    g.add_node("Authority:a", label="Authority", key="a")
    g.add_edge("Project:p", "Authority:a", type="BELONGS_TO")
    with pytest.raises(load.LoadError, match=r"\(Project\)-\[:BELONGS_TO\]->\(Authority\)"):
        bulk.export(store.save(g, tmp_path / "graph.db"), tmp_path / "csv")
