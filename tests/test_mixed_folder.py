"""A researcher's folder of mixed disclosures, built in one `graphbuild build` call.

Several layouts (real texts of other provinces), several encodings (UTF-8, GB18030, Big5 in
traditional script, UTF-16 without a BOM), PDFs from three producers (reportlab, Chromium,
LibreOffice), a scan, a photo named .pdf and a dump with one table that names no project:
every readable table lands in graph.db with the values the text path or the annotation
gives; every unreadable file or table is one error line naming the file and place; the
exit code is 2.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import opencc
import pytest

from graphbuild import store

from .conftest import SAMPLE
from .fixtures import producers as P
from .fixtures.make_pdfs import render
from .fixtures.make_scans import make_scan
from .needs import missing
from .test_layouts import EXPECTED, LAYOUTS, NOT_YET

PDF_TABLES = (1, 19)  # tables of the sample laid out by every producer
SCANNED = (2, 40)
READABLE = sorted(n for n in EXPECTED if n not in NOT_YET)


@pytest.fixture(scope="module")
def folder(records, tmp_path_factory):
    for tool in (P.SOFFICE, P.CHROMIUM, "tesseract"):
        if not shutil.which(tool):
            missing("mixed-folder", f"{tool} (make test installs it)")
    d = tmp_path_factory.mktemp("mixed") / "in"
    d.mkdir()
    for name in READABLE:
        shutil.copy(LAYOUTS / name, d / name)
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    titles = [i for i, t in enumerate(lines) if "项目支出绩效目标表" in t]
    first = "".join(lines[: titles[1]])  # the sample's first table
    (d / "gb18030.txt").write_bytes(first.encode("gb18030"))
    (d / "utf16.txt").write_bytes(first.encode("utf-16-le"))
    (d / "big5.txt").write_bytes(opencc.OpenCC("s2t").convert(first).encode("big5hkscs", errors="replace"))
    (d / "one-bad-table.txt").write_text(
        first + "\n" + first.replace("项目名称", "备注"), encoding="utf-8")
    by = {r.ordinal: r for r in records}
    tables = [by[o] for o in PDF_TABLES]
    render(tables, d / "reportlab.pdf")
    made = P.make_all(tables, d.parent / "made", ("chromium", "libreoffice-xlsx"))
    for name, pdf in made.items():
        shutil.copy(pdf, d / f"{name}.pdf")
    make_scan([by[o] for o in SCANNED], d / "scan.pdf")
    (d / "photo.pdf").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64)
    return d


@pytest.fixture(scope="module")
def built(folder):
    out = folder.parent / "out"
    run = subprocess.run([sys.executable, "-m", "graphbuild", "build", str(folder),
                          "--out", str(out)], capture_output=True, text=True, timeout=900)
    projects = {}
    for _, label, key, props in store.Rows(out / "graph.db").nodes():
        if label == "Project":
            projects[key] = json.loads(props)
    return run, projects


def test_unreadable_files_and_tables_are_named_one_line_each(built, folder):
    run, _ = built
    errors = sorted(line for line in run.stderr.splitlines() if line.startswith("error:"))
    assert run.returncode == 2, run.stderr[-2000:]
    assert len(errors) == 2, errors
    assert errors[0].startswith(f"error: {folder / 'one-bad-table.txt'}:")
    assert "table 2 has no 项目名称" in errors[0]
    assert errors[1] == f"error: {folder / 'photo.pdf'}:byte 0: not a PDF (a JPEG image)"


def test_every_layout_reads_as_annotated(built):
    _, projects = built
    for name in READABLE:
        stem = name.removesuffix(".txt")
        got = [p for k, p in sorted(projects.items()) if k.startswith(f"{stem}#")]
        want = EXPECTED[name]
        assert [(p["name"], p.get("funds_total"), p.get("funds_annual")) for p in got] == \
            [(w["name"], w["funds_total"], w["funds_annual"]) for w in want], name


def test_every_encoding_gives_the_first_table(built, records):
    _, projects = built
    first = records[0]
    for stem in ("gb18030", "utf16", "one-bad-table"):
        p = projects[f"{stem}#1"]
        assert (p["name"], p["dept_code"], p["funds_total"]) == (
            first.name, first.dept_code, first.funds_total)
    big5 = projects["big5#1"]
    assert (big5["name"], big5["funds_total"]) == ("襄垣縣十七屆人大四次會議", first.funds_total)


def test_every_producer_reads_like_the_text_path(built, records):
    _, projects = built
    by = {r.ordinal: r for r in records}
    for stem in ("reportlab", "chromium", "libreoffice-xlsx"):
        for i, o in enumerate(PDF_TABLES, 1):
            p, want = projects[f"{stem}#{i}"], by[o]
            assert (p["name"], p["dept_code"], p["funds_total"], p["funds_annual"]) == (
                want.name, want.dept_code, want.funds_total, want.funds_annual), stem
            assert "ocr" not in p


def test_the_scan_is_read_by_ocr_and_marked(built, records):
    _, projects = built
    by = {r.ordinal: r for r in records}
    for i, o in enumerate(SCANNED, 1):
        p = projects[f"scan#{i}"]
        assert p["ocr"] is True
        assert (p["dept_code"], p["funds_total"]) == (by[o].dept_code, by[o].funds_total)
