"""The Cypher pack: cypher/queries/<name>.cypher, one parameterised query a file, run in
read-only transactions. Each file's header declares its parameters:

    //   $name  string|int  what it is (default 10)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..queries import UnknownDocument, doc_query, pick_document, search_term

if TYPE_CHECKING:
    from neo4j import Driver

READ_ACCESS = "READ"  # neo4j.READ_ACCESS, without importing the driver for every command
PACK = Path(__file__).resolve().parents[2] / "cypher" / "queries"
PARAM = re.compile(r"^//\s+\$(\w+)\s+(string|int)\s+(.*?)(?:\(default (\S+)\))?\s*$", re.M)
# `$doc` read as the first of the candidate keys a Document has, inside the query itself: one
# round trip when the text names a key (any spelling of a 文号 does); only when that finds no
# row is the text resolved as pick_document does (文号 carried, title) and the query run again.
BY_KEY = ("CALL () {{ UNWIND range(0, size($keys) - 1) AS i MATCH (x:Document {{key: $keys[i]}}) "
          "RETURN x.key AS doc ORDER BY i LIMIT 1 }}\n{query}")
DOC = re.compile(r"\$doc\b")
# A query's rows as one record; its columns (from EXPLAIN of the query) quoted as names.
COLLECTED = "CALL () {{\n{query}\n}}\nRETURN collect([{columns}]) AS rows"
FIND_DOCUMENT = ("MATCH (d:Document) WHERE d.key IN $keys OR d.doc_no IN $doc_nos "
                 "OR d.title = $title RETURN d.key AS key, d.doc_no AS doc_no, d.title AS title "
                 "ORDER BY key")


class PackError(ValueError):
    """An unknown query, a bad or missing parameter, or a document Neo4j does not hold."""


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    params: dict[str, tuple[str, str | None]]  # name -> (type, default)


def names() -> list[str]:
    """The queries of the pack."""
    return sorted(p.stem for p in PACK.glob("*.cypher"))


def get(name: str) -> Query:
    """A query of the pack, with the parameters its header declares."""
    if name not in names():
        raise PackError(f"no query {name!r} in {PACK}; known: {', '.join(names())}")
    text = (PACK / f"{name}.cypher").read_text(encoding="utf-8")
    return Query(name, text, {m[1]: (m[2], m[4]) for m in PARAM.finditer(text)})


def defaults(query: Query) -> dict:
    """The parameters the header gives a default, with their default values."""
    return {k: int(d) if t == "int" else d for k, (t, d) in query.params.items()
            if d is not None}


def parse_params(query: Query, pairs: list[str]) -> dict:
    """`k=v` pairs checked against the header: every parameter given or defaulted, ints read."""
    given = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in query.params:
            raise PackError(f"{query.name}: bad parameter {pair!r}; expected "
                            + ", ".join(f"{k}=<{t}>" for k, (t, _) in query.params.items()))
        given[key] = value
    out = {}
    for key, (type_, default) in query.params.items():
        value = given.get(key, default)
        if value is None:
            raise PackError(f"{query.name}: missing --param {key}=<{type_}>")
        if not value.strip():
            raise PackError(f"{query.name}: {key} must not be empty")
        if type_ == "int" and not re.fullmatch(r"\d+", value):
            raise PackError(f"{query.name}: {key} must be a whole number ≥ 0, not {value!r}")
        out[key] = int(value) if type_ == "int" else value
    return out


def run(driver: Driver, database: str, name: str, params: dict) -> list[dict]:
    """Rows of a pack query, in a read-only transaction (a write in it fails)."""
    query = get(name)
    params = {**defaults(query), **params}
    if "q" in params:
        params = {**params, "q": search_term(params["q"])}
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        if "doc" in params:
            text, keys = params["doc"], doc_query(params["doc"]).keys
            rows = session.execute_read(_collected, BY_KEY.format(query=DOC.sub("doc", query.text)),
                                        {**{k: v for k, v in params.items() if k != "doc"},
                                         "keys": keys})
            if rows:
                return rows
            params = {**params, "doc": _document_key(session, text)}
        return session.execute_read(_collected, query.text, params)


def run_cypher(driver: Driver, database: str, statement: str, params: dict) -> list[dict]:
    """Rows of any Cypher statement, in a read transaction: a statement that writes (data or
    schema) is refused with a PackError, and nothing is changed."""
    if statement.strip() in names():
        raise PackError(f"{statement.strip()!r} is a named query: run `graphbuild query "
                        f"{statement.strip()} --backend neo4j`")
    from neo4j.exceptions import Neo4jError

    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        try:
            return session.execute_read(_read, statement, params)
        except Neo4jError as err:
            if err.code and (err.code.endswith(".AccessMode") or "read access mode" in
                             (err.message or "")):
                raise PackError("refused: `graphbuild cypher` runs read-only, and this "
                                "statement writes (use `graphbuild load` to change the "
                                "database)") from None
            raise


def _document_key(session, text: str) -> str:
    q = doc_query(text)
    found = session.execute_read(_read, FIND_DOCUMENT,
                                 {"keys": q.keys, "doc_nos": q.doc_nos, "title": q.title})
    try:
        return pick_document(q, [(r["key"], r["doc_no"], r["title"]) for r in found])
    except UnknownDocument as err:
        raise PackError(str(err).replace("in the graph", "in Neo4j")) from None


def _read(tx, text: str, params: dict) -> list[dict]:
    return tx.run(text, params).data()


_COLUMNS: dict[str, list[str]] = {}  # query text -> its columns, as EXPLAIN gives them


def _collected(tx, text: str, params: dict) -> list[dict]:
    """The rows of a query of scalars, collected by the server into one record: the driver
    spends ≈ 3 µs on each record it receives, which for answers of thousands of rows cost more
    than the query (cited_by at 100×, p95 37.4 → 14.8 ms; BENCHMARKS.md)."""
    columns = _COLUMNS.get(text)
    if columns is None:
        columns = _COLUMNS[text] = tx.run("EXPLAIN " + text, params).keys()
    row = ", ".join("`" + c.replace("`", "``") + "`" for c in columns)
    record = tx.run(COLLECTED.format(query=text, columns=row), params).single()
    return [dict(zip(columns, values)) for values in record[0]]
