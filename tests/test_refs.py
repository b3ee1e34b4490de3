"""Citation extraction on real strings from the Xiangyuan 2024 sample."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from graphbuild.refs import Reference, find_refs, rejected
from graphbuild.refs.clean import clean
from graphbuild.refs.issuers import authority_of, census, document_level, implied_authority, level_of
from graphbuild.refs.normalize import title as normalize_title

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "xiangyuan-2024" / "xiangyuan-2024.txt"


def keys(text: str) -> list[str]:
    return [r.key for r in find_refs(text)]


def only(text: str, kind: str | None = None) -> Reference:
    refs = [r for r in find_refs(text) if kind is None or r.kind == kind]
    assert len(refs) == 1, refs
    return refs[0]


@pytest.fixture(scope="module")
def sample() -> str:
    """The sample as ingest hands it over: line breaks joined with nothing."""
    return SAMPLE.read_text("utf-8").replace("\n", "")


# --- clean -------------------------------------------------------------------------


def test_clean_maps_view_back_to_original():
    text = "（ 襄 生 物 质 字〔２０２３〕1 号）"
    c = clean(text)
    assert c.text == "〔襄生物质字〔2023〕1号〕"
    start, end = c.span(1, len(c.text) - 1)
    assert text[start:end] == "襄 生 物 质 字〔２０２３〕1 号"


# --- 文号: brackets, spaces, line breaks -----------------------------------------------


@pytest.mark.parametrize(
    "text, key",
    [
        ("《…补助经费预算的通知》（晋财教〔2023〕81号）文件要求", "晋财教〔2023〕81号"),
        ("使用计划的通知》晋农发（2023）116 号文件精神", "晋农发〔2023〕116号"),
        ("任务清单的通知》（晋农发﹝2023﹞115号）项目设立", "晋农发〔2023〕115号"),
        ("立项依据根据襄办发{2018}72号关于印发", "襄办发〔2018〕72号"),
        ("会计制度》的通知》(财会(2017)28号)的规定", "财会〔2017〕28号"),
        ("晋财建[2023]250号", "晋财建〔2023〕250号"),
        ("晋财建【2023】250号", "晋财建〔2023〕250号"),
        ("（晋财教〔２０１２〕３４３号）", "晋财教〔2012〕343号"),
        ("（晋政办发〔2014〕55 号）要求设立本项目", "晋政办发〔2014〕55号"),
        ("晋发改投资发 〔2022〕336号山西省发展", "晋发改投资发〔2022〕336号"),
        ("中标通知书襄政办发〔2018 〕9号项目设立", "襄政办发〔2018〕9号"),
        ("县人民政府办公室襄政办发〔2019〕第 8 号文件", "襄政办发〔2019〕8号"),
        ("（ 长 农 居 办 发〔2022〕2号）项目设立必要", "长农居办发〔2022〕2号"),
        ("长综治\n\n办〔2017〕18号".replace("\n", ""), "长综治办〔2017〕18号"),
    ],
)
def test_doc_no_variants(text, key):
    ref = only(text, "文号")
    assert ref.key == ref.doc_no == key
    assert text[ref.start : ref.end] == ref.surface


def test_serial_is_int_without_leading_zeros():
    ref = only("（长财建二（2015）042 号）")
    assert (ref.code, ref.year, ref.serial, ref.key) == ("长财建二", 2015, 42, "长财建二〔2015〕42号")


def test_spaced_code_keeps_original_offsets():
    text = "依据（ 襄 生 物 质 字〔2023〕1号）项目"
    ref = only(text)
    assert ref.key == "襄生物质字〔2023〕1号"
    assert text[ref.start : ref.end] == ref.surface == "襄 生 物 质 字〔2023〕1号"


# --- 代字 boundaries -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, code",
    [
        ("为了深入贯彻落实晋教师〔2019〕11号、晋教师〔2019〕17号文件精神", "晋教师"),
        ("根据中共襄垣县委机构编制委员会襄编办发〔2021〕2号关于印发", "襄编办发"),
        ("保障学校正常运转。根据襄联办发〔2018〕1 号会议纪要文件", "襄联办发"),
        ("按照国办发〔2018〕6号文件", "国办发"),
        ("项目名称 中央晋财社{2023}283 号关于提前下达", "晋财社"),
        ("项目名称 省级晋财社{2023}302 号关于提前下达", "晋财社"),
        ("财政部、国家发展改革委财综〔2011〕127 号《关于公布", "财综"),
        ("山西省财政厅文件晋林规发〔2021〕52 号关于开展", "晋林规发"),
        ("按照襄垣县财政局襄财函〔2024〕7 号文件关于下达", "襄财函"),
        ("根据市政府长政办发〔2017〕117号文件规定", "长政办发"),
        ("严格按照党组〔2022〕2号及襄建发〔2022〕17号文件", "党组"),
        ("立项依据善政发〔2022〕11号 襄财函（2024）7号", "善政发"),
        ("立项依据室字〔2023〕1 号中共襄垣县县委办公室", "室字"),
        ("的通知，晋财省直预〔2023〕48号项目设立", "晋财省直预"),
    ],
)
def test_code_does_not_swallow_preceding_words(text, code):
    assert find_refs(text)[0].code == code


def test_two_numbers_in_a_row():
    assert keys("为了深入贯彻落实晋教师〔2019〕11号、晋教师〔2019〕17号文件精神") == [
        "晋教师〔2019〕11号",
        "晋教师〔2019〕17号",
    ]


# --- repairs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, key, repaired",
    [
        ("移支付资金的通知》襄财预〔20023〕8号文件要求", "襄财预〔2023〕8号", "year 20023 read as 2023"),
        ("（晋人社密电〔2022〕）7号）文件", "晋人社密电〔2022〕7号", "stray closing bracket after year"),
        ("（襄政办发〔2023〕）24号项目", "襄政办发〔2023〕24号", "stray closing bracket after year"),
        ("方案>的通知》晋公通字（〔2019〕79 号）襄垣", "晋公通字〔2019〕79号", "stray bracket '（' before year"),
        ("管理办法》（襄企改办}〔2022〕3号）精神", "襄企改办〔2022〕3号", "stray bracket '}' before year"),
        ("问题的通知》（晋人社厅发 2017〕90号）", "晋人社厅发〔2017〕90号", "missing opening bracket before year"),
        ("的通知》（晋财政法《2017》22 号文件）", "晋财政法〔2017〕22号", "title marks 《》 around year"),
        ("森林消防队组建部分（襄政办法〔2014〕17号）", "襄政办发〔2014〕17号", "代字 襄政办法 read as 襄政办发"),
    ],
)
def test_typos_are_repaired_not_rejected(text, key, repaired):
    ref = only(text, "文号")
    assert (ref.key, ref.repaired) == (key, repaired)
    assert not [r for r in rejected(text) if r.reason != "date or period"]


def test_missing_serial_is_kept_under_its_title():
    text = "根据《关于印发〈看守所在押人员伙食费管理办法的规定〉的通知》（财行〔2021〕号）规定"
    outer = find_refs(text)[0]
    assert outer.key == "title:关于印发〈看守所在押人员伙食费管理办法的规定〉的通知"
    assert (outer.code, outer.year, outer.serial) == ("财行", 2021, None)
    assert outer.repaired == "财行〔2021〕号 has no serial; kept under its title"
    assert [r.reason for r in rejected(text)] == ["serial missing; kept as a title reference"]


# --- titles ------------------------------------------------------------------------


def test_title_normalisation():
    assert normalize_title("关于印发<山西省 农村 (试行)>的通知") == "关于印发〈山西省农村（试行）〉的通知"
    assert normalize_title("《A》‹B›＜C＞") == "〈A〉〈B〉〈C〉"


def test_bare_title():
    ref = only("根据国务院《社会救助暂行办法》第一章")
    assert (ref.kind, ref.key, ref.issuers) == ("标题", "title:社会救助暂行办法", ["国务院"])


def test_newspapers_and_plays_are_not_documents():
    assert keys("在《人民日报》《求是》《长治日报》发表；演出《红灯记》《法显》") == []
    assert keys("依据《预算法》") == ["title:预算法"]


def test_number_before_title():
    text = "立项依据 长财行〔2014〕22 号《长治市市直机关会议管理办法》，"
    ref = only(text)
    assert (ref.key, ref.title) == ("长财行〔2014〕22号", "长治市市直机关会议管理办法")
    assert ref.surface == "长财行〔2014〕22 号《长治市市直机关会议管理办法》"


def test_number_after_title():
    text = "《山西省人民政府关于建立统一的城乡居民基本养老保险制度的实施意见》（晋政发（2014）18 号）、"
    ref = only(text)
    assert ref.key == "晋政发〔2014〕18号"
    assert ref.title == "山西省人民政府关于建立统一的城乡居民基本养老保险制度的实施意见"
    assert ref.issuers == ["山西省人民政府"]


def test_plain_title_without_marks():
    text = "山西省财政厅山西省人口和计划生育委员会关于调整农村计划生育家庭奖励财政负担比例的通知（晋财教〔2011〕34号）"
    ref = only(text)
    assert ref.title == "关于调整农村计划生育家庭奖励财政负担比例的通知"
    assert ref.issuers == ["山西省财政厅", "山西省人口和计划生育委员会"]


# --- notices that issue or forward documents --------------------------------------------


def test_notice_issuing_a_document():
    text = "2、长治市禁毒委员会关于印发《长治市创建全国禁毒示范城市任务清单》的通知（室字〔2022〕5号）；3、"
    notice, inner = find_refs(text)
    assert notice.key == "长治市禁毒委员会 室字〔2022〕5号"
    assert notice.doc_no == "室字〔2022〕5号"
    assert notice.title == "关于印发〈长治市创建全国禁毒示范城市任务清单〉的通知"
    assert not notice.title_marked and inner.title_marked
    assert notice.forwards == [inner.key] == ["title:长治市创建全国禁毒示范城市任务清单"]
    assert notice.issuers == ["长治市禁毒委员会"]
    assert (level_of("室字"), level_of("室字", notice.issuers)) == ("unknown", "市")


def test_notice_forwarding_several_documents():
    text = (
        "5、关于转发《山西省县域毒品问题综合治理三年行动方案》《山西省县域毒品问题综合治理成效突出地区评选办法》"
        "和《全省毒品问题综合治理示范先行区年度测评体系》的通知（长禁毒委〔2023〕7号）；6、"
    )
    refs = find_refs(text)
    notice = refs[0]
    assert notice.key == "长禁毒委〔2023〕7号"
    assert notice.title.startswith("关于转发〈山西省县域毒品问题综合治理三年行动方案〉")
    assert notice.forwards == [r.key for r in refs[1:]]
    assert len(notice.forwards) == 3 and all(r.kind == "标题" for r in refs[1:])


def test_issuers_before_a_notice():
    text = "中共长治市委办公室 长治市人民政府办公室关于印发《长治市创建全国禁毒示范城市工作方案》的通知（室字〔2022〕38号）"
    notice = find_refs(text)[0]
    assert notice.issuers == ["中共长治市委办公室", "长治市人民政府办公室"]
    assert level_of(notice.code, notice.issuers) == "市"


def test_number_then_issuers_then_notice():
    text = "立项依据室字〔2023〕1 号中共襄垣县县委办公室 襄垣县人民政府办公室关于印发《襄垣县规范公务员工资津贴补贴实施方案》的通知，晋财省直预〔2023〕48号"
    notice = find_refs(text)[0]
    assert notice.key == "中共襄垣县县委办公室 室字〔2023〕1号"
    assert notice.issuers == ["中共襄垣县县委办公室", "襄垣县人民政府办公室"]
    assert level_of("室字", notice.issuers) == "县"


def test_issued_by_named_before_yinfa_de():
    text = "为了落实中共襄垣县委办公室、襄垣县人民政府办公室印发的《襄垣县推进殡葬改革实施方案》（襄办发〔2020〕20 号）的"
    ref = only(text)
    assert ref.issuers == ["中共襄垣县委办公室", "襄垣县人民政府办公室"]


def test_nested_notice_chain():
    text = (
        "长治市财政局 长治市发展和改革委员会关于转发《省财政厅 省发展和改革委员会关于转发〈财政部 国家发展改革委"
        "关于清理规范一批行政事业性收费有关政策的通知〉的通知》的通知（长财综〔2017〕21号）"
    )
    city, province, central = find_refs(text)
    assert city.key == "长财综〔2017〕21号"
    assert city.forwards == [province.key]
    assert province.forwards == [central.key]
    assert central.key == "title:财政部国家发展改革委关于清理规范一批行政事业性收费有关政策的通知"


def test_issuer_opens_notice_title_without_guanyu():
    text = "中共中央办公厅印发《关于进一步加强法学会建设的意见》的通知（厅字〔2020〕13号）文件精神"
    notice = find_refs(text)[0]
    assert notice.title == "中共中央办公厅印发〈关于进一步加强法学会建设的意见〉的通知"
    assert level_of("厅字", notice.issuers) == "中央"


# --- decrees and minutes -----------------------------------------------------------


@pytest.mark.parametrize(
    "text, key",
    [
        ("、《政府投资条例》（中华人民共和国国务院令第712号）、", "国务院令第712号"),
        ("《全国经济普查条例》中华人民共和国国务院令 第 415 号项目", "国务院令第415号"),
        ("1、《社会救助暂行办法》（国务院令649号）2、", "国务院令第649号"),
        ("《基本建设财务规则》（中华人民共和国财政部第 81号令）、", "财政部令第81号"),
        ("《山西省政府投资管理办法》（山西省人民政府令第 278号）、", "山西省人民政府令第278号"),
    ],
)
def test_decrees(text, key):
    ref = only(text, "令")
    assert ref.key == key
    assert ref.title is not None


def test_no_decree_without_number():
    assert keys("严格遵守“四条禁令”、“八项制度”") == []


@pytest.mark.parametrize(
    "text, key",
    [
        ("人民政府批复县政府常务会议纪要〔2020〕第 10次长环襄发〔2022〕70号", "会议纪要:县政府常务会议〔2020〕第10次"),
        ("县常委会会议纪要（〔2017〕年第26期）项目", "会议纪要:县常委会会议〔2017〕第26期"),
        ("依据襄垣县人民政府办公室〔2013〕第十三次会议纪要：", "会议纪要:襄垣县人民政府办公室会议〔2013〕第13次"),
        ("根据《襄垣县人民政府常务会议纪要》（2021 第 12 次）及", "会议纪要:会议〔2021〕第12次"),
    ],
)
def test_meeting_minutes_are_never_doc_numbers(text, key):
    minutes = only(text, "会议纪要")
    assert minutes.key == key and minutes.doc_no is None
    assert "meeting minutes" in [r.reason for r in rejected(text)]


def test_dates_and_amounts_are_no_hits():
    text = "2024 年 1月 16号会议纪要；（2024年度）（2021-2025年）标准（52407 元/亩）慰问（1950人）"
    assert find_refs(text) == []
    assert [r.reason for r in rejected(text)] == [
        "date or period",
        "date or period",
        "not a year",
        "no serial after year",
    ]


# --- issuers table -----------------------------------------------------------------


@pytest.mark.parametrize(
    "code, level, authority",
    [
        ("国发", "中央", "国务院"),
        ("财教", "中央", "财政部"),
        ("人社部发", "中央", "人力资源和社会保障部"),
        ("晋财教", "省", "山西省财政厅"),
        ("晋教师", "省", "山西省教育厅"),
        ("晋卫医发", "省", None),
        ("京政发", "省", None),
        ("长民发", "市", "长治市民政局"),
        ("襄发改基字", "县", "襄垣县发展和改革局"),
        ("襄发", "县", "中共襄垣县委"),
        ("韩政", "乡镇", "古韩镇人民政府"),
        ("厅字", "unknown", None),
        ("某某字", "unknown", None),
    ],
)
def test_issuer_table(code, level, authority):
    assert (level_of(code), authority_of(code)) == (level, authority)


def test_joint_issuers_at_two_levels_stay_unknown():
    assert level_of("室字", ["中共长治市委", "襄垣县委"]) == "unknown"


def test_ambiguous_codes_are_keyed_by_the_issuer_the_text_names():
    named = find_refs("中共中央办公厅印发《关于进一步加强法学会建设的意见》的通知（厅字〔2020〕13号）")[0]
    assert (named.key, named.doc_no) == ("中共中央办公厅 厅字〔2020〕13号", "厅字〔2020〕13号")
    unnamed = only("《襄垣县迎接2023 年国家卫生县复审工作方案〔室字（2023）7号〕文件精神", "文号")
    assert unnamed.key == "ambiguous:室字〔2023〕7号"
    assert only("按照晋财教〔2023〕81号").key == "晋财教〔2023〕81号"


def test_forwards_use_the_issuer_key():
    text = ("中共山西省委办公厅《关于深化网格化服务管理的通知》（厅字〔2021〕30号）；中共长治市委办公室关于转发"
            "《中共山西省委办公厅关于深化网格化服务管理的通知》的通知（长办发〔2021〕5号）")
    inner, notice = find_refs(text)
    assert inner.key == "中共山西省委办公厅 厅字〔2021〕30号"
    assert notice.forwards == [inner.key]


def test_decree_issuer_is_implied_not_stated():
    ref = only("《政府投资条例》（中华人民共和国国务院令第712号）", "令")
    assert ref.issuers == []
    assert implied_authority(ref) == ("国务院", "inferred from decree number")
    assert document_level(ref) == "中央"
    assert only("财政部令第81号", "令").issuers == []


def test_titles_record_whether_they_stood_in_marks():
    marked = only("《山西省人民政府关于建立统一的城乡居民基本养老保险制度的实施意见》（晋政发（2014）18 号）")
    assert marked.title_marked
    plain = only("关于调整农村计划生育家庭奖励财政负担比例的通知（晋财教〔2011〕34号）")
    assert plain.title and not plain.title_marked


@pytest.mark.parametrize(
    "text, title",
    [
        ("《山西省实施〈中华人民共和国土地管理法〉办法。措施：", "山西省实施〈中华人民共和国土地管理法〉办法"),
        ("印发的《关于襄垣县 2023 年冬季生物质能取暖补贴实施办法（襄生物质〔2023〕1号）",
         "关于襄垣县2023年冬季生物质能取暖补贴实施办法"),
        ("山西省人民政府关于建立统一的城乡居民基本养老保险制度的实施意见》（晋政发（2014）18 号）",
         "山西省人民政府关于建立统一的城乡居民基本养老保险制度的实施意见"),
    ],
)
def test_unclosed_and_unopened_marks(text, title):
    ref = find_refs(text)[0]
    assert (ref.title, ref.title_marked) == (title, True)


def test_forms_certificates_and_programmes_are_not_documents():
    assert keys("发放《独生子女父母光荣证》，填写《农业支持保护补贴面积登记表》，落实《农村部分计划生育家庭奖励扶助》") == []


@pytest.mark.parametrize(
    "text, key, issuers",
    [
        ("按照襄垣县财政局襄财函〔2024〕7 号文件", "襄财函〔2024〕7号", ["襄垣县财政局"]),
        ("晋财库〔2019〕22 号 山西省财政厅关于加快推进", "晋财库〔2019〕22号", ["山西省财政厅"]),
        ("山西省财政 厅《预算评审管理暂行办法》（晋财预〔2024〕1号）", "晋财预〔2024〕1号", ["山西省财政厅"]),
        ("由襄垣县行政审批局以《关于河道治理工程初步设计的批复》（襄发审管专发〔2022〕96号）",
         "襄垣县行政审批局 襄发审管专发〔2022〕96号", ["襄垣县行政审批局"]),
        ("按照县委、县政府《襄垣县府前路拓宽改造工程实施方案》（襄办发〔2018〕13号）", "襄办发〔2018〕13号",
         ["县委", "县政府"]),
        ("《财政部 人力资源社会保障部关于印发〈X〉的通知》（财社〔2017〕144号）", "财社〔2017〕144号",
         ["财政部", "人力资源社会保障部"]),
        ("《山西省财政厅国家税务总局山西省税务局关于进一步做好经费保障工作的意见》", None,
         ["山西省财政厅", "国家税务总局山西省税务局"]),
        ("制定了《襄垣县交通运输局支出管理办法》", None, ["襄垣县交通运输局"]),
        ("山西省总工会《关于印发山西省总工会关于相关问题的规定》晋工发〔2017〕53号", "晋工发〔2017〕53号",
         ["山西省总工会"]),
    ],
)
def test_stated_issuers(text, key, issuers):
    ref = find_refs(text)[0]
    assert (ref.key if key else None, ref.issuers) == (key, issuers)


def test_a_title_about_an_authority_is_not_issued_by_it():
    assert find_refs("《中共襄垣县委办公室职能配置、内设机构和人员编制规定》")[0].issuers == []
    assert find_refs("《襄垣县融媒体中心建设工作方案》")[0].issuers == []


def test_forwarded_title_of_a_cited_number_names_that_number():
    text = ("根据省人社厅、财政厅《关于做好取暖费发放工作的通知》（晋人社密电〔2022〕7号）及市人社局《关于转发"
            "<省人社厅、财政厅关于做好取暖费发放工作的通知>的通知》（长人社密电〔2022〕2号）")
    refs = find_refs(text)
    assert [r.key for r in refs] == ["晋人社密电〔2022〕7号", "长人社密电〔2022〕2号"]
    assert refs[1].forwards == ["晋人社密电〔2022〕7号"]


def test_issuers_census_of_the_sample(sample):
    uses = {u.code: u for u in census(find_refs(sample))}
    assert (uses["晋财教"].authority, uses["晋财教"].level, uses["晋财教"].reason) == ("山西省财政厅", "省", None)
    assert uses["室字"].level == "unknown" and uses["室字"].reason.startswith("ambiguous")
    assert uses["室字"].unnamed < uses["室字"].count


def test_issuers_command(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "graphbuild", "issuers", *args],
                              capture_output=True, text=True, encoding="utf-8",
                              env={**os.environ, "COLUMNS": "250"})

    out = run("--unresolved")
    assert out.returncode == 0 and "室字" in out.stdout and "ambiguous" in out.stdout
    assert "晋财教" not in out.stdout
    missing = run(str(tmp_path / "nope.txt"))
    assert missing.returncode == 1 and missing.stderr.strip().count("\n") == 0
    assert "nope.txt" in missing.stderr
    assert "graphbuild issuers" in run("--help").stdout


# --- the whole sample -----------------------------------------------------------------


def test_sample_offsets_index_the_original(sample):
    for ref in find_refs(sample):
        assert sample[ref.start : ref.end] == ref.surface
        assert not ref.surface[0].isspace() and not ref.surface[-1].isspace()


def test_sample_codes_never_swallow_words(sample):
    codes = {r.code for r in find_refs(sample) if r.kind == "文号"}
    assert len(codes) > 200
    swallowed = {c for c in codes if re.search("县|市|政府|委员会|办公室|依据|根据|按照|落实|中央|名称", c)}
    assert swallowed == set()
    assert {"晋教师", "襄编办发", "襄联办发", "国办发", "晋财社", "财综", "室字", "厅字"} <= codes


def test_sample_counts(sample):
    kinds = Counter(r.kind for r in find_refs(sample))
    assert 950 <= kinds["文号"] <= 1050
    assert 600 <= kinds["标题"] <= 700
    assert kinds["令"] == 28
    assert kinds["会议纪要"] == 54


def test_sample_rejections_hold_no_document_reference(sample):
    """Every rejected span of the sample, read and classified by hand."""
    rejections = rejected(sample)
    assert Counter(r.reason for r in rejections) == {
        "date or period": 496,
        "meeting minutes": 54,
        "serial missing; kept as a title reference": 5,
        "not a year": 4,
        "no serial after year": 2,
    }
    by_reason = {
        reason: sorted({r.surface for r in rejections if r.reason == reason})
        for reason in ("serial missing; kept as a title reference", "not a year", "no serial after year")
    }
    assert by_reason == {
        "serial missing; kept as a title reference": ["财行〔2021〕号"],
        "not a year": ["(1296", "（1450", "（4500000", "（52407"],
        "no serial after year": ["（1950人"],
    }
    # A date or period is a year followed by 年, a range or 修订, never a serial.
    for r in rejections:
        if r.reason == "date or period":
            assert re.fullmatch(r"[（(〔]\s*\d{4}\s*[）〕]?\s*(年|[-—]|修订)", r.surface), r.surface
        assert not re.search(r"[\u4e00-\u9fff]{2}[〔（(]\d{4}[〕）)]\s*\d+\s*号", r.surface), r
