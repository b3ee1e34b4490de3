"""A real Neo4j for the integration tests.

By default a session-wide embedded Neo4j (neo4j-server/Launcher.java, jars fetched into neo4j-server/lib by
`make test`) on a free localhost port, data in a temporary folder. NEO4J_URI (with NEO4J_USER,
NEO4J_PASSWORD, NEO4J_DATABASE) points the tests at another server instead: they wipe that
database. Under CI=true a missing server fails the run; elsewhere the tests skip, saying why.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from graphbuild import build
from graphbuild.neo4j.connect import connect
from graphbuild.neo4j.load import PATTERNS, edge_id, load

from ..conftest import ROOT, SAMPLE

LIB = ROOT / "neo4j-server" / "lib"
LAUNCHER = ROOT / "neo4j-server" / "Launcher.java"
START_TIMEOUT = 180


@dataclass(frozen=True)
class Server:
    uri: str
    user: str
    password: str | None
    database: str

    def env(self, **extra) -> dict:
        """The environment `graphbuild` reads its connection from, with `extra` on top."""
        env = {**os.environ, "NEO4J_URI": self.uri, "NEO4J_USER": self.user,
               "NEO4J_DATABASE": self.database}
        env.pop("NEO4J_PASSWORD", None)
        if self.password:
            env["NEO4J_PASSWORD"] = self.password
        return {**env, **extra}

    def connect(self):
        return connect(self.uri, self.user, self.password, self.database)


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"Neo4j for the integration tests: {reason}", pytrace=False)
    pytest.skip(f"no Neo4j: {reason} (run `make test`, or set NEO4J_URI)")


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    if os.environ.get("NEO4J_URI"):
        yield Server(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                     os.environ.get("NEO4J_PASSWORD"), os.environ.get("NEO4J_DATABASE", "neo4j"))
        return
    with launcher(tmp_path_factory.mktemp("neo4j-data"), tmp_path_factory.mktemp("neo4j-log"),
                  "-Xmx1g") as server:
        yield server


def java() -> str:
    """The `java` that runs the Neo4j jars (a missing one fails under CI, else skips)."""
    found = shutil.which("java")
    if not found:
        _unavailable("no `java` on PATH (Java 17+ runs neo4j-server/Launcher.java)")
    if not any(LIB.glob("neo4j-bolt-*.jar")):
        _unavailable(f"no Neo4j jars in {LIB} (`make test` fetches them with Maven)")
    return found


@contextmanager
def launcher(home: Path, logs: Path, heap: str) -> Iterator[Server]:
    """An embedded Neo4j on a free localhost port over the store in `home`."""
    password = secrets.token_urlsafe(16)
    log = logs / "launcher.log"
    cmd = [java(), heap, "-XX:+UseSerialGC", "-cp", f"{LIB}/*", str(LAUNCHER), str(home), "0",
           password]
    with open(log, "w") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err,
                                text=True)
    ready: list[str] = []
    reader = threading.Thread(target=lambda: ready.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(START_TIMEOUT)
    line = ready[0].strip() if ready else ""
    if not line.startswith("ready "):
        proc.kill()
        proc.wait()
        tail = " | ".join(log.read_text(errors="replace").strip().splitlines()[-3:])
        _unavailable(f"launcher gave no ready line in {START_TIMEOUT}s (exit {proc.returncode}): "
                     f"{tail or 'no output'}")
    try:
        yield Server(line.split()[1], "neo4j", password, "neo4j")
    finally:
        proc.stdin.close()  # the launcher shuts down cleanly when its input closes
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(30)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The bundled sample, built once: (output folder, graph)."""
    out = tmp_path_factory.mktemp("sample")
    result = build.run([SAMPLE], out)
    return out, result.graph


# Whether the database holds exactly the sample build, as `loaded` left it: modules that
# only read share one load. wipe() clears it; a test that changes the data must wipe first.
_HOLDS_SAMPLE = {"yes": False}


def wipe(server: Server) -> None:
    _HOLDS_SAMPLE["yes"] = False
    with server.connect() as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=server.database)


@pytest.fixture(scope="module")
def loaded(neo4j_server, sample_build):
    """A database holding exactly the sample build (loaded once for the modules in a row
    that use it)."""
    if not _HOLDS_SAMPLE["yes"]:
        wipe(neo4j_server)
        with neo4j_server.connect() as driver:
            load(driver, sample_build[1], neo4j_server.database)
        _HOLDS_SAMPLE["yes"] = True
    return neo4j_server


def holds_sample(server: Server) -> None:
    """Say that the database holds exactly the sample build again (after a test checked it)."""
    _HOLDS_SAMPLE["yes"] = True


def graphbuild(*args, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphbuild", *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=timeout, cwd=ROOT)


def neo4j_graph(server: Server) -> tuple[dict, list]:
    """Every node (label:key) -> properties, and every relationship as sorted JSON, from Neo4j."""
    with server.connect() as driver:
        nodes = driver.execute_query(
            "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props",
            database_=server.database).records
        rels = driver.execute_query(
            "MATCH (a)-[r]->(b) RETURN labels(a)[0] + ':' + a.key AS start, type(r) AS type, "
            "labels(b)[0] + ':' + b.key AS end, properties(r) AS props",
            database_=server.database).records
    by_key = {}
    for r in nodes:
        assert len(r["labels"]) == 1
        by_key[f"{r['labels'][0]}:{r['props']['key']}"] = r["props"]
    return by_key, sorted(json.dumps(r.data(), sort_keys=True, ensure_ascii=False) for r in rels)


def checksum(server: Server) -> str:
    """A hash over every node's and relationship's label/type, key and properties."""
    nodes, rels = neo4j_graph(server)
    text = json.dumps([nodes, rels], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def expected_graph(g) -> tuple[dict, list]:
    """What neo4j_graph reads back from a database holding exactly `g`: nodes (label:key) ->
    properties, relationships as sorted JSON with their `id`; None values are not stored."""
    nodes = {nid: {k: v for k, v in d.items() if k != "label" and v is not None}
             for nid, d in g.nodes(data=True)}
    rels = []
    for s, t, d in g.edges(data=True):
        props = {k: v for k, v in d.items() if k != "type" and v is not None}
        identity = PATTERNS[(g.nodes[s]["label"], d["type"], g.nodes[t]["label"])]
        props["id"] = edge_id(s, d["type"], t, [d.get(k) for k in identity])
        rels.append(json.dumps({"start": s, "type": d["type"], "end": t, "props": props},
                               sort_keys=True, ensure_ascii=False))
    return nodes, sorted(rels)


def admin_import(script: Path, home: Path) -> str:
    """Run the neo4j-admin command of an export's import.sh with the Maven jars
    (org.neo4j.cli.AdminTool), the store going to `home`; its output."""
    line = next(x for x in script.read_text(encoding="utf-8").splitlines()
                if x.startswith("neo4j-admin "))
    (home / "conf").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    proc = subprocess.run([java(), "-Xmx1g", "-cp", f"{LIB}/*", "org.neo4j.cli.AdminTool",
                           *shlex.split(line)[1:]], env=env, cwd=home, capture_output=True,
                          text=True, timeout=600)  # cwd: neo4j-admin writes import.report there
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout
