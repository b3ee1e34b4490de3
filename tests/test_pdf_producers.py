"""PDFs from several real producers read like the text path, field by field.

The same tables of the sample (tests/fixtures/producers.py) go through LibreOffice (from an
.xlsx and from a .docx, one soffice call), headless Chromium (Skia: Type 3 fonts, Kangxi
radicals in the text layer) and reportlab, with WenQuanYi Zen Hei and Noto CJK (Sans and
Serif). Each producer wraps lines its own way, so narrative fields and indicators are
compared with whitespace removed (reportlab, whose wrapping join_lines undoes, exactly, in
test_pdf.py); names, codes, money, attribute and period exactly. Both engines (PDFium and
pdfminer) must give identical records. Under CI=true a missing soffice or chromium fails.
"""
import re
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest

from graphbuild.ingest import read_pdf

from .fixtures import producers as P
from .needs import missing

EXACT = ("year", "name", "dept_code", "dept_name", "unit", "attribute", "period_years",
         "funds_total", "funds_annual", "funding")
# Known gaps (see the report of issue 14): a 一级指标 cell that LibreOffice Calc or Chromium
# cuts at a page break prints its text on the next page, and the table finder makes no cell
# of either part (the rows above the break keep the 一级指标 before: 效益 read as 产出);
# Chromium drops a group there (table 10: 25 indicators of 27).
KNOWN = {("libreoffice-xlsx", 10), ("chromium", 10), ("chromium", 19)}


@pytest.fixture(scope="session")
def tables(by_ordinal):
    return [by_ordinal[o] for o in P.ORDINALS]


@pytest.fixture(scope="session")
def pdfs(tables, tmp_path_factory):
    out = tmp_path_factory.mktemp("producers")
    made = {}
    if Path(P.SOFFICE).is_file() or shutil.which("soffice"):
        made.update(P.make_all(tables, out, ("libreoffice-xlsx", "libreoffice-docx")))
    if Path(P.CHROMIUM).is_file():
        made.update(P.make_all(tables, out, ("chromium",)))
    made.update(P.make_all(tables, out, ("reportlab",)))
    return made


def _pdf(pdfs, producer):
    if producer not in pdfs:
        missing("producer", "soffice (apt-get install libreoffice-calc libreoffice-writer)"
                 if producer.startswith("libreoffice") else "chromium (apt-get install chromium)")
    return pdfs[producer]


def _bare(v):
    if isinstance(v, str):
        return re.sub(r"\s+", "", v)
    if isinstance(v, dict):
        return {k: _bare(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_bare(x) for x in v]
    return v


PRODUCERS = ("libreoffice-xlsx", "libreoffice-docx", "chromium", "reportlab")


@pytest.mark.parametrize("producer", PRODUCERS)
def test_every_field_reads_like_the_text_path(producer, pdfs, tables):
    got = read_pdf(_pdf(pdfs, producer))
    assert len(got) == len(tables)
    for g, want in zip(got, tables):
        a, b = asdict(g), asdict(want)
        for k in EXACT:
            assert a[k] == b[k], (producer, want.ordinal, k)
        for k in b["fields"]:
            assert _bare(a["fields"].get(k)) == _bare(b["fields"][k]), (producer, want.ordinal, k)
        if (producer, want.ordinal) in KNOWN:
            continue
        assert _bare(a["indicators"]) == _bare(b["indicators"]), (producer, want.ordinal)


@pytest.mark.parametrize("producer", PRODUCERS)
def test_pdfium_and_pdfminer_give_identical_records(producer, pdfs):
    path = _pdf(pdfs, producer)
    assert read_pdf(path, engine="pdfium", workers=1) == read_pdf(path, engine="pdfplumber",
                                                                  workers=1)


def test_chromium_text_layer_has_radicals_and_reads_without_pdfminer_noise(pdfs, capfd):
    path = _pdf(pdfs, "chromium")
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        raw = {c["text"] for c in pdf.pages[0].chars}
    assert raw & {"\u2f6c", "\u2ed4"}  # ⽬ ⻔ in pdfminer's text layer: what made 0 tables
    capfd.readouterr()
    read_pdf(path, engine="pdfplumber", workers=1)
    assert "FontBBox" not in capfd.readouterr().err


def test_pages_read_in_worker_processes_give_the_same_records(pdfs):
    path = _pdf(pdfs, "reportlab")
    assert read_pdf(path, workers=2) == read_pdf(path, workers=1)


# Read from a table without ruling lines (rows from lines, cells from column gaps): the
# one-line fields. Not yet: funding lines, narratives (a label printed at the middle of a
# tall cell has lines of its value above it) and indicators.
UNRULED = ("year", "name", "dept_code", "dept_name", "unit", "attribute", "period_years",
           "funds_total", "funds_annual")


def test_unruled_chromium_table(tables, tmp_path):
    if not Path(P.CHROMIUM).is_file():
        missing("producer", "chromium")
    path = P.make_all(tables, tmp_path, ("chromium-unruled",))["chromium-unruled"]
    problems: list[str] = []
    got = read_pdf(path, problems=problems)
    assert problems == [] and len(got) == len(tables)
    for g, want in zip(got, tables):
        assert {k: getattr(g, k) for k in UNRULED} == {k: getattr(want, k) for k in UNRULED}
