"""Wrong password, unreachable server, missing database: one line, quickly, no password."""
import socket
import time

import pytest

from .conftest import graphbuild


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("case, expected", [
    ("wrong password", "wrong user or password"),
    ("unreachable", "cannot reach Neo4j"),
    ("no database", "no database 'no-such-db'"),
])
def test_one_line_error_in_bounded_time(neo4j_server, sample_build, case, expected):
    env = neo4j_server.env(NEO4J_PASSWORD="not-the-password-123")
    if case == "unreachable":
        env["NEO4J_URI"] = f"neo4j://127.0.0.1:{closed_port()}"
    if case == "no database":
        env = neo4j_server.env(NEO4J_DATABASE="no-such-db")
    started = time.monotonic()
    proc = graphbuild("load", "--store", str(sample_build[0]), env=env, timeout=60)
    assert time.monotonic() - started < 30
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], lines
    assert proc.stdout == ""
    for secret in (neo4j_server.password, "not-the-password-123"):
        assert not secret or secret not in proc.stderr
