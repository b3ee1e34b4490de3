"""The embedded default store: one SQLite file holding nodes and edges.

Needs no server, opens with any SQLite client, and loads back into the same
networkx graph. Properties are stored as JSON.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import networkx as nx

SCHEMA = """
CREATE TABLE nodes (id TEXT PRIMARY KEY, label TEXT NOT NULL, key TEXT NOT NULL, props TEXT NOT NULL);
CREATE TABLE edges (src TEXT NOT NULL, dst TEXT NOT NULL, type TEXT NOT NULL, props TEXT NOT NULL);
CREATE INDEX nodes_label ON nodes(label);
CREATE INDEX edges_src ON edges(src, type);
CREATE INDEX edges_dst ON edges(dst, type);
"""


def save(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write the graph to a fresh SQLite file (replaced atomically)."""
    path = Path(path)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.unlink(missing_ok=True)
    with sqlite3.connect(tmp) as db:
        db.executescript(SCHEMA)
        db.executemany(
            "INSERT INTO nodes VALUES (?, ?, ?, ?)",
            ((n, d["label"], d["key"], json.dumps(_props(d), ensure_ascii=False))
             for n, d in g.nodes(data=True)),
        )
        db.executemany(
            "INSERT INTO edges VALUES (?, ?, ?, ?)",
            ((s, t, d["type"], json.dumps(_props(d), ensure_ascii=False))
             for s, t, d in g.edges(data=True)),
        )
    db.close()
    tmp.replace(path)
    return path


def load(path: str | Path) -> nx.MultiDiGraph:
    """Read a store written by save()."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no graph store here (run `graphbuild build` first)")
    g = nx.MultiDiGraph()
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        for nid, label, key, props in db.execute("SELECT id, label, key, props FROM nodes"):
            g.add_node(nid, label=label, key=key, **json.loads(props))
        for src, dst, type_, props in db.execute("SELECT src, dst, type, props FROM edges"):
            g.add_edge(src, dst, type=type_, **json.loads(props))
    db.close()
    return g


def _props(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in ("label", "key", "type")}
