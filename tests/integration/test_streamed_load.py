"""load() streams a store's graph.db into Neo4j: the same database as loading its networkx
graph, in batches of at most batch_size rows, the progress totals those of the graph."""
from graphbuild import queries
from graphbuild.neo4j.load import db_counts, load

from ..neo4j_rows import edge_rows

from .conftest import checksum, expected_graph, holds_sample, neo4j_graph, wipe


def loaded_from(server, source, **options) -> tuple[dict, tuple, dict]:
    """Counts and contents of the database after loading only `source`, and what the step
    saw: description -> (total, items)."""
    seen = {}

    def step(description, items, total):
        seen[description] = (total, 0)
        for n, item in enumerate(items, 1):
            seen[description] = (total, n)
            yield item

    wipe(server)
    with server.connect() as driver:
        load(driver, source, server.database, step, **options)
        counts = db_counts(driver, server.database)
    return counts, neo4j_graph(server), seen


def test_the_store_loads_as_its_graph(neo4j_server, sample_build):
    out, g = sample_build
    counts, contents, seen = loaded_from(neo4j_server, out / "graph.db", batch_size=37)
    assert counts == queries.counts(g)
    assert seen["Schema"][0] == seen["Schema"][1] > 0
    assert seen["Nodes"] == (g.number_of_nodes(), g.number_of_nodes())
    assert seen["Relationships"] == (g.number_of_edges(),
                                     sum(map(len, edge_rows(g).values())))
    assert loaded_from(neo4j_server, g)[:2] == (counts, contents)
    holds_sample(neo4j_server)
    nodes, rels = expected_graph(g)
    assert contents[1] == rels
    assert contents[0].keys() == nodes.keys()


def test_loading_the_store_again_changes_nothing(loaded, sample_build):
    before = checksum(loaded)
    with loaded.connect() as driver:
        load(driver, sample_build[0] / "graph.db", loaded.database)
    assert checksum(loaded) == before
