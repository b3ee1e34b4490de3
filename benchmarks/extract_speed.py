"""Tables per second: parsing a dump, and finding citations in each table's narrative fields.

Paths, on the same texts (every non-empty narrative field of every table), one core:

- parse:   graphbuild.ingest.read_text (dump -> ProjectRecords)
- regex:   graphbuild.refs.find_refs on each field
- extract: graphbuild.citations.extract (find_all + snippets + provenance, what build runs)
- spacy:   graphbuild.refs.load() + nlp.pipe(fields)
- naive:   re.finditer of the naive 文号 pattern [\u4e00-\u9fa5]{2,12}〔\d{4}〕\d+号 (baseline)

    .venv/bin/python -m benchmarks.extract_speed [--scale 1 10] [--repeat 3]

Each figure is best of R runs after one warm-up; the spread is printed beside it.
"""
from __future__ import annotations

import argparse
import re

from graphbuild.citations import extract
from graphbuild.ingest import read_text
from graphbuild.refs import find_refs, load

from . import synth
from .common import corpus, machine, runs, spread

NAIVE = re.compile(r"[\u4e00-\u9fa5]{2,12}〔\d{4}〕\d+号")


def bench(scale: int, repeat: int, spacy_too: bool = True) -> dict:
    folder, m = corpus(scale)
    synth.register_issuers(m)
    files = [folder / f for f in m.files]
    records = [r for f in files for r in read_text(f)]
    texts = [t for r in records for t in r.fields.values() if t]
    n = len(records)
    out = {"scale": scale, "tables": n, "fields": len(texts),
           "chars": sum(map(len, texts))}

    def parse():
        for f in files:
            read_text(f)

    def regex():
        for t in texts:
            find_refs(t)

    def naive():
        for t in texts:
            for _ in NAIVE.finditer(t):
                pass

    jobs = {"parse": parse, "regex": regex, "extract": lambda: extract(records), "naive": naive}
    if spacy_too:
        nlp = load()
        jobs["spacy"] = lambda: [None for _ in nlp.pipe(texts, batch_size=256)]
    for name, job in jobs.items():
        job()  # warm-up: regex compiles, caches
        times = runs(repeat, job)
        out[name] = times
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, nargs="+", default=[1, 10])
    ap.add_argument("--repeat", type=int, default=3)
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
            print(f"  spacy / regex time: {min(r['spacy']) / min(r['regex']):.2f}")


if __name__ == "__main__":
    main()
