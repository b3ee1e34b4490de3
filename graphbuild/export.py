"""File exports of the graph: node-link JSON and GraphML (for Gephi)."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable

import networkx as nx

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def write_json(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """networkx node-link JSON; every node has `label`, every edge `type`."""
    data = nx.node_link_data(g, edges="edges")
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # C encoder: no indent
    Path(path).write_text(text, encoding="utf-8")
    return Path(path)


def write_graphml(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """GraphML, streamed, with one declared type per attribute key as Gephi expects
    (a key whose values mix types is declared and written as a string)."""
    nodes = _keys((d for _, d in g.nodes(data=True)), "n")
    edges = _keys((d for _, _, d in g.edges(data=True)), "e")
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n'
                '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
        for domain, keys in (("node", nodes), ("edge", edges)):
            for name, (kid, kind) in keys.items():
                f.write(f'<key id="{kid}" for="{domain}" attr.name="{_xml(name)}" '
                        f'attr.type="{GRAPHML_TYPES[kind]}"/>\n')
        f.write('<graph edgedefault="directed">\n')
        for n, d in g.nodes(data=True):
            f.write(f'<node id="{_xml(str(n))}">{_data(d, nodes)}</node>\n')
        for s, t, k, d in g.edges(keys=True, data=True):
            f.write(f'<edge id="{k}" source="{_xml(str(s))}" target="{_xml(str(t))}">'
                    f'{_data(d, edges)}</edge>\n')
        f.write("</graph>\n</graphml>\n")
    return Path(path)


def _keys(dicts: Iterable[dict], prefix: str) -> dict[str, tuple[str, type]]:
    """attribute name -> (GraphML key id, Python type); mixed types become str."""
    kinds: dict[str, type] = {}
    for d in dicts:
        for k, v in d.items():
            t = type(v) if type(v) in GRAPHML_TYPES else str
            kinds[k] = t if kinds.get(k, t) is t else str
    return {k: (f"{prefix}{i}", t) for i, (k, t) in enumerate(sorted(kinds.items()))}


def _data(d: dict, keys: dict[str, tuple[str, type]]) -> str:
    return "".join(f'<data key="{keys[k][0]}">{_xml(_text(v, keys[k][1]))}</data>'
                   for k, v in d.items())


def _xml(text: str) -> str:
    """Escaped for text and quoted attributes; characters XML 1.0 forbids shown as U+FFFD."""
    text = NOT_XML.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;")


def _text(value, kind: type) -> str:
    if kind is bool:
        return "true" if value else "false"
    return repr(value) if kind is float else str(value)
