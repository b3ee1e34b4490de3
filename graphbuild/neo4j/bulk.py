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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import networkx as nx

from .load import DOCUMENT_TOTALS, LoadError, edge_rows, node_rows, schema_statements

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
    rows: int = 0

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


def export(g: nx.MultiDiGraph, folder: Path, database: str = "neo4j") -> Export:
    """Write the node and relationship files of `g` into `folder` (created), import.sh, which
    imports them into `database`, and after-import.cypher, to run once Neo4j serves it."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    out = Export(folder)
    for label, rows in sorted(node_rows(g).items()):
        out.nodes += _files(out, label, [f"key:ID({label})"], rows, lambda r: [r["key"]])
    for (start, type_, end), rows in sorted(edge_rows(g).items()):
        for row in rows:
            row["props"]["id"] = row["id"]
        out.relationships += _files(out, type_, [f":START_ID({start})", f":END_ID({end})"], rows,
                                    lambda r: [r["start"], r["end"]])
    statements = schema_statements() + [DOCUMENT_TOTALS.strip()]
    (folder / AFTER).write_text(AFTER_TEXT + ";\n\n".join(statements) + ";\n", encoding="utf-8")
    (folder / "import.sh").write_text(out.script(database), encoding="utf-8")
    return out


def _files(out: Export, name: str, id_columns: list[str], rows: list[dict],
           ids: Callable[[dict], list]) -> list[tuple[str, Path]]:
    """Write `rows` as name.csv (name-2.csv … when a property has two types): (name, path)."""
    files = []
    for n, (types, members) in enumerate(_by_signature(rows)):
        path = out.folder / f"{name}{'' if n == 0 else f'-{n + 1}'}.csv"
        keys = sorted(types)
        header = id_columns + [f"{k}:{types[k]}" for k in keys]
        cells = [_quote] * len(id_columns) + [CELLS[types[k]] for k in keys]
        _write(path, header, cells, ([*ids(r), *map(r["props"].get, keys)] for r in members),
               out)
        files.append((name, path))
    return files


def _by_signature(rows: list[dict]) -> list[tuple[dict, list[dict]]]:
    """Rows grouped so that no property has two types in a group (None values left out):
    (property -> type, rows), usually one group; a property a row lacks is an empty cell."""
    groups: list[tuple[dict, list[dict]]] = []
    where: dict[tuple, list[dict]] = {}  # (property, class) pairs -> the group's rows
    for row in rows:
        props = row["props"]
        sig = tuple((k, v.__class__) for k, v in props.items() if v is not None)
        members = where.get(sig)
        if members is None:
            types = {k: _type(k, props[k]) for k, _ in sig}
            for known, members in groups:
                if all(known.get(k, t) == t for k, t in types.items()):
                    known.update(types)
                    break
            else:
                members = []
                groups.append((types, members))
            where[sig] = members
        members.append(row)
    return groups


def _type(key: str, value) -> str:
    kind = TYPES.get(type(value))
    if kind is None or (kind == "double" and not math.isfinite(value)):
        raise LoadError(f"property {key}={value!r}: not a value neo4j-admin imports")
    return kind


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


CELLS = {"string": _quote, "long": repr, "double": repr,
         "boolean": lambda v: "true" if v else "false"}


def _write(path: Path, header: list[str], cells: list[Callable], rows, out: Export) -> None:
    """One line per row, a cell per column: None (not set) is an empty, unquoted cell."""
    multiline = False
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            line = ",".join(["" if v is None else cell(v) for cell, v in zip(cells, row)])
            multiline = multiline or "\n" in line or "\r" in line
            f.write(line + "\n")
            out.rows += 1
    if multiline:
        out.multiline.append(path)
