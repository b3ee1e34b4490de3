"""The Neo4j password never shows: not in output, error messages, logs (--verbose, the
driver's debug log too), tracebacks, files written, nor the compose file.

These need no server (an unreachable one is enough); tests/integration/test_secrets.py
repeats the checks against a real Neo4j, where the password is accepted or refused.
"""
from __future__ import annotations

import logging
import os
import re
import secrets
import socket
import subprocess
import sys

import pytest

from graphbuild import logs
from graphbuild.neo4j.connect import Neo4jFailure, connect, shown_uri

from .conftest import ROOT, SAMPLE

PASSWORD = "pw-" + secrets.token_urlsafe(18)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, env_extra: dict | None = None, timeout: float = 120):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update({"NEO4J_URI": f"bolt://127.0.0.1:{closed_port()}", "NEO4J_PASSWORD": PASSWORD,
                **(env_extra or {})})
    return subprocess.run([sys.executable, "-m", "graphbuild", *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=timeout, cwd=ROOT)


def assert_hidden(proc, *secret_list: str) -> None:
    for secret in secret_list or (PASSWORD,):
        assert secret not in proc.stdout and secret not in proc.stderr, (
            proc.args, proc.stdout[-500:], proc.stderr[-1500:])


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A small build: the first three tables of the sample."""
    text = SAMPLE.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r".*项目支出绩效目标表", text)]
    folder = tmp_path_factory.mktemp("secrets")
    dump = folder / "three.txt"
    dump.write_text(text[: starts[3]], encoding="utf-8")
    proc = run("build", str(dump), "--out", str(folder / "out"), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert_hidden(proc)
    return folder / "out"


CASES = {
    "load": ["load"],
    "query": ["query", "top_documents", "--backend", "neo4j"],
    "cypher": ["cypher", "MATCH (n) RETURN count(n) AS n"],
}


@pytest.mark.parametrize("verbose", [False, True], ids=["quiet", "verbose"])
@pytest.mark.parametrize("case", CASES)
def test_unreachable_server_errors_hide_the_password(store, case, verbose):
    args = (["--verbose"] if verbose else []) + CASES[case] + (
        ["--store", str(store)] if case in ("load", "query") else [])
    proc = run(*args)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1].startswith("error: "), proc.stderr[-500:]
    if verbose:
        assert "DEBUG graphbuild.neo4j: connecting to bolt://127.0.0.1" in proc.stderr
        assert "DEBUG neo4j" in proc.stderr  # the driver's own debug log is on
    assert_hidden(proc)


@pytest.mark.parametrize("verbose", [[], ["--verbose"]], ids=["quiet", "verbose"])
def test_password_given_as_a_flag_is_hidden_too(store, verbose):
    flag = "flag-" + secrets.token_urlsafe(12)
    proc = run(*verbose, "load", "--store", str(store), "--password", flag)
    assert proc.returncode == 1
    assert_hidden(proc, flag, PASSWORD)


@pytest.mark.parametrize("verbose", [[], ["--verbose"]], ids=["quiet", "verbose"])
def test_password_written_into_the_uri_is_masked(store, verbose):
    """neo4j://user:password@host: the driver refuses it, and the message masks it."""
    uri = f"neo4j://neo4j:{PASSWORD}@127.0.0.1:{closed_port()}"
    proc = run(*verbose, "load", "--store", str(store), env_extra={"NEO4J_URI": uri})
    assert proc.returncode == 1
    assert "error: neo4j://***@127.0.0.1" in proc.stderr, proc.stderr[-500:]
    assert_hidden(proc)


def test_a_crash_shows_no_local_variables(tmp_path):
    """An unexpected error must not print locals (typer can show them: the password is one)."""
    (tmp_path / "graph.db").write_bytes(os.urandom(4096))  # not SQLite
    for args in (["load"], ["--verbose", "load"]):
        proc = run(*args, "--store", str(tmp_path))
        assert proc.returncode == 1
        assert proc.stderr.strip().splitlines() == [
            f"error: {tmp_path / 'graph.db'}: not a graph store (file is not a database)"]
        assert_hidden(proc)


def test_files_written_hold_no_password(store):
    """Build output, exports, pages and a lineage report (made with the password set)."""
    report = run("lineage", "--department", "001", "--format", "md", "--store", str(store))
    assert report.returncode == 0, report.stderr[-1000:]
    assert_hidden(report)
    written = [p for p in store.rglob("*") if p.is_file()]
    assert any(p.name == "graph.html" for p in written)
    for path in written:
        assert PASSWORD.encode() not in path.read_bytes(), path


def test_failures_and_logs_in_process_hide_the_password(caplog):
    """The in-process path: Neo4jFailure text, and the driver's own DEBUG records."""
    uri = f"bolt://127.0.0.1:{closed_port()}"
    with caplog.at_level(logging.DEBUG, logger="neo4j"):
        with pytest.raises(Neo4jFailure) as info:
            with connect(uri, "neo4j", PASSWORD, "neo4j"):
                pass
    assert "cannot reach Neo4j" in str(info.value) and PASSWORD not in str(info.value)
    assert caplog.records and all(PASSWORD not in r.getMessage() for r in caplog.records)


def test_redaction():
    logs.mask("s3cret-value")
    logs.mask(None)
    assert logs.redact("a s3cret-value b") == "a *** b"
    assert shown_uri("neo4j+s://me:s3cret@db.example:7687/x") == "neo4j+s://***@db.example:7687/x"
    assert shown_uri("bolt://localhost:7687") == "bolt://localhost:7687"


def test_compose_file_holds_no_password():
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    auth = re.findall(r"NEO4J_AUTH:\s*(\S+)", compose)
    assert auth == ["neo4j/${NEO4J_PASSWORD:?set"], auth  # taken from .env, never written
    for line in compose.splitlines():
        m = re.match(r"\s*-?\s*([\w.]+)\s*[:=]\s*(.*)", line)
        if m and re.search(r"PASS|SECRET|TOKEN|CREDENTIAL|AUTH", m[1], re.I) and "${" not in m[2]:
            pytest.fail(f"docker-compose.yml sets a secret in place: {line.strip()}")
    assert ".env" in (ROOT / ".gitignore").read_text().split()  # the real one stays local
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert re.search(r"^NEO4J_PASSWORD=change-me", example, re.M)  # a placeholder only
