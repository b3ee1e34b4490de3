"""Every named query gives the same rows on both backends (Python over the embedded store, and
its Cypher file on Neo4j), and each answers the sample with figures checked against the raw
text (data/xiangyuan-2024/xiangyuan-2024.txt, read with plain regexes, not with graphbuild)."""
import json
import os

import pytest

from graphbuild import queries
from graphbuild.neo4j import pack

from .conftest import graphbuild

SPELLINGS = ["晋财教〔2023〕81号", "晋财教[2023]81号", "晋财教 〔2023〕 81 号", "晋财教（2023）81号",
             "晋财教(2023)81号", "晋财教【2023】第81号"]


def cases(g):
    """(query, parameters) pairs covering the sample, several values for each query."""
    docs = [r["document"] for r in queries.top_documents(g, 25)]
    forwarding = sorted({g.nodes[n]["key"] for s, t, e in g.edges(data=True)
                         if e["type"] == "FORWARDS" for n in (s, t)})
    depts = sorted(d[k] for _, d in g.nodes(data=True) if d["label"] == "Department"
                   for k in ("key", "code"))
    yield from (("top_documents", {"limit": n}) for n in (1, 10, 50))
    yield from (("cited_by", {"doc": d}) for d in docs + SPELLINGS + ["财教[2023]64号"])
    yield from (("cited_by", {"doc": d, "limit": n, "skip": k}) for d in docs[:5]
                for n, k in ((1, 0), (5, 0), (5, 5), (0, 4), (100, 2)))
    yield from (("co_citation", {"doc": d, "limit": n}) for d in docs + SPELLINGS for n in (3, 10))
    yield from (("lineage", {"doc": d}) for d in forwarding + ["财税[2017]20号", "财税（2017）20号"])
    yield from (("department_basis", {"dept": d}) for d in depts + ["襄垣县教育局"])
    yield from (("unfounded_projects", {"dept": d}) for d in ["*", "襄垣县教育局"] + depts)
    yield from (("funds_by_level", {"dept": "*", "field": f})
                for f in ("*", "立项依据", "项目概况", "保证项目实施的制度措施", "no-such-field"))
    yield from (("funds_by_level", {"dept": d, "field": "*"}) for d in depts + ["襄垣县教育局"])
    terms = SPELLINGS + ["义务教育", "教育", "襄垣县", "管理办法", "2023", "〔", "号", "(", "《",
                         "项目 ", "财教〔2023〕64号", 'a"b', "\\", "*", "?", "//", "}", "MATCH"]
    yield from (("search", {"q": t, "limit": 1000}) for t in terms)
    yield from (("search", {"q": t, "limit": n}) for t in ("教育", "通知") for n in (1, 7))


def test_the_pack_is_the_embedded_queries():
    assert pack.names() == sorted(queries.PACK)


def test_every_query_matches_the_embedded_graph(loaded, sample_build):
    g = sample_build[1]
    seen = set()
    with loaded.connect() as driver:
        for name, params in cases(g):
            seen.add(name)
            assert pack.run(driver, loaded.database, name, params) == \
                queries.run(g, name, params), (name, params)
    assert seen == set(queries.PACK)


@pytest.mark.parametrize("name, params", [
    ("cited_by", ["doc=晋财教[2023]81号"]),
    ("funds_by_level", ["field=立项依据", "dept=101"]),
])
def test_cli_backends_agree(loaded, sample_build, name, params):
    out = {}
    for backend in ("embedded", "neo4j"):
        proc = graphbuild("query", name, *(a for p in params for a in ("--param", p)),
                          "--backend", backend, "--json", "--store", str(sample_build[0]),
                          env=loaded.env())
        assert proc.returncode == 0, proc.stderr
        out[backend] = [json.loads(line) for line in proc.stdout.splitlines()]
    assert out["embedded"] == out["neo4j"] and out["neo4j"]


# Specific answers. Each figure was checked against the raw sample text independently of
# graphbuild (tables split on 项目支出绩效目标表; 实施期资金总额 read with a regex).

def both(loaded, g, name, **params):
    """The rows of a query, after asserting both backends give them."""
    with loaded.connect() as driver:
        rows = pack.run(driver, loaded.database, name, params)
    assert rows == queries.run(g, name, params)
    return rows


def test_cited_by_finance_ministry_64(loaded, sample_build):
    # 15 tables of department 904 cite 财教〔2023〕64号 (each in two fields); their 实施期资金总额
    # add to 13,156,181.
    rows = both(loaded, sample_build[1], "cited_by", doc="财教（2023）64号")
    projects = {r["project_id"]: r["funds_total"] for r in rows}
    assert len(rows) == 30 and len(projects) == 15
    assert {r["document"] for r in rows} == {"财教〔2023〕64号"}
    assert sum(projects.values()) == 13_156_181.0
    assert {(r["dept_code"], r["department"]) for r in rows} == {("904", "襄垣县财政局教科文股")}


def test_top_documents(loaded, sample_build):
    # 《襄垣县交通运输局支出管理办法》 and 《…预算管理办法》: each in 15 tables, 131,030,962 元.
    rows = both(loaded, sample_build[1], "top_documents", limit=2)
    assert [(r["document"], r["projects"], r["funds"]) for r in rows] == [
        ("title:襄垣县交通运输局支出管理办法", 15, 131_030_962.0),
        ("title:襄垣县交通运输局预算管理办法", 15, 131_030_962.0)]


def test_department_basis_of_the_county_government_office(loaded, sample_build):
    # Department 004 has tables 3-6; only table 5 (16,000,000 元) cites anything: two provincial
    # documents (晋政办发〔2021〕52号, 《中共山西省委山西省人民政府关于支持民营经济发展的若干意见》)
    # and one city document (长发〔2018〕28号).
    rows = both(loaded, sample_build[1], "department_basis", dept="004")
    assert [(r["level"], r["documents"], r["projects"], r["funds"]) for r in rows] == [
        ("省", 2, 1, 16_000_000.0), ("市", 1, 1, 16_000_000.0)]


def test_lineage_of_a_forwarded_directive(loaded, sample_build):
    # Tables 340 and 341 (607,100 and 962,000 元) cite 财税〔2017〕20号, the provincial notice
    # forwarding it, and 长财综〔2017〕21号 forwarding that (sample lines 41291-41294).
    rows = both(loaded, sample_build[1], "lineage", doc="财税[2017]20号")
    notice = ("title:省财政厅省发展和改革委员会关于转发〈财政部国家发展改革委关于清理规范一批"
              "行政事业性收费有关政策的通知〉的通知")
    assert [(r["document"], r["depth"], r["project_id"], r["funds_total"]) for r in rows] == [
        ("财税〔2017〕20号", 0, "xiangyuan-2024#340", 607_100.0),
        ("财税〔2017〕20号", 0, "xiangyuan-2024#341", 962_000.0),
        (notice, 1, "xiangyuan-2024#340", 607_100.0),
        (notice, 1, "xiangyuan-2024#341", 962_000.0),
        ("长财综〔2017〕21号", 2, "xiangyuan-2024#340", 607_100.0),
        ("长财综〔2017〕21号", 2, "xiangyuan-2024#341", 962_000.0)]


def test_co_citation_of_finance_ministry_64(loaded, sample_build):
    # All 15 tables citing 财教〔2023〕64号 also cite 晋财教〔2023〕81号, 晋政办发〔2014〕55号 and
    # 《2023年城乡义务教育经费预算》.
    rows = both(loaded, sample_build[1], "co_citation", doc="财教〔2023〕64号", limit=3)
    assert [(r["document"], r["projects"]) for r in rows] == [
        ("title:2023年城乡义务教育经费预算", 15), ("晋政办发〔2014〕55号", 15),
        ("晋财教〔2023〕81号", 15)]


def test_unfounded_projects(loaded, sample_build):
    # 58 tables whose 立项依据 names no 文号, title, decree or numbered meeting (会议纪要),
    # 152,541,667.59 元 in all (table 35's 晋财政法<2023>127号, angle brackets, is read since
    # session 5); the largest is table 312, resting on a county meeting.
    rows = both(loaded, sample_build[1], "unfounded_projects", dept="*")
    assert len(rows) == 58
    assert round(sum(r["funds_total"] for r in rows), 2) == 152_541_667.59
    top = rows[0]
    assert (top["project_id"], top["funds_total"], top["department"]) == (
        "xiangyuan-2024#312", 16_000_000.0, "襄垣县政府国有资产监督管理局")
    assert "县政府第 55 次常务会议" in top["basis"]


def test_funds_by_level(loaded, sample_build):
    g = sample_build[1]
    levels = ("中央", "省", "市", "县", "乡镇", "unknown", "none")
    rows = both(loaded, g, "funds_by_level", dept="*", field="*")
    assert len(rows) == 67 and sum(r["projects"] for r in rows) == 447
    # Every table's 实施期资金总额 adds to 1,672,842,013.65 元; the split loses none of it.
    assert round(sum(r["funds"] for r in rows), 2) == 1_672_842_013.65
    assert all(round(sum(r[k] for k in levels), 2) == r["funds"] for r in rows)
    # Department 101 (襄垣县教育局): 27 tables, 51,925,177.66 元.
    (edu,) = both(loaded, g, "funds_by_level", dept="101", field="*")
    assert (edu["department"], edu["projects"], edu["funds"]) == ("襄垣县教育局", 27, 51_925_177.66)
    # Counting 立项依据 only, 'none' is exactly the unfounded projects' money.
    basis = both(loaded, g, "funds_by_level", dept="*", field="立项依据")
    assert round(sum(r["none"] for r in basis), 2) == 152_541_667.59


def test_search(loaded, sample_build):
    g = sample_build[1]
    # 17 tables have 义务教育 in their 项目名称 (grep '^项目名称 .*义务教育').
    rows = both(loaded, g, "search", q="义务教育", limit=100)
    assert sum(r["kind"] == "Project" for r in rows) == 17
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    # A whole 文号 in any spelling finds that document first; 15 tables cite it.
    for spelling in SPELLINGS:
        first = both(loaded, g, "search", q=spelling, limit=5)[0]
        assert (first["kind"], first["key"], first["rank"], first["citations"]) == (
            "Document", "晋财教〔2023〕81号", 0, 15)
    assert both(loaded, g, "search", q='no such "thing"', limit=5) == []


@pytest.mark.parametrize("name, value, more", [("top_documents", "many", []),
                                               ("cited_by", "-1", ["-p", "doc=财教[2023]64号"])])
def test_cli_query_bad_parameter_is_one_line(sample_build, name, value, more):
    proc = graphbuild("query", name, "-p", f"limit={value}", *more,
                      "--store", str(sample_build[0]), env=dict(os.environ))
    assert proc.returncode == 1
    assert proc.stderr.strip() == (f"error: {name}: limit must be a whole number ≥ 0, "
                                   f"not {value!r}")


def test_cli_query_unknown_document_is_one_line(loaded):
    proc = graphbuild("query", "cited_by", "-p", "doc=晋财教〔2099〕1号", "--backend", "neo4j",
                      env=loaded.env())
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: no document '晋财教〔2099〕1号' in Neo4j")


def test_cli_cypher_reads(loaded):
    proc = graphbuild("cypher", "MATCH (p:Project)-[:CITES]->(d:Document {key: $doc}) "
                      "RETURN count(DISTINCT p) AS projects", "-p", "doc=晋财教〔2023〕81号",
                      "--json", env=loaded.env())
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"projects": 15}
    table = graphbuild("cypher", "MATCH (d:Department {key: '襄垣县/101'}) RETURN d.name AS name",
                       env=loaded.env())
    assert table.returncode == 0 and "襄垣县教育局" in table.stdout


WRITES = ["MATCH (p:Project) DETACH DELETE p", "CREATE (:Project {key: 'x'})",
          "MATCH (d:Document) SET d.title = 'changed'",
          "CREATE INDEX sneaky IF NOT EXISTS FOR (n:Project) ON (n.name)"]
REFUSAL = ("refused: `graphbuild cypher` runs read-only, and this statement writes (use "
           "`graphbuild load` to change the database)")


def test_cypher_refuses_writes(loaded):
    with loaded.connect() as driver:
        for statement in WRITES:
            with pytest.raises(pack.PackError) as err:
                pack.run_cypher(driver, loaded.database, statement, {})
            assert str(err.value) == REFUSAL
        n = driver.execute_query("MATCH (p:Project) RETURN count(p) AS n",
                                 database_=loaded.database).records[0]["n"]
        changed = driver.execute_query("MATCH (d:Document {title: 'changed'}) RETURN count(d) AS n",
                                       database_=loaded.database).records[0]["n"]
        indexes = driver.execute_query("SHOW INDEXES YIELD name WHERE name = 'sneaky' RETURN name",
                                       database_=loaded.database).records
    assert (n, changed, indexes) == (447, 0, [])


def test_cli_cypher_refusal_is_one_line(loaded):
    proc = graphbuild("cypher", WRITES[0], env=loaded.env())
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [f"error: {REFUSAL}"]
    if loaded.password:
        assert loaded.password not in proc.stderr


def test_cli_cypher_points_named_queries_to_query(loaded):
    proc = graphbuild("cypher", "cited_by", env=loaded.env())
    assert proc.returncode == 1
    assert proc.stderr.strip() == ("error: 'cited_by' is a named query: run `graphbuild query "
                                   "cited_by --backend neo4j`")


def test_pack_runs_read_only(loaded, tmp_path, monkeypatch):
    from neo4j.exceptions import ClientError
    (tmp_path / "sneaky.cypher").write_text("// sneaky: writes\nCREATE (:Project {key: 'x'})",
                                            encoding="utf-8")
    monkeypatch.setattr(pack, "PACK", tmp_path)
    with loaded.connect() as driver:
        with pytest.raises(ClientError, match="read access mode"):
            pack.run(driver, loaded.database, "sneaky", {})
        found = driver.execute_query("MATCH (p:Project {key: 'x'}) RETURN count(p) AS n",
                                     database_=loaded.database).records[0]["n"]
    assert found == 0
