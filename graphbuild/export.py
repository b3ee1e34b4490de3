"""File exports of the graph: node-link JSON and GraphML (for Gephi), both streamed.

Each reads rows: a store.Rows (graph.db read as written), a store's path or a networkx graph.
Rows give `nodes()` -> (id, label, key, properties as JSON) and `edges()` -> (source, target,
type, properties as JSON), the edges between one pair one after another.
"""
from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import networkx as nx

from .store import Rows, dumps

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ESCAPE = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')
GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
LINK = ('"source":', '"target":', '"key":')  # node-link's own edge members


def write_json(g, path: str | Path) -> Path:
    """networkx node-link JSON (as node_link_data writes it); every node has `label`, every
    edge `type`. Properties are spliced in as stored, not decoded."""
    rows = as_rows(g)
    text = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # C encoder
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"directed":true,"multigraph":true,"graph":{},"nodes":[')
        for i, (n, label, key, props) in enumerate(rows.nodes()):
            f.write(f'{"," if i else ""}{{"label":{text(label)},"key":{text(key)},'
                    f'{_members(props)}"id":{text(n)}}}')
        f.write('],"edges":[')
        for i, (s, t, type_, k, props) in enumerate(_numbered(rows.edges())):
            if any(m in props for m in LINK):  # a property named like a link member loses
                d = {"type": type_, **json.loads(props), "source": s, "target": t, "key": k}
                f.write(("," if i else "") + text(d))
            else:
                f.write(f'{"," if i else ""}{{"type":{text(type_)},{_members(props)}'
                        f'"source":{text(s)},"target":{text(t)},"key":{k}}}')
        f.write("]}")
    return Path(path)


def write_graphml(g, path: str | Path) -> Path:
    """GraphML, streamed, with one declared type per attribute key as Gephi expects
    (a key whose values mix types is declared and written as a string)."""
    rows = as_rows(g)
    keys: dict[str, dict[str, list]] = {"node": {}, "edge": {}}  # name -> [id, type]
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=Path(path).parent) as body:
        for n, label, key, props in rows.nodes():
            d = {"label": label, "key": key, **json.loads(props)}
            body.write(f'<node id="{_xml(n)}">{_data(d, keys["node"], "n")}</node>\n')
        for s, t, type_, k, props in _numbered(rows.edges()):
            d = {"type": type_, **json.loads(props)}
            body.write(f'<edge id="{k}" source="{_xml(s)}" target="{_xml(t)}">'
                       f'{_data(d, keys["edge"], "e")}</edge>\n')
        body.seek(0)
        with open(path, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="utf-8"?>\n'
                    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
            for domain, declared in keys.items():
                for name, (kid, kind) in declared.items():
                    f.write(f'<key id="{kid}" for="{domain}" attr.name="{_xml(name)}" '
                            f'attr.type="{GRAPHML_TYPES[kind]}"/>\n')
            f.write('<graph edgedefault="directed">\n')
            shutil.copyfileobj(body, f)
            f.write("</graph>\n</graphml>\n")
    return Path(path)


class _GraphRows:
    """A networkx graph read as store rows."""

    def __init__(self, g: nx.MultiDiGraph):
        self.g = g

    def nodes(self) -> Iterator[tuple[str, str, str, str]]:
        for n, d in self.g.nodes(data=True):
            yield str(n), d["label"], d["key"], dumps(
                {k: v for k, v in d.items() if k not in ("label", "key")})

    def edges(self) -> Iterator[tuple[str, str, str, str]]:
        for s, t, d in self.g.edges(data=True):
            yield str(s), str(t), d["type"], dumps({k: v for k, v in d.items() if k != "type"})


def as_rows(source):
    """Rows of `source`: a networkx graph, a store's path (graph.db), or rows already."""
    if isinstance(source, nx.Graph):
        return _GraphRows(source)
    return Rows(source) if isinstance(source, (str, Path)) else source


def _numbered(edges) -> Iterator[tuple[str, str, str, int, str]]:
    """Edges with their networkx key: 0, 1, … among the edges of one pair."""
    last, k = None, 0
    for s, t, type_, props in edges:
        k = k + 1 if (s, t) == last else 0
        last = s, t
        yield s, t, type_, k, props


def _members(props: str) -> str:
    """A JSON object's members, followed by a comma when there are any."""
    inner = props.strip()[1:-1].strip()
    return inner + "," if inner else ""


def _data(d: dict, keys: dict[str, list], prefix: str) -> str:
    """<data> elements of `d`, declaring each new attribute name (mixed types become str)."""
    out = []
    for k, v in d.items():
        kind = type(v) if type(v) in GRAPHML_TYPES else str
        if k not in keys:
            keys[k] = [f"{prefix}{len(keys)}", kind]
        elif keys[k][1] is not kind:
            keys[k][1] = str
        out.append(f'<data key="{keys[k][0]}">{_xml(_text(v, kind))}</data>')
    return "".join(out)


def _xml(text: str) -> str:
    """Escaped for text and quoted attributes; characters XML 1.0 forbids shown as U+FFFD."""
    if not ESCAPE.search(text):
        return text
    text = NOT_XML.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;")


def _text(value, kind: type) -> str:
    if kind is bool:
        return "true" if value else "false"
    return repr(value) if kind is float else str(value)
