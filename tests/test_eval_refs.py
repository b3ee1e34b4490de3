"""The finder against the hand-checked gold set (tests/gold/README.md)."""
from pathlib import Path

import pytest

from graphbuild import eval_refs as ev

GOLD = Path(__file__).resolve().parent / "gold" / "xiangyuan-2024.jsonl"


@pytest.fixture(scope="module")
def gold():
    return ev.read_gold(GOLD)


@pytest.fixture(scope="module")
def ours(gold, records):
    return ev.evaluate(gold, records)


@pytest.fixture(scope="module")
def naive(gold, records):
    return ev.evaluate(gold, records, ev.naive_refs)


def test_floors(ours):
    assert ours.overall["文号"].f1 >= 0.98
    assert ours.overall["标题"].f1 >= 0.95


def test_naive_pattern_scores_below_ours(ours, naive):
    for kind in ("文号", "令", "标题"):
        assert naive.overall[kind].f1 < ours.overall[kind].f1, kind


def test_only_titles_in_marks_are_scored():
    text = "中共长治市委办公室关于印发《长治市创建全国禁毒示范城市工作方案》的通知（室字〔2022〕38号）"
    got = ev.facts(10, "立项依据", ev.found_refs(text))
    assert {f for f in got if f[0] == "标题"} == {("标题", 10, "立项依据", "长治市创建全国禁毒示范城市工作方案")}
    assert ("forwards", 10, "立项依据", "室字〔2022〕38号",
            "title:长治市创建全国禁毒示范城市工作方案") in got


def test_unnumbered_notice_credits_what_it_issues_to_its_issuers():
    text = "中共襄垣县委办公室、襄垣县人民政府办公室关于印发《襄垣县融媒体中心建设工作方案》的通知"
    assert ev.found_refs(text) == [{
        "kind": "标题", "doc_no": None, "title": "襄垣县融媒体中心建设工作方案",
        "issuers": ["中共襄垣县委办公室", "襄垣县人民政府办公室"], "forwards": []}]


def test_precision_is_undefined_when_nothing_is_predicted():
    s = ev.Score(tp=0, fp=0, fn=4)
    assert s.precision is None and s.cells() == ("—", "0.000", "0.000")
    assert ev.Score(tp=3, fp=1, fn=0).cells() == ("0.750", "1.000", "0.857")


def test_bad_gold_line_names_file_and_line(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"table": 1, "refs": []}\nnot json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"gold.jsonl:2: not a gold row"):
        ev.read_gold(path)
