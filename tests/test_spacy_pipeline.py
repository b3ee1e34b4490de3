"""The spaCy path (graphbuild.refs.load): the same references as find_refs, on whole tokens."""
from __future__ import annotations

import subprocess
import sys
from collections import namedtuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import synth
from graphbuild.citations import regions
from graphbuild.ingest import read_text
from graphbuild.refs import find_refs, load
from graphbuild.refs.pipeline import SPAN_ATTRS, SPAN_KEY, TOKENIZER, docs, register


# One reference: where it stands, its label (kind) and the attributes spans carry on span._.
Row = namedtuple("Row", ("surface", "start", "end", "label", *SPAN_ATTRS))


@pytest.fixture(scope="module")
def nlp():
    return load()


def fields(records) -> list[str]:
    return [t for r in records for t in r.fields.values() if t]


def regex_rows(texts: list[str], region=None) -> list[list[Row]]:
    return [[Row(r.surface, r.start, r.end, r.kind, *(getattr(r, a) for a in SPAN_ATTRS))
             for r in find_refs(text, region)] for text in texts]


def spacy_rows(nlp, texts: list[str], region=None) -> list[list[Row]]:
    rows = []
    for text, doc in zip(texts, nlp.pipe(docs(nlp, texts, region) if region else texts)):
        assert doc.text == text
        rows.append([Row(s.text, s.start_char, s.end_char, s.label_,
                         *(getattr(s._, a) for a in SPAN_ATTRS)) for s in doc.spans[SPAN_KEY]])
    return rows


def test_importing_refs_does_not_import_spacy():
    code = "import sys, graphbuild.refs, graphbuild.cli; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_pipeline_is_the_registered_tokenizer_and_component(nlp, tmp_path):
    import spacy

    assert nlp.pipe_names == ["graphbuild_refs"]
    assert nlp.config["nlp"]["tokenizer"] == {"@tokenizers": TOKENIZER}
    nlp.to_disk(tmp_path / "model")
    register()
    from_disk = spacy.load(tmp_path / "model")
    from_bytes = spacy.blank("zh", config=nlp.config).from_bytes(nlp.to_bytes())
    text = "根据晋财教〔2023〕81号和《山西省财政厅关于印发〈X管理办法〉的通知》"
    out = [p(text) for p in (nlp, from_disk, from_bytes)]
    assert [[(s.start_char, s.end_char, s._.key) for s in d.spans[SPAN_KEY]] for d in out] == [[
        (2, 14, "晋财教〔2023〕81号"), (15, 37, "title:山西省财政厅关于印发〈X管理办法〉的通知"),
        (26, 33, "title:X管理办法")]] * 3


def test_tokens_are_whitespace_chunks_and_references_whole_tokens(nlp):
    text = "根据晋财教〔2023〕81号文件  和\u3000《关于X的通知》 精神 "
    assert [t.text for t in nlp.make_doc(text)] == [
        "根据晋财教〔2023〕81号文件", " ", "和", "\u3000", "《关于X的通知》", "精神"]
    doc = nlp(text)
    assert doc.text == text
    assert [t.text for t in doc] == [
        "根据", "晋财教〔2023〕81号", "文件", " ", "和", "\u3000", "《关于X的通知》", "精神"]
    assert [(s.text, s.start, s.end) for s in doc.spans[SPAN_KEY]] == [
        ("晋财教〔2023〕81号", 1, 2), ("《关于X的通知》", 6, 7)]


def test_every_sample_field_matches_the_regex_path(nlp, records):
    texts = fields(records)
    got = spacy_rows(nlp, texts)
    assert got == regex_rows(texts) and sum(map(len, got)) > 1500
    (region,) = regions(records).values()
    assert region.county == "襄垣"
    assert spacy_rows(nlp, texts, region) == regex_rows(texts, region)


def test_synthetic_counties_match_the_regex_path_with_their_regions(nlp, tmp_path):
    m = synth.generate(tmp_path, scale=3, seed=1)
    codes = set()
    for f in m.files:
        records = read_text(tmp_path / f)
        (region,) = regions(records).values()
        got = spacy_rows(nlp, fields(records), region)
        assert got == regex_rows(fields(records), region) and sum(map(len, got)) > 1500
        codes |= {row.code for rows in got for row in rows if row.code}
    assert any(code.startswith(synth.County(**m.counties[1]).prefix) for code in codes)


def test_memory_zone_keeps_chunks_out_of_the_vocab(records):
    nlp, texts = load(), fields(records)[:300]
    before = len(nlp.vocab.strings)
    with nlp.memory_zone():
        assert sum(len(doc.spans[SPAN_KEY]) for doc in nlp.pipe(texts)) > 100
    assert len(nlp.vocab.strings) == before
    for _ in nlp.pipe(texts):
        pass
    assert len(nlp.vocab.strings) > before


_PIECES = st.sampled_from(["晋财教", "〔2023〕", "81号", "《", "》", "〈", "〉", "关于", "印发",
                           "的通知", "国务院令第712号", "第3次常务会议纪要", "（", "）", "县", "和",
                           " ", "  ", "\u3000", "\n", "a1", "、"])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_any_text_gives_back_its_text_and_the_regex_references(nlp, text):
    assert spacy_rows(nlp, [text]) == regex_rows([text])
