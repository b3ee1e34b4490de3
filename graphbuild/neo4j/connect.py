"""Open a Neo4j driver, and turn what goes wrong into one-line errors.

The password is passed to the driver and nowhere else: no message here contains it.
"""
from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from typing import Iterator

from neo4j import Driver, GraphDatabase, NotificationMinimumSeverity
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

DEFAULT_URI = "neo4j://localhost:7687"
TIMEOUT = 5.0  # seconds to open a connection; bounds how long an unreachable server takes

logging.getLogger("neo4j").addHandler(logging.NullHandler())  # errors are reported, not logged


class Neo4jFailure(RuntimeError):
    """A one-line, user-facing reason why Neo4j could not be used."""


@contextmanager
def connect(uri: str, user: str, password: str | None, database: str) -> Iterator[Driver]:
    """A driver that has reached `database`; Neo4j errors inside raise Neo4jFailure."""
    auth = (user, password) if password else None
    try:
        driver = _driver(uri, auth)
    except (DriverError, ValueError) as err:
        raise Neo4jFailure(f"{uri}: {_line(err)}") from None
    with driver:
        try:
            driver.verify_connectivity()
            with driver.session(database=database) as session:
                session.run("RETURN 1").consume()
        except (Neo4jError, DriverError, ValueError) as err:
            raise _failure(err, uri, auth, database) from None
        try:
            yield driver
        except (Neo4jError, DriverError) as err:
            raise _failure(err, uri, auth, database) from None


def _driver(uri: str, auth: tuple[str, str] | None) -> Driver:
    return GraphDatabase.driver(
        uri, auth=auth, connection_timeout=TIMEOUT, connection_acquisition_timeout=2 * TIMEOUT,
        max_transaction_retry_time=2 * TIMEOUT,
        notifications_min_severity=NotificationMinimumSeverity.OFF)


def _failure(err: Exception, uri: str, auth, database: str) -> Neo4jFailure:
    if isinstance(err, AuthError):
        hint = "" if auth else " (set NEO4J_PASSWORD)"
        return Neo4jFailure(f"{uri}: Neo4j refused user {auth[0] if auth else 'neo4j'!r}: "
                            f"wrong user or password{hint}")
    if isinstance(err, ValueError):  # the driver's word for an address that does not resolve
        return Neo4jFailure(f"{uri}: cannot reach Neo4j ({_line(err)})")
    if isinstance(err, ServiceUnavailable):
        return Neo4jFailure(f"{uri}: cannot reach Neo4j ({_reason(err, uri, auth)})")
    if isinstance(err, Neo4jError) and err.code == "Neo.ClientError.Database.DatabaseNotFound":
        return Neo4jFailure(f"{uri}: no database {database!r} on this server")
    if isinstance(err, Neo4jError):
        return Neo4jFailure(f"{uri}: {err.code}: {_line(err.message or err)}")
    return Neo4jFailure(f"{uri}: {_line(err)}")


def _reason(err: Exception, uri: str, auth) -> str:
    """Routing (neo4j://) failures hide their cause: ask the server directly (bolt://)."""
    direct = re.sub(r"^neo4j(\+s|\+ssc)?://", r"bolt\1://", uri)
    if direct != uri:
        try:
            with _driver(direct, auth) as probe:
                probe.verify_connectivity()
        except Exception as inner:  # any failure here is only a better explanation
            err = inner
    while err.__cause__ is not None:
        err = err.__cause__
    return _line(err)


def _line(err: object) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= 200 else text[:197] + "..."
