"""A disclosure table full of HTML and JavaScript, built end to end: nothing runs."""
from graphbuild import build, report, store

from ..conftest import SAMPLE
from .test_pages import _clean

EVIL_NAME = "<img src=x onerror=alert(1)>"
EVIL_UNIT = "<script>alert(2)</script>"
EVIL_BASIS = "《关于</script><script>alert(3)</script>的通知》（晋财教〔2023〕81号）"


def test_table_full_of_html_builds_into_inert_pages(tmp_path, visit):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[:109]
    text = "\n".join(lines)
    text = text.replace("项目名称 襄垣县十七届人大四次会议", f"项目名称 {EVIL_NAME}")
    text = text.replace("实施单位 襄垣县人民代表大会常务委员会办公室", f"实施单位 {EVIL_UNIT}")
    text = text.replace("依据 长财行〔2014〕22 号《长治市市直机关会议管理办法》。", f"依据 {EVIL_BASIS}")
    dump = tmp_path / "evil.txt"
    dump.write_text(text, encoding="utf-8")
    result = build.run([dump], tmp_path / "out")
    assert result.tables == 1
    g = store.load(result.store)
    [project] = [d for _, d in g.nodes(data=True) if d["label"] == "Project"]
    assert (project["name"], project["basis"]) == (EVIL_NAME, EVIL_BASIS)
    assert f"Unit:{EVIL_UNIT}" in g
    report.write(g, report.document_report(g, "晋财教〔2023〕81号"), "html", tmp_path / "r.html")
    for page_path in (tmp_path / "out" / "graph.html", tmp_path / "r.html"):
        page = visit(page_path)
        page.screenshot(f"hostile-table-{page_path.stem}")
        _clean(page)
        assert page.js("return document.images.length") == 0
        assert page.js("return document.scripts.length") == 2
        assert EVIL_NAME in page.js("return document.body.innerText + [...document.querySelectorAll"
                                    "('#gb-names option')].map(o => o.value).join(' ')")
