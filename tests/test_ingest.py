"""Text-dump ingest on the bundled sample and on its hard tables."""
from decimal import Decimal

import pytest

from graphbuild.ingest import ParseError, parse_text
from graphbuild.ingest.repeats import find_repeats
from graphbuild.records import NARRATIVE_FIELDS

from .conftest import SAMPLE


def test_every_table_is_read(records):
    assert len(records) == 447
    assert len({r.dept_code for r in records}) == 67
    assert [r.ordinal for r in records] == list(range(1, 448))
    assert len({r.id for r in records}) == 447


def test_funds_total_matches_the_sample(records):
    # Every 实施期资金总额 in the sample, added by hand from the text: 1,672,842,013.65 元.
    total = sum(Decimal(str(r.funds_total)) for r in records)
    assert total == Decimal("1672842013.65")
    assert all(r.funds_total is not None for r in records)


def test_header_fields_of_the_first_table(by_ordinal):
    r = by_ordinal[1]
    assert r.name == "襄垣县十七届人大四次会议"
    assert (r.dept_code, r.dept_name) == ("001", "襄垣县人民代表大会常务委员会办公室")
    assert r.unit == "襄垣县人民代表大会常务委员会办公室"
    assert (r.attribute, r.period_years, r.year) == ("一次性", 1, 2024)
    assert (r.funds_total, r.funds_annual) == (510000, 510000)
    assert [(f.source, f.total, f.annual) for f in r.funding] == [("市县（区）财政资金", 510000, 510000)]
    assert r.line == 1


def test_labels_split_over_lines(by_ordinal):
    f = by_ordinal[1].fields
    assert f["立项依据"] == "长财行〔2014〕22 号《长治市市直机关会议管理办法》。"
    assert f["项目设立必要性"].startswith("《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》")
    assert f["保证项目实施的制度措施"].startswith("襄垣县十七届人民代表大会第四次会议成立大会秘书处")
    assert f["项目实施计划"].endswith("保卫组负责大会会场、代表驻地、停车场等安全保卫工作。")
    assert f["实施期目标"] == "根据县十七届人大四次会议议程，提前谋划，精心组织，确保大会各项议程圆满完成。"
    assert f["年度目标"].startswith("襄垣县十七届人民代表大会第四次会议，组织县人大代表及列席人员等 350 人")
    assert set(f) == set(NARRATIVE_FIELDS)


def test_label_interleaved_with_overview_text_table_10(by_ordinal):
    r = by_ordinal[10]
    assert r.name == "禁毒工作专项经费"
    assert r.fields["项目概况"].startswith("毒品预防教育基地日常维护")
    assert r.fields["项目概况"].endswith("以及其他商品和服务支出等。")
    basis = r.fields["立项依据"]
    assert basis.startswith("1、关于确立我市首批参与全省毒品问题综合治理示范先行区创建县区的通知（长禁毒办〔2023〕34号）")
    assert basis.endswith("（长禁毒办〔2023〕22号）。")
    assert "长禁毒办" not in r.fields["项目概况"]


def test_label_and_value_on_one_line_table_11(by_ordinal):
    r = by_ordinal[11]
    assert r.name == "全科网格工作"
    assert r.fields["立项依据"] == (
        "中共襄垣县委办公室、襄垣县人民政府办公室《关于实习全科网格创新基层社会治理的实施方案》的通知")


def test_reference_broken_across_lines_joins_without_space(by_ordinal):
    assert "（长综治办〔2017〕18号）" in by_ordinal[8].fields["立项依据"]


def test_table_continued_on_next_page_keeps_all_indicators(by_ordinal):
    r = by_ordinal[19]
    got = {(i.period, i.level2, i.level3, i.value) for i in r.indicators}
    for period in ("实施期", "年度"):
        assert (period, "数量指标", "复印纸数量", "≤100 箱") in got
        assert (period, "成本指标", "组织业务工作全年经费保障", "＜90万元") in got
        assert (period, "可持续影响指标", "单位正常运转保障度", "保障") in got
        assert (period, "服务对象满意度指标", "单位人员满意度", "≥98%") in got
    assert len(r.indicators) == 24
    assert not any(c in i.level3 for i in r.indicators for c in ("绩", "一级指标"))


def test_indicators_have_both_periods_and_all_three_levels(records):
    for r in records:
        assert {i.period for i in r.indicators} == {"实施期", "年度"}, r.id
        assert {i.level1 for i in r.indicators} >= {"产出指标", "满意度指标"}, r.id
        assert any(i.level2 == "服务对象满意度指标" and i.level3 for i in r.indicators), r.id


def test_repeated_names_and_exact_duplicates(records):
    d = find_repeats(records)
    assert len(d["same_name"]) == 7
    assert d["exact"] == [["xiangyuan-2024#427", "xiangyuan-2024#428"]]


def test_unreadable_amount_is_none_not_guessed(by_ordinal):
    # The dump prints "年度资金总额： 1年" for this table.
    r = by_ordinal[257]
    assert r.funds_total == 622135 and r.funds_annual is None


def test_errors_name_file_and_line():
    text = SAMPLE.read_text(encoding="utf-8").splitlines()
    first = text[:110]
    no_name = "\n".join(line for line in first if not line.startswith("项目名称"))
    with pytest.raises(ParseError, match=r"^broken.txt:1: table 1 has no 项目名称"):
        parse_text(no_name, "broken.txt")
    with pytest.raises(ParseError, match=r"^empty.txt:1: no 项目支出绩效目标表"):
        parse_text("nothing here\n", "empty.txt")


def test_missing_field_is_empty_not_guessed():
    """A table without its 主管部门 line still builds, with the department empty."""
    text = SAMPLE.read_text(encoding="utf-8").splitlines()[:110]
    (rec,) = parse_text("\n".join(t for t in text if not t.startswith("主管部门及代码")), "x.txt")
    assert rec.name == "襄垣县十七届人大四次会议"
    assert (rec.dept_code, rec.dept_name, rec.unit) == ("", "", "")
    assert rec.funds_total == 510000


def test_unreadable_table_is_one_problem_and_the_rest_build():
    text = SAMPLE.read_text(encoding="utf-8").splitlines()
    ends = [i for i, t in enumerate(text) if "项目支出绩效目标表" in t][:4]
    broken = text[:ends[1]] + [t for t in text[ends[1]:ends[2]] if not t.startswith("项目名称")] \
        + text[ends[2]:ends[3]]
    problems: list[str] = []
    records = parse_text("\n".join(broken), "three.txt", problems)
    assert [r.ordinal for r in records] == [1, 3]
    assert problems == [f"three.txt:{ends[1] + 1}: table 2 has no 项目名称 (read as: "
                        f"{problems[0].split('(read as: ')[1]}"]
    assert "主管部门" in problems[0]
