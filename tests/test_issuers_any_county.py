"""Any county's and city's 代字 without a table of them: learned from the disclosure itself."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from benchmarks import synth
from graphbuild.citations import extract, regions
from graphbuild.ingest import read_text
from graphbuild.refs import find_refs, issuers
from graphbuild.refs.region import Region, infer


@pytest.fixture(scope="module")
def corpus10(tmp_path_factory):
    """The 10× synthetic corpus: 襄垣 and four made-up counties, two years each."""
    out = tmp_path_factory.mktemp("synth10")
    m = synth.generate(out, scale=10)
    records = {name: read_text(out / name) for name in m.files}
    cites, _ = extract([r for recs in records.values() for r in recs])
    by_file = defaultdict(list)
    for c in cites:
        by_file[Path(c.source).name].append(c.ref)
    return m, records, by_file


def _county(m, name: str) -> synth.County:
    return next(synth.County(**c) for c in m.counties if name.startswith(c["name"] + "县"))


def test_each_file_knows_its_own_county_and_city(corpus10):
    m, records, _ = corpus10
    got = regions(r for recs in records.values() for r in recs)
    for name in m.files:
        c = _county(m, name)
        assert got[records[name][0].source] == Region(c.name, c.city), name


def _numbers(records, by_file, name: str) -> dict[str, set[str]]:
    """文号 → levels of one file, without the forwarding sentences' numbers (random per file)."""
    text = re.sub(r"\s", "", Path(records[name][0].source).read_text("utf-8"))
    chains = {n for pair in _CHAIN.findall(text) for n in pair}
    out: dict[str, set[str]] = defaultdict(set)
    for r in by_file[name]:
        if r.kind == "文号" and r.doc_no not in chains:
            out[r.doc_no].add(issuers.document_level(r))
    return out


_CHAIN = re.compile(r"的通知》（([^（）]+)）和[^（）]{2,8}市财政局（([^（）]+)）文件精神设立本项目")


def test_county_and_city_documents_get_their_full_code_and_level(corpus10):
    """Each made-up county cites 襄垣's numbers re-written the way the generator re-wrote
    its text (襄财预 → 壶财预, 长财 → 泉财), at the same levels; where the generator missed a
    number (broken over a line) the text keeps 襄垣's, and so do we. Both years carry the
    county's and the city's own numbers at their level (the years make no 1:1 map: 2019
    and 2020 may both move)."""
    m, records, by_file = corpus10
    sample = _numbers(records, by_file, "襄垣县-2024.txt")  # the bundled sample itself
    for name in m.files:
        c = _county(m, name)
        got = _numbers(records, by_file, name)
        if name.endswith(f"-{synth.SAMPLE_YEAR}.txt"):
            rewrite = synth._Rewriter(c, synth.SAMPLE_YEAR)
            spellings = {n: no for no in sample for n in (no, rewrite(no))}
            assert {spellings.get(n) for n in got} == set(sample), name  # none more or less
            for n, levels in got.items():
                assert levels == sample[spellings[n]], (name, n)
        own = Counter(level for no, levels in got.items() for level in levels
                      if no.startswith((c.prefix, c.city_prefix)))
        assert set(own) == {"县", "市"} and own["县"] > 100 and own["市"] > 40, (name, own)
        assert all(levels == {"县"} for no, levels in got.items() if no.startswith(c.prefix))
        assert all(levels == {"市"} for no, levels in got.items() if no.startswith(c.city_prefix))


def test_made_up_county_finance_bureau_is_named(corpus10):
    m, _, by_file = corpus10
    c = _county(m, m.files[-1])
    assert c.name != "襄垣"
    named = {issuers.implied_authority(r) for r in by_file[m.files[-1]]
             if r.code and r.code.startswith(c.prefix + "财") and not r.issuers}
    assert named == {(f"{c.name}县财政局", "inferred from 代字 and the disclosure's region")}


def test_national_and_provincial_directives_are_the_same_in_every_county(corpus10):
    m, _, by_file = corpus10

    def directives(name: str) -> set[tuple[str, str]]:
        return {(r.key, issuers.document_level(r)) for r in by_file[name]
                if r.kind == "文号" and issuers.document_level(r) in ("中央", "省")}

    sample = directives("襄垣县-2024.txt")
    assert len(sample) > 200 and ("财教〔2023〕64号", "中央") in sample
    for name in m.files:
        assert directives(name) == sample, name


def test_unlisted_prefix_is_read_whole_and_left_unresolved_without_a_region():
    ref, = find_refs("根据屯财预〔2023〕12号文件")
    assert (ref.code, ref.code_issuer, issuers.document_level(ref)) == ("屯财预", None, "unknown")
    assert issuers.implied_authority(ref) is None  # not 财政部's 财预
    assert [r.doc_no for r in find_refs("按照壶政发〔2023〕12号、印发屯办发〔2022〕3号和财预〔2023〕5号")] == [
        "壶政发〔2023〕12号", "屯办发〔2022〕3号", "财预〔2023〕5号"]
    assert issuers.document_level(find_refs("根据财预〔2023〕5号")[0]) == "中央"


def test_a_region_resolves_its_own_codes_only():
    region = Region("壶山", "阳泉")
    refs = find_refs("按照壶政办发〔2023〕12号、泉财建〔2023〕5号和同财预〔2022〕3号", region)
    got = [(r.code, r.code_issuer and r.code_issuer.authority, issuers.document_level(r)) for r in refs]
    assert got == [("壶政办发", "壶山县人民政府办公室", "县"), ("泉财建", "阳泉市财政局", "市"),
                   ("同财预", None, "unknown")]
    # its own prefix is read even where no boundary shows where the code starts
    assert find_refs("做好壶生物质字〔2023〕1号", region)[0].code == "壶生物质字"
    assert find_refs("做好壶生物质字〔2023〕1号")[0].code != "壶生物质字"


def test_a_county_sharing_its_citys_first_character_uses_its_whole_name():
    region = Region("长子", "长治")
    assert issuers.resolve("长子财预", region).authority == "长子县财政局"
    assert issuers.resolve("长财预", region).authority == "长治市财政局"


def test_region_from_department_and_unit_names():
    assert infer(["壶山县财政局", "中共壶山县委办公室", "大同市生态环境局壶山分局"]) == Region("壶山", "大同")
    assert infer(["壶山县财政局"], ["根据大同市财政局关于…的通知和城市建设"]) == Region("壶山", "大同")
    assert infer(["第一中学"]) == Region(None, None)
    district = infer(["长治市上党区财政局", "长治市上党区教育局"])
    assert district == Region("上党", "长治", "区")
    assert issuers.resolve("上财预", district).authority == "上党区财政局"


def test_census_reports_region_codes_as_resolved():
    refs = find_refs("根据壶财预〔2023〕12号和屯财预〔2023〕3号", Region("壶山", "阳泉"))
    uses = {u.code: u for u in issuers.census(refs)}
    assert (uses["壶财预"].authority, uses["壶财预"].level, uses["壶财预"].reason) == (
        "壶山县财政局", "县", None)
    assert uses["屯财预"].reason == "not in issuers.tsv"
