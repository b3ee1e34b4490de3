"""viz: offline, escaped, and drawing exactly the chosen selection."""
import json
import re

import networkx as nx
import pytest

from graphbuild.viz import LEVEL_COLORS, dept_color, write_focus, write_overview

EVIL = "<img src=x onerror=alert(1)>"
EVIL_TITLE = "关于</script><script>alert(2)</script>的通知"


def _graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for code, name in [("101", "教育局"), ("102", "财政局"), ("103", "无引用局")]:
        g.add_node(f"Department:{code}", label="Department", key=code, name=name, code=code)
    projects = [("p1", EVIL, "101", 1e6), ("p2", "校舍维修", "101", 4e5),
                ("p3", "乡村道路", "102", 9e5), ("p4", "无依据项目", "103", 1e5)]
    for key, name, dept, funds in projects:
        g.add_node(f"Project:{key}", label="Project", key=key, name=name, dept_code=dept,
                   funds_total=funds, year=2024)
        g.add_edge(f"Project:{key}", f"Department:{dept}", type="BELONGS_TO")
    docs = [("d1", "国发〔2020〕1号", EVIL_TITLE, "中央", 1), ("d2", "晋财教〔2023〕81号", "办法",
            "省", 2), ("d3", "襄政发〔2021〕3号", "转发通知", "县", 1), ("d4", "长政发〔2021〕9号",
            "实施意见", "市", 0)]
    for key, no, title, level, cites in docs:
        g.add_node(f"Document:{key}", label="Document", key=key, doc_no=no, title=title,
                   level=level, kind="通知", citations=cites, funds_cited=1e5 * cites)
    for p, d, field in [("p1", "d1", "立项依据"), ("p1", "d2", "立项依据"), ("p1", "d2", "项目概况"),
                        ("p2", "d2", "立项依据"), ("p3", "d3", "立项依据")]:
        g.add_edge(f"Project:{p}", f"Document:{d}", type="CITES", field=field, snippet=EVIL)
    g.add_edge("Document:d3", "Document:d4", type="FORWARDS")
    g.add_node("Unit:一中", label="Unit", key="一中")
    g.add_node("Indicator:p1/1", label="Indicator", key="p1/1")
    g.add_node("Authority:国务院", label="Authority", key="国务院", level="中央")
    g.add_edge("Project:p1", "Unit:一中", type="IMPLEMENTED_BY")
    g.add_edge("Unit:一中", "Department:101", type="PART_OF")
    g.add_edge("Project:p1", "Indicator:p1/1", type="HAS_INDICATOR")
    g.add_edge("Document:d1", "Authority:国务院", type="ISSUED_BY")
    return g


def _data(page: str) -> dict:
    return json.loads(re.search(r"^var data = (.*);$", page, re.M).group(1))


def test_overview_is_offline_escaped_and_counts_the_selection(tmp_path):
    out = tmp_path / "overview.html"
    stats = write_overview(_graph(), out)
    page = out.read_text(encoding="utf-8")
    assert stats == {"nodes": 9, "edges": 8}
    data = _data(page)
    assert {n["id"] for n in data["nodes"]} == {
        "Department:101", "Department:102", "Project:p1", "Project:p2", "Project:p3",
        "Document:d1", "Document:d2", "Document:d3", "Document:d4"}
    assert len(data["edges"]) == 8
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page, re.I)
    assert "<img src=x" not in page
    assert page.count("</script>") == 2  # the inlined vis-network and our own script
    assert "</" not in re.search(r"^var data = (.*);$", page, re.M).group(1)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["Project:p1"]["label"].startswith("<img src=x")  # canvas text, not HTML
    assert "&lt;img src=x onerror=alert(1)&gt;" in nodes["Project:p1"]["title"]
    assert "&lt;/script&gt;" in nodes["Document:d1"]["title"]
    assert nodes["Document:d1"]["color"] == LEVEL_COLORS["中央"]
    assert nodes["Project:p3"]["color"] == dept_color("102")
    assert nodes["Project:p1"]["size"] > nodes["Project:p2"]["size"]
    assert "实施单位 1" in page and "绩效指标 1" in page and "项目 1" in page


def test_overview_keeps_only_the_most_cited_documents(tmp_path):
    stats = write_overview(_graph(), tmp_path / "top.html", max_documents=1)
    ids = {n["id"] for n in _data((tmp_path / "top.html").read_text(encoding="utf-8"))["nodes"]}
    assert ids == {"Document:d2", "Project:p1", "Project:p2", "Department:101"}
    assert stats == {"nodes": 4, "edges": 4}


@pytest.mark.parametrize("depth, nodes, edges", [(1, 3, 2), (2, 4, 3)])
def test_focus_draws_the_neighbourhood(tmp_path, depth, nodes, edges):
    out = tmp_path / "focus.html"
    assert write_focus(_graph(), "Document:d3", out, depth=depth) == {"nodes": nodes,
                                                                      "edges": edges}
    assert "<img src=x" not in out.read_text(encoding="utf-8")


def test_focus_on_an_unknown_node_fails(tmp_path):
    with pytest.raises(KeyError):
        write_focus(_graph(), "Project:nope", tmp_path / "x.html")
