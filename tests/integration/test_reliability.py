"""A failed load loses nothing: the Neo4j server is killed (SIGKILL) in the middle of a
`graphbuild load`; the load exits non-zero with a one-line error; Neo4j is started again on
the same data folder (crash recovery) and the load run again; the graph is then exactly the
graph of an uninterrupted load: the same counts and the same checksum over every node's and
relationship's properties.

These tests start their own Neo4j (the launcher conftest.py uses, on its own data folder),
so the shared session server stays up. Wrong password, unreachable host and a missing
database are in test_errors.py.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graphbuild.neo4j.load import db_counts

from ..conftest import ROOT
from .conftest import LAUNCHER, LIB, START_TIMEOUT, Server, _unavailable, checksum

KILL_TIMEOUT = 60  # seconds for `graphbuild load` to give up once its server is gone


class OwnNeo4j:
    """A launcher process of our own on `data`; kill() is a crash, not a shutdown."""

    def __init__(self, data: Path, password: str, log: Path):
        self.data, self.password, self.log = data, password, log
        self.proc: subprocess.Popen | None = None
        self.server: Server | None = None

    def start(self) -> Server:
        """Start (or start again) on the same data folder. The launcher sets the password
        on every start and Neo4j refuses the same one twice, so each start has a new one."""
        if os.environ.get("NEO4J_URI"):
            pytest.skip("NEO4J_URI points at an outside server; this test kills its own")
        java = shutil.which("java")
        if not java:
            _unavailable("no `java` on PATH (Java 17+ runs neo4j-server/Launcher.java)")
        if not any(LIB.glob("neo4j-bolt-*.jar")):
            _unavailable(f"no Neo4j jars in {LIB} (`make test` fetches them with Maven)")
        if self.server is not None:
            self.password = secrets.token_urlsafe(16)
        cmd = [java, "-Xmx1g", "-XX:+UseSerialGC", "-cp", f"{LIB}/*", str(LAUNCHER),
               str(self.data), "0", self.password]
        with open(self.log, "a") as err:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=err, text=True)
        ready: list[str] = []
        reader = threading.Thread(target=lambda: ready.append(self.proc.stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        line = ready[0].strip() if ready else ""
        if not line.startswith("ready "):
            self.kill()
            tail = " | ".join(self.log.read_text(errors="replace").strip().splitlines()[-3:])
            pytest.fail(f"own Neo4j on {self.data} gave no ready line: {tail or 'no output'}")
        self.server = Server(line.split()[1], "neo4j", self.password, "neo4j")
        return self.server

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, the store is left as a crash leaves it."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.stdin.close()  # a clean shutdown
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def own_neo4j(tmp_path):
    own = OwnNeo4j(tmp_path / "data", secrets.token_urlsafe(16), tmp_path / "launcher.log")
    yield own
    own.kill()


def rels(counts: dict) -> int:
    return sum(n for k, n in counts.items() if k.isupper())  # types, not labels


def nodes(counts: dict) -> int:
    return sum(n for k, n in counts.items() if not k.isupper())


def test_server_killed_mid_load_then_restarted_ends_identical(loaded, sample_build, own_neo4j,
                                                              tmp_path):
    """Two crashes: one while nodes are written (the load run with --verbose), one while
    relationships are written, each followed by a restart; then a load that completes."""
    with loaded.connect() as driver:
        full = db_counts(driver, loaded.database)  # an uninterrupted load of the same build
    reference = checksum(loaded)

    server = own_neo4j.start()
    for phase, verbose in (("nodes", True), ("relationships", False)):
        partial, error = killed_load(server, own_neo4j, sample_build[0], full, phase, verbose,
                                     tmp_path / f"{phase}.stderr")
        assert server.uri in error and "run it again" in error, error

        server = own_neo4j.start()  # the same data folder: Neo4j recovers from its log
        with server.connect() as driver:
            recovered = db_counts(driver, server.database)
        # what was committed before the kill is still there, and the load was not complete
        assert nodes(recovered) >= nodes(partial) and rels(recovered) >= rels(partial)
        assert recovered != full, "the kill came too late: the load had finished"

    done = subprocess.run(
        [sys.executable, "-m", "graphbuild", "load", "--store", str(sample_build[0])],
        env=server.env(), cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
        timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    with server.connect() as driver:
        assert db_counts(driver, server.database) == full
    assert checksum(server) == reference
    own_neo4j.stop()


def killed_load(server: Server, own: OwnNeo4j, store: Path, full: dict, phase: str,
                verbose: bool, stderr_path: Path) -> tuple[dict, str]:
    """Run `graphbuild load`, SIGKILL the server part way through `phase`; the counts
    committed at the kill and the load's one error line."""
    args = ["--verbose"] if verbose else []
    with open(stderr_path, "w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "graphbuild", *args, "load", "--store", str(store),
             "--batch-size", "100"], env=server.env(), cwd=ROOT, stdout=subprocess.PIPE,
            stderr=err, text=True, encoding="utf-8")
    try:
        partial = wait_until_midway(server, proc, phase, full)
        own.kill()
        killed_at = time.monotonic()
        out, _ = proc.communicate(timeout=KILL_TIMEOUT)
        gave_up = time.monotonic() - killed_at
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = stderr_path.read_text(encoding="utf-8")
    tail = stderr[-2000:]
    assert proc.returncode == 1, (proc.returncode, tail)
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and stderr.strip().splitlines()[-1] == errors[0], tail
    assert "Traceback" not in stderr, tail
    assert server.password not in stderr + out  # also in the driver's debug log
    if verbose:
        assert "DEBUG neo4j" in stderr and "DEBUG graphbuild" in stderr, stderr[:2000]
    assert gave_up < KILL_TIMEOUT
    print(f"{phase}: killed at {partial}; the load gave up {gave_up:.1f}s later: {errors[0]}")
    return partial, errors[0]


def wait_until_midway(server: Server, proc: subprocess.Popen, phase: str, full: dict) -> dict:
    """Counts once the load is part way through `phase` (some batches committed)."""
    deadline = time.monotonic() + 180
    with server.connect() as driver:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"the load ended (exit {proc.returncode}) before the kill")
            counts = db_counts(driver, server.database)
            if phase == "nodes" and 200 <= nodes(counts) < nodes(full) // 2:
                return counts
            if phase == "relationships" and 200 <= rels(counts) < rels(full) // 2:
                return counts
            time.sleep(0.1)
    pytest.fail(f"the load did not reach the middle of its {phase} in time")
