"""Load a built graph into Neo4j: cypher/schema.cypher first, then nodes and relationships
in batched, idempotent `UNWIND $rows AS row MERGE …` transactions (CREATE for a label or
type the database does not hold yet), streamed from a store's graph.db or a networkx graph.

Labels and relationship types cannot be query parameters, so they come from the whitelist
below (the schema's), never from the data: a node or edge outside it stops the load.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Hashable, Iterable, Iterator, Optional

from ..export import as_rows

if TYPE_CHECKING:
    from neo4j import Driver

SCHEMA = Path(__file__).resolve().parents[2] / "cypher" / "schema.cypher"
BATCH = 1000
LABELS = ("Project", "Department", "Unit", "Document", "Authority", "Indicator")
# (start label, type, end label) -> the properties that tell two such edges apart
PATTERNS = {
    ("Project", "BELONGS_TO", "Department"): (),
    ("Project", "IMPLEMENTED_BY", "Unit"): (),
    ("Unit", "PART_OF", "Department"): (),
    ("Project", "CITES", "Document"): ("field", "start"),
    ("Document", "ISSUED_BY", "Authority"): ("source",),
    ("Document", "FORWARDS", "Document"): (),
    ("Project", "HAS_INDICATOR", "Indicator"): (),
}
NODE_MERGE = "UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) SET n += row.props"
EDGE_MERGE = ("UNWIND $rows AS row MATCH (a:{start} {{key: row.start}}) "
              "MATCH (b:{end} {{key: row.end}}) "
              "MERGE (a)-[r:{type} {{id: row.id}}]->(b) SET r += row.props")
# A label or type the database holds none of when the load starts gets CREATE: the same
# result as MERGE (the rows' keys and ids are unique), without looking each one up first.
NODE_CREATE = "UNWIND $rows AS row CREATE (n:{label} {{key: row.key}}) SET n += row.props"
EDGE_CREATE = ("UNWIND $rows AS row MATCH (a:{start} {{key: row.start}}) "
               "MATCH (b:{end} {{key: row.end}}) "
               "CREATE (a)-[r:{type} {{id: row.id}}]->(b) SET r += row.props")
NONE_OF_LABEL = "MATCH (n:{name}) RETURN count(n) = 0 AS none"  # both read the count store
NONE_OF_TYPE = "MATCH ()-[r:{name}]->() RETURN count(r) = 0 AS none"
# Document aggregates over every source loaded so far, not just this build.
DOCUMENT_TOTALS = """
MATCH (d:Document)
OPTIONAL MATCH (p:Project)-[:CITES]->(d)
WITH d, p ORDER BY p.key
WITH d, collect(DISTINCT p) AS ps
SET d.citations = size(ps),
    d.funds_cited = round(reduce(s = 0.0, q IN ps | s + coalesce(q.funds_total, 0.0)), 2)
"""

# The full-text index `search` must use the keyword analyzer (see schema.cypher); an older one
# made with another analyzer is dropped before the schema is applied, and so made again.
SEARCH_ANALYZER = ("SHOW FULLTEXT INDEXES YIELD name, options WHERE name = 'search' "
                   "RETURN options.indexConfig.`fulltext.analyzer` AS analyzer")
DROP_SEARCH = "DROP INDEX search IF EXISTS"

# step(description, items, total or None) -> the items, passed on as they go: progress.
Step = Callable[[str, Iterable, Optional[int]], Iterable]


class LoadError(ValueError):
    """The graph holds something the schema does not know."""


def schema_statements(path: Path = SCHEMA) -> list[str]:
    """The statements of schema.cypher, comments dropped."""
    text = re.sub(r"(?m)^\s*//.*$", "", path.read_text(encoding="utf-8"))
    return [s.strip() for s in text.split(";") if s.strip()]


_JSON = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False), made once
_decode = json.JSONDecoder().raw_decode  # json.loads less its whitespace checks (none stored)


def edge_id(start: str, type_: str, end: str, identity: Iterable) -> str:
    """A stable id for an edge: its ends, its type and what tells it from its siblings."""
    text = _JSON([start, type_, end, *identity])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


Node = tuple[str, str, str, dict]  # id, label, key, properties
# source, its label, its key, target, its label, its key, type, properties
Edge = tuple[str, str, str, str, str, str, str, dict]


def streamed_nodes(rows) -> Iterator[tuple[str, dict]]:
    """labelled() over store rows (export.as_rows): the properties decoded one row at a time."""
    return labelled((n, label, key, _decode(props)[0]) for n, label, key, props in rows.nodes())


def streamed_edges(rows) -> Iterator[tuple[tuple[str, str, str], dict]]:
    """patterned() over store rows, each end's label and key read from its id."""
    return patterned((s, *_ends(s), t, *_ends(t), type_, _decode(props)[0])
                     for s, t, type_, props in rows.edges())


def _ends(nid: str) -> tuple[str, str]:
    """The label and key of a node id, label:key (graph.node_id; no label holds a ':')."""
    label, _, key = nid.partition(":")
    return label, key


def labelled(nodes: Iterable[Node]) -> Iterator[tuple[str, dict]]:
    """(label, row for NODE_MERGE) for each node; a label outside the schema stops."""
    for nid, label, key, props in nodes:
        yield _label(nid, label), {"key": key, "props": props}


def patterned(edges: Iterable[Edge]) -> Iterator[tuple[tuple[str, str, str], dict]]:
    """((start label, type, end label), row for EDGE_MERGE), one row per id; a pattern outside
    the schema stops. Edges sharing an id share their ends, and must come one after another,
    as the edges of one pair do: they make one row, as MERGE then SET += would (later values
    win)."""
    pair, run = None, {}  # the current (source, target); its rows by id
    for s, a, a_key, t, b, b_key, type_, props in edges:
        if (s, t) != pair:
            yield from run.values()
            pair, run = (s, t), {}
        pattern = _pattern(s, a, type_, t, b)
        id_ = edge_id(s, type_, t, [props.get(k) for k in PATTERNS[pattern]])
        if id_ in run:
            run[id_][1]["props"].update(props)
        else:
            run[id_] = pattern, {"start": a_key, "end": b_key, "props": props, "id": id_}
    yield from run.values()


def _label(nid: str, label: str) -> str:
    if label not in LABELS:
        raise LoadError(f"node {nid}: label {label!r} is not in the schema")
    return label


def _pattern(s: str, a: str, type_: str, t: str, b: str) -> tuple[str, str, str]:
    if (a, type_, b) not in PATTERNS:
        raise LoadError(f"edge {s} -> {t}: ({a})-[:{type_}]->({b}) is not in the schema")
    return a, type_, b


def load(driver: Driver, source, database: str, step: Step = lambda _d, items, _total: items,
         batch_size: int = BATCH) -> None:
    """Apply the schema, then MERGE every node and edge of `source` (a store's graph.db, or a
    networkx graph) in transactions of `batch_size` rows, streamed: a buffer of rows per label
    and per pattern, sent when full; every node before any relationship. Safe to run again,
    also after an interrupted run. `step(description, items, total)` sees the schema's
    statements go by, then the nodes' rows and the relationships' as they are written (the
    totals: how many nodes, and edges, `source` holds)."""
    if batch_size < 1:
        raise LoadError(f"batch size must be at least 1, not {batch_size}")
    rows = as_rows(source)
    nodes, edges = _sizes(rows)
    with driver.session(database=database) as session:
        statements = _statements(_new(session))
        analyzer = [r["analyzer"] for r in session.run(SEARCH_ANALYZER)]
        if analyzer and analyzer != ["keyword"]:
            session.run(DROP_SEARCH).consume()
        schema = schema_statements()
        for statement in step("Schema", schema, len(schema)):
            session.run(statement).consume()
        for description, named, total in (("Nodes", streamed_nodes(rows), nodes),
                                          ("Relationships", streamed_edges(rows), edges)):
            for _ in step(description, _sent(session, statements, named, batch_size), total):
                pass
        session.execute_write(_write, DOCUMENT_TOTALS)


def _sizes(rows) -> tuple[int, int]:
    """How many nodes and edges `rows` hold, read once without their properties: a label or
    pattern outside the schema, or a node id other than label:key (edges name their ends by
    it), stops the load before anything is written."""
    nodes = edges = 0
    for nodes, (nid, label, key, _) in enumerate(rows.nodes(), 1):
        if _ends(nid) != (_label(nid, label), key):
            raise LoadError(f"node {nid}: its id is not its label:key ({label}:{key})")
    for edges, (s, t, type_, _) in enumerate(rows.edges(), 1):
        _pattern(s, _ends(s)[0], type_, t, _ends(t)[0])
    return nodes, edges


def _new(session) -> set[str]:
    """The labels of the schema, and its relationship types, the database holds none of."""
    names = [*LABELS, *dict.fromkeys(t for _, t, _ in PATTERNS)]
    return {name for name in names
            if session.run((NONE_OF_TYPE if name.isupper() else NONE_OF_LABEL).format(
                name=name)).single()["none"]}


def _statements(new: set[str]) -> dict:
    """The statement writing each label's and each pattern's rows: CREATE for the `new`."""
    out: dict = {label: (NODE_CREATE if label in new else NODE_MERGE).format(label=label)
                 for label in LABELS}
    out.update({(a, t, b): (EDGE_CREATE if t in new else EDGE_MERGE).format(
                    start=a, type=t, end=b) for a, t, b in PATTERNS})
    return out


def _sent(session, statements: dict, named: Iterable[tuple[Hashable, dict]],
          size: int) -> Iterator[dict]:
    """Write `named` (name, row) pairs, a transaction per `size` rows of one name (a buffer
    per name, sent when full, then what is left); yield each row once written."""
    buffers: dict[Hashable, list[dict]] = defaultdict(list)
    for name, row in named:
        buffer = buffers[name]
        buffer.append(row)
        if len(buffer) == size:
            yield from _send(session, statements[name], buffers.pop(name))
    for name, buffer in buffers.items():
        yield from _send(session, statements[name], buffer)


def _send(session, statement: str, rows: list[dict]) -> list[dict]:
    session.execute_write(_write, statement, rows=rows)
    return rows


def _write(tx, statement: str, **params) -> None:
    tx.run(statement, params).consume()


def db_counts(driver: Driver, database: str) -> dict[str, int]:
    """Nodes per label and relationships per type in the database."""
    out: dict[str, int] = {}
    with driver.session(database=database) as session:
        for query in ("MATCH (n) UNWIND labels(n) AS name RETURN name, count(*) AS n",
                      "MATCH ()-[r]->() RETURN type(r) AS name, count(*) AS n"):
            out.update({r["name"]: r["n"] for r in session.run(query)})
    return out
