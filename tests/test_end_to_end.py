"""The CLI on the bundled sample, as a researcher runs it."""
import json
import re
import subprocess
import sys

import networkx as nx
import pytest

from graphbuild import store

from .conftest import SAMPLE


def graphbuild(*args, check=True):
    proc = subprocess.run([sys.executable, "-m", "graphbuild", *args], capture_output=True,
                          text=True, encoding="utf-8")
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    proc = graphbuild("build", "--out", str(out))
    return out, proc.stdout


def test_build_writes_every_output(built):
    out, stdout = built
    for name in ("graph.db", "graph.json", "graph.graphml", "graph.html", "rejected.json",
                 "duplicates.json"):
        assert (out / name).stat().st_size > 0, name
    assert "1,672,842,013.65" in stdout


def test_store_holds_the_sample(built):
    out, _ = built
    g = store.load(out / "graph.db")
    labels = [d["label"] for _, d in g.nodes(data=True)]
    assert labels.count("Project") == 447
    assert labels.count("Department") == 67
    funds = sum(d["funds_total"] for _, d in g.nodes(data=True) if d["label"] == "Project")
    assert round(funds, 2) == 1672842013.65
    assert all("type" in d for _, _, d in g.edges(data=True))
    cites = [d for _, _, d in g.edges(data=True) if d["type"] == "CITES"]
    assert len(cites) > 400
    assert all(d["snippet"] and d["field"] for d in cites)


def test_json_and_graphml_hold_the_same_graph(built):
    out, _ = built
    g = store.load(out / "graph.db")
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == g.number_of_nodes()
    assert len(data["edges"]) == g.number_of_edges()
    assert all("label" in n for n in data["nodes"]) and all("type" in e for e in data["edges"])
    gml = nx.read_graphml(out / "graph.graphml")
    assert dict(gml.nodes(data=True)) == dict(g.nodes(data=True))  # values and their types
    assert sorted((s, t, sorted(d.items())) for s, t, d in gml.edges(data=True)) == sorted(
        (s, t, sorted(d.items())) for s, t, d in g.edges(data=True))


def test_every_yyyy_span_is_linked_or_rejected(built):
    """Each 〔yyyy〕-like span of the sample's narrative fields is a CITES edge or rejected."""
    out, _ = built
    g = store.load(out / "graph.db")
    rejected = json.loads((out / "rejected.json").read_text(encoding="utf-8"))
    linked = [d["surface"] for _, _, d in g.edges(data=True) if d["type"] == "CITES"]
    spans = re.compile(r"[〔\[(（【{﹝]\s*\d{4}\s*[〕\])）】}﹞]")
    linked_years = sum(len(spans.findall(s)) for s in linked)
    rejected_years = sum(len(spans.findall(r["surface"])) for r in rejected)
    from graphbuild.ingest import read_text
    in_fields = sum(len(spans.findall(t)) for r in read_text(SAMPLE) for t in r.fields.values())
    assert linked_years + rejected_years >= in_fields
    assert all(r["reason"] for r in rejected)


def test_cites_any_spelling(built):
    out, _ = built
    spellings = ["晋财教[2023]81号", "晋财教 〔2023〕 81 号", "晋财教（2023）81号", "晋财教〔2023〕81号"]
    results = [graphbuild("cites", s, "--store", str(out), "--json").stdout for s in spellings]
    assert len(set(results)) == 1
    rows = [json.loads(line) for line in results[0].splitlines()]
    assert rows and all(r["document"] == "晋财教〔2023〕81号" for r in rows)
    assert all(r["department"] and r["field"] and "81" in r["snippet"] for r in rows)


def test_cites_unknown_document_suggests_nearest(built):
    out, _ = built
    proc = graphbuild("cites", "晋财教〔2023〕8199号", "--store", str(out), check=False)
    assert proc.returncode == 1
    assert "no document" in proc.stderr and "晋财教〔2023〕" in proc.stderr


def test_refs_prints_json_lines():
    proc = subprocess.run([sys.executable, "-m", "graphbuild", "refs", "-"],
                          input="为了深入贯彻落实晋教师〔2019〕11号和《山西省机关运行保障条例》",
                          capture_output=True, text=True, encoding="utf-8")
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {"doc_no": "晋教师〔2019〕11号", "code": "晋教师", "year": 2019, "serial": 11}.items() \
        <= rows[0].items()
    assert any(r["title"] == "山西省机关运行保障条例" for r in rows)


def test_missing_input_is_a_one_line_error(tmp_path):
    proc = graphbuild("build", str(tmp_path / "nope.txt"), "--out", str(tmp_path), check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "nope.txt" in proc.stderr
