"""For two directives of the sample, every report format and `query cited_by` agree."""
import csv
import io
import json
import re

import openpyxl
import pytest
from typer.testing import CliRunner

from graphbuild.cli import app


def graphbuild(*args):
    res = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    return res.stdout


@pytest.mark.parametrize("doc, projects, funds", [
    ("晋财教〔2023〕81号", 15, 13156181.0),
    ("财教〔2023〕64号", 15, 13156181.0),
])
def test_every_format_agrees_with_cited_by(sample_store, tmp_path, doc, projects, funds):
    store = str(sample_store)
    cited = [json.loads(line) for line in graphbuild(
        "query", "cited_by", "-p", f"doc={doc}", "--store", store, "--json").splitlines()]
    want = {(r["project_id"], r["field"]) for r in cited}
    assert len({p for p, _ in want}) == projects
    assert sum({r["project_id"]: r["funds_total"] for r in cited}.values()) == funds

    data = json.loads(graphbuild("lineage", doc, "-f", "json", "--store", store))
    direct = [e for e in data["sections"]["evidence"] if e["depth"] == 0]
    assert {(e["project_id"], e["field"]) for e in direct} == want

    rows = list(csv.DictReader(io.StringIO(graphbuild("lineage", doc, "-f", "csv", "--store", store))))
    assert {(r["项目编号"], r["字段"]) for r in rows if r["链上位置"] == "0"} == want

    xlsx = tmp_path / "r.xlsx"
    graphbuild("lineage", doc, "-f", "xlsx", "--out", str(xlsx), "--store", store)
    sheet = openpyxl.load_workbook(xlsx)["引用原文"]
    header = [c.value for c in sheet[1]]
    cells = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert {(r["项目编号"], r["字段"]) for r in cells if r["链上位置"] == 0} == want

    md = graphbuild("lineage", doc, "-f", "md", "--store", store)
    html_path = tmp_path / "r.html"
    graphbuild("lineage", doc, "-f", "html", "--out", str(html_path), "--store", store)
    html = html_path.read_text(encoding="utf-8")
    assert {p for p, _ in want} <= set(re.findall(r"xiangyuan-2024#\d+", html))
    unescaped_md = md.replace("\\#", "#")  # Markdown escapes # in table cells
    assert {p for p, _ in want} <= set(re.findall(r"xiangyuan-2024#\d+", unescaped_md))
    for text in (md, html):
        assert f"{data['totals']['funds']:,.2f}" in text
