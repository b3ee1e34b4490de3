"""The embedded default store: one SQLite file holding nodes and edges.

Needs no server, opens with any SQLite client, and loads back into the same networkx
graph. Properties are stored as JSON. `Writer` fills a store row by row as the graph is
built, so no graph need be held in memory; `Rows` reads one back row by row.
"""
from __future__ import annotations

import gc
import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

import networkx as nx

TABLES = """
CREATE TABLE nodes (id TEXT PRIMARY KEY, label TEXT NOT NULL, key TEXT NOT NULL, props TEXT NOT NULL);
CREATE TABLE edges (src TEXT NOT NULL, dst TEXT NOT NULL, type TEXT NOT NULL, props TEXT NOT NULL);
CREATE UNIQUE INDEX edges_src ON edges(src, dst, type, props);
"""
INDEXES = """
CREATE INDEX nodes_label ON nodes(label);
CREATE INDEX edges_dst ON edges(dst, type);
CREATE INDEX nodes_doc_no ON nodes(json_extract(props, '$.doc_no')) WHERE label = 'Document';
CREATE INDEX nodes_title ON nodes(json_extract(props, '$.title')) WHERE label = 'Document';
"""
# A store being written is a scratch file until close() renames it into place.
FAST = ("PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF", "PRAGMA cache_size=-262144")

NodeRow = tuple[str, str, str, dict]  # id, label, key, properties
EdgeRow = tuple[str, str, str, dict]  # src, dst, type, properties


# Properties as stored: compact JSON, so equal properties give equal text.
dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class Writer:
    """A fresh store filled as the graph is built; `close()` puts it at `path` atomically.

    Nodes merge on id (a property's first value wins, new ones are added); an edge with the
    same source, target, type and properties as one already written is written once.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        self.tmp.unlink(missing_ok=True)
        self.db = sqlite3.connect(self.tmp)
        for pragma in FAST:
            self.db.execute(pragma)
        self.db.executescript(TABLES)

    def add_nodes(self, rows: Iterable[NodeRow]) -> None:
        self.db.executemany(
            "INSERT INTO nodes VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "props = json_patch(excluded.props, nodes.props)",
            ((n, label, key, dumps(props)) for n, label, key, props in rows))

    def add_edges(self, rows: Iterable[EdgeRow]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO edges VALUES (?, ?, ?, ?)",
                            ((s, t, type_, dumps(props)) for s, t, type_, props in rows))

    def index(self) -> None:
        """Create the lookup indexes (faster once than row by row)."""
        self.db.executescript(INDEXES)

    def rename(self, ids: dict[str, str]) -> None:
        """Point edges at node `old` to node `new` instead, for every `old: new`; edges
        that become equal to one already there are dropped. Call after index()."""
        for old, new in ids.items():
            self.db.execute("UPDATE OR REPLACE edges SET src = ? WHERE src = ?", (new, old))
            self.db.execute("UPDATE OR REPLACE edges SET dst = ? WHERE dst = ?", (new, old))

    def citing_totals(self) -> dict[str, tuple[int, float]]:
        """Per node cited: the distinct projects citing it and the sum of their funds_total."""
        return {dst: (n, funds) for dst, n, funds in self.db.execute(
            "SELECT c.dst, COUNT(*), SUM(COALESCE(json_extract(p.props, '$.funds_total'), 0.0))"
            " FROM (SELECT DISTINCT dst, src FROM edges WHERE type = 'CITES') c"
            " JOIN nodes p ON p.id = c.src GROUP BY c.dst")}

    def close(self) -> Path:
        self.db.commit()
        self.db.close()
        self.tmp.replace(self.path)
        return self.path

    def abandon(self) -> None:
        self.db.close()
        self.tmp.unlink(missing_ok=True)


def save(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write a networkx graph to a fresh store (replaced atomically); equal parallel edges
    are stored once."""
    w = Writer(path)
    w.add_nodes((n, d["label"], d["key"], _props(d)) for n, d in g.nodes(data=True))
    w.add_edges((s, t, d["type"], _props(d)) for s, t, d in g.edges(data=True))
    w.index()
    return w.close()


def load(path: str | Path, labels: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """Read a store into networkx: every node, or only those of `labels` and the edges
    among them."""
    with _open(path) as db:
        if labels is None:
            nodes = db.execute("SELECT id, label, key, props FROM nodes")
            edges = db.execute("SELECT src, dst, type, props FROM edges")
        else:
            db.execute("CREATE TEMP TABLE keep (id TEXT PRIMARY KEY)")
            marks = ",".join("?" * len(labels := list(labels)))
            db.execute(f"INSERT INTO keep SELECT id FROM nodes WHERE label IN ({marks})", labels)
            nodes, edges = _subgraph(db)
        return _graph(nodes, edges)


def load_top_cited(path: str | Path, documents: int, projects: int) -> nx.MultiDiGraph:
    """What an overview draws, and no more: the `documents` most cited documents (by
    citations, funds_cited, id), those they forward, the projects citing any of them (the
    `projects` largest by funds_total, then id), those projects' departments, and every edge
    among these nodes."""
    with _open(path) as db:
        db.executescript("""
            CREATE TEMP TABLE keep (id TEXT PRIMARY KEY);
            CREATE TEMP TABLE docs (id TEXT PRIMARY KEY);""")
        db.execute("""INSERT INTO docs SELECT id FROM nodes WHERE label = 'Document'
                      AND json_extract(props, '$.citations') > 0 ORDER BY
                      json_extract(props, '$.citations') DESC,
                      COALESCE(json_extract(props, '$.funds_cited'), 0) DESC, id LIMIT ?""",
                   (documents,))
        db.executescript("""
            INSERT OR IGNORE INTO docs SELECT e.dst FROM docs d CROSS JOIN edges e
                ON e.src = d.id AND e.type = 'FORWARDS';
            INSERT INTO keep SELECT id FROM docs;""")
        db.execute("""INSERT INTO keep SELECT p.id FROM (SELECT DISTINCT e.src AS id FROM docs d
                      CROSS JOIN edges e ON e.dst = d.id AND e.type = 'CITES') c
                      CROSS JOIN nodes p ON p.id = c.id ORDER BY
                      COALESCE(json_extract(p.props, '$.funds_total'), 0) DESC, p.id LIMIT ?""",
                   (projects,))
        db.execute("""INSERT OR IGNORE INTO keep SELECT e.dst FROM keep k CROSS JOIN nodes p
                      ON p.id = k.id AND p.label = 'Project' CROSS JOIN edges e
                      ON e.src = k.id AND e.type = 'BELONGS_TO'""")
        return _graph(*_subgraph(db))


def counts(path: str | Path) -> dict[str, int]:
    """Nodes per label and edges per type."""
    with _open(path) as db:
        c = Counter(dict(db.execute("SELECT label, COUNT(*) FROM nodes GROUP BY label")))
        c.update(dict(db.execute("SELECT type, COUNT(*) FROM edges GROUP BY type")))
    return dict(c)


class Rows:
    """A store read row by row, properties as stored JSON text (what export.py reads)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def nodes(self) -> Iterator[tuple[str, str, str, str]]:
        with _open(self.path) as db:
            yield from db.execute("SELECT id, label, key, props FROM nodes")

    def edges(self) -> Iterator[tuple[str, str, str, str]]:
        """The edges between one pair one after another (in index order)."""
        with _open(self.path) as db:
            yield from db.execute("SELECT src, dst, type, props FROM edges ORDER BY src, dst")


def open_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to a store; a missing one is a FileNotFoundError saying so."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no graph store here (run `graphbuild build` first)")
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


class _open:
    """A read-only connection, closed on leaving the block."""

    def __init__(self, path: str | Path):
        self.db = open_readonly(path)

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, *_exc) -> None:
        self.db.close()


def _subgraph(db: sqlite3.Connection):
    """Rows of the nodes in temp table `keep` and of the edges among them. (CROSS JOIN
    fixes the order: from the few kept rows into the indexes, never a scan of edges.)"""
    nodes = db.execute("SELECT n.id, n.label, n.key, n.props FROM keep k CROSS JOIN nodes n"
                       " ON n.id = k.id").fetchall()
    edges = db.execute("SELECT e.src, e.dst, e.type, e.props FROM keep k CROSS JOIN edges e"
                       " ON e.src = k.id CROSS JOIN keep k2 ON k2.id = e.dst").fetchall()
    return nodes, edges


def _graph(nodes, edges) -> nx.MultiDiGraph:
    """networkx from rows, with the cyclic garbage collector paused: the graph makes no
    garbage, and each collection would walk the whole growing heap."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        g = nx.MultiDiGraph()
        for nid, label, key, props in nodes:
            g.add_node(nid, label=label, key=key, **json.loads(props))
        for src, dst, type_, props in edges:
            g.add_edge(src, dst, type=type_, **json.loads(props))
        return g
    finally:
        if enabled:
            gc.enable()


def _props(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in ("label", "key", "type")}
