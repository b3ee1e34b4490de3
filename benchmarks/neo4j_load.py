"""Neo4j: batched load (graphbuild.neo4j.load) against one MERGE per row, the bulk path
(`graphbuild export --format neo4j-admin` + neo4j-admin database import full), and the query
pack's latency.

Uses the embedded Neo4j of the integration tests (neo4j-server/Launcher.java, jars in
neo4j-server/lib; heap GRAPHBUILD_BENCH_HEAP, default -Xmx4g, page cache
GRAPHBUILD_BENCH_PAGECACHE, default 2g), a fresh store folder for every load, on the
synthetic corpora of benchmarks/synth.py:

    .venv/bin/python -m benchmarks.neo4j_load [--scale 1 10] [--load-scale 1 10]
        [--naive-scale 1 10] [--naive-cap 90] [--import-scale 10] [--query-scale 10]
        [--queries 100]

- batched: every node and edge of the graph, graphbuild.neo4j.load streaming the store's
  graph.db (schema, UNWIND batches of 1,000), into an empty database, then again (nothing
  new);
- per-row: the same schema, then the MERGE statements with one row each, one auto-commit
  transaction per row. Where it would run past --naive-cap seconds it stops there and the
  full time is extrapolated from its rate (printed as such);
- bulk: graphbuild.neo4j.bulk.export from the streamed build's graph.db
  (benchmarks.common.store_for: no networkx graph, so 1000x works), the import
  (org.neo4j.cli.AdminTool from the Maven jars; with GRAPHBUILD_BENCH_ADMIN_OPTS, default
  none, added to its JVM flags, e.g. -XX:TieredStopAtLevel=1), then after-import.cypher
  (schema, document totals) on the imported store; wall and CPU seconds, the CPU ones being
  what a shared machine disturbs least; and, as its baseline, the import of the same files cut
  to their id columns (no property: what neo4j-admin needs for the structure alone);
- pack: graphbuild.neo4j.pack.run for each query of cypher/queries/ on the bulk-imported
  store, p50/p95 over documents drawn as in benchmarks.scale; cited_by (whole, and its first
  page of 50 rows) timed interleaved with the former runner (a record per row, as the
  driver's .data() gives them) and a bare indexed MATCH of the citers, after one untimed
  pass; each in a fresh interpreter, and that group again in another whose driver has no
  neo4j-rust-ext (its pure-Python codec); a first such interpreter is run untimed (Neo4j's
  JIT compiles for minutes on 2 cores).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from graphbuild.export import as_rows
from graphbuild.neo4j import load as loader
from graphbuild.neo4j import pack
from graphbuild.neo4j.bulk import AFTER, Export, export
from graphbuild.neo4j.connect import connect

from .common import machine, pct, store_for

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / "neo4j-server" / "lib"
LAUNCHER = ROOT / "neo4j-server" / "Launcher.java"
HEAP = os.environ.get("GRAPHBUILD_BENCH_HEAP", "-Xmx4g")
ADMIN_OPTS = os.environ.get("GRAPHBUILD_BENCH_ADMIN_OPTS", "").split()
PAGECACHE = os.environ.get("GRAPHBUILD_BENCH_PAGECACHE", "2g")


@contextmanager
def server(home: Path):
    """An embedded Neo4j on a free port with its store under `home`: (uri, password)."""
    password = secrets.token_urlsafe(12)
    log = open(home / "launcher.log", "w")
    proc = subprocess.Popen(["java", HEAP, f"-Dpagecache={PAGECACHE}", "-XX:+UseParallelGC",
                             "-cp", f"{LIB}/*", str(LAUNCHER),
                             str(home), "0", password], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=log, text=True)
    line: list[str] = []
    t = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)
    t.start()
    t.join(180)
    if not line or not line[0].startswith("ready "):
        proc.kill()
        raise RuntimeError(f"Neo4j did not start; see {home / 'launcher.log'}")
    try:
        yield line[0].split()[1], password
    finally:
        proc.stdin.close()
        try:
            proc.wait(120)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(30)
        log.close()


def graph(scale: int, seed: int = 0):
    from graphbuild.citations import extract
    from graphbuild.graph import build_graph
    from graphbuild.ingest import read_text

    from .common import corpus

    folder, m = corpus(scale, seed)
    recs = [x for f in m.files for x in read_text(folder / f)]
    cites, _ = extract(recs)
    return build_graph(recs, cites)


def rows(g) -> list[tuple[str, dict]]:
    """(statement, one row) for every node, then every edge: what the per-row loader sends."""
    rows = as_rows(g)
    return ([(loader.NODE_MERGE.format(label=label), r)
             for label, r in loader.streamed_nodes(rows)]
            + [(loader.EDGE_MERGE.format(start=a, type=t, end=b), r)
               for (a, t, b), r in loader.streamed_edges(rows)])


_WARM = []


def warm(uri, pw) -> None:
    """JIT and plan caches: load another 1x corpus (seed 1) and delete it, so the measured
    load starts on a warm server, as a user's `graphbuild load` usually does."""
    if not _WARM:
        _WARM.append(graph(1, seed=1))
    with connect(uri, "neo4j", pw, "neo4j") as driver:
        loader.load(driver, _WARM[0], "neo4j")
        with driver.session(database="neo4j") as s:  # IN TRANSACTIONS needs an implicit one
            s.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS").consume()


def batched(uri, pw, db: Path) -> float:
    """Seconds of graphbuild.neo4j.load from the store's graph.db, as `graphbuild load` runs."""
    with connect(uri, "neo4j", pw, "neo4j") as driver:
        start = time.perf_counter()
        loader.load(driver, db, "neo4j")
        return time.perf_counter() - start


def per_row(uri, pw, g, cap: float) -> tuple[float, int, int]:
    """Seconds, rows sent, rows in all; stops after `cap` seconds. Nodes are sent before
    edges, so a capped run sends a prefix in the same proportions: rows are interleaved."""
    work = rows(g)
    nodes = [w for w in work if "MATCH" not in w[0]]
    edges = [w for w in work if "MATCH" in w[0]]
    rng = random.Random(0)
    with connect(uri, "neo4j", pw, "neo4j") as driver, driver.session(database="neo4j") as s:
        for statement in loader.schema_statements():
            s.run(statement).consume()
        start, sent = time.perf_counter(), 0
        # a capped run: nodes of a random sample, then edges among sent nodes only
        if cap:
            frac = 1.0
            order = nodes[:]
            rng.shuffle(order)
            for statement, row in order:
                s.run(statement, rows=[row]).consume()
                sent += 1
                if time.perf_counter() - start > cap / 2:
                    break
            frac = sent / len(nodes)
            n_edges = int(len(edges) * frac)
            edge_start, e_sent = time.perf_counter(), 0
            for statement, row in rng.sample(edges, n_edges):
                s.run(statement, rows=[row]).consume()
                e_sent += 1
                if time.perf_counter() - edge_start > cap / 2:
                    break
            node_rate = sent / (edge_start - start)
            edge_rate = e_sent / (time.perf_counter() - edge_start)
            full = len(nodes) / node_rate + len(edges) / edge_rate
            return full, sent + e_sent, len(work)
    raise AssertionError


def bulk(db: Path, home: Path) -> dict:
    """graphbuild.neo4j.bulk.export of graph.db (as `graphbuild export` reads it),
    neo4j-admin import, then after-import.cypher (schema and document totals) on the served
    store: seconds for each. The store stays in `home`."""
    t0, c0 = time.perf_counter(), time.process_time()
    files = export(db, home / "csv")
    exported, export_cpu = time.perf_counter() - t0, time.process_time() - c0
    (home / "conf").mkdir(exist_ok=True)
    imported, import_cpu, out = _admin_import(files, home)
    floor_home = home / "floor"
    (floor_home / "conf").mkdir(parents=True)
    floor, _, _ = _admin_import(bare(files, floor_home / "csv"), floor_home)
    shutil.rmtree(floor_home)
    after_import = loader.schema_statements(files.folder / AFTER)
    shutil.rmtree(files.folder)
    with server(home) as (uri, pw), connect(uri, "neo4j", pw, "neo4j") as driver:
        t2 = time.perf_counter()
        with driver.session(database="neo4j") as s:
            for statement in after_import:
                s.run(statement).consume()
            s.run("CALL db.awaitIndexes(600)").consume()
        after = time.perf_counter() - t2
        counts = loader.db_counts(driver, "neo4j")
    stages = "; ".join(line.strip() for line in out.stdout.splitlines()
                       if "COMPLETED in" in line or "IMPORT DONE in" in line)
    return {"stages": stages, "export": exported, "export_cpu": export_cpu, "import": imported,
            "import_cpu": import_cpu, "after": after, "floor": floor,
            "nodes": sum(counts.get(k, 0) for k in loader.LABELS),
            "rels": sum(v for k, v in counts.items() if k not in loader.LABELS)}


def _admin_import(files: Export, home: Path) -> tuple[float, float, subprocess.CompletedProcess]:
    """neo4j-admin database import full of `files` into the store under `home` (replaced):
    wall and CPU seconds, and its output."""
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    t1, children = time.perf_counter(), _children_cpu()
    out = subprocess.run(["java", HEAP, *ADMIN_OPTS, "-cp", f"{LIB}/*", "org.neo4j.cli.AdminTool",
                          *files.command()[1:], "--overwrite-destination"],
                         env=env, cwd=home, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stdout[-1500:] + out.stderr[-1500:])
    return time.perf_counter() - t1, _children_cpu() - children, out


def bare(files: Export, folder: Path) -> Export:
    """The same nodes and relationships without a property: each file cut to its id columns
    (the floor of neo4j-admin for this graph's structure on this machine)."""
    folder.mkdir()
    csv.field_size_limit(sys.maxsize)
    out = Export(folder)
    for kept, src, dst in ((1, files.nodes, out.nodes), (2, files.relationships, out.relationships)):
        for name, path in src:
            with open(path, newline="", encoding="utf-8") as f, \
                    open(folder / path.name, "w", newline="", encoding="utf-8") as g:
                csv.writer(g).writerows(row[:kept] for row in csv.reader(f))
            dst.append((name, folder / path.name))
    return out


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def queries(uri, pw, n: int, cited_by_only: bool = False) -> dict:
    """p50/p95/count in ms of each pack query, over documents drawn as in benchmarks.scale
    (the 10 most cited and the rest at random) from the database itself; cited_by also as
    before (the spelling resolved in a transaction of its own, then the query), and a bare
    indexed MATCH of the citers."""
    out = {}
    with connect(uri, "neo4j", pw, "neo4j") as driver:
        docs = sorted(tuple(r) for r in driver.execute_query(
            "MATCH (d:Document) RETURN coalesce(d.citations, 0), d.key", database_="neo4j")[0])
        depts = sorted(r[0] for r in driver.execute_query(
            "MATCH (d:Department) RETURN d.key", database_="neo4j")[0])
        docs.reverse()
        rng = random.Random(0)
        picks = [k for _, k in docs[:10] + rng.sample(docs[10:], min(len(docs) - 10, n - 10))]
        cited_by = pack.get("cited_by")

        def per_record(p):  # the runner before: the rows as records (p["doc"] is a key)
            with driver.session(database="neo4j", default_access_mode="READ") as s:
                return s.execute_read(pack._read, cited_by.text,
                                      {**pack.defaults(cited_by), "doc": p["doc"]})

        def bare(p):
            with driver.session(database="neo4j") as s:
                return s.run("MATCH (d:Document {key: $k})<-[:CITES]-(p:Project) RETURN p.key",
                             k=p["doc"]).data()

        def named(name):
            return lambda p: pack.run(driver, "neo4j", name, p)

        by_doc = [{"doc": k} for k in picks]
        page = [{**p, "limit": 50} for p in by_doc]
        # each group is timed interleaved (every variant on one document, then the next), so
        # that a burst of load on the shared machine hits the variants alike
        groups = [[("cited_by", named("cited_by"), by_doc),
                   ("cited_by, 50 rows", named("cited_by"), page),
                   ("cited_by, a record per row (before)", per_record, by_doc),
                   ("bare MATCH of the citers", bare, by_doc)],
                  [("lineage", named("lineage"), by_doc)],
                  [("co_citation", named("co_citation"), [{**p, "limit": 10} for p in by_doc])],
                  [("department_basis", named("department_basis"),
                    [{"dept": d} for d in depts][:n])],
                  [("top_documents", named("top_documents"), [{"limit": 10}] * 20)]]
        for group in groups[:1] if cited_by_only else groups:
            lat = {name: [] for name, _, _ in group}
            for name, fn, params in group:  # warm the plan cache and Neo4j's JIT: one
                for p in params:             # untimed pass over everything timed below
                    fn(p)
            for i in range(len(group[0][2])):
                for name, fn, params in group:
                    start = time.perf_counter()
                    fn(params[i])
                    lat[name].append(time.perf_counter() - start)
            out.update({k: (pct(v, 50) * 1e3, pct(v, 95) * 1e3, len(v)) for k, v in lat.items()})
    return out


CHILD = """import json, os, sys
if os.environ["BENCH_PURE"]:  # the driver falls back to its pure-Python codec
    sys.modules["neo4j._codec.packstream._rust"] = None
from benchmarks.neo4j_load import queries
print(json.dumps(queries(os.environ["BENCH_URI"], os.environ["BENCH_PW"],
                         int(os.environ["BENCH_N"]), bool(os.environ["BENCH_PURE"]))))"""


def child_queries(uri, pw, n: int, pure: bool = False) -> dict:
    """queries() in a fresh interpreter (as a user's command runs them); `pure`: only the
    cited_by group, with the driver's pure-Python codec (no neo4j-rust-ext)."""
    out = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "BENCH_URI": uri, "BENCH_PW": pw,
                                         "BENCH_N": str(n), "BENCH_PURE": "1" if pure else ""})
    if out.returncode:
        raise RuntimeError(out.stderr[-1500:])
    return {f"{k}, pure-Python codec" if pure else k: v
            for k, v in json.loads(out.stdout).items()}


def rust_codec() -> bool:
    from neo4j._codec.packstream import v1
    return v1._rust_unpack is not None


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, nargs="+", default=[1, 10])
    ap.add_argument("--load-scale", type=int, nargs="*", default=[1, 10])
    ap.add_argument("--naive-scale", type=int, nargs="*", default=[1, 10])
    ap.add_argument("--naive-cap", type=float, default=90.0)
    ap.add_argument("--import-scale", type=int, nargs="*", default=[10])
    ap.add_argument("--query-scale", type=int, nargs="*", default=[10],
                    help="pack latency at these sizes, on the bulk-imported store")
    ap.add_argument("--queries", type=int, default=100)
    args = ap.parse_args(argv)
    print(f"machine: {machine()}; Neo4j heap {HEAP}; neo4j-admin JVM flags {ADMIN_OPTS}; "
          f"driver's Rust codec: {'yes' if rust_codec() else 'no'}", flush=True)
    for scale in args.scale:
        b, g = None, None
        print(f"\n{scale}x: load average {os.getloadavg()[0]:.1f}", flush=True)
        if scale in args.load_scale or scale in args.naive_scale:
            g = graph(scale)
            n_rows = g.number_of_nodes() + g.number_of_edges()
            print(f"  {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges", flush=True)
        if scale in args.load_scale:
            with tempfile.TemporaryDirectory() as tmp, server(Path(tmp)) as (uri, pw):
                warm(uri, pw)
                b = batched(uri, pw, store_for(scale))
                print(f"  batched load: {b:.1f} s ({n_rows / b:,.0f} rows/s)", flush=True)
                again = batched(uri, pw, store_for(scale))
                print(f"  batched load again (idempotent, nothing new): {again:.1f} s", flush=True)
        if scale in args.naive_scale:
            with tempfile.TemporaryDirectory() as tmp, server(Path(tmp)) as (uri, pw):
                warm(uri, pw)
                cap = args.naive_cap if scale > 1 else 0
                if not cap:
                    start = time.perf_counter()
                    with connect(uri, "neo4j", pw, "neo4j") as driver, driver.session(database="neo4j") as s:
                        for statement in loader.schema_statements():
                            s.run(statement).consume()
                        for statement, row in rows(g):
                            s.run(statement, rows=[row]).consume()
                    full, label = time.perf_counter() - start, "measured"
                else:
                    full, sent, total = per_row(uri, pw, g, cap)
                    label = f"EXTRAPOLATED from {sent:,} of {total:,} rows in {cap:.0f} s"
            ratio = f"; batched is {full / b:.1f}x faster" if b else ""
            print(f"  per-row load: {full:.1f} s ({label}){ratio}", flush=True)
        if scale in args.import_scale or scale in args.query_scale:
            with tempfile.TemporaryDirectory() as tmp:
                r = bulk(store_for(scale), Path(tmp))
                total = r["export"] + r["import"] + r["after"]
                print(f"  bulk: CSV export {r['export']:.1f} s (CPU {r['export_cpu']:.1f} s) + "
                      f"neo4j-admin import {r['import']:.1f} s (CPU {r['import_cpu']:.1f} s; "
                      f"{r['rels'] / r['import']:,.0f} relationships/s) + after-import.cypher "
                      f"{r['after']:.1f} s = {total:.1f} s ({r['nodes']:,} nodes, "
                      f"{r['rels']:,} relationships)"
                      + (f"; the batched load takes {b / total:.1f}x the bulk time" if b else ""),
                      flush=True)
                print(f"  neo4j-admin's own timing: {r['stages']}", flush=True)
                print(f"  the same nodes and relationships with no property (neo4j-admin's floor "
                      f"here): {r['floor']:.1f} s ({r['rels'] / r['floor']:,.0f} relationships/s); "
                      f"the import takes {r['import'] / r['floor']:.2f}x that", flush=True)
                if scale in args.query_scale:
                    with server(Path(tmp)) as (uri, pw):
                        child_queries(uri, pw, args.queries)  # Neo4j's JIT warms up
                        pure = child_queries(uri, pw, args.queries, pure=True)
                        lat = {**child_queries(uri, pw, args.queries), **pure}
                        for name, (p50, p95, n) in lat.items():
                            print(f"  query {name:38} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  (n={n})",
                                  flush=True)
        del g


if __name__ == "__main__":
    main()
