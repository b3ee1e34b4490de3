"""Real layouts from other provinces (tests/fixtures/layouts, collected and annotated by a
helper from published disclosures; see SOURCES.md) read field by field as annotated."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphbuild.ingest import ParseError, parse_text, read_text
from graphbuild.ingest import labels
from graphbuild.refs import find_refs

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
EXPECTED = json.loads((LAYOUTS / "expected.json").read_text(encoding="utf-8"))
# Real layouts the reader does not read right yet (strict: one that starts passing must leave
# the list).
NOT_YET = set(json.loads((LAYOUTS / "not-yet-read.json").read_text(encoding="utf-8"))) \
    if (LAYOUTS / "not-yet-read.json").exists() else set()
FIELDS = ("name", "dept_code", "dept_name", "unit", "funds_total", "funds_annual",
          "money_unit", "year")


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="not read right yet"))
    if n in NOT_YET else n for n in sorted(EXPECTED)])
def test_layout_reads_as_annotated(name):
    problems: list[str] = []
    got = read_text(LAYOUTS / name, problems)
    want = EXPECTED[name]
    assert problems == []
    assert len(got) == len(want)
    for rec, exp in zip(got, want):
        assert {k: getattr(rec, k) for k in FIELDS} == {k: exp[k] for k in FIELDS}
        basis = rec.fields.get("立项依据", "")
        assert sorted({r.key for r in find_refs(basis) if r.kind == "文号"}) == \
            sorted(exp["basis_refs"])


def test_money_units_from_value_label_block_and_page():
    form = "项目支出绩效目标表\n（2024年度）\n{unit}项目名称 甲\n主管部门 [015]乙局\n{money}\n"
    cases = {
        ("", "年度资金总额 250万"): (2_500_000, "万元"),
        ("", "年度资金总额（万元） 12.5"): (125_000, "万元"),
        ("", "项目资金（万元） 年度资金总额： 3"): (30_000, "万元"),
        ("单位：万元\n", "年度资金总额 7"): (70_000, "万元"),
        ("", "年度资金总额 1,140,000"): (1_140_000, "元"),
    }
    for (unit, money), (amount, printed) in cases.items():
        (rec,) = parse_text(form.format(unit=unit, money=money), "m.txt")
        assert (rec.funds_annual, rec.money_unit, rec.funds_total) == (amount, printed, None)
        assert (rec.dept_code, rec.dept_name, rec.unit) == ("015", "乙局", "")


def test_pipe_table_and_code_after_name():
    text = ("| 项目支出绩效目标表 |\n| 项目名称 | 丙项目 | 实施单位 | 丁中心 |\n"
            "| 主管部门 | 戊局（155） | 项目总预算（万元） | 40 |\n| 立项依据 | 根据湘财预〔2021〕12号 |\n")
    (rec,) = parse_text(text, "p.txt")
    assert (rec.name, rec.unit, rec.dept_code, rec.dept_name) == ("丙项目", "丁中心", "155", "戊局")
    assert (rec.funds_total, rec.money_unit) == (400_000, "万元")
    assert rec.fields["立项依据"] == "根据湘财预〔2021〕12号"


def test_a_user_adds_a_label_without_code(tmp_path, monkeypatch):
    text = "项目支出绩效目标表\n经费名目 己项目\n主管部门 庚局\n年度资金总额 5\n"
    with pytest.raises(ParseError, match=r"^u.txt:1: table 1 has no 项目名称"):
        parse_text(text, "u.txt")
    extra = tmp_path / "my-layouts.tsv"
    extra.write_text("经费名目\t项目名称\n", encoding="utf-8")
    monkeypatch.setenv(labels.LAYOUTS_ENV, str(extra))
    (rec,) = parse_text(text, "u.txt")
    assert (rec.name, rec.dept_name, rec.funds_annual) == ("己项目", "庚局", 5)


PIPE_GRID = """某县2024年部门项目支出绩效目标表
部门名称：某县教育局
单位：万元
| 序号 | 项目名称 | 实施单位 | 年度资金总额 | 立项依据 | 年度目标 |
| 1 | 甲项目 | 某中心 | 100 | 根据晋财教〔2023〕81号 | 完成甲 |
| 2 | 乙项目 | 某学校 | 200.5 | 晋政办发〔2014〕55号 | 完成乙 |
| 合计 | | | 300.5 | | |
"""

LAYOUT_GRID = """项目支出绩效目标表（2024年度）                 单位：元
序号  项目名称            主管部门        年度资金总额   立项依据
1     城乡义务教育生均    101-教育局      1,200,000      晋财教〔2023〕81号
      公用经费（中央）
2     学生资助            101-教育局      300,000        财教〔2023〕64号
      合计                                1,500,000
"""


def test_grid_of_projects_with_a_total_row():
    """One table, one project a row: the page's unit and department go with every row, the
    total row is no project."""
    got = parse_text(PIPE_GRID, "g.txt")
    assert [(r.id, r.name, r.dept_name, r.unit, r.funds_annual, r.money_unit, r.year)
            for r in got] == [
        ("g#1", "甲项目", "某县教育局", "某中心", 1_000_000, "万元", 2024),
        ("g#2", "乙项目", "某县教育局", "某学校", 2_005_000, "万元", 2024)]
    assert [r.fields for r in got] == [
        {"立项依据": "根据晋财教〔2023〕81号", "年度目标": "完成甲"},
        {"立项依据": "晋政办发〔2014〕55号", "年度目标": "完成乙"}]
    assert [r.line for r in got] == [5, 6]


def test_layout_grid_keeps_wrapped_cells_in_their_column():
    got = parse_text(LAYOUT_GRID, "l.txt")
    assert [(r.name, r.dept_code, r.dept_name, r.funds_annual, r.fields["立项依据"])
            for r in got] == [
        ("城乡义务教育生均公用经费（中央）", "101", "教育局", 1_200_000, "晋财教〔2023〕81号"),
        ("学生资助", "101", "教育局", 300_000, "财教〔2023〕64号")]


def test_a_grid_row_without_a_name_is_one_problem():
    text = PIPE_GRID.replace("| 2 | 乙项目 |", "| 2 |  |")
    problems: list[str] = []
    got = parse_text(text, "g.txt", problems)
    assert [r.name for r in got] == ["甲项目"]
    assert len(problems) == 1 and problems[0].startswith("g.txt:6: table 2 has no 项目名称")


def test_tables_command_shows_how_each_table_was_read(tmp_path):
    from typer.testing import CliRunner

    from graphbuild.cli import app

    bad = tmp_path / "bad.txt"
    bad.write_text("项目支出绩效目标表\n主管部门 庚局\n年度资金总额 5\n", encoding="utf-8")
    name = "hubei-wuhan-qingshan-one-cell-per-line.txt"
    result = CliRunner().invoke(app, ["tables", str(LAYOUTS / name), str(bad), "--json"])
    assert result.exit_code == 2
    (row,) = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert (row["name"], row["dept_code"], row["funds_total"], row["money_unit"]) == (
        "教育系统基础设施建设和设备购置", "015001", 100_000_000, "万元")
    assert row["labels"]["主管部门"] == "主管部门及编码"
    assert f"{bad}:1: table 1 has no 项目名称" in result.stderr


def test_layout_columns_with_a_unit_under_its_label_and_a_continued_title():
    """`pdftotext -layout` of the national template: 项目资金 / （万元） split around a value
    row, the title printed again as …（续） over the next page."""
    text = """项目支出绩效目标表
（ 2024 年度）
项目名称          乡村道路养护
主管部门及代码    [015]某县交通运输局        实施单位    某县公路段
项目资金          年度资金总额               120
（万元）          其中：财政拨款             120
                  其他资金                   0
年度总体目标      完成道路养护100公里
项目支出绩效目标表（续）
绩效指标   一级指标   二级指标   三级指标   指标值
           产出指标   数量指标   养护里程   100公里
"""
    (rec,) = parse_text(text, "c.txt")
    assert (rec.name, rec.dept_code, rec.dept_name, rec.unit, rec.year) == (
        "乡村道路养护", "015", "某县交通运输局", "某县公路段", 2024)
    assert (rec.funds_total, rec.funds_annual, rec.money_unit) == (None, 1_200_000, "万元")
    assert rec.fields == {"年度目标": "完成道路养护100公里"}
    assert [(i.level1, i.level2, i.level3, i.value) for i in rec.indicators] == [
        ("产出指标", "数量指标", "养护里程", "100公里")]
