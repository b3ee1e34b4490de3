"""Queries on the embedded store without loading it: StoreView (graph.db read in place)
against the whole graph in networkx (store.load) and a bare SQL baseline, by corpus size.

Per size, in its own subprocess, on benchmarks.common.store_for(N): graph.db of the
corpus of that size, built once into $GRAPHBUILD_STORES/x<N> (default
/tmp/graphbuild-stores) and kept for the next run.

- opening: StoreView, and StoreView plus the first cited_by answer, against store.load
  (the whole graph in networkx);
- cited_by (whole, and its first page of 50 rows) and lineage, p50 / p95 / max over 200
  documents (the 10 most cited and 190 at random, seed 0): on one StoreView, its caches
  filling as the run goes, cited_by read from graph.db's table of answers; on the same
  view walking the graph instead (as without the table); on networkx (store.load, up to
  --load-max); and `SELECT src FROM edges WHERE dst = ? AND type = 'CITES'`, the rows
  cited_by rests on;
- the command line: wall time of `graphbuild query cited_by -p doc=晋财教[2023]81号 --json`
  (cited everywhere: its rows grow with the corpus), of the same for the first random
  document, and of `graphbuild lineage 晋财教[2023]81号 --format json`, against `python -c
  "import graphbuild.cli"` (the start-up every command pays).

    .venv/bin/python -m benchmarks.query_speed [--scale 1 10 100] [--queries 200] [--json out.json]
"""
from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from graphbuild import queries

from .common import pct, size_main, store_for

DOC = "晋财教[2023]81号"
QUERIES = {"cited_by": queries.cited_by,
           "cited_by, 50 rows": lambda g, k: queries.cited_by(g, k, limit=50),
           "lineage": queries.lineage}
CLI = {"import": ["-c", "import graphbuild.cli"],
       "query cited_by": ["-m", "graphbuild", "query", "cited_by", "-p", f"doc={DOC}", "--json"],
       "lineage json": ["-m", "graphbuild", "lineage", DOC, "--format", "json"]}


def picks(db: Path, n: int) -> list[str]:
    """Keys of the `n` documents asked: the 10 most cited, then a fixed random draw."""
    import sqlite3
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        docs = con.execute("SELECT key, COALESCE(json_extract(props, '$.citations'), 0) FROM"
                           " nodes WHERE label = 'Document' ORDER BY 2 DESC, key").fetchall()
    con.close()
    keys = [k for k, _ in docs]
    return keys[:10] + random.Random(0).sample(keys[10:], min(len(keys) - 10, n - 10))


def latency(fn, args: list) -> dict:
    lat, rows = [], 0
    for a in args:
        start = time.perf_counter()
        rows += len(fn(a))
        lat.append(time.perf_counter() - start)
    return {"p50_ms": pct(lat, 50) * 1e3, "p95_ms": pct(lat, 95) * 1e3,
            "max_ms": max(lat) * 1e3, "rows": rows}


def one(scale: int, n_queries: int, load_max: int) -> dict:
    """Every figure for one size (in this process)."""
    import sqlite3

    from graphbuild import store
    from graphbuild.graph import node_id
    from graphbuild.store_view import StoreView

    db = store_for(scale)
    r: dict = {"scale": scale, "store": str(db), "db_mb": db.stat().st_size / 1e6,
               "load_average": os.getloadavg()[0]}
    start = time.perf_counter()
    view = StoreView(db)
    r["open_s"] = time.perf_counter() - start
    r["first_rows"] = len(queries.cited_by(view, DOC))
    r["first_answer_s"] = time.perf_counter() - start
    keys = picks(db, n_queries)
    r["documents"] = len(keys)
    view = StoreView(db)  # each run below starts cold
    for name, fn in QUERIES.items():
        r[f"view_{name}"] = latency(lambda k: fn(view, k), keys)
    walk = StoreView(db)
    walk.answers = False
    for name in ("cited_by", "cited_by, 50 rows"):
        r[f"walk_{name}"] = latency(lambda k: QUERIES[name](walk, k), keys)
    bare = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    r["sql_baseline"] = latency(lambda k: bare.execute(
        "SELECT src FROM edges WHERE dst = ? AND type = 'CITES'",
        (node_id("Document", k),)).fetchall(), keys)
    cli = {**CLI, "query cited_by, random document": [*CLI["query cited_by"][:5],
                                                      f"doc={keys[10]}", "--json"]}
    r["cli"] = {name: _wall(args, db.parent) for name, args in cli.items()}
    if scale <= load_max:
        start = time.perf_counter()
        g = store.load(db)
        r["nx_load_s"] = time.perf_counter() - start
        for name, fn in QUERIES.items():
            r[f"nx_{name}"] = latency(lambda k: fn(g, k), keys)
    r["load_average_end"] = os.getloadavg()[0]
    return r


def _wall(args: list[str], store_dir: Path, repeat: int = 3) -> dict:
    """Wall seconds of a fresh interpreter running `args` (best and median of `repeat`)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, *args, *(["--store", str(store_dir)]
                                                      if args[0] == "-m" else [])],
                             capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if out.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{out.stderr[-1000:]}")
    return {"best_s": min(times), "median_s": statistics.median(times)}


def report(results: list[dict]) -> None:
    print("\nms, p50 / p95 / max over the documents asked (view: cited_by from the table of"
          " answers; walk: the same view walking the graph):")
    print(f"{'size':>5} {'query':>17} {'view':>22} {'walk':>22} {'networkx':>22}"
          f" {'bare SQL':>22}")
    for r in results:
        for q in QUERIES:
            cells = [_cell(r.get(k)) for k in (f"view_{q}", f"walk_{q}", f"nx_{q}",
                                               "sql_baseline")]
            print(f"{r['scale']:>4}x {q:>17} " + " ".join(f"{c:>22}" for c in cells))
    print("\nopening, s: StoreView / store.load; the command line, s (best / median of 3):")
    for r in results:
        cli = "; ".join(f"{k} {v['best_s']:.2f} / {v['median_s']:.2f}"
                        for k, v in r["cli"].items())
        load = f"{r['nx_load_s']:.1f}" if "nx_load_s" in r else "not run"
        print(f"  {r['scale']:>4}x ({r['db_mb']:.0f} MB, load average {r['load_average']:.1f}"
              f"→{r['load_average_end']:.1f}): StoreView {r['open_s']:.3f}, open + cited_by "
              f"{DOC} ({r['first_rows']} rows) {r['first_answer_s']:.3f}, "
              f"store.load {load}; {cli}")


def _cell(x: dict | None) -> str:
    return "—" if x is None else f"{x['p50_ms']:.2f} / {x['p95_ms']:.2f} / {x['max_ms']:.1f}"


def main(argv=None) -> None:
    size_main("benchmarks.query_speed", __doc__, [1, 10, 100], one, report, argv)


if __name__ == "__main__":
    main()
