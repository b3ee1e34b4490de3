"""A read-only graph over graph.db that reads only what a query touches.

StoreView offers the part of networkx's MultiDiGraph API that queries.py and the reports
use (``nodes``, ``in_edges``, ``out_edges``, ``edges``, ``in``, ``subgraph``), in
networkx's order: nodes as stored, a node's edges grouped by neighbour as store.load()
would add them. So every query gives the rows it gives on store.load(), with no load.

A node's JSON properties are read (when scanning) and decoded only when a property other
than label and key is asked for; nodes and adjacency are kept in small LRU caches. What a
query visits next is read ahead in one statement, not one per node: the sources of
in-edges just read, and (`linked`, queries.py's _sources and _targets) the links of one
type of all those sources, without the edges' properties. A document named by
文号 or title is found through store.INDEXES' nodes_doc_no and nodes_title (a store built
without them is searched Document row by row, with the same result).
"""
from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Iterator

import networkx as nx

from . import answers
from .store import open_readonly

_DOCS = ("SELECT key, json_extract(props, '$.doc_no'), json_extract(props, '$.title') "
         "FROM nodes WHERE label = 'Document'")


class Props(Mapping):
    """A node's or edge's properties: `head` (label and key, or type) at once, the JSON
    `text` (or a function reading it) decoded on first use of any other property."""

    __slots__ = ("_head", "_text", "_all")

    def __init__(self, head: dict, text):
        self._head, self._text, self._all = head, text, None

    def _decoded(self) -> dict:
        if self._all is None:
            text = self._text if isinstance(self._text, str) else self._text()
            self._all = self._head if text == "{}" else {**self._head, **json.loads(text)}
        return self._all

    def __getitem__(self, name: str):
        head = self._head
        return head[name] if name in head else self._decoded()[name]

    def get(self, name: str, default=None):
        head = self._head
        return head[name] if name in head else self._decoded().get(name, default)

    def __iter__(self):
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())


class _LRU(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def hit(self, key):
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key, value):
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)
        return value


class NodeView(Mapping):
    """``g.nodes``: ``[id]``, ``in``, ``get``, iteration, and ``(data=True | name)``."""

    def __init__(self, view: StoreView):
        self._view = view

    def __getitem__(self, nid: str) -> Props:
        return self._view._node(nid)

    def __contains__(self, nid) -> bool:
        return self._view._node(nid, None) is not None

    def __iter__(self) -> Iterator[str]:
        return (nid for nid, in self._view.db.execute("SELECT id FROM nodes ORDER BY rowid"))

    def __len__(self) -> int:
        return self._view.db.execute("SELECT count(*) FROM nodes").fetchone()[0]

    def __call__(self, data: bool | str = False):
        if data is False:
            return iter(self)
        rows = self._view.db.execute("SELECT id, label, key FROM nodes ORDER BY rowid")
        props = self._view._props
        return ((nid, _shape(Props({"label": label, "key": key}, partial(props, nid)), data))
                for nid, label, key in rows)


class StoreView:
    """A graph.db read in place (read-only, `db`); `cache` nodes and adjacency lists are
    kept."""

    def __init__(self, path: str | Path, cache: int = 20_000):
        self.db = open_readonly(path)
        self.db.execute("SELECT id, label, key, props FROM nodes LIMIT 1").fetchall()
        self.db.execute("SELECT src, dst, type, props FROM edges LIMIT 1").fetchall()
        self.nodes = NodeView(self)
        self.answers = answers.present(self.db)  # graph.db holds cited_by's rows
        self._nodes, self._adj, self._links = _LRU(cache), _LRU(cache), _LRU(cache)
        self._near: dict[str, None] = {}  # the sources last read (_visit)

    def close(self) -> None:
        self.db.close()

    def __contains__(self, nid) -> bool:
        return nid in self.nodes

    def __iter__(self) -> Iterator[str]:
        return iter(self.nodes)

    def in_edges(self, nid: str, data: bool | str = False) -> list[tuple]:
        return _shaped(self._edges(nid, "dst"), data)

    def out_edges(self, nid: str, data: bool | str = False) -> list[tuple]:
        return _shaped(self._edges(nid, "src"), data)

    def edges(self, data: bool | str = False) -> Iterator[tuple]:
        """Every edge, streamed in networkx's order: by source, in node order."""
        for nid in self.nodes:
            yield from _shaped(self._read_edges(nid, "src"), data)

    def subgraph(self, nids) -> nx.MultiDiGraph:
        """A networkx copy of the nodes `nids` and the edges between them."""
        g = nx.MultiDiGraph()
        keep = [n for n in nids if n in self]
        for n in keep:
            g.add_node(n, **self.nodes[n])
        for n in keep:
            g.add_edges_from((u, v, dict(d)) for u, v, d in self.out_edges(n, data=True)
                             if v in g)
        return g

    def documents(self, doc_nos: list[str] | None = None, title: str | None = None
                  ) -> list[tuple[str, str | None, str | None]]:
        """(key, doc_no, title) of the documents carrying one of `doc_nos` or `title`;
        of every document when neither is given."""
        if doc_nos is None and title is None:
            return self.db.execute(_DOCS).fetchall()
        by = [f"{_DOCS} AND json_extract(props, '$.doc_no') = ?"] * len(doc_nos or [])
        by.append(f"{_DOCS} AND json_extract(props, '$.title') = ?")
        return self.db.execute(" UNION ".join(by), [*(doc_nos or []), title]).fetchall()

    def linked(self, nid: str, rel: str, incoming: bool = False) -> list[str]:
        """The nodes at the other end of `nid`'s `rel` edges (edges into it if `incoming`),
        one per edge, in in_edges / out_edges order (one type of edge joins any two nodes).
        Read for `nid` and, in the same statement, for the other sources of the last
        in-edges read (the queries visit them in turn); the nodes found are read too."""
        found = self._links.hit((nid, rel, incoming))
        if found is None:
            end, other = ("dst", "src") if incoming else ("src", "dst")
            batch = [nid]
            if nid in self._near:
                batch += [n for n in self._near if (n, rel, incoming) not in self._links]
            ends: dict[str, list[str]] = {n: [] for n in batch}
            for _, a, b in sorted(self.db.execute(
                    f"SELECT rowid, {end}, {other} FROM edges WHERE {end} IN"
                    " (SELECT value FROM json_each(?)) AND type = ?", (json.dumps(batch), rel))):
                ends[a].append(b)
            for n, ns in ends.items():
                self._links.put((n, rel, incoming), _grouped(ns, ns))
            found = self._links[(nid, rel, incoming)]
            if incoming:
                self._visit(found)
            else:
                self._read_nodes([m for ns in ends.values() for m in ns])
        return found

    def _node(self, nid: str, *default):
        node = self._nodes.hit(nid)
        if node is None:
            row = self.db.execute("SELECT label, key, props FROM nodes WHERE id = ?",
                                   (nid,)).fetchone()
            if row is None:
                if default:
                    return default[0]
                raise KeyError(nid)
            node = self._nodes.put(nid, Props({"label": row[0], "key": row[1]}, row[2]))
        return node

    def _props(self, nid: str) -> str:
        return self.db.execute("SELECT props FROM nodes WHERE id = ?", (nid,)).fetchone()[0]

    def _edges(self, nid: str, end: str) -> list[tuple[str, str, Mapping]]:
        """A node's edges at `end` (src: out, dst: in), cached."""
        edges = self._adj.hit((nid, end))
        if edges is None:
            edges = self._adj.put((nid, end), self._read_edges(nid, end))
            if end == "dst":
                self._visit([u for u, _, _ in edges])
        return edges

    def _read_edges(self, nid: str, end: str) -> list[tuple[str, str, Mapping]]:
        """(u, v, data) as networkx holds them: grouped by the neighbour in the order of
        its first edge, each group in store order."""
        rows = self.db.execute(f"SELECT rowid, src, dst, type, props FROM edges WHERE {end} = ?",
                                (nid,)).fetchall()
        rows.sort()
        other = 2 if end == "src" else 1
        return [(u, v, {"type": t} if p == "{}" else Props({"type": t}, p))
                for _, u, v, t, p in _grouped(rows, [r[other] for r in rows])]

    def _visit(self, sources: list[str]) -> None:
        """Sources just read, which the queries visit next: read their nodes now, and their
        links with the first asked for (linked)."""
        self._near = dict.fromkeys(sources[:self._links.size // 2])
        self._read_nodes(sources)

    def _read_nodes(self, nids: list[str]) -> None:
        """Read the nodes among `nids` not cached yet, in one statement."""
        missing = list({n: None for n in nids if n not in self._nodes})
        if 1 < len(missing) <= self._nodes.size // 2:
            for nid, label, key, props in self.db.execute(
                    "SELECT id, label, key, props FROM nodes WHERE id IN"
                    " (SELECT value FROM json_each(?))", (json.dumps(missing),)):
                self._nodes.put(nid, Props({"label": label, "key": key}, props))


def _grouped(items: list, keys: list) -> list:
    """`items` grouped by their `keys` (neighbours), groups in order of first appearance,
    each in store order: how networkx holds a node's edges."""
    groups: dict = {}
    for item, key in zip(items, keys):
        groups.setdefault(key, []).append(item)
    return items if len(groups) == len(items) else [i for g in groups.values() for i in g]


def _shape(d: Mapping, data: bool | str):
    """networkx's `data` argument: the properties (True) or one of them (a name)."""
    return d if data is True else d.get(data)


def _shaped(edges: list[tuple[str, str, Mapping]], data: bool | str) -> list[tuple]:
    if data is True:
        return list(edges)
    if data is False:
        return [(u, v) for u, v, _ in edges]
    return [(u, v, d.get(data)) for u, v, d in edges]
