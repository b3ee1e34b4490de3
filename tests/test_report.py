"""Lineage reports on the sample: the JSON data, and HTML, Markdown, CSV and XLSX read back."""
import csv
import json
import numbers
import re

import openpyxl
import pytest
from typer.testing import CliRunner

from graphbuild import queries, report, store
from graphbuild.cli import app
from graphbuild.graph import node_id
from graphbuild.report.tables import HEADERS, SECTIONS

EVIL = "<img src=x onerror=alert(1)>"
DOC = "财税〔2017〕20号"  # forwarded by a provincial notice, which 长财综〔2017〕21号 forwards


@pytest.fixture(scope="module")
def g(sample_store):
    return store.load(sample_store / "graph.db")


@pytest.fixture(scope="module")
def doc_report(g):
    return report.document_report(g, "财税[2017]20号")


def test_document_report_holds_the_chain_projects_and_evidence(g, doc_report):
    r = doc_report
    assert r["subject"]["document"] == DOC and r["subject"]["level"] == "中央"
    assert r["subject"]["issuers"] == "国家发展改革委、财政部" and r["subject"]["year"] == 2017
    chain = r["sections"]["chain"]
    assert [(c["depth"], c["document"]) for c in chain][::2] == [(0, DOC), (2, "长财综〔2017〕21号")]
    assert len(r["sections"]["forwards"]) == 2
    lineage = queries.lineage(g, DOC)
    assert {c["document"] for c in chain} == {row["document"] for row in lineage}
    projects = r["sections"]["projects"]
    assert {p["project_id"] for p in projects} == {row["project_id"] for row in lineage}
    assert r["totals"] == {"documents": 3, "projects": 2, "departments": 1, "citations": 8,
                           "funds": 1569100.0}
    *groups, total = r["sections"]["departments"]
    assert total["department"] == "合计" and total["funds"] == 1569100.0
    assert sum(x["funds"] for x in groups if x["unit"] is None) == total["funds"]
    assert {p["fields"] for p in projects} == {"立项依据、项目概况"}
    for e in r["sections"]["evidence"]:
        assert e["surface"] in e["snippet"] and e["source"].endswith(".txt") and e["line"] > 0


def test_department_report_rests_on_department_basis(g):
    r = report.department_report(g, "101")
    basis = queries.department_basis(g, "101")
    assert r == report.department_report(g, "襄垣县/101") == report.department_report(
        g, "襄垣县教育局")
    assert (r["subject"]["dept_code"], r["subject"]["dept_key"]) == ("101", "襄垣县/101")
    assert sorted(map(tuple, (x.values() for x in r["sections"]["levels"]))) == sorted(
        (b["level"], b["documents"], b["projects"], b["funds"]) for b in basis)
    levels = [d["level"] for d in r["sections"]["documents"]]
    order = [queries.LEVELS.index(x) for x in levels]
    assert order == sorted(order)
    assert len(levels) == r["totals"]["documents"] == 41
    assert {e["dept_code"] for e in r["sections"]["evidence"]} == {"101"}


def test_xlsx_reads_back_as_the_json(g, doc_report, tmp_path):
    path = report.write(g, doc_report, "xlsx", tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["概况"] + [SECTIONS[s] for s in doc_report["sections"]]
    back = {label: key for key, label in HEADERS.items()}
    for name, rows in doc_report["sections"].items():
        sheet = list(wb[SECTIONS[name]].values)
        keys = [back[h] for h in sheet[0]]
        assert keys == list(rows[0])
        assert [dict(zip(keys, values)) for values in sheet[1:]] == rows
        for row in sheet[1:]:
            for key, value in zip(keys, row):
                if key in ("funds", "funds_total", "projects", "line", "depth") and value is not None:
                    assert isinstance(value, numbers.Number), (name, key, value)


def test_csv_has_a_bom_and_reads_back_as_the_evidence(g, doc_report, tmp_path):
    path = report.write(g, doc_report, "csv", tmp_path / "r.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    evidence = doc_report["sections"]["evidence"]
    assert [{k: r[HEADERS[k]] for k in evidence[0]} for r in rows] == [
        {k: "" if v is None else str(v) for k, v in e.items()} for e in evidence]


def test_json_is_the_data(g, doc_report):
    assert json.loads(report.render(g, doc_report, "json")) == doc_report


def test_html_and_markdown_escape_what_they_show(g, tmp_path):
    g = g.copy()
    pid = node_id("Project", "xiangyuan-2024#340")
    g.nodes[pid]["name"] = EVIL
    g.nodes[node_id("Document", DOC)]["title"] = "关于</script><script>alert(2)</script>的通知"
    r = report.document_report(g, DOC)
    page = report.render(g, r, "html")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("</script>") == 2  # vis-network and the picture's own script
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, re.I)
    assert page.count('<mark class="ref"') == r["totals"]["citations"]
    md = report.render(g, r, "md")
    assert "<img" not in md and "</script>" not in md and "&lt;img src=x" in md


def test_cli_lineage_writes_every_format(sample_store, tmp_path):
    runner = CliRunner()
    base = ["lineage", "财税 (2017) 20号", "--store", str(sample_store)]
    res = runner.invoke(app, base + ["--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["subject"]["document"] == DOC
    for fmt in ("html", "xlsx", "md", "csv"):
        res = runner.invoke(app, base + ["--format", fmt, "--out", str(tmp_path / f"r.{fmt}")])
        assert res.exit_code == 0, res.output
        assert (tmp_path / f"r.{fmt}").stat().st_size > 1000
    res = runner.invoke(app, ["lineage", "--department", "101", "-f", "md", "--store",
                              str(sample_store)])
    assert res.exit_code == 0 and res.stdout.startswith("# 部门立项依据：襄垣县教育局（101）")
    res = runner.invoke(app, ["lineage", "晋财教[2023]82号", "--store", str(sample_store)])
    assert res.exit_code == 1 and "nearest known: 晋财教〔2023〕81号" in res.output


def test_cli_viz_focus_and_overview(sample_store, tmp_path):
    runner = CliRunner()
    for focus, expect in (("101", "Department"), ("晋财教[2023]81号", "Document"),
                          ("xiangyuan-2024#340", "Project")):
        out = tmp_path / f"{expect}.html"
        res = runner.invoke(app, ["viz", "--focus", focus, "--depth", "1", "--out", str(out),
                                  "--store", str(sample_store)])
        assert res.exit_code == 0, res.output
        assert re.search(r"wrote .*: \d+ nodes, \d+ edges", res.stdout)
    res = runner.invoke(app, ["viz", "--focus", "城乡义务教育生均公用经费（中央）", "--store",
                              str(sample_store)])
    assert res.exit_code == 1 and "several nodes are named" in res.output
