"""Tables per second: parsing a dump, and finding citations in each table's narrative fields.

Paths, on the same texts (every non-empty narrative field of every table), one core:

- parse:   graphbuild.ingest.read_text (dump -> ProjectRecords)
- regex:   graphbuild.refs.find_refs on each field, with its file's region (county, city)
- extract: graphbuild.citations.extract (regions + find_all + snippets + provenance, what
           build runs)
- spacy:   graphbuild.refs.load() + nlp.pipe(fields as Docs with doc._.region set)
- naive:   re.finditer of the naive 文号 pattern [\u4e00-\u9fa5]{2,12}〔\d{4}〕\d+号 (baseline)

    .venv/bin/python -m benchmarks.extract_speed [--scale 1 10] [--repeat 5]

Every path runs once as a warm-up (the spaCy warm-up also checks that its spans are
find_refs' references: surface, key, start, end, on every field), then the paths take
turns, R rounds, so that a busy machine slows them alike; each figure is the best of R,
the spread printed beside it, and spacy / regex is the ratio of the two bests, in wall
time and in this process's CPU time (which waiting for a shared core does not inflate).
"""
from __future__ import annotations

import argparse
import os
import re
import time

from graphbuild.citations import extract, regions
from graphbuild.ingest import read_text
from graphbuild.refs import find_refs, load
from graphbuild.refs.pipeline import SPAN_KEY, docs

from .common import corpus, machine, spread

NAIVE = re.compile(r"[\u4e00-\u9fa5]{2,12}〔\d{4}〕\d+号")


def spacy_docs(nlp, files: list[tuple]):
    """The spaCy path over every (region, texts) of ``files``, batched across them."""
    return nlp.pipe((d for region, texts in files for d in docs(nlp, texts, region)),
                    batch_size=256)


def same_refs(nlp, files: list[tuple]) -> int:
    """References found; SystemExit if the spaCy path differs from find_refs anywhere."""
    found = 0
    pairs = [(t, region) for region, texts in files for t in texts]
    for (text, region), doc in zip(pairs, spacy_docs(nlp, files)):
        want = [(r.surface, r.key, r.start, r.end) for r in find_refs(text, region)]
        got = [(s.text, s._.key, s.start_char, s.end_char) for s in doc.spans[SPAN_KEY]]
        if got != want:
            raise SystemExit(f"spaCy path differs from find_refs on {text[:80]!r}: {got} != {want}")
        found += len(want)
    return found


def bench(scale: int, repeat: int, spacy_too: bool = True) -> dict:
    folder, m = corpus(scale)
    files = [folder / f for f in m.files]
    records = [r for f in files for r in read_text(f)]
    region = regions(records)
    by_file = [(reg, [t for r in records if r.source == src for t in r.fields.values() if t])
               for src, reg in region.items()]
    texts = [t for _, ts in by_file for t in ts]
    n = len(records)
    out = {"scale": scale, "tables": n, "fields": len(texts),
           "chars": sum(map(len, texts))}

    def parse():
        for f in files:
            read_text(f)

    def regex():
        for reg, ts in by_file:
            for t in ts:
                find_refs(t, reg)

    def naive():
        for t in texts:
            for _ in NAIVE.finditer(t):
                pass

    jobs = {"parse": parse, "regex": regex, "extract": lambda: extract(records), "naive": naive}
    if spacy_too:
        nlp = load()
        jobs["spacy"] = lambda: [None for _ in spacy_docs(nlp, by_file)]
    for job in jobs.values():
        job()  # warm-up: regex compiles, caches, the spaCy vocab
    if spacy_too:
        out["refs"] = same_refs(nlp, by_file)
    out["cpu"] = {name: [] for name in jobs}
    for name in jobs:
        out[name] = []
    for _ in range(repeat):
        for name, job in jobs.items():
            wall, cpu = time.perf_counter(), time.process_time()
            job()
            out[name].append(time.perf_counter() - wall)
            out["cpu"][name].append(time.process_time() - cpu)
    out["load"] = os.getloadavg()[0]
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, nargs="+", default=[1, 10])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    print(f"machine: {machine()}")
    for scale in args.scale:
        r = bench(scale, args.repeat)
        n, naive = r["tables"], min(r["naive"])
        print(f"\n{scale}x: {n} tables, {r['fields']} fields, {r['chars'] / 1e6:.1f} M characters")
        print(f"  {'path':8} {'tables/s':>10} {'x naive time':>13}   spread")
        for name in ("naive", "regex", "extract", "spacy", "parse"):
            if name in r:
                best = min(r[name])
                print(f"  {name:8} {n / best:10,.0f} {best / naive:13.1f}   {spread(r[name])}")
        if "spacy" in r:
            print(f"  spaCy = regex: same {r['refs']:,} references (surface, key, start, end)")
            cpu = min(r["cpu"]["spacy"]) / min(r["cpu"]["regex"])
            print(f"  spacy / regex time: {min(r['spacy']) / min(r['regex']):.2f} wall, "
                  f"{cpu:.2f} CPU (load average {r['load']:.2f} at the end)")


if __name__ == "__main__":
    main()
