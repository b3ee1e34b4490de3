"""The pages in a real browser: they load with no JavaScript error, request nothing but
file:// and data: URLs, draw the counted nodes and edges, and show hostile text as text."""
import pytest

from graphbuild import report, store, viz
from graphbuild.graph import node_id

EVIL = "<img src=x onerror=alert(1)>"
EVIL_TITLE = "关于</script><script>alert(2)</script>的通知"
DOC = "财税〔2017〕20号"
COUNT = "return [network.body.data.nodes.length, network.body.data.edges.length]"


@pytest.fixture(scope="module")
def pages(sample_store, tmp_path_factory):
    """The overview, a focused page, a lineage report, and both again with hostile names."""
    g = store.load(sample_store / "graph.db")
    out = tmp_path_factory.mktemp("pages")
    made = {"overview": viz.write_overview(g, out / "overview.html"),
            "focus": viz.write_focus(g, node_id("Department", "襄垣县/101"), out / "focus.html")}
    r = report.document_report(g, DOC)
    report.write(g, r, "html", out / "lineage.html")
    made["lineage"] = viz.network_html(g, viz.lineage_nodes(g, node_id("Document", DOC)))[1]
    bad = g.copy()
    bad.nodes[node_id("Project", "xiangyuan-2024#340")]["name"] = EVIL
    bad.nodes[node_id("Document", DOC)]["title"] = EVIL_TITLE
    made["evil-focus"] = viz.write_focus(bad, node_id("Document", DOC), out / "evil-focus.html")
    report.write(bad, report.document_report(bad, DOC), "html", out / "evil-lineage.html")
    return out, made


def _clean(page) -> None:
    assert page.errors == [], page.errors
    assert page.urls and all(u.startswith(("file://", "data:")) for u in page.urls), page.urls
    assert page.dialogs == []


@pytest.mark.parametrize("name", ["overview", "focus", "lineage"])
def test_page_loads_offline_and_draws_the_counted_graph(pages, visit, name):
    out, made = pages
    page = visit(out / f"{name}.html")
    assert page.stable == "1", "the layout did not settle"
    page.screenshot(name)
    _clean(page)
    assert page.js(COUNT) == [made[name]["nodes"], made[name]["edges"]]
    assert page.js("return document.querySelector('#gb-net canvas').width") > 300


def test_lineage_report_has_contents_tables_and_marks(pages, visit):
    out, _ = pages
    page = visit(out / "lineage.html")
    assert page.js("return [...document.querySelectorAll('nav a')].map(a => a.hash)") == [
        "#picture", "#chain", "#departments", "#projects", "#evidence"]
    assert page.js("return document.querySelectorAll('#evidence li').length") == 8
    assert page.js("return document.querySelectorAll('#evidence mark.ref').length") == 8
    assert page.js("return document.querySelector('#departments tr.gb-total').innerText"
                   ).startswith("合计")
    page.driver.execute_script("window.scrollTo(0, document.getElementById('evidence')"
                               ".offsetTop)")
    page.screenshot("lineage-evidence")


@pytest.mark.parametrize("name", ["evil-focus", "evil-lineage"])
def test_hostile_names_show_as_text_and_run_nothing(pages, visit, name):
    out, _ = pages
    page = visit(out / f"{name}.html")
    page.screenshot(name)
    _clean(page)
    assert page.js("return document.images.length") == 0
    assert page.js("return document.scripts.length") == 2
    names = page.js("return [...document.querySelectorAll('#gb-names option')].map(o => o.value)")
    assert f"项目 {EVIL}" in names
    nodes = page.js("return network.body.data.nodes.get().map(n => [n.label, n.title.innerText])")
    assert any(label.startswith("<img src=x") for label, _ in nodes)
    assert any(EVIL_TITLE in tip for _, tip in nodes)
    if name == "evil-lineage":
        assert page.js("return document.title") == f"政策文件溯源：{DOC}"
        assert EVIL_TITLE in page.js("return document.querySelector('dl').innerText")
        assert EVIL in page.js("return document.getElementById('projects').innerText")
