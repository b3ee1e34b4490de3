"""Export a built graph as CSV files for `neo4j-admin database import full`: the fast first load
of an empty database (no transactions, no MERGE), holding what `graphbuild load` would write.

One file per label (nodes) or relationship type, and per set of property types within it:
a header such as `key:ID(Project),name:string,year:long,funds_total:double` types every
column, so a property keeps the type it has in the graph (integers are `long` and floats
`double`: neo4j-admin's `int`/`float` are 32-bit and would change the figures). A property
the graph does not set is not written. Strings are always quoted, with `"` doubled; fields
with newlines are allowed in the files that hold them (--multiline-fields).

after-import.cypher, run once the imported database is served, applies cypher/schema.cypher
and counts the documents' citation totals as `graphbuild load` does (it rounds funds_cited).
"""
from __future__ import annotations

import math
import shlex
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Hashable, Iterator

from ..export import as_rows
from .load import (DOCUMENT_TOTALS, LoadError, Step, schema_statements, streamed_edges,
                   streamed_nodes)

TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
AFTER = "after-import.cypher"
AFTER_TEXT = ("// Run once on the imported database: cypher/schema.cypher (constraints, indexes,\n"
              "// full text), then the documents' citation totals as `graphbuild load` counts them.\n")


@dataclass
class Export:
    """The files written: (label or type, path) in import order."""

    folder: Path
    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    multiline: list[Path] = field(default_factory=list)
    node_rows: int = 0  # rows read (and written)
    relationship_rows: int = 0  # rows once those sharing an id are merged

    def command(self, database: str = "neo4j", admin: str = "neo4j-admin") -> list[str]:
        """The neo4j-admin command line that imports these files into `database`."""
        args = [admin, "database", "import", "full", database]
        args += [f"--nodes={label}={path}" for label, path in self.nodes]
        args += [f"--relationships={type_}={path}" for type_, path in self.relationships]
        if self.multiline:
            args += ["--multiline-fields-format=v2",
                     "--multiline-fields=" + ",".join(str(p) for p in self.multiline)]
        return args

    def script(self, database: str = "neo4j") -> str:
        """import.sh: the import, then what to run once Neo4j serves the database."""
        return ("#!/bin/sh\n# Stop Neo4j first; add --overwrite-destination to replace an existing "
                "database (its data is lost).\nset -e\n"
                + shlex.join(self.command(database)) + "\n"
                + "# Then start Neo4j, and apply the schema and the documents' totals:\n"
                  f"#   cypher-shell -d {shlex.quote(database)} -f "
                  f"{shlex.quote(str(self.folder / AFTER))}\n")


def export(source, folder: Path, database: str = "neo4j",
           step: Step = lambda _description, rows, _total: rows) -> Export:
    """Write the node and relationship files of `source` (a store's graph.db, or a networkx
    graph) into `folder` (created), import.sh, which imports them into `database`, and
    after-import.cypher, to run once Neo4j serves it. The rows are streamed twice, to learn
    each file's columns then to write them: `step(description, rows, total or None)` sees
    each pass go by."""
    rows = as_rows(source)
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    out = Export(folder)
    out.nodes, out.node_rows = _tables(out, "nodes", lambda: _nodes(rows), step,
                                       lambda label: (label, [f"key:ID({label})"]))
    out.relationships, out.relationship_rows = _tables(
        out, "relationships", lambda: _edges(rows), step,
        lambda p: (p[1], [f":START_ID({p[0]})", f":END_ID({p[2]})"]))
    statements = schema_statements() + [DOCUMENT_TOTALS.strip()]
    (folder / AFTER).write_text(AFTER_TEXT + ";\n\n".join(statements) + ";\n", encoding="utf-8")
    (folder / "import.sh").write_text(out.script(database), encoding="utf-8")
    return out


Table = Iterator[tuple[Hashable, list, dict]]  # (label or pattern, id cells, properties)


def _nodes(rows) -> Table:
    for label, row in streamed_nodes(rows):
        yield label, [row["key"]], row["props"]


def _edges(rows) -> Table:
    for pattern, row in streamed_edges(rows):
        row["props"]["id"] = row["id"]
        yield pattern, [row["start"], row["end"]], row["props"]


def _tables(out: Export, what: str, table: Callable[[], Table], step: Step,
            head: Callable[[Hashable], tuple[str, list[str]]]) -> tuple[list, int]:
    """Write one file per name of `table` (name.csv, name-2.csv … when a property has two
    types), `head(name)` giving its file name and id columns: ([(file name, path)] in name
    order, rows written)."""
    groups: dict[Hashable, _Groups] = defaultdict(_Groups)
    total = 0
    for total, (name, _, props) in enumerate(step(f"Reading {what}", table(), None), 1):
        groups[name].add(props)
    files = {}
    try:
        for name in sorted(groups):
            stem, id_columns = head(name)
            for n, types in enumerate(groups[name].types):
                path = out.folder / f"{stem}{'' if n == 0 else f'-{n + 1}'}.csv"
                files[name, n] = _Csv(path, id_columns, types)
        for name, ids, props in step(f"Writing {what}", table(), total):
            files[name, groups[name].add(props)].write(ids, props)
    finally:
        for f in files.values():
            f.file.close()
    out.multiline += [f.path for f in files.values() if f.multiline]
    return [(head(name)[0], files[name, n].path) for name, n in files], total


class _Groups:
    """Rows grouped as they come so that no property has two types in a group (None values
    left out): usually one group; a property a row lacks is an empty cell."""

    def __init__(self):
        self.types: list[dict[str, str]] = []  # per group: property -> type
        self.where: dict[tuple, int] = {}  # (property, class) pairs -> group

    def add(self, props: dict) -> int:
        """The group of a row with `props`: the first whose types it fits, else a new one."""
        sig = tuple((k, v.__class__) for k, v in props.items() if v is not None)
        n = self.where.get(sig)
        if n is None:
            types = {k: _type(k, props[k]) for k, _ in sig}
            n = next((i for i, known in enumerate(self.types)
                      if all(known.get(k, t) == t for k, t in types.items())), len(self.types))
            if n == len(self.types):
                self.types.append({})
            self.types[n].update(types)
            self.where[sig] = n
        return n


def _type(key: str, value) -> str:
    kind = TYPES.get(type(value))
    if kind is None or (kind == "double" and not math.isfinite(value)):
        raise LoadError(f"property {key}={value!r}: not a value neo4j-admin imports")
    return kind


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


CELLS = {"string": _quote, "long": repr, "double": repr,
         "boolean": lambda v: "true" if v else "false"}


class _Csv:
    """A file being written: the header, then one line per row, a cell per column; None (not
    set) is an empty, unquoted cell."""

    def __init__(self, path: Path, id_columns: list[str], types: dict[str, str]):
        self.path, self.keys = path, sorted(types)
        self.cells = [_quote] * len(id_columns) + [CELLS[types[k]] for k in self.keys]
        self.multiline = False
        self.file = open(path, "w", encoding="utf-8", newline="")
        self.file.write(",".join(id_columns + [f"{k}:{types[k]}" for k in self.keys]) + "\n")

    def write(self, ids: list, props: dict) -> None:
        values = [*ids, *map(props.get, self.keys)]
        line = ",".join(["" if v is None else cell(v) for cell, v in zip(self.cells, values)])
        self.multiline = self.multiline or "\n" in line or "\r" in line
        self.file.write(line + "\n")
