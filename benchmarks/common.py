"""Helpers shared by the benchmarks: the machine, corpora, timing and percentiles."""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from . import synth

CORPORA = Path(os.environ.get("GRAPHBUILD_SYNTH_DIR", "/tmp/graphbuild-synth"))
STORES = Path(os.environ.get("GRAPHBUILD_STORES", "/tmp/graphbuild-stores"))


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    mem = next((int(line.split()[1]) // 1024 ** 2 for line in
                Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0)
    load = os.getloadavg()[0]
    return (f"{os.cpu_count()} cores, {mem} GiB, {cpu}, Python {platform.python_version()}, "
            f"load average {load:.2f} at start")


def corpus(scale: int, seed: int = 0) -> tuple[Path, synth.Manifest]:
    """The synthetic corpus of a scale, generated once into CORPORA/<scale>."""
    folder = CORPORA / f"x{scale}-s{seed}"
    if not (folder / "manifest.json").is_file():
        synth.generate(folder, scale, seed)
    return folder, synth.load_manifest(folder)


def store_for(scale: int) -> Path:
    """graph.db of the corpus of a size, built once into STORES/x<scale> by build.run (1000x:
    about 40 minutes), holding cited_by's rows (added, as the build's end does, to a store
    built before they were kept)."""
    import sqlite3

    from graphbuild import answers, build

    db = STORES / f"x{scale}" / "graph.db"
    if not db.is_file():
        folder, m = corpus(scale)
        build.run([folder / f for f in m.files], db.parent)
    with sqlite3.connect(db) as con:
        if not answers.present(con):
            answers.write(con)
    con.close()
    return db


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def runs(repeat: int, fn) -> list[float]:
    return [timed(fn)[0] for _ in range(repeat)]


def spread(times: list[float]) -> str:
    """'best 1.23 s, median 1.30, max 1.41 (n=3)'."""
    return (f"best {min(times):.3f} s, median {statistics.median(times):.3f}, "
            f"max {max(times):.3f} (n={len(times)})")


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024



def size_main(module: str, doc: str, scales: list[int], one, report, argv=None) -> None:
    """The command line shared by the per-size benchmarks: each size in args.scale runs
    `one(scale, queries, load_max)` in its own process (`python -m MODULE --one N`); the
    rows are `report`ed and written to --json if given."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--scale", type=int, nargs="+", default=scales)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--load-max", type=int, default=100,
                    help="largest size also loaded whole into networkx (default 100)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process
    args = ap.parse_args(argv)
    if args.one is not None:
        print(json.dumps(one(args.one, args.queries, args.load_max)))
        return
    print(f"machine: {machine()}")
    results = []
    for scale in args.scale:
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", module, "--one", str(scale), "--queries",
                              str(args.queries), "--load-max", str(args.load_max)],
                             capture_output=True, text=True)
        if out.returncode:
            print(f"{scale}x failed:\n{out.stderr[-2000:]}")
            break
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"{scale}x done in {time.perf_counter() - start:.0f} s wall", flush=True)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
