"""No Cypher in graphbuild/ is built from input: no f-string, .format(), % or + puts a value
into Cypher text. The exceptions: load.py's NODE_/EDGE_/NONE_OF_ templates, whose labels
and types come from the fixed whitelist (LABELS, PATTERNS) — checked here too — and pack.py's
BY_KEY.format(), which puts a query of the pack (a file of cypher/queries/) after a fixed
prefix, and COLLECTED.format(), which wraps such a query and names its columns (as EXPLAIN
gives them, quoted)."""
import ast
import re

from graphbuild.neo4j import load as load_mod

from ..conftest import ROOT

CYPHER = re.compile(r"\b(MATCH|MERGE|CREATE|UNWIND|RETURN|DETACH|DELETE|REMOVE|CALL|SET|WITH|"
                    r"WHERE|LOAD CSV|FOREACH|DROP|SHOW)\b")
# (file, constant formatted): the only formatting of Cypher allowed.
ALLOWED = {("graphbuild/neo4j/load.py", name)
           for name in ("NODE_MERGE", "EDGE_MERGE", "NODE_CREATE", "EDGE_CREATE", "NONE_OF_LABEL",
                        "NONE_OF_TYPE")}
ALLOWED |= {("graphbuild/neo4j/pack.py", "BY_KEY"), ("graphbuild/neo4j/pack.py", "COLLECTED")}


def cypherish(text: str) -> bool:
    return len(CYPHER.findall(text)) >= 2 or bool(re.search(r"\(\w*:\w+[ {)]", text))


def constants(tree: ast.Module) -> dict[str, str]:
    """Module-level NAME = "string" assignments."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str):
            out.update({t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)})
    return out


def text_of(node: ast.AST, consts: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return consts.get(node.id)
    if isinstance(node, ast.IfExp):  # (A if c else B).format(…)
        return text_of(node.body, consts) or text_of(node.orelse, consts)
    return None


def names_of(node: ast.AST) -> list[str | None]:
    if isinstance(node, ast.IfExp):
        return names_of(node.body) + names_of(node.orelse)
    return [node.id if isinstance(node, ast.Name) else None]


def violations(path, rel: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    consts = constants(tree)
    found = []
    for node in ast.walk(tree):
        where = f"{rel}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.JoinedStr):
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if cypherish(literal):
                found.append(f"{where}: f-string builds Cypher")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("format", "format_map"):
            text = text_of(node.func.value, consts)
            names = names_of(node.func.value)
            if text and cypherish(text) and not all((rel, n) in ALLOWED for n in names):
                found.append(f"{where}: .format() builds Cypher")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            for side in (node.left, node.right):
                text = text_of(side, consts)
                if text and cypherish(text):
                    found.append(f"{where}: {type(node.op).__name__} builds Cypher")
    return found


def test_no_cypher_is_built_from_input():
    files = sorted((ROOT / "graphbuild").rglob("*.py"))
    assert files
    found = [v for f in files for v in violations(f, f.relative_to(ROOT).as_posix())]
    assert found == []


def test_the_scan_catches_what_it_should(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('Q = "MATCH (d:Document) WHERE d.key = \'{}\' RETURN d"\n'
                   'def a(doc): return f"MATCH (d:Document {{key: \'{doc}\'}}) RETURN d"\n'
                   'def b(doc): return Q.format(doc)\n'
                   'def c(doc): return "MATCH (d) WHERE d.key = \'" + doc + "\' RETURN d"\n',
                   encoding="utf-8")
    assert [v.split(": ", 1)[1] for v in violations(bad, "bad.py")] == [
        "f-string builds Cypher", ".format() builds Cypher", "Add builds Cypher"]


def test_formatted_labels_and_types_come_from_the_whitelist():
    labels = {label for pattern in load_mod.PATTERNS for label in (pattern[0], pattern[2])}
    assert labels <= set(load_mod.LABELS)
    assert all(re.fullmatch(r"[A-Z][A-Za-z]*", label) for label in load_mod.LABELS)
    assert all(re.fullmatch(r"[A-Z_]+", type_) for _, type_, _ in load_mod.PATTERNS)
    source = (ROOT / "graphbuild/neo4j/load.py").read_text(encoding="utf-8")
    assert "NODE_MERGE).format(label=label)" in source and "in LABELS" in source
    assert "EDGE_MERGE).format(\n" in source and "start=a, type=t, end=b)" in source
    assert "not in PATTERNS" in source


def test_the_pack_formats_only_its_own_files():
    source = (ROOT / "graphbuild/neo4j/pack.py").read_text(encoding="utf-8")
    assert source.count("BY_KEY.format(") == 1
    assert "BY_KEY.format(query=DOC.sub(\"doc\", query.text))" in source
