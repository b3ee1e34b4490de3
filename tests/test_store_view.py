"""StoreView (graph.db read in place) against store.load: the same graph API answers and
the same rows for every query, report and spelling of a document on the sample."""
import shutil
import sqlite3

import pytest
from typer.testing import CliRunner

from graphbuild import queries, report, store
from graphbuild.cli import app
from graphbuild.store_view import StoreView


@pytest.fixture(scope="module")
def g(sample_store):
    return store.load(sample_store / "graph.db")


@pytest.fixture(scope="module")
def v(sample_store):
    view = StoreView(sample_store / "graph.db")
    yield view
    view.close()


def answer(fn, *args):
    """The rows, or the error (type and message) a query gives."""
    try:
        return fn(*args)
    except LookupError as err:
        return type(err), str(err)


def spellings(g) -> list[str]:
    """Every document's key, its 文号 in other brackets, and its title with and without 《》."""
    out = []
    for _, d in g.nodes(data=True):
        if d["label"] != "Document":
            continue
        out.append(d["key"])
        if no := d.get("doc_no"):
            out += [no.replace("〔", "[").replace("〕", "]"),
                    no.replace("〔", "（").replace("〕", "）"), " ".join(no)]
        if title := d.get("title"):
            out += [title, f"《{title}》"]
    return out


def test_the_graph_api_answers_alike(g, v):
    assert list(v) == list(g) and len(v.nodes) == len(g.nodes)
    assert [(n, dict(d)) for n, d in v.nodes(data=True)] == list(g.nodes(data=True))
    assert list(v.nodes(data="label")) == list(g.nodes(data="label"))
    assert list(v.edges(data=True)) == list(g.edges(data=True))
    assert list(v.edges()) == list(g.edges())
    for n in g:
        assert n in v and v.nodes[n] == g.nodes[n]
        assert v.in_edges(n, data=True) == list(g.in_edges(n, data=True)), n
        assert v.out_edges(n, data=True) == list(g.out_edges(n, data=True)), n
        assert v.out_edges(n, data="type") == list(g.out_edges(n, data="type")), n
        assert v.in_edges(n) == list(g.in_edges(n)), n
    types = {t for _, _, t in g.edges(data="type")}
    for n in g:
        for t in types:
            assert v.linked(n, t, incoming=True) == queries._sources(g, n, t), (n, t)
            assert v.linked(n, t) == queries._targets(g, n, t), (n, t)
    assert "Document:nothing" not in v and v.nodes.get("Document:nothing", {}) == {}
    with pytest.raises(KeyError):
        v.nodes["Document:nothing"]


def test_stored_titles_are_normalised(g):
    """The title index finds what pick_document's normalize_title comparison would."""
    titles = [d["title"] for _, d in g.nodes(data=True) if d.get("title")]
    assert titles and all(queries.normalize_title(t) == t for t in titles)


def test_every_document_query_and_spelling(g, v):
    """Each spelling resolves alike; each query through the view, given the spelling, gives
    what networkx gives for the document it names (or the same error)."""
    names = spellings(g)
    assert len(names) > 1700
    names += ["厅字〔2099〕1号", "no such document", "《没有这个文件》", "室字〔2022〕38号"]
    fns = (queries.cited_by, queries.lineage, queries.co_citation)
    want: dict[str, list] = {}
    for name in names:
        did = answer(queries.resolve_document, g, name)
        assert answer(queries.resolve_document, v, name) == did, name
        key = g.nodes[did]["key"] if isinstance(did, str) else name
        if key not in want:
            want[key] = [answer(fn, g, key) for fn in fns]
        assert [answer(fn, v, name) for fn in fns] == want[key], name


def view_without(sample_store, tmp_path, drop: str) -> StoreView:
    """A view of a copy of the sample's store with `drop` run on it (an older store)."""
    db = tmp_path / "graph.db"
    shutil.copy(sample_store / "graph.db", db)
    with sqlite3.connect(db) as con:
        con.executescript(drop)
    con.close()
    return StoreView(db)


def test_a_store_without_the_document_indexes(sample_store, g, tmp_path):
    """A store built before nodes_doc_no / nodes_title resolves names alike (by scan)."""
    view = view_without(sample_store, tmp_path, "DROP INDEX nodes_doc_no; DROP INDEX nodes_title;")
    for name in spellings(g)[::7] + ["厅字〔2099〕1号"]:
        assert (answer(queries.resolve_document, view, name)
                == answer(queries.resolve_document, g, name)), name
    view.close()


def test_cited_by_pages_from_the_table_and_without_it(sample_store, g, v, tmp_path):
    """Pages (limit, skip) are slices of the whole answer, read from graph.db's cited_by
    table or, in a store without it, from the edges; all three sources agree."""
    assert v.answers
    bare = view_without(sample_store, tmp_path, "DROP TABLE cited_by")
    assert not bare.answers
    docs = [k for k, _, _ in v.documents()]
    for doc in ["财教〔2023〕64号", "晋财教〔2023〕81号"] + docs[::25]:
        whole = queries.cited_by(g, doc)
        assert queries.cited_by(v, doc) == queries.cited_by(bare, doc) == whole, doc
        for limit, skip in ((1, 0), (5, 0), (5, 5), (0, 3), (50, 10), (3, len(whole))):
            page = whole[skip:skip + limit if limit else None]
            for graph in (g, v, bare):
                assert queries.cited_by(graph, doc, limit, skip) == page, (doc, limit, skip)
    assert len(queries.cited_by(v, "财教〔2023〕64号")) > 10
    bare.close()


def test_unknown_document_gives_the_same_error(g, v):
    with pytest.raises(queries.UnknownDocument, match="nearest known") as err:
        queries.cited_by(v, "厅字〔2099〕1号")
    assert answer(queries.cited_by, g, "厅字〔2099〕1号") == (queries.UnknownDocument,
                                                          str(err.value))


def test_department_and_whole_graph_queries(g, v):
    depts = [(d["key"], d.get("name"), d.get("code")) for _, d in g.nodes(data=True)
             if d["label"] == "Department"]
    asked = [key for key, _, _ in depts] + [name for _, name, _ in depts[:5]] + [
        code for _, _, code in depts[5:10]] + ["*", "没有这个部门"]
    for dept in asked:
        assert queries.department_basis(v, dept) == queries.department_basis(g, dept), dept
        assert queries.unfounded_projects(v, dept) == queries.unfounded_projects(g, dept), dept
        assert queries.funds_by_level(v, dept) == queries.funds_by_level(g, dept), dept
    field = queries.BASIS_FIELD
    assert queries.funds_by_level(v, "*", field) == queries.funds_by_level(g, "*", field)
    for limit in (1, 10, 10_000):
        assert queries.top_documents(v, limit) == queries.top_documents(g, limit)
    assert queries.counts(v) == queries.counts(g)


def test_search_terms(g, v):
    terms = ["义务教育", "教育", "晋财教[2023]81号", "财教", "项目", "2023", "县", "〔", "zz"]
    terms += [d["name"][:4] for _, d in list(g.nodes(data=True))[::40] if d.get("name")]
    for q in terms:
        assert queries.search(v, q, 10_000) == queries.search(g, q, 10_000), q


def test_reports_alike(g, v):
    for make, subject in ((report.document_report, "财税[2017]20号"),
                          (report.document_report, "晋财教〔2023〕81号"),
                          (report.department_report, "101")):
        data = make(v, subject)
        assert data == make(g, subject)
        for fmt in ("md", "csv", "json", "html"):
            assert report.render(v, data, fmt) == report.render(g, data, fmt), (subject, fmt)


def test_cli_queries_read_the_store_in_place(sample_store, g, monkeypatch):
    def no_load(*_a, **_k):
        raise AssertionError("store.load called")
    monkeypatch.setattr(store, "load", no_load)
    run = CliRunner().invoke
    out = run(app, ["query", "cited_by", "-p", "doc=晋财教[2023]81号", "--json",
                    "--store", str(sample_store)])
    assert out.exit_code == 0, out.output
    assert out.output.count("\n") == len(queries.cited_by(g, "晋财教〔2023〕81号"))
    out = run(app, ["lineage", "财税[2017]20号", "--format", "md", "--store", str(sample_store)])
    assert out.exit_code == 0 and "财税〔2017〕20号" in out.output, out.output
    out = run(app, ["cites", "厅字〔2099〕1号", "--store", str(sample_store)])
    assert out.exit_code != 0 and "nearest known" in out.output


def test_lineage_from_the_table_and_without_it(sample_store, g, v, tmp_path):
    """lineage names the citing projects from the cited_by table, or from the graph in a
    store without it: the same rows as networkx either way."""
    bare = view_without(sample_store, tmp_path, "DROP TABLE cited_by")
    docs = [k for k, _, _ in v.documents()]
    cited = 0
    for doc in ["财税[2017]20号", "晋财教〔2023〕81号"] + docs[::10]:
        whole = queries.lineage(g, doc)
        assert queries.lineage(v, doc) == queries.lineage(bare, doc) == whole, doc
        cited += sum(r["project_id"] is not None for r in whole)
    assert cited > 100
    bare.close()
