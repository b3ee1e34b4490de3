"""Neo4j: batched load (graphbuild.neo4j.load) against one MERGE per row, the bulk
import ceiling (neo4j-admin database import full), and the query pack's latency.

Uses the embedded Neo4j of the integration tests (neo4j-server/Launcher.java, jars in
neo4j-server/lib), a fresh store folder for every load, on the synthetic corpora of
benchmarks/synth.py:

    .venv/bin/python -m benchmarks.neo4j_load [--scale 1 10] [--naive-scale 1 10]
        [--naive-cap 90] [--import-scale 10] [--queries 100]

- batched: every node and edge of the graph, graphbuild.neo4j.load (schema, UNWIND batches of 1,000);
- per-row: the same schema, then the same MERGE statements with one row each, one auto-commit
  transaction per row. Where it would run past --naive-cap seconds it stops there and the
  full time is extrapolated from its rate (printed as such);
- bulk: CSV files written from the graph, `neo4j-admin database import full` (the import
  tool is in the Maven jars: org.neo4j.cli.AdminTool), then the schema applied on the
  imported store: the ceiling for a first load into an empty database;
- pack: graphbuild.neo4j.pack.run for each query of cypher/queries/, p50/p95 over documents
  drawn as in benchmarks.scale, against a bare indexed MATCH of the document's citers.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from graphbuild.neo4j import load as loader
from graphbuild.neo4j import pack
from graphbuild.neo4j.connect import connect

from .common import machine, pct

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / "neo4j-server" / "lib"
LAUNCHER = ROOT / "neo4j-server" / "Launcher.java"
HEAP = os.environ.get("GRAPHBUILD_BENCH_HEAP", "-Xmx3g")


@contextmanager
def server(home: Path):
    """An embedded Neo4j on a free port with its store under `home`: (uri, password)."""
    password = secrets.token_urlsafe(12)
    log = open(home / "launcher.log", "w")
    proc = subprocess.Popen(["java", HEAP, "-XX:+UseParallelGC", "-cp", f"{LIB}/*", str(LAUNCHER),
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

    from . import synth
    from .common import corpus

    folder, m = corpus(scale, seed)
    synth.register_issuers(m)
    recs = [x for f in m.files for x in read_text(folder / f)]
    cites, _ = extract(recs)
    return build_graph(recs, cites)


def rows(g) -> list[tuple[str, dict]]:
    """(statement, one row) for every node, then every edge: what the per-row loader sends."""
    out = [(loader.NODE_MERGE.format(label=label), r)
           for label, rs in loader.node_rows(g).items() for r in rs]
    out += [(loader.EDGE_MERGE.format(start=a, type=t, end=b), r)
            for (a, t, b), rs in loader.edge_rows(g).items() for r in rs]
    return out


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


def batched(uri, pw, g) -> float:
    with connect(uri, "neo4j", pw, "neo4j") as driver:
        start = time.perf_counter()
        loader.load(driver, g, "neo4j")
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


def bulk(g, home: Path) -> dict:
    """CSV export, neo4j-admin import, then the schema: seconds for each."""
    t0 = time.perf_counter()
    csvdir = home / "csv"
    csvdir.mkdir(parents=True)
    args = []
    by_label: dict[str, list] = {}
    for nid, d in g.nodes(data=True):
        by_label.setdefault(d["label"], []).append((nid, d))
    for label, items in by_label.items():
        props = sorted({k for _, d in items for k in d if k != "label"})
        kinds = {k: _kind([d.get(k) for _, d in items]) for k in props}
        path = csvdir / f"{label}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["nid:ID"] + [f"{k}{kinds[k]}" for k in props] + [":LABEL"])
            for nid, d in items:
                w.writerow([nid] + [_cell(d.get(k)) for k in props] + [label])
        args.append(f"--nodes={path}")
    by_type: dict[str, list] = {}
    for s, t, d in g.edges(data=True):
        by_type.setdefault(d["type"], []).append((s, t, d))
    for type_, items in by_type.items():
        props = sorted({k for _, _, d in items for k in d if k != "type"})
        kinds = {k: _kind([d.get(k) for _, _, d in items]) for k in props}
        path = csvdir / f"{type_}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow([":START_ID"] + [f"{k}{kinds[k]}" for k in props] + [":END_ID", ":TYPE"])
            for s, t, d in items:
                w.writerow([s] + [_cell(d.get(k)) for k in props] + [t, type_])
        args.append(f"--relationships={path}")
    export = time.perf_counter() - t0
    (home / "conf").mkdir(exist_ok=True)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    t1 = time.perf_counter()
    out = subprocess.run(["java", HEAP, "-cp", f"{LIB}/*", "org.neo4j.cli.AdminTool", "database",
                          "import", "full", "neo4j", "--multiline-fields=true", "--overwrite-destination",
                          *args], env=env, capture_output=True, text=True)
    imported = time.perf_counter() - t1
    if out.returncode:
        raise RuntimeError(out.stdout[-1500:] + out.stderr[-1500:])
    shutil.rmtree(csvdir)
    with server(home) as (uri, pw), connect(uri, "neo4j", pw, "neo4j") as driver:
        t2 = time.perf_counter()
        with driver.session(database="neo4j") as s:
            for statement in loader.schema_statements():
                s.run(statement).consume()
            s.run("CALL db.awaitIndexes(600)").consume()
        schema = time.perf_counter() - t2
        counts = loader.db_counts(driver, "neo4j")
    return {"export": export, "import": imported, "schema": schema,
            "nodes": sum(v for k, v in counts.items() if k[0].isupper() and not k.isupper())}


def _kind(values) -> str:
    vs = [v for v in values if v is not None]
    if vs and all(isinstance(v, bool) for v in vs):
        return ":boolean"
    if vs and all(isinstance(v, int) and not isinstance(v, bool) for v in vs):
        return ":long"
    if vs and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vs):
        return ":double"
    return ""


def _cell(v) -> str:
    return "" if v is None else str(v)


def queries(uri, pw, g, n: int) -> dict:
    docs = sorted(((d.get("citations", 0), d["key"]) for _, d in g.nodes(data=True)
                   if d["label"] == "Document"), reverse=True)
    rng = random.Random(0)
    picks = [k for _, k in docs[:10] + rng.sample(docs[10:], min(len(docs) - 10, n - 10))]
    depts = sorted({d["key"] for _, d in g.nodes(data=True) if d["label"] == "Department"})
    out = {}
    with connect(uri, "neo4j", pw, "neo4j") as driver:
        plans = {"cited_by": [{"doc": k} for k in picks], "lineage": [{"doc": k} for k in picks],
                 "co_citation": [{"doc": k, "limit": 10} for k in picks],
                 "department_basis": [{"dept": d} for d in depts][:n],
                 "top_documents": [{"limit": 10}] * 20}
        for name, params in plans.items():
            if name not in pack.names():
                continue
            pack.run(driver, "neo4j", name, params[0])  # warm the plan cache
            lat = []
            for p in params:
                start = time.perf_counter()
                pack.run(driver, "neo4j", name, p)
                lat.append(time.perf_counter() - start)
            out[name] = (pct(lat, 50) * 1e3, pct(lat, 95) * 1e3, len(lat))
        lat = []
        with driver.session(database="neo4j") as s:
            for k in picks:
                start = time.perf_counter()
                s.run("MATCH (d:Document {key: $k})<-[:CITES]-(p:Project) RETURN p.key",
                      k=k).data()
                lat.append(time.perf_counter() - start)
        out["bare MATCH"] = (pct(lat, 50) * 1e3, pct(lat, 95) * 1e3, len(lat))
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, nargs="+", default=[1, 10])
    ap.add_argument("--naive-scale", type=int, nargs="*", default=[1, 10])
    ap.add_argument("--naive-cap", type=float, default=90.0)
    ap.add_argument("--import-scale", type=int, nargs="*", default=[10])
    ap.add_argument("--queries", type=int, default=100)
    args = ap.parse_args(argv)
    print(f"machine: {machine()}; Neo4j heap {HEAP}", flush=True)
    last = None
    for scale in args.scale:
        g = graph(scale)
        n_rows = g.number_of_nodes() + g.number_of_edges()
        print(f"\n{scale}x: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges", flush=True)
        with tempfile.TemporaryDirectory() as tmp, server(Path(tmp)) as (uri, pw):
            warm(uri, pw)
            b = batched(uri, pw, g)
            print(f"  batched load: {b:.1f} s ({n_rows / b:,.0f} rows/s)", flush=True)
            again = batched(uri, pw, g)
            print(f"  batched load again (idempotent, nothing new): {again:.1f} s", flush=True)
            if scale == args.scale[-1]:
                for name, (p50, p95, n) in queries(uri, pw, g, args.queries).items():
                    print(f"  query {name:18} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  (n={n})", flush=True)
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
            print(f"  per-row load: {full:.1f} s ({label}); batched is {full / b:.1f}x faster", flush=True)
        if scale in args.import_scale:
            with tempfile.TemporaryDirectory() as tmp:
                r = bulk(g, Path(tmp))
                total = r["export"] + r["import"] + r["schema"]
                print(f"  bulk: CSV export {r['export']:.1f} s + neo4j-admin import {r['import']:.1f} s "
                      f"+ schema {r['schema']:.1f} s = {total:.1f} s ({r['nodes']:,} nodes); "
                      f"batched load is {b / total:.1f}x the bulk time", flush=True)
        last = g
    del last


if __name__ == "__main__":
    main()
