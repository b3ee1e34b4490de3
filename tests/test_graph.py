"""The graph built from the sample: schema, merge rules, levels, queries."""
from collections import Counter

import networkx as nx
import pytest

from graphbuild import queries, store
from graphbuild.citations import extract
from graphbuild.graph import build_graph


@pytest.fixture(scope="module")
def graph(records):
    cites, _ = extract(records)
    return build_graph(records, cites)


def labels(g, label):
    return {n: d for n, d in g.nodes(data=True) if d["label"] == label}


def test_schema_labels_and_types(graph):
    assert set(Counter(d["label"] for _, d in graph.nodes(data=True))) == {
        "Project", "Department", "Unit", "Document", "Authority", "Indicator"}
    assert set(Counter(d["type"] for _, _, d in graph.edges(data=True))) == {
        "BELONGS_TO", "IMPLEMENTED_BY", "PART_OF", "CITES", "ISSUED_BY", "FORWARDS",
        "HAS_INDICATOR"}
    for pid in labels(graph, "Project"):
        out = Counter(d["type"] for _, _, d in graph.out_edges(pid, data=True))
        assert out["BELONGS_TO"] == 1 and out["IMPLEMENTED_BY"] == 1, pid


def test_repeated_names_stay_distinct_projects(graph):
    projects = labels(graph, "Project")
    assert len(projects) == 447
    names = Counter(d["name"] for d in projects.values())
    assert names["城乡义务教育生均公用经费（中央）"] == 13


def test_forwarding_notice_of_table_10(graph):
    notice = "Document:长禁毒委〔2023〕7号"
    inner = {v for _, v, d in graph.out_edges(notice, data=True) if d["type"] == "FORWARDS"}
    assert inner == {
        "Document:title:山西省县域毒品问题综合治理三年行动方案",
        "Document:title:山西省县域毒品问题综合治理成效突出地区评选办法",
        "Document:title:全省毒品问题综合治理示范先行区年度测评体系",
    }
    assert graph.nodes[notice]["level"] == "市"


def test_title_and_number_are_one_document(graph):
    # Table 1 cites 长财行〔2014〕22 号《长治市市直机关会议管理办法》.
    doc = graph.nodes["Document:长财行〔2014〕22号"]
    assert doc["title"] == "长治市市直机关会议管理办法"
    assert "Document:title:长治市市直机关会议管理办法" not in graph


def test_joint_issuers_each_get_issued_by(graph):
    # Table 10: 中共长治市委办公室 长治市人民政府办公室 关于印发《…》的通知（室字〔2022〕38号）
    docs = [n for n in labels(graph, "Document") if n.startswith("Document:") and "室字〔2022〕38号" in n]
    assert docs
    issued = {v for _, v, d in graph.out_edges(docs[0], data=True) if d["type"] == "ISSUED_BY"}
    assert {"Authority:中共长治市委办公室", "Authority:长治市人民政府办公室"} <= issued


def test_levels_from_codes(graph):
    docs = labels(graph, "Document")
    assert docs["Document:财教〔2023〕64号"]["level"] == "中央"
    assert docs["Document:晋财教〔2023〕81号"]["level"] == "省"
    assert docs["Document:长财行〔2014〕22号"]["level"] == "市"
    assert docs["Document:title:襄垣县交通运输局支出管理办法"]["level"] == "县"
    assert docs["Document:title:2023年城乡义务教育经费预算"]["level"] == "unknown"


def test_cited_by_and_top_documents(graph):
    rows = queries.cited_by(graph, "晋财教（2023）81号")
    assert len(rows) == 15
    assert {r["field"] for r in rows} == {"立项依据"}
    assert sum(r["funds_total"] for r in rows) == 13156181
    top = queries.top_documents(graph, 10)
    assert top[0]["projects"] >= top[-1]["projects"] >= 7


def test_store_round_trip(graph, tmp_path):
    g2 = store.load(store.save(graph, tmp_path / "graph.db"))
    assert dict(graph.nodes(data=True)) == dict(g2.nodes(data=True))
    assert sorted(map(repr, graph.edges(data=True))) == sorted(map(repr, g2.edges(data=True)))


def test_ambiguous_code_resolves_through_its_number(graph):
    # 室字 is used by several issuers: the node is keyed by the issuer the text names.
    rows = queries.cited_by(graph, "室字（2022）38号")
    assert {r["document"] for r in rows} == {"中共长治市委办公室 室字〔2022〕38号"}
    with pytest.raises(queries.UnknownDocument, match="nearest known"):
        queries.cited_by(graph, "厅字〔2099〕1号")


def test_title_cited_alone_resolves_to_its_numbered_document(graph, by_ordinal):
    # Table 148 cites 《就业补助资金管理办法》 by title only; elsewhere the sample gives it with
    # its number 晋财社〔2022〕258号: one Document node, cited by both.
    assert "《就业补助资金管理办法》" in by_ordinal[148].fields["立项依据"]
    assert "258" not in by_ordinal[148].fields["立项依据"]
    assert "Document:title:就业补助资金管理办法" not in graph
    citing = {graph.nodes[s]["key"] for s, _, d in graph.in_edges(
        "Document:晋财社〔2022〕258号", data=True) if d["type"] == "CITES"}
    assert "xiangyuan-2024#148" in citing and len(citing) > 1


def test_graphml_round_trips_awkward_values(tmp_path):
    """Markup, quotes, control characters and mixed types survive a GraphML round trip."""
    from graphbuild.export import write_graphml
    g = nx.MultiDiGraph()
    g.add_node('Project:<a href="x">&', label="Project", key='<a href="x">&', year=2024)
    g.add_node("Document:b", label="Document", key="b", year="2024年", funds=1.5, ok=True)
    g.add_edge('Project:<a href="x">&', "Document:b", type="CITES", snippet="a\x0bb</data>")
    g.add_edge('Project:<a href="x">&', "Document:b", type="CITES", snippet="again")
    h = nx.read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    assert h.nodes['Project:<a href="x">&'] == {"label": "Project", "key": '<a href="x">&',
                                                 "year": "2024"}  # mixed int/str -> str
    assert h.nodes["Document:b"] == {"label": "Document", "key": "b", "year": "2024年",
                                     "funds": 1.5, "ok": True}
    assert sorted(d["snippet"] for *_, d in h.edges(data=True)) == ["again", "a\ufffdb</data>"]
