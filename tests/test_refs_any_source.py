"""References from any source: traditional script, every bracket, bare and lost brackets,
long 代字 of any region, numbers broken across lines; F1 floors on both gold sets."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from graphbuild import eval_refs as ev
from graphbuild.refs import find_refs
from graphbuild.refs.clean import clean

GOLD = Path(__file__).resolve().parent / "gold"


def numbers(text: str) -> list[str]:
    return [r.key for r in find_refs(text) if r.kind == "文号"]


@pytest.mark.parametrize("text, key", [
    ("根据國發〔2004〕17號文件", "国发〔2004〕17号"),
    ("湖南省人民政府辦公廳（湘政辦發〔2019〕24號）", "湘政办发〔2019〕24号"),
    ("按照晉財教〔2023〕81號要求", "晋财教〔2023〕81号"),
    ("依據泉勞社〔2009〕78 號", "泉劳社〔2009〕78号"),
])
def test_traditional_script_gives_simplified_keys_and_keeps_the_surface(text, key):
    (ref,) = [r for r in find_refs(text) if r.kind == "文号"]
    assert ref.key == ref.doc_no == key
    assert text[ref.start:ref.end] == ref.surface and ref.surface != key


def test_conversion_keeps_length_and_offsets():
    text = "國務院辦公廳關於（國辦發〔2009〕3號）的通知"
    c = clean(text)
    assert len(c.text) == len(text) and c.text.startswith("国务院办公厅关于")
    assert clean("简体字不变") .text == "简体字不变"


@pytest.mark.parametrize("left, right", [
    ("〔", "〕"), ("[", "]"), ("【", "】"), ("(", ")"), ("（", "）"), ("„", "‟"), ("“", "”"),
    ("‘", "’"), ("［", "］"), ("﹝", "﹞"), ("〖", "〗"), ("｛", "｝"), ("《", "》"),
    ("[", "〕"), ("（", "]"), ("【", ")"),  # mixed pairs
])
def test_every_bracket_variant(left, right):
    assert numbers(f"根据国办发{left}2009{right}3号文件") == ["国办发〔2009〕3号"]


def test_quotes_stay_quotes_elsewhere():
    refs = find_refs("全面“雪亮工程”建设推进会（长综治办〔2017〕18号）")
    assert [r.key for r in refs if r.kind == "文号"] == ["长综治办〔2017〕18号"]


@pytest.mark.parametrize("text, key", [
    ("根据泉政文〔20177号文件", "泉政文〔2017〕7号"),
    ("根据泉政文〔201712号文件", "泉政文〔2017〕12号"),
])
def test_lost_closing_bracket(text, key):
    (ref,) = find_refs(text)
    assert ref.key == key and "closing bracket lost" in ref.repaired


@pytest.mark.parametrize("text, key", [
    ("人社部發 2008 120號", "人社部发〔2008〕120号"),
    ("根据晋财教2023年81号文件", "晋财教〔2023〕81号"),
    ("根据晋财教2023 81号文件", "晋财教〔2023〕81号"),
    ("皖政2006〔59〕号：过渡系数", "皖政〔2006〕59号"),
])
def test_years_without_brackets(text, key):
    assert numbers(text) == [key]


@pytest.mark.parametrize("text", [
    "分档减缴按财政部公告2023年第8号。",  # an announcement number, no 代字
    "印发的 2010 版银行票据凭证版式",
    "立法會CB(3)710/2026(11)號文件",
    "关于公布全省征地区片综合地价的通知（川府发〔2023〕号）",
    "国科金发【2020】X号",
    "根据晋财教202381号",  # no bracket, no space: ambiguous, not read
])
def test_no_number_where_none_is_written(text):
    assert numbers(text) == []


@pytest.mark.parametrize("text, key", [
    ("根据六盘水党发[2013〕2号文件", "六盘水党发〔2013〕2号"),
    ("按照黔东南州府办发〔2019〕12号要求", "黔东南州府办发〔2019〕12号"),
    ("（遂船府办发〔2023〕15号）", "遂船府办发〔2023〕15号"),
    ("\"PrjApprovalNum\":\"尧区发改审批发【2015】141号", "尧区发改审批发〔2015〕141号"),
    ("国家中医药管理局卫医政发【2011】11号文件规定", "卫医政发〔2011〕11号"),
    ("直辖后渝府发〔1998〕37号", "渝府发〔1998〕37号"),
    ("印发甘建设〔2026〕96号", "甘建设〔2026〕96号"),
    ("湖南省人民政府办公厅湘政办发〔2019〕24号", "湘政办发〔2019〕24号"),
])
def test_long_codes_of_any_region(text, key):
    assert numbers(text) == [key]


@pytest.mark.parametrize("cut", range(1, 14))
def test_line_break_anywhere_inside_a_number(cut):
    no = "湘政办发〔2019〕24号"
    text = "根据" + no[:cut] + "\n" + no[cut:] + "文件"
    (ref,) = find_refs(text)
    assert ref.key == no and "\n" in ref.surface or ref.surface == no


def test_serial_lists():
    assert numbers("沪府土（2007）第632、509号") == ["沪府土〔2007〕632号", "沪府土〔2007〕509号"]


@pytest.mark.parametrize("path, floor", [
    (GOLD / "other-regions-dev.jsonl", 0.97),
    (GOLD / "other-regions-test.jsonl", 0.97),
])
def test_other_regions_floor(path, floor):
    report = ev.evaluate(ev.read_gold(path), [])
    assert report.overall["文号"].f1 >= floor, (report.misses, report.false_hits)


def test_xiangyuan_floor(records):
    report = ev.evaluate(ev.read_gold(GOLD / "xiangyuan-2024.jsonl"), records)
    assert report.overall["文号"].f1 >= 0.99


def test_clean_stays_cheap():
    text = "根据晋财教〔2023〕81号文件精神，" * 40  # ~a table's narrative
    clean(text)
    start = time.perf_counter()
    for _ in range(2000):
        clean(text)
    assert time.perf_counter() - start < 2.0
