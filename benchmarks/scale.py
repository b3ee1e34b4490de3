"""Cost by corpus size: parse, citations, graph build, embedded store save/load, queries.

Each size runs in its own subprocess (peak memory is that process's ru_maxrss), on the
synthetic corpora of benchmarks/synth.py (generated once under $GRAPHBUILD_SYNTH_DIR,
default /tmp/graphbuild-synth). Baselines measured in the same run:

- per-table cost of each step against the 1x run (linear growth gives 1.0);
- store save/load against pickle of the same networkx graph (the trivial embedded store);
- cited_by / lineage latency against the bare adjacency walk they rest on (in_edges of
  the document node).

    .venv/bin/python -m benchmarks.scale [--scale 1 10 100] [--queries 200] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import pickle
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import machine, pct


def one(scale: int, n_queries: int) -> dict:
    """Run every step once at one size (in this process) and return the figures."""
    from graphbuild import queries, store
    from graphbuild.citations import extract
    from graphbuild.graph import build_graph
    from graphbuild.ingest import read_text

    from . import synth
    from .common import corpus, maxrss_mb, timed

    folder, m = corpus(scale)
    synth.register_issuers(m)
    r: dict = {"scale": scale, "tables": m.tables, "files": len(m.files), "mb": m.bytes / 1e6}
    r["parse"], recs = timed(lambda: [x for f in m.files for x in read_text(folder / f)])
    r["extract"], (cites, _) = timed(extract, recs)
    r["graph"], g = timed(build_graph, recs, cites)
    r["nodes"], r["edges"], r["citations"] = g.number_of_nodes(), g.number_of_edges(), len(cites)
    r["rss_after_graph_mb"] = maxrss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        db, pk = Path(tmp) / "graph.db", Path(tmp) / "graph.pickle"
        r["save"], _ = timed(store.save, g, db)
        r["db_mb"] = db.stat().st_size / 1e6
        r["pickle_save"], _ = timed(lambda: pk.write_bytes(pickle.dumps(g, protocol=5)))
        del g, recs, cites
        r["load"], g = timed(store.load, db)
        r["pickle_load"], _ = timed(lambda: pickle.loads(pk.read_bytes()))
    # query latency: the most cited documents and a random draw of the rest
    docs = [(d.get("citations", 0), d["key"], n) for n, d in g.nodes(data=True)
            if d["label"] == "Document"]
    docs.sort(reverse=True)
    rng = random.Random(0)
    picks = docs[:10] + rng.sample(docs[10:], min(len(docs) - 10, n_queries - 10))
    for name, fn in (("cited_by", queries.cited_by), ("lineage", queries.lineage)):
        lat, rows = [], 0
        for _, key, _ in picks:
            start = time.perf_counter()
            rows += len(fn(g, key))
            lat.append(time.perf_counter() - start)
        r[name] = {"p50_ms": pct(lat, 50) * 1e3, "p95_ms": pct(lat, 95) * 1e3,
                   "max_ms": max(lat) * 1e3, "rows": rows}
    lat = []
    for _, _, nid in picks:
        start = time.perf_counter()
        [s for s, _, e in g.in_edges(nid, data=True) if e["type"] == "CITES"]
        lat.append(time.perf_counter() - start)
    r["adjacency"] = {"p50_ms": pct(lat, 50) * 1e3, "p95_ms": pct(lat, 95) * 1e3}
    r["peak_rss_mb"] = maxrss_mb()
    return r


def report(results: list[dict]) -> None:
    base = results[0]
    steps = ("parse", "extract", "graph", "save", "load")
    print(f"\n{'size':>5} {'tables':>8} {'nodes':>9} {'edges':>9} "
          + " ".join(f"{s:>8}" for s in steps) + f" {'total':>8} {'peak MB':>8}")
    for r in results:
        total = sum(r[s] for s in steps)
        print(f"{r['scale']:>4}x {r['tables']:>8,} {r['nodes']:>9,} {r['edges']:>9,} "
              + " ".join(f"{r[s]:8.2f}" for s in steps) + f" {total:8.2f} {r['peak_rss_mb']:8.0f}")
    print(f"\nper-table cost against {base['scale']}x (1.0 = linear):")
    for r in results[1:]:
        k = r["tables"] / base["tables"]
        ratios = {s: r[s] / (base[s] * k) for s in steps}
        total = sum(r[s] for s in steps) / (sum(base[s] for s in steps) * k)
        print(f"  {r['scale']:>4}x: " + ", ".join(f"{s} {v:.2f}" for s, v in ratios.items())
              + f"; all steps {total:.2f} (time {total * k:.0f}x the {base['scale']}x run)")
    print("\nembedded store against pickle (same graph):")
    for r in results:
        print(f"  {r['scale']:>4}x: save {r['save']:.2f} s ({r['save'] / r['pickle_save']:.1f}x pickle), "
              f"load {r['load']:.2f} s ({r['load'] / r['pickle_load']:.1f}x pickle), "
              f"graph.db {r['db_mb']:.0f} MB")
    print("\nqueries on the embedded graph, ms (p50 / p95 / max) against the bare in_edges walk:")
    for r in results:
        a = r["adjacency"]
        print(f"  {r['scale']:>4}x: " + "; ".join(
            f"{q} {r[q]['p50_ms']:.2f} / {r[q]['p95_ms']:.2f} / {r[q]['max_ms']:.1f} "
            f"({r[q]['p50_ms'] / max(a['p50_ms'], 1e-6):.0f}x at p50)" for q in ("cited_by", "lineage"))
              + f"; in_edges {a['p50_ms']:.3f} / {a['p95_ms']:.3f}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process
    args = ap.parse_args(argv)
    if args.one is not None:
        print(json.dumps(one(args.one, args.queries)))
        return
    print(f"machine: {machine()}")
    results = []
    for scale in args.scale:
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "benchmarks.scale", "--one", str(scale),
                              "--queries", str(args.queries)], capture_output=True, text=True)
        if out.returncode:
            print(f"{scale}x failed:\n{out.stderr[-2000:]}")
            break
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"{scale}x done in {time.perf_counter() - start:.0f} s wall", flush=True)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
