"""A real Neo4j for the integration tests.

By default a session-wide embedded Neo4j (neo4j-server/Launcher.java, jars fetched into neo4j-server/lib by
`make test`) on a free localhost port, data in a temporary folder. NEO4J_URI (with NEO4J_USER,
NEO4J_PASSWORD, NEO4J_DATABASE) points the tests at another server instead: they wipe that
database. Under CI=true a missing server fails the run; elsewhere the tests skip, saying why.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass

import pytest

from graphbuild import build
from graphbuild.neo4j.connect import connect
from graphbuild.neo4j.load import load

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
    java = shutil.which("java")
    if not java:
        _unavailable("no `java` on PATH (Java 17+ runs neo4j-server/Launcher.java)")
    if not any(LIB.glob("neo4j-bolt-*.jar")):
        _unavailable(f"no Neo4j jars in {LIB} (`make test` fetches them with Maven)")
    password = secrets.token_urlsafe(16)
    log = tmp_path_factory.mktemp("neo4j-log") / "launcher.log"
    cmd = [java, "-Xmx1g", "-XX:+UseSerialGC", "-cp", f"{LIB}/*", str(LAUNCHER),
           str(tmp_path_factory.mktemp("neo4j-data")), "0", password]
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


def wipe(server: Server) -> None:
    with server.connect() as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=server.database)


@pytest.fixture(scope="module")
def loaded(neo4j_server, sample_build):
    """A database holding exactly the sample build."""
    wipe(neo4j_server)
    with neo4j_server.connect() as driver:
        load(driver, sample_build[1], neo4j_server.database)
    return neo4j_server


def graphbuild(*args, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphbuild", *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=timeout, cwd=ROOT)
