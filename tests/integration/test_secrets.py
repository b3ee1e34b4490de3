"""Against a real Neo4j: the password is in no output, message or --verbose log, whether
Neo4j accepts it (load, query, cypher) or refuses it."""
from __future__ import annotations

import re

import pytest

from ..conftest import SAMPLE
from .conftest import graphbuild, wipe


@pytest.fixture(scope="module")
def small_store(neo4j_server, tmp_path_factory):
    text = SAMPLE.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r".*项目支出绩效目标表", text)]
    folder = tmp_path_factory.mktemp("secrets")
    (folder / "two.txt").write_text(text[: starts[2]], encoding="utf-8")
    proc = graphbuild("build", str(folder / "two.txt"), "--out", str(folder / "out"),
                      env=neo4j_server.env(), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    wipe(neo4j_server)
    yield folder / "out"
    wipe(neo4j_server)  # leave the shared server empty, as the other modules expect


@pytest.mark.parametrize("verbose", [[], ["--verbose"]], ids=["quiet", "verbose"])
def test_accepted_password_never_shows(neo4j_server, small_store, verbose):
    if not neo4j_server.password:
        pytest.skip("this server runs without a password")
    env = neo4j_server.env()
    runs = [
        graphbuild(*verbose, "load", "--store", str(small_store), env=env),
        graphbuild(*verbose, "query", "top_documents", "--backend", "neo4j", "--json", env=env),
        graphbuild(*verbose, "cypher", "MATCH (p:Project) RETURN count(p) AS n", env=env),
        graphbuild(*verbose, "cypher", "CREATE (x:Leak) RETURN x", env=env),  # refused: a write
    ]
    assert [p.returncode for p in runs] == [0, 0, 0, 1], [p.stderr[-500:] for p in runs]
    for proc in runs:
        assert neo4j_server.password not in proc.stdout + proc.stderr, proc.args
        if verbose:
            assert "DEBUG neo4j" in proc.stderr and "credentials': '*******'" in proc.stderr


@pytest.mark.parametrize("verbose", [[], ["--verbose"]], ids=["quiet", "verbose"])
def test_refused_password_never_shows(neo4j_server, small_store, verbose):
    wrong = "wrong-" + "x9" * 8
    proc = graphbuild(*verbose, "load", "--store", str(small_store),
                      env=neo4j_server.env(NEO4J_PASSWORD=wrong))
    assert proc.returncode == 1
    assert "wrong user or password" in proc.stderr.strip().splitlines()[-1]
    for secret in (wrong, neo4j_server.password):
        assert not secret or secret not in proc.stdout + proc.stderr
