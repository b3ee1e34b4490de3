"""Cost by corpus size: the streaming `graphbuild build`, the store against pickle, queries.

Each size runs in its own subprocess, on the synthetic corpora of benchmarks/synth.py
(generated once under $GRAPHBUILD_SYNTH_DIR, default /tmp/graphbuild-synth). The build is
build.run, as the CLI runs it, timed by phase:

- read: files read and searched for citations in worker processes while the main process
  writes each file's nodes and edges into graph.db (`graph` is that writing, inside read);
- finish: documents, title resolution, citation totals, indexes; then graph.json,
  graph.graphml and graph.html, each read back from the store;
- peak RSS of the main process and of the largest worker (ru_maxrss).

Then, up to --load-max (the whole graph in networkx would not fit beyond): store.load of
graph.db, store.save of that graph and pickle of the same graph (the trivial embedded
store), and cited_by / lineage latency against the bare in_edges walk they rest on.
Baselines from the same run: per-table cost against the first size (linear gives 1.0).

    .venv/bin/python -m benchmarks.scale [--scale 1 10 100 1000] [--queries 200] [--json out.json]
"""
from __future__ import annotations

import os
import pickle
import random
import resource
import tempfile
import time
from pathlib import Path

from .common import pct, size_main

PHASES = ("read", "finish", "json", "graphml", "html")
OUTPUTS = {"graph.db": "finish", "graph.json": "json", "graph.graphml": "graphml",
           "graph.html": "html"}


def one(scale: int, n_queries: int, load_max: int) -> dict:
    """Build one size (in this process) and return the figures."""
    from graphbuild import build, graph, store

    from .common import corpus, maxrss_mb, timed

    folder, m = corpus(scale)
    r: dict = {"scale": scale, "tables": m.tables, "files": len(m.files), "mb": m.bytes / 1e6,
               "load_average": os.getloadavg()[0], "graph": 0.0}
    add = graph.GraphBuilder.add

    def timed_add(self, *args):
        start = time.perf_counter()
        add(self, *args)
        r["graph"] += time.perf_counter() - start

    graph.GraphBuilder.add = timed_add
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        result = build.run([folder / f for f in m.files], Path(tmp), _phases(r))
        r["build"] = time.perf_counter() - start
        r["rss_build_mb"] = maxrss_mb()
        r["rss_worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        r["nodes"] = sum(n for k, n in result.counts.items() if not k.isupper())
        r["edges"] = sum(n for k, n in result.counts.items() if k.isupper())
        r["db_mb"] = result.store.stat().st_size / 1e6
        if scale <= load_max:
            r["load"], g = timed(store.load, result.store)
            db, pk = Path(tmp) / "again.db", Path(tmp) / "graph.pickle"
            r["save"], _ = timed(store.save, g, db)
            r["pickle_save"], _ = timed(lambda: pk.write_bytes(pickle.dumps(g, protocol=5)))
            r["pickle_load"], _ = timed(lambda: pickle.loads(pk.read_bytes()))
            r.update(_queries(g, n_queries))
    r["peak_rss_mb"] = maxrss_mb()
    return r


def _phases(r: dict):
    """A build.run step that times each phase: reading, and each output written."""
    def step(description, items):
        start = time.perf_counter()
        for item in items:
            begun = time.perf_counter()
            yield item
            if description == "Writing outputs":
                r[OUTPUTS[item[0]]] = time.perf_counter() - begun
        if description == "Reading pages":
            r["read"] = time.perf_counter() - start
    return step


def _queries(g, n_queries: int) -> dict:
    """cited_by and lineage over the most cited documents and a random draw of the rest."""
    from graphbuild import queries

    docs = sorted(((d.get("citations", 0), d["key"], n) for n, d in g.nodes(data=True)
                   if d["label"] == "Document"), reverse=True)
    picks = docs[:10] + random.Random(0).sample(docs[10:], min(len(docs) - 10, n_queries - 10))
    out = {}
    for name, fn in (("cited_by", queries.cited_by), ("lineage", queries.lineage)):
        lat, rows = [], 0
        for _, key, _ in picks:
            start = time.perf_counter()
            rows += len(fn(g, key))
            lat.append(time.perf_counter() - start)
        out[name] = {"p50_ms": pct(lat, 50) * 1e3, "p95_ms": pct(lat, 95) * 1e3,
                     "max_ms": max(lat) * 1e3, "rows": rows}
    lat = []
    for _, _, nid in picks:
        start = time.perf_counter()
        [s for s, _, e in g.in_edges(nid, data=True) if e["type"] == "CITES"]
        lat.append(time.perf_counter() - start)
    out["adjacency"] = {"p50_ms": pct(lat, 50) * 1e3, "p95_ms": pct(lat, 95) * 1e3}
    return out


def report(results: list[dict]) -> None:
    base = results[0]
    steps = PHASES + ("graph",)
    print(f"\n{'size':>5} {'tables':>8} {'nodes':>10} {'edges':>10} {'load avg':>8} "
          + " ".join(f"{s:>8}" for s in steps) + f" {'build':>8} "
          f"{'main MB':>8} {'worker MB':>9} {'db MB':>7}")
    for r in results:
        print(f"{r['scale']:>4}x {r['tables']:>8,} {r['nodes']:>10,} {r['edges']:>10,} "
              f"{r['load_average']:8.1f} " + " ".join(f"{r[s]:8.2f}" for s in steps)
              + f" {r['build']:8.1f} {r['rss_build_mb']:8.0f} {r['rss_worker_mb']:9.0f} "
              f"{r['db_mb']:7.0f}")
    print(f"\nper-table cost against {base['scale']}x (1.0 = linear):")
    for r in results[1:]:
        k = r["tables"] / base["tables"]
        ratios = ", ".join(f"{s} {r[s] / (base[s] * k):.2f}" for s in steps)
        print(f"  {r['scale']:>4}x: {ratios}; build {r['build'] / (base['build'] * k):.2f} "
              f"(time {r['build'] / base['build']:.0f}x the {base['scale']}x run for "
              f"{k:.0f}x the tables); main RSS {r['rss_build_mb'] * 1e3 / r['tables']:.1f} KB "
              "per table")
    loaded = [r for r in results if "load" in r]
    if not loaded:
        return
    print("\nthe whole graph in networkx: store load and save against pickle (same graph):")
    for r in loaded:
        print(f"  {r['scale']:>4}x: load {r['load']:.2f} s ({r['load'] / r['pickle_load']:.1f}x "
              f"pickle), save {r['save']:.2f} s ({r['save'] / r['pickle_save']:.1f}x pickle), "
              f"peak RSS {r['peak_rss_mb']:.0f} MB")
    print("\nqueries on the loaded graph, ms (p50 / p95 / max) against the bare in_edges walk:")
    for r in loaded:
        a = r["adjacency"]
        print(f"  {r['scale']:>4}x: " + "; ".join(
            f"{q} {r[q]['p50_ms']:.2f} / {r[q]['p95_ms']:.2f} / {r[q]['max_ms']:.1f} "
            f"({r[q]['p50_ms'] / max(a['p50_ms'], 1e-6):.0f}x at p50)"
            for q in ("cited_by", "lineage")) + f"; in_edges {a['p50_ms']:.3f} / {a['p95_ms']:.3f}")


def main(argv=None) -> None:
    size_main("benchmarks.scale", __doc__, [1, 10, 100, 1000], one, report, argv)


if __name__ == "__main__":
    main()
