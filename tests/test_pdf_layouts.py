"""PDFs of other provinces' layouts read like their annotation, field by field.

The table-shaped layout fixtures (tests/fixtures/layouts/: one cell per line, pipe cells,
fields on a line) are printed at test time as ruled tables by Chromium, by LibreOffice Calc
(from .xlsx) and by reportlab (tests/fixtures/layout_pdfs.py), a PDF per layout, and read
back into expected.json's values. Under CI=true a missing chromium or soffice fails.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphbuild.ingest import ParseError, read_file, read_pdf
from graphbuild.ingest.batch import _read
from graphbuild.refs import find_refs

from .fixtures import layout_pdfs as LP
from .fixtures import producers as P
from .needs import missing
from .test_layouts import EXPECTED, FIELDS

NAMES = sorted(LP.SHAPES)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("layout-pdfs")
    cache: dict[str, dict[str, Path]] = {}

    def get(producer: str) -> dict[str, Path]:
        if producer not in cache:
            tool = {"chromium": P.CHROMIUM, "libreoffice-xlsx": P.SOFFICE}.get(producer)
            if tool and not (Path(tool).is_file() or shutil.which(tool)):
                missing("layout PDF", f"{tool} (make test installs it)")
            cache[producer] = LP.make(NAMES, out, producer)
        return cache[producer]

    return get


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("producer", LP.PRODUCERS)
def test_layout_pdf_reads_as_annotated(producer, name, made):
    problems: list[str] = []
    got = read_pdf(made(producer)[name], problems=problems)
    want = EXPECTED[name]
    assert problems == []
    assert len(got) == len(want)
    for rec, exp in zip(got, want):
        assert {k: getattr(rec, k) for k in FIELDS} == {k: exp[k] for k in FIELDS}
        assert rec.page == 1
        basis = rec.fields.get("立项依据", "")
        assert sorted({r.key for r in find_refs(basis) if r.kind == "文号"}) == \
            sorted(exp["basis_refs"])


def _form(name: str, dept: str = "甲局") -> list[list[str]]:
    return [["项目名称", name], ["主管部门", dept, "实施单位", "乙中心"],
            ["年度资金总额（万元）", "12.5"], ["立项依据", "根据湘财预〔2021〕12号"]]


def test_ruled_tables_with_no_title_start_at_their_name_label(tmp_path):
    pdf = LP.reportlab_pdf([LP.Sheet("a", preamble=["单位：万元"], rows=_form("丙项目")),
                            LP.Sheet("b", rows=_form("丁项目", "戊局"))], tmp_path / "untitled.pdf")
    got = read_pdf(pdf)
    assert [(r.name, r.dept_name, r.unit, r.funds_annual, r.money_unit, r.page) for r in got] == [
        ("丙项目", "甲局", "乙中心", 125_000, "万元", 1), ("丁项目", "戊局", "乙中心", 125_000, "万元", 2)]
    assert got[0].fields["立项依据"] == "根据湘财预〔2021〕12号"
    assert got[0].field_pages["立项依据"] == 1


def test_a_table_that_cannot_be_read_is_one_problem_and_the_rest_build(tmp_path):
    bad = [["备注", "无"], ["主管部门", "甲局"], ["年度资金总额", "5"]]
    pdf = LP.reportlab_pdf([LP.Sheet("a", heading=["项目支出绩效目标表"], rows=_form("丙项目")),
                            LP.Sheet("b", heading=["项目支出绩效目标表"], rows=bad),
                            LP.Sheet("c", heading=["项目支出绩效目标表"], rows=_form("丁项目"))],
                           tmp_path / "one-bad.pdf")
    problems: list[str] = []
    got = read_pdf(pdf, problems=problems)
    assert [(r.name, r.ordinal, r.page) for r in got] == [("丙项目", 1, 1), ("丁项目", 3, 3)]
    assert problems == [f"{pdf}:page 2: table 2 has no 项目名称 (read as: 主管部门 | 年度资金总额)"]
    with pytest.raises(ParseError, match=r"one-bad\.pdf:page 2: table 2 has no 项目名称"):
        read_pdf(pdf)
    problems = []
    assert [r.name for r in read_file(pdf, problems=problems)] == ["丙项目", "丁项目"]
    assert len(problems) == 1


def test_a_batch_of_several_files_reads_each_pdf_in_one_process(tmp_path, monkeypatch):
    import graphbuild.ingest as ingest

    seen = []
    monkeypatch.setattr(ingest, "read_pdf", lambda *a, workers=None, **k: seen.append(workers) or [])
    pdf = LP.reportlab_pdf([LP.Sheet("a", rows=_form("丙项目"))], tmp_path / "a.pdf")
    _read(0, pdf, lambda r: None, lambda _n: None, 1)
    _read(0, pdf, lambda r: None, lambda _n: None)
    assert seen == [1, None]


@pytest.mark.parametrize("name", NAMES)
def test_unruled_layout_pdf_reads_as_annotated(name, tmp_path):
    """reportlab, no ruling lines: one line per row, cells parted by column gaps."""
    pdf = LP.reportlab_pdf([LP.sheet(name)], tmp_path / "unruled.pdf", ruled=False)
    (rec,) = read_pdf(pdf)
    assert {k: getattr(rec, k) for k in FIELDS} == {k: EXPECTED[name][0][k] for k in FIELDS}


@pytest.mark.parametrize("name", NAMES)
def test_unruled_chromium_layout_pdf(name, tmp_path):
    """Chromium, no ruling lines: text centred in its cell (a name wrapped over two lines
    beside its one-line label has a line above the label's)."""
    if not Path(P.CHROMIUM).is_file():
        missing("layout PDF", "chromium")
    pdf = LP.chromium_pdf([LP.sheet(name)], tmp_path / "unruled.pdf", ruled=False)
    (rec,) = read_pdf(pdf)
    assert {k: getattr(rec, k) for k in FIELDS} == {k: EXPECTED[name][0][k] for k in FIELDS}
