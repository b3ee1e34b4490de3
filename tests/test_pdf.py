"""PDF input: parity with the text path, page provenance, and bad files in a mixed build."""
import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from graphbuild.citations import extract
from graphbuild.graph import build_graph
from graphbuild.ingest import ParseError, read_file, read_pdf

from .fixtures.make_pdfs import FIXTURES, HERE, render

CONTENT = ("year", "name", "dept_code", "dept_name", "unit", "attribute", "period_years",
           "funds_total", "funds_annual", "funding", "fields", "indicators")
GENERATED_TABLES = 60


def content(record) -> dict:
    """A record without its provenance (id, source, ordinal, line, page, field lines/pages)."""
    d = asdict(record)
    return {k: d[k] for k in CONTENT}


def cited(records) -> list[tuple]:
    return [(c.field, c.ref.key, c.ref.surface, c.ref.start, c.ref.end, c.snippet)
            for c in extract(records)[0]]


def assert_parity(pdf_records, text_records):
    assert len(pdf_records) == len(text_records)
    for got, want in zip(pdf_records, text_records):
        assert content(got) == content(want), want.id
    assert cited(pdf_records) == cited(text_records)


@pytest.fixture(scope="module")
def generated(records, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "first-60.pdf"
    pages = render(records[:GENERATED_TABLES], path)
    return path, pages


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_committed_fixture_reads_like_the_text_path(name, by_ordinal):
    got = read_pdf(HERE / name)
    assert_parity(got, [by_ordinal[o] for o in FIXTURES[name]])
    assert [r.ordinal for r in got] == list(range(1, len(got) + 1))
    assert all(r.id == f"{Path(name).stem}#{r.ordinal}" and r.line == 0 for r in got)


def test_hard_layouts_keep_cjk_labels_and_cross_a_page(by_ordinal):
    got = read_pdf(HERE / "hard-layouts.pdf")
    assert [r.page for r in got] == [1, 2, 4, 5]  # table 19 runs from page 5 onto page 6
    t19 = got[3]
    assert len(t19.indicators) == len(by_ordinal[19].indicators) == 24
    assert t19.indicators[-1].level2 == "服务对象满意度指标"
    assert t19.indicators[-1].level1 == "满意度指标"
    assert got[0].fields["立项依据"] == "长财行〔2014〕22 号《长治市市直机关会议管理办法》。"
    assert got[1].field_pages["立项依据"] == 2


def test_long_rows_move_to_the_next_page():
    t9 = read_pdf(HERE / "long-text.pdf")[0]
    assert t9.page == 1 and max(t9.field_pages.values()) == 2
    assert "新 时 代 政 治 轮 训" in t9.fields["年度目标"]  # letter-spaced run kept


def test_generated_pdf_of_60_tables_matches_the_text_path(generated, records):
    path, pages = generated
    assert pages > GENERATED_TABLES
    seen = []
    got = read_pdf(path, seen.append)
    assert seen == list(range(1, pages + 1))
    assert_parity(got, records[:GENERATED_TABLES])
    assert sum(len(r.indicators) for r in got) == sum(
        len(r.indicators) for r in records[:GENERATED_TABLES])


def test_cites_edges_from_pdf_carry_the_page():
    recs = read_pdf(HERE / "hard-layouts.pdf")
    cites, _ = extract(recs)
    g = build_graph(recs, cites)
    edges = [(u, d) for u, _, d in g.edges(data=True) if d["type"] == "CITES"]
    assert len(edges) > 5
    by_id = {r.id: r for r in recs}
    for u, d in edges:
        assert d["page"] == by_id[g.nodes[u]["key"]].field_pages[d["field"]]
    assert {d["page"] for _, d in edges} >= {1, 2}
    assert g.nodes["Project:hard-layouts#4"]["page"] == 5


def test_cites_edges_from_text_have_no_page(records):
    cites, _ = extract(records[:3])
    g = build_graph(records[:3], cites)
    assert all("page" not in d for _, _, d in g.edges(data=True))


def test_pdf_is_known_by_its_bytes_not_its_name(tmp_path):
    renamed = tmp_path / "disclosure.txt"
    renamed.write_bytes((HERE / "money.pdf").read_bytes())
    assert [r.name for r in read_file(renamed)] == [r.name for r in read_pdf(HERE / "money.pdf")]


def _jpeg(path: Path) -> Path:
    Image.new("RGB", (40, 30), "white").save(path, "JPEG")
    return path


@pytest.mark.parametrize("make, message", [
    (lambda p: _jpeg(p / "photo.pdf"), r"photo\.pdf:byte 0: not a PDF \(a JPEG image\)$"),
    (lambda p: _truncated(p / "cut.pdf"), r"cut\.pdf:byte 40000: truncated PDF"),
    (lambda p: _encrypted(p / "locked.pdf"), r"locked\.pdf:page 1: encrypted"),
    (lambda p: _scanned(p / "scan.pdf"), r"scan\.pdf:page 1: no text layer"),
])
def test_bad_pdfs_get_one_line_naming_file_and_place(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(ParseError, match="^" + str(tmp_path).replace(".", r"\.") + "/" + message):
        read_file(path)


def _truncated(path: Path) -> Path:
    path.write_bytes((HERE / "money.pdf").read_bytes()[:40000])
    return path


def _encrypted(path: Path) -> Path:
    c = Canvas(str(path), encrypt="secret")
    c.drawString(100, 700, "locked")
    c.save()
    return path


def _scanned(path: Path) -> Path:
    image = _jpeg(path.with_suffix(".jpg"))
    c = Canvas(str(path))
    c.drawImage(str(image), 50, 400, 400, 300)
    c.save()
    return path


def test_build_mixed_folder_builds_good_files_and_reports_bad_ones(tmp_path, records):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("hard-layouts.pdf", "money.pdf"):
        (folder / name).write_bytes((HERE / name).read_bytes())
    (folder / "dump.txt").write_text("\n".join(
        Path(records[0].source).read_text(encoding="utf-8").splitlines()[:224]), encoding="utf-8")
    _truncated(folder / "truncated.pdf")
    _jpeg(folder / "photo.pdf")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "graphbuild", "build", str(folder), "--out", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {folder / 'photo.pdf'}:byte 0: not a PDF (a JPEG image)",
                      f"error: {folder / 'truncated.pdf'}:byte 40000: truncated PDF (no %%EOF "
                      "at the end)"]
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    projects = sorted(n["key"] for n in graph["nodes"] if n["label"] == "Project")
    assert projects == sorted([f"hard-layouts#{i}" for i in range(1, 5)] + ["money#1", "money#2"]
                              + ["dump#1", "dump#2"])
    pages = {n["key"]: n.get("page") for n in graph["nodes"] if n["label"] == "Project"}
    assert pages["money#2"] == 2 and pages["dump#1"] is None
