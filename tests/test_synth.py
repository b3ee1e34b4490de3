"""The synthetic corpus generator (benchmarks/synth.py) writes dumps the text reader parses."""
from __future__ import annotations

from collections import Counter

from benchmarks import synth
from graphbuild.citations import extract
from graphbuild.ingest import read_text

SAMPLE_TABLES = 447


def test_scale_one_parses_into_the_expected_records(tmp_path):
    m = synth.generate(tmp_path, scale=1)
    assert m.files == ["襄垣县-2024.txt"] and m.tables == SAMPLE_TABLES
    records = read_text(tmp_path / m.files[0])
    assert len(records) == m.tables
    assert {r.year for r in records} == {2024}
    basis = "".join(r.fields.get("立项依据", "") for r in records)
    assert basis.count("关于转发<") >= m.chains  # every inserted forwarding sentence lands in 立项依据


def test_other_counties_get_their_own_names_codes_and_years(tmp_path):
    m = synth.generate(tmp_path, scale=3, seed=1)
    assert synth.layout(3) == (2, 2) and len(m.files) == 3
    other = synth.County(**m.counties[1])
    path = tmp_path / f"{other.name}县-2024.txt"
    records = read_text(path)
    assert len(records) == SAMPLE_TABLES
    assert "襄" not in path.read_text("utf-8")
    assert all(other.name in r.unit or "襄垣" not in r.unit for r in records)
    cites, _ = extract(records)  # no registration: the county is learned from the records
    codes = Counter(c.ref.code for c in cites if c.ref.code)
    assert any(code.startswith(other.prefix) for code in codes)
    older = read_text(tmp_path / "襄垣县-2023.txt")
    assert len(older) == SAMPLE_TABLES and {r.year for r in older} == {2023}


def test_a_thousand_times_the_sample_is_a_thousand_distinct_files():
    """200 counties × 5 years: names and 代字 distinct (equal names once overwrote 15 files
    of the 1000x corpus: 985 files, 440,295 tables)."""
    n, years = synth.layout(1000)
    counties = synth.counties(n)
    assert (n, years) == (200, 5)
    assert len({c.name for c in counties}) == len({c.prefix for c in counties}) == 200
