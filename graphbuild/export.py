"""File exports of the graph: node-link JSON and GraphML (for Gephi)."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx


def write_json(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """networkx node-link JSON; every node has `label`, every edge `type`."""
    data = nx.node_link_data(g, edges="edges")
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return Path(path)


def write_graphml(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """GraphML with one attribute type per key, as Gephi expects."""
    nx.write_graphml(_typed(g), path, encoding="utf-8")
    return Path(path)


def _typed(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Give every attribute one type across the graph (GraphML declares keys once)."""
    kinds: dict[str, type] = {}
    for _, d in g.nodes(data=True):
        for k, v in d.items():
            kinds[k] = str if kinds.get(k, type(v)) is not type(v) else type(v)
    h = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        h.add_node(n, **{k: (str(v) if kinds[k] is str else v) for k, v in d.items()})
    h.add_edges_from(g.edges(keys=True, data=True))
    return h
