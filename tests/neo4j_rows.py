"""The rows graphbuild.neo4j.load writes, made straight from a networkx graph's nodes and
edges (not through export.as_rows): the reference the streamed load and the bulk export are
checked against."""
from collections import defaultdict
from typing import Iterable

import networkx as nx

from graphbuild.neo4j.load import labelled, patterned


def node_rows(g: nx.MultiDiGraph) -> dict[str, list[dict]]:
    """Rows for NODE_MERGE, by label."""
    return _grouped(labelled(
        (n, d["label"], d["key"], {k: v for k, v in d.items() if k not in ("label", "key")})
        for n, d in g.nodes(data=True)))


def edge_rows(g: nx.MultiDiGraph) -> dict[tuple[str, str, str], list[dict]]:
    """Rows for EDGE_MERGE, by (start label, type, end label); one row per id."""
    nodes = g.nodes
    return _grouped(patterned(
        (s, nodes[s]["label"], nodes[s]["key"], t, nodes[t]["label"], nodes[t]["key"], d["type"],
         {k: v for k, v in d.items() if k != "type"}) for s, t, d in g.edges(data=True)))


def _grouped(rows: Iterable[tuple]) -> dict:
    """(name, row) pairs as name -> rows, in order."""
    out = defaultdict(list)
    for name, row in rows:
        out[name].append(row)
    return out
